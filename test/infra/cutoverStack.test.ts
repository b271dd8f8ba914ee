import { readFileSync } from 'node:fs';
import { App, type CfnResource } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import cdkJson from '../../cdk.json' with { type: 'json' };
import { readCutoverConfig } from '../../lib/cutoverConfig.ts';
import { CutoverStack } from '../../lib/CutoverStack.ts';
import { eventFunctions, RELEASE_DEFINITION_PATH, type ReleaseFunctionKey, releaseFunctions } from '../../lib/releaseFunctions.ts';
import type { HandlerKey } from '../../lib/releaseHandlerPermissions.ts';

/** A CloudFormation value with Fn::Join flattened and Fn::GetAtt / Ref written as `<LogicalId>` / `<LogicalId.Attr>`. */
function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  const record = value as Record<string, unknown>;
  if (Array.isArray(record['Fn::Join'])) {
    const [delimiter, parts] = record['Fn::Join'] as [string, unknown[]];
    return parts.map(flatten).join(delimiter);
  }
  if (Array.isArray(record['Fn::GetAtt'])) return `<${(record['Fn::GetAtt'] as string[]).join('.')}>`;
  if (typeof record['Ref'] === 'string') return `<${record['Ref']}>`;
  throw new Error(`cannot flatten ${JSON.stringify(value)}`);
}

interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, unknown>;
}

const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

// Synthesis bundles ten handlers with esbuild: build the stack once for the whole file.
let app: App;
let stack: CutoverStack;
let template: Template;
let logicalIdOf: (key: HandlerKey) => string;
let policiesByRole: Map<string, Statement[]>;

beforeAll(() => {
  app = new App({ context: cdkJson.context });
  const config = readCutoverConfig((key) => app.node.tryGetContext(key));
  stack = new CutoverStack(app, `Cutover-${config.environment}`, { config });
  template = Template.fromStack(stack);
  logicalIdOf = (key) => stack.resolve(stack.getLogicalId(stack.releaseHandlers.functions[key].node.defaultChild as CfnResource)) as string;
  policiesByRole = new Map();
  for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
    const statements = (policy['Properties'].PolicyDocument.Statement ?? []) as Statement[];
    for (const role of policy['Properties'].Roles as { Ref: string }[]) {
      policiesByRole.set(role.Ref, [...(policiesByRole.get(role.Ref) ?? []), ...statements]);
    }
  }
});

/** The logical id of a handler's role. */
function roleOf(key: HandlerKey): string {
  const fn = template.findResources('AWS::Lambda::Function')[logicalIdOf(key)];
  return (fn?.['Properties'].Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
}

/** The statements of a handler's role that allow an action. */
function statementsAllowing(key: HandlerKey, action: string): Statement[] {
  return (policiesByRole.get(roleOf(key)) ?? []).filter((s) => s.Effect === 'Allow' && asArray(s.Action).includes(action));
}

describe('Stack: CutoverStack', () => {
  describe('Construct: ReleaseStateMachine', () => {
    it('logs every event with execution data and traces with X-Ray', () => {
      template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
        StateMachineName: 'cutover-dev-release',
        StateMachineType: 'STANDARD',
        LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: true }),
        TracingConfiguration: { Enabled: true },
      });
    });

    it('deploys the shipped definition unchanged, with a substitution of each placeholder by its catalog function ARN', () => {
      // Prepare
      const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
      const shipped = readFileSync(new URL(`../../${RELEASE_DEFINITION_PATH}`, import.meta.url), 'utf8');
      const expectedSubstitutions = Object.fromEntries(
        (Object.entries(releaseFunctions) as [ReleaseFunctionKey, { placeholder: string }][]).map(([key, { placeholder }]) => [placeholder, `<${logicalIdOf(key)}.Arn>`]),
      );

      // Act
      const deployed = flatten(machine?.['Properties'].DefinitionString);
      const substitutions = Object.fromEntries(
        Object.entries(machine?.['Properties'].DefinitionSubstitutions as Record<string, unknown>).map(([name, value]) => [name, flatten(value)]),
      );

      // Assess
      expect(JSON.parse(deployed)).toEqual(JSON.parse(shipped));
      expect(substitutions).toEqual(expectedSubstitutions);
    });

    it('may invoke exactly the catalog functions, unqualified', () => {
      const role = (Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0]?.['Properties'].RoleArn as {
        'Fn::GetAtt': [string, string];
      })['Fn::GetAtt'][0];
      const invoke = (policiesByRole.get(role) ?? []).filter((s) => asArray(s.Action).includes('lambda:InvokeFunction'));

      expect(invoke).toHaveLength(1);
      expect(asArray(invoke[0]?.Resource).map(flatten).sort()).toEqual(
        (Object.keys(releaseFunctions) as ReleaseFunctionKey[]).map((key) => `<${logicalIdOf(key)}.Arn>`).sort(),
      );
    });
  });

  describe('Construct: ReleaseHandlers', () => {
    it('creates one function per catalog entry plus the event-driven ones', () => {
      // The Slack functions (SlackApi, SlackNotifier) and others are built by their own constructs: count only ReleaseHandlers'.
      const releaseHandlerIds = Object.keys(template.findResources('AWS::Lambda::Function')).filter((id) => id.startsWith('ReleaseHandlers'));
      expect(releaseHandlerIds).toHaveLength(Object.keys(releaseFunctions).length + Object.keys(eventFunctions).length);
    });

    it('tells onImagePushed the release state machine by its ARN, and nobody else', () => {
      const functions = template.findResources('AWS::Lambda::Function');
      const variables = (key: HandlerKey) => functions[logicalIdOf(key)]?.['Properties'].Environment.Variables as Record<string, unknown>;

      expect(variables('onImagePushed')['CUTOVER_ENVIRONMENT']).toBe('dev');
      expect(flatten(variables('onImagePushed')['STATE_MACHINE_ARN'])).toBe(
        'arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:stateMachine:cutover-dev-release',
      );
      expect(variables('prepare')['STATE_MACHINE_ARN']).toBeUndefined();
    });

    it('runs every function on nodejs22.x, arm64, with active tracing and its own log group', () => {
      for (const [id, fn] of Object.entries(template.findResources('AWS::Lambda::Function'))) {
        expect(fn['Properties']).toMatchObject({
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          TracingConfig: { Mode: 'Active' },
          LoggingConfig: { LogGroup: { Ref: expect.any(String) } },
        });
        // The Slack endpoint has more memory for a fast cold start within Slack's three seconds.
        if (!id.startsWith('ReleaseHandlers')) continue;
        expect(fn['Properties']).toMatchObject({
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          TracingConfig: { Mode: 'Active' },
          MemorySize: 256,
          LoggingConfig: { LogGroup: { Ref: expect.any(String) } },
        });
      }
    });

    it('gives Prepare and Rollback 60 seconds and the others 30', () => {
      const timeouts = Object.fromEntries(
        (['prepare', 'build', 'deployIdle', 'checkIdleReady', 'shiftTraffic', 'bake', 'finalize', 'rollback', 'failRelease', 'onAlarm'] as const).map(
          (key) => [key, template.findResources('AWS::Lambda::Function')[logicalIdOf(key)]?.['Properties'].Timeout],
        ),
      );

      expect(timeouts).toEqual({
        prepare: 60, build: 30, deployIdle: 30, checkIdleReady: 30, shiftTraffic: 30,
        bake: 30, finalize: 30, rollback: 60, failRelease: 30, onAlarm: 30,
      });
    });

    it('passes the table name, the environment and the Powertools settings to every release handler', () => {
      for (const key of Object.keys(stack.releaseHandlers.functions) as HandlerKey[]) {
        expect(template.findResources('AWS::Lambda::Function')[logicalIdOf(key)]?.['Properties']).toMatchObject({
          Environment: {
            Variables: {
              TABLE_NAME: { Ref: expect.stringMatching(/^ReleaseTable/) },
              POWERTOOLS_SERVICE_NAME: 'cutover',
              POWERTOOLS_LOG_LEVEL: 'INFO',
              NODE_OPTIONS: '--enable-source-maps',
              CUTOVER_ENVIRONMENT: 'dev',
            },
          },
        });
      }
    });

    it('passes the Powertools settings and the environment to every function', () => {
      template.allResourcesProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: {
            POWERTOOLS_SERVICE_NAME: 'cutover',
            POWERTOOLS_LOG_LEVEL: 'INFO',
            NODE_OPTIONS: '--enable-source-maps',
            CUTOVER_ENVIRONMENT: 'dev',
          },
        },
      });
    });

    it('keeps handler logs for 90 days', () => {
      for (const key of Object.keys(stack.releaseHandlers.functions) as HandlerKey[]) {
        const logGroupRef = template.findResources('AWS::Lambda::Function')[logicalIdOf(key)]?.['Properties'].LoggingConfig.LogGroup.Ref as string;
        expect(template.findResources('AWS::Logs::LogGroup')[logGroupRef]?.['Properties'].RetentionInDays).toBe(90);
      }
    });
  });

  describe('IAM', () => {
    it('names every action: no `*` and no `service:*` anywhere', () => {
      const actions = [...policiesByRole.values()].flat().flatMap((s) => asArray(s.Action));

      expect(actions.length).toBeGreaterThan(0);
      expect(actions.filter((action) => action.includes('*'))).toEqual([]);
    });

    it('attaches no managed policies to any role', () => {
      for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
        expect(role['Properties'].ManagedPolicyArns).toBeUndefined();
      }
    });

    it('grants elasticloadbalancing:ModifyRule to the shiftTraffic, rollback and test listener roles only', () => {
      const withModifyRule = [...policiesByRole.entries()]
        .filter(([, statements]) => statements.some((s) => asArray(s.Action).includes('elasticloadbalancing:ModifyRule')))
        .map(([role]) => role)
        .sort();

      expect(withModifyRule).toEqual([roleOf('gateFailed'), roleOf('pointTestListener'), roleOf('rollback'), roleOf('shiftTraffic')].sort());
      expect(statementsAllowing('shiftTraffic', 'elasticloadbalancing:ModifyRule').flatMap((s) => asArray(s.Resource)).map(flatten)).toEqual([
        'arn:<AWS::Partition>:elasticloadbalancing:<AWS::Region>:<AWS::AccountId>:listener-rule/app/dev-*',
      ]);
    });

    it('lets Prepare describe only the executions of the release state machine', () => {
      expect(statementsAllowing('prepare', 'states:DescribeExecution').flatMap((s) => asArray(s.Resource)).map(flatten)).toEqual([
        'arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:cutover-dev-release:*',
      ]);
    });

    it('lets Prepare read only this environment\'s service parameters', () => {
      expect(statementsAllowing('prepare', 'ssm:GetParameter').flatMap((s) => asArray(s.Resource)).map(flatten)).toEqual([
        'arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:parameter/cutover/dev/services/*',
      ]);
    });

    it('lets Prepare describe ECR images and nothing else in ECR', () => {
      const ecrStatements = (policiesByRole.get(roleOf('prepare')) ?? []).filter((s) => asArray(s.Action).some((action) => action.startsWith('ecr:')));

      expect(ecrStatements.flatMap((s) => asArray(s.Action))).toEqual(['ecr:DescribeImages']);
      expect(ecrStatements.flatMap((s) => asArray(s.Resource)).map(flatten)).toEqual(['arn:<AWS::Partition>:ecr:*:*:repository/*']);
    });

    it('lets RequestApproval announce WaitingForApproval on the default event bus only, and names the bus', () => {
      const put = statementsAllowing('requestApproval', 'events:PutEvents');

      expect(put.flatMap((s) => asArray(s.Action))).toEqual(['events:PutEvents']);
      expect(put.flatMap((s) => asArray(s.Resource)).map(flatten)).toEqual(['arn:<AWS::Partition>:events:<AWS::Region>:<AWS::AccountId>:event-bus/default']);
      expect(template.findResources('AWS::Lambda::Function')[logicalIdOf('requestApproval')]?.['Properties'].Environment.Variables.EVENT_BUS_NAME).toBe('default');
    });

    it('lets onImagePushed start executions of the release state machine only', () => {
      const start = statementsAllowing('onImagePushed', 'states:StartExecution');

      expect(start.flatMap((s) => asArray(s.Action))).toEqual(['states:StartExecution']);
      expect(start.flatMap((s) => asArray(s.Resource)).map(flatten)).toEqual([
        'arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:stateMachine:cutover-dev-release',
      ]);
    });

    it('lets onImagePushed list only this environment\'s service parameters, and start executions and write to its dead-letter queue only', () => {
      const statements = (policiesByRole.get(roleOf('onImagePushed')) ?? []).filter((s) => s.Effect === 'Allow');
      const byPath = statementsAllowing('onImagePushed', 'ssm:GetParametersByPath');

      expect(byPath.flatMap((s) => asArray(s.Resource)).map(flatten)).toEqual([
        'arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:parameter/cutover/dev/services',
      ]);
      expect(statements.flatMap((s) => asArray(s.Action)).filter((action) => !action.startsWith('logs:') && !action.startsWith('xray:')).sort()).toEqual([
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:SendMessage',
        'ssm:GetParametersByPath',
        'states:StartExecution',
      ]);
      expect(statementsAllowing('onImagePushed', 'sqs:SendMessage').map((s) => flatten(s.Resource))).toEqual([
        `<${Object.keys(template.findResources('AWS::SQS::Queue')).find((id) => id.startsWith('ImagePushEventRuleDeadLetterQueue'))}.Arn>`,
      ]);
    });

    it('lets Build pass roles only to ECS tasks', () => {
      const passRole = statementsAllowing('build', 'iam:PassRole');

      expect(passRole).toHaveLength(1);
      expect(passRole[0]?.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } });
    });

    it('lets onAlarm send task failures to the release state machine only', () => {
      const machineId = Object.keys(template.findResources('AWS::StepFunctions::StateMachine'))[0];
      const sendTaskFailure = statementsAllowing('onAlarm', 'states:SendTaskFailure');

      expect(sendTaskFailure.map((s) => s.Resource)).toEqual([{ Ref: machineId }]);
      expect(sendTaskFailure.flatMap((s) => asArray(s.Action))).toEqual(['states:SendTaskFailure']);
    });

    it('lets RunMigration run tasks only of task definitions in the managed clusters, passing roles only to ECS tasks', () => {
      const runTask = statementsAllowing('runMigration', 'ecs:RunTask');
      const passRole = statementsAllowing('runMigration', 'iam:PassRole');

      expect(runTask.map((s) => [asArray(s.Resource).map(flatten), s.Condition])).toEqual([
        [
          ['arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:task-definition/dev-*:*'],
          { ArnLike: { 'ecs:cluster': [expect.objectContaining({ 'Fn::Join': expect.anything() })] } },
        ],
      ]);
      expect(flatten((runTask[0]?.Condition?.['ArnLike'] as Record<string, unknown[]>)['ecs:cluster']?.[0])).toBe(
        'arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:cluster/dev-*',
      );
      expect(passRole.map((s) => s.Condition)).toEqual([{ StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } }]);
    });

    it('lets only GateFailed and Finalize stop tasks, and only tasks of the managed clusters', () => {
      const withStopTask = [...policiesByRole.entries()]
        .filter(([, statements]) => statements.some((s) => asArray(s.Action).includes('ecs:StopTask')))
        .map(([role]) => role)
        .sort();

      expect(withStopTask).toEqual([roleOf('finalize'), roleOf('gateFailed')].sort());
      expect(statementsAllowing('gateFailed', 'ecs:StopTask').flatMap((s) => asArray(s.Resource)).map(flatten)).toEqual([
        'arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:task/dev-*/*',
      ]);
      expect(Object.keys(statementsAllowing('gateFailed', 'ecs:ListTasks')[0]?.Condition ?? {})).toEqual(['ArnLike']);
    });

    it('lets onTaskStopped answer task tokens of the release state machine, and RunMigration only succeed them', () => {
      const machineId = Object.keys(template.findResources('AWS::StepFunctions::StateMachine'))[0];
      const answer = statementsAllowing('onTaskStopped', 'states:SendTaskFailure');

      expect(answer.map((s) => s.Resource)).toEqual([{ Ref: machineId }]);
      expect(answer.flatMap((s) => asArray(s.Action)).sort()).toEqual(['states:SendTaskFailure', 'states:SendTaskSuccess']);
      expect(statementsAllowing('runMigration', 'states:SendTaskFailure')).toEqual([]);
      expect(statementsAllowing('runMigration', 'states:SendTaskSuccess').flatMap((s) => asArray(s.Resource)).map(flatten)).toEqual([
        'arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:stateMachine:cutover-dev-release',
      ]);
    });

    it('gives RunSmokeTests no AWS permission beyond its logs and traces, and 90 seconds', () => {
      const actions = (policiesByRole.get(roleOf('runSmokeTests')) ?? []).flatMap((s) => asArray(s.Action)).sort();

      expect(actions).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
      expect(template.findResources('AWS::Lambda::Function')[logicalIdOf('runSmokeTests')]?.['Properties'].Timeout).toBe(90);
    });

    it('gives the table to the handlers that record releases and not to the others', () => {
      const withPutItem = (Object.keys(stack.releaseHandlers.functions) as HandlerKey[])
        .filter((key) => statementsAllowing(key, 'dynamodb:PutItem').length > 0)
        .sort();

      expect(withPutItem).toEqual(['awaitFreezeEnd', 'bake', 'failRelease', 'finalize', 'gateFailed', 'onAlarm', 'onTaskStopped', 'prepare', 'requestApproval', 'rollback', 'runMigration']);
      expect(statementsAllowing('bake', 'dynamodb:GetItem')).toEqual([]);
    });
  });

  describe('Construct: TaskStoppedEventRule', () => {
    it('matches stopped migration tasks of the managed clusters only', () => {
      const rules = Object.values(template.findResources('AWS::Events::Rule')).filter(
        (rule) => (rule['Properties'].EventPattern as { source?: string[] } | undefined)?.source?.[0] === 'aws.ecs',
      );
      const pattern = rules[0]?.['Properties'].EventPattern as Record<string, unknown> & { detail: Record<string, unknown> };

      expect(rules).toHaveLength(1);
      expect(pattern['detail-type']).toEqual(['ECS Task State Change']);
      expect(pattern.detail['lastStatus']).toEqual(['STOPPED']);
      expect(pattern.detail['startedBy']).toEqual([{ prefix: 'cutover-migration-' }]);
      expect((pattern.detail['clusterArn'] as { wildcard: unknown }[]).map((item) => flatten(item.wildcard))).toEqual([
        'arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:cluster/dev-*',
      ]);
      expect(rules[0]?.['Properties'].Targets).toEqual([
        expect.objectContaining({
          Arn: { 'Fn::GetAtt': [logicalIdOf('onTaskStopped'), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 3600 },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.stringMatching(/^TaskStoppedEventRuleDeadLetterQueue/), 'Arn'] } },
        }),
      ]);
    });

  });

  describe('Construct: AlarmEventRule', () => {
    it('matches CloudWatch alarms entering ALARM', () => {
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          source: ['aws.cloudwatch'],
          'detail-type': ['CloudWatch Alarm State Change'],
          detail: { state: { value: ['ALARM'] } },
        },
      });
    });

    it('targets onAlarm with retries, a maximum event age and a dead-letter queue', () => {
      template.hasResourceProperties('AWS::Events::Rule', {
        Targets: [
          Match.objectLike({
            Arn: { 'Fn::GetAtt': [logicalIdOf('onAlarm'), 'Arn'] },
            RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 3600 },
            DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlarmEventRuleDeadLetterQueue'), 'Arn'] } },
          }),
        ],
      });
    });

    it('sends an event onAlarm still fails on after its retries to the same dead-letter queue', () => {
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: logicalIdOf('onAlarm') },
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 3600,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlarmEventRuleDeadLetterQueue'), 'Arn'] } } },
      });
    });

    it('encrypts the dead-letter queue and refuses requests without TLS', () => {
      template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });
  });

  describe('Construct: ImagePushEventRule', () => {
    it('matches successful ECR pushes only', () => {
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          source: ['aws.ecr'],
          'detail-type': ['ECR Image Action'],
          detail: { 'action-type': ['PUSH'], result: ['SUCCESS'] },
        },
      });
    });

    it('targets onImagePushed with retries, a maximum event age and a dead-letter queue', () => {
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: Match.objectLike({ source: ['aws.ecr'] }),
        Targets: [
          Match.objectLike({
            Arn: { 'Fn::GetAtt': [logicalIdOf('onImagePushed'), 'Arn'] },
            RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 3600 },
            DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ImagePushEventRuleDeadLetterQueue'), 'Arn'] } },
          }),
        ],
      });
    });

    it('sends the invocations that failed after two Lambda retries to the same dead-letter queue', () => {
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: logicalIdOf('onImagePushed') },
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ImagePushEventRuleDeadLetterQueue'), 'Arn'] } } },
      });
    });
  });

  describe('Construct: ReleaseTable', () => {
    it('keys items by string pk and sk and expires them on expiresAt', () => {
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        TableName: 'cutover-dev-releases',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      });
    });

    it('is on demand, recoverable, encrypted and protected from deletion', () => {
      template.hasResource('AWS::DynamoDB::Table', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: Match.objectLike({
          BillingMode: 'PAY_PER_REQUEST',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          SSESpecification: { SSEEnabled: true },
          DeletionProtectionEnabled: true,
        }),
      });
    });
  });

  describe('Slack', () => {
    it('puts no secret in any function environment: Slack secrets are read from SSM at run time', () => {
      for (const fn of Object.values(template.findResources('AWS::Lambda::Function'))) {
        const variables = (fn['Properties'].Environment?.Variables ?? {}) as Record<string, unknown>;
        for (const [name, value] of Object.entries(variables)) {
          expect(name).not.toMatch(/SECRET|TOKEN|PASSWORD|SIGNING|WEBHOOK/i);
          expect(JSON.stringify(value)).not.toMatch(/xox[abp]-|hooks\.slack\.com|signing-secret|bot-token/);
        }
      }
    });

    it('lets only the Slack functions read the Slack parameters, each exactly the ones it needs', () => {
      const readers = new Map<string, string[]>();
      for (const [role, statements] of policiesByRole) {
        for (const statement of statements) {
          if (!asArray(statement.Action).includes('ssm:GetParameter')) continue;
          const slack = asArray(statement.Resource as unknown[]).map((resource) => flatten(resource)).filter((resource) => resource.includes('/slack/'));
          if (slack.length > 0) readers.set(role, [...(readers.get(role) ?? []), ...slack.map((resource) => resource.replace(/^.*:parameter/, ''))]);
        }
      }
      expect(Object.fromEntries([...readers].map(([role, names]) => [role.replace(/[A-F0-9]{8}$/, ''), names.sort()]))).toEqual({
        SlackApiEndpointRole: ['/cutover/dev/slack/allowed', '/cutover/dev/slack/signing-secret'],
        SlackNotifierRole: ['/cutover/dev/slack/bot-token'],
      });
    });
  });

  describe('Dead letters', () => {
    it('watches every queue of the stack with a dead-letters alarm, so no lost trigger goes unnoticed', () => {
      // Prepare
      const queues = Object.keys(template.findResources('AWS::SQS::Queue')).sort();
      const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter((alarm) =>
        String(alarm['Properties'].AlarmName).endsWith('-dead-letters'),
      );

      // Act
      const watched = alarms
        .flatMap((alarm) => (alarm['Properties'].Dimensions as { Name: string; Value: { 'Fn::GetAtt': [string, string] } }[]) ?? [])
        .filter((dimension) => dimension.Name === 'QueueName')
        .map((dimension) => dimension.Value['Fn::GetAtt'][0])
        .sort();

      // Assess
      expect(queues.length).toBeGreaterThanOrEqual(6);
      expect(watched).toEqual(queues);
    });
  });

  describe('cdk-nag', () => {
    it('reports no unacknowledged AwsSolutions finding', () => {
      // cdk-nag 3 is a policy-validation plugin: findings are a report, not annotations.
      const report = new AwsSolutionsChecks().validateScope(app);

      expect(report.violations.map((v) => `${v.ruleName} ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    });
  });
});
