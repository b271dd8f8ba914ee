import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { RollbackStateMachine } from '../../lib/RollbackStateMachine.ts';
import { SlackApi } from '../../lib/SlackApi.ts';

interface Statement {
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

// Bundling is slow: build the constructs once for the file.
let template: Template;
let stack: Stack;
let rollback: RollbackStateMachine;
let slack: SlackApi;

beforeAll(() => {
  const app = new App();
  stack = new Stack(app, 'RollbackTest', { env: { account: '123456789012', region: 'eu-west-1' } });
  const table = new dynamodb.TableV2(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  rollback = new RollbackStateMachine(stack, 'Rollback', { environment: 'prod', stateMachineName: 'cutover-prod-rollback', releaseStateMachineName: 'cutover-prod-release', table });
  slack = new SlackApi(stack, 'SlackApi', { environment: 'prod', table, stateMachineName: 'cutover-prod-release', rollbackStateMachine: rollback.stateMachine });
  template = Template.fromStack(stack);
});

const logicalIdOf = (construct: { node: { defaultChild?: unknown } }): string => stack.resolve(stack.getLogicalId(construct.node.defaultChild as never)) as string;

function statementsOf(roleLogicalId: string): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => (policy['Properties'].Roles as { Ref: string }[]).some((role) => role.Ref === roleLogicalId))
    .flatMap((policy) => policy['Properties'].PolicyDocument.Statement as Statement[]);
}

describe('Construct: RollbackStateMachine', () => {
  it('logs every event with execution data and traces with X-Ray', () => {
    // Assess
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'cutover-prod-rollback',
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: true }),
      TracingConfiguration: { Enabled: true },
    });
  });

  it('fills exactly the function and the release state machine placeholders', () => {
    // Act
    const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine', { Properties: { StateMachineName: 'cutover-prod-rollback' } }));
    const substitutions = machine?.['Properties'].DefinitionSubstitutions as Record<string, unknown>;

    // Assess
    expect(Object.keys(substitutions).sort()).toEqual(['FindRollbackTargetFunctionArn', 'ReleaseStateMachineArn']);
    expect(JSON.stringify(stack.resolve(substitutions.ReleaseStateMachineArn))).toContain(':stateMachine:cutover-prod-release');
  });

  it('may start the release state machine only, and describe or stop only its executions', () => {
    // Act
    const statements = statementsOf(logicalIdOf(rollback.stateMachine.role));
    const states = statements.filter((statement) => asArray(statement.Action).some((action) => action.startsWith('states:')));

    // Assess
    expect(states.map((statement) => asArray(statement.Action))).toEqual([['states:StartExecution'], ['states:DescribeExecution', 'states:StopExecution']]);
    expect(JSON.stringify(states[0]?.Resource)).toMatch(/:stateMachine:cutover-prod-release"/);
    expect(JSON.stringify(states[1]?.Resource)).toMatch(/:execution:cutover-prod-release:\*"/);
    const events = statements.find((statement) => asArray(statement.Action).includes('events:PutRule'));
    expect(asArray(events?.Action ?? []).sort()).toEqual(['events:DescribeRule', 'events:PutRule', 'events:PutTargets']);
    expect(JSON.stringify(events?.Resource)).toContain('rule/StepFunctionsGetEventsForStepFunctionsExecutionRule');
    const invoke = statements.filter((statement) => asArray(statement.Action).includes('lambda:InvokeFunction'));
    expect(invoke.map((statement) => statement.Resource)).toEqual([{ 'Fn::GetAtt': [logicalIdOf(rollback.findRollbackTarget.function), 'Arn'] }]);
  });

  it('lets the Slack worker, and no other role, start rollbacks, and tells the worker which machine', () => {
    // Act
    const starters = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
      (policy['Properties'].PolicyDocument.Statement as Statement[]).some(
        (statement) => asArray(statement.Action).includes('states:StartExecution') && JSON.stringify(statement.Resource).includes(logicalIdOf(rollback.stateMachine)),
      ),
    );

    // Assess
    expect(starters.flatMap((policy) => policy['Properties'].Roles as { Ref: string }[])).toEqual([{ Ref: logicalIdOf(slack.worker.role) }]);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('slackWorker'),
      Environment: { Variables: Match.objectLike({ ROLLBACK_STATE_MACHINE_ARN: { Ref: logicalIdOf(rollback.stateMachine) } }) },
    });
  });

  it('lets the Slack endpoint put only accepted-request items in the table (replay protection)', () => {
    // Act
    const statements = statementsOf(logicalIdOf(slack.endpoint.role)).filter((statement) => asArray(statement.Action).some((action) => action.startsWith('dynamodb:')));

    // Assess
    expect(statements).toHaveLength(1);
    expect(asArray(statements[0]?.Action ?? [])).toEqual(['dynamodb:PutItem']);
    expect(statements[0]?.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SLACKREQUEST#*'] } });
  });
});
