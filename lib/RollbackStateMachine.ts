import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArnFormat, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { CutoverFunction } from './CutoverFunction.ts';
import { assertPlaceholdersMatch } from './definitionPlaceholders.ts';
import { iam5ResourceFindingId } from './nagFindingId.ts';
import { RELEASE_STATE_MACHINE_ARN_PLACEHOLDER, ROLLBACK_DEFINITION_PATH, rollbackFunctions } from './rollbackFunctions.ts';

/** The repository root: the shipped definition is relative to it. */
const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The rule Step Functions manages in the account to learn that a `.sync` child execution ended. */
const SYNC_EVENTS_RULE = 'StepFunctionsGetEventsForStepFunctionsExecutionRule';

/** Properties of {@link RollbackStateMachine}. */
export interface RollbackStateMachineProps {
  /** The cutover environment (FindRollbackTarget refuses another one). */
  readonly environment: string;
  /** The rollback state machine's fixed name. */
  readonly stateMachineName: string;
  /** The release state machine's fixed name: the only state machine the rollback machine may start. */
  readonly releaseStateMachineName: string;
  /** The release table (FindRollbackTarget reads the lock and the ledger). */
  readonly table: dynamodb.ITable;
  /** How long execution logs are kept. @default logs.RetentionDays.THREE_MONTHS */
  readonly logRetention?: logs.RetentionDays;
  /** What happens to the execution log group when it leaves the stack. @default RemovalPolicy.RETAIN */
  readonly logRemovalPolicy?: RemovalPolicy;
}

/**
 * The rollback state machine (statemachines/rollback.asl.json): FindRollbackTarget (a Lambda that reads the lock and
 * the ledger) and a `states:startExecution.sync:2` of the release state machine with `rollbackTo`. All events logged,
 * X-Ray on; its role may start the release state machine only, and describe or stop only that machine's executions.
 */
export class RollbackStateMachine extends Construct {
  /** The state machine. */
  public readonly stateMachine: sfn.StateMachine;
  /** Its execution log group. */
  public readonly logGroup: logs.LogGroup;
  /** The FindRollbackTarget function. */
  public readonly findRollbackTarget: CutoverFunction;

  constructor(scope: Construct, id: string, props: RollbackStateMachineProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const releaseStateMachineArn = stack.formatArn({ service: 'states', resource: 'stateMachine', resourceName: props.releaseStateMachineName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const releaseExecutionsArn = stack.formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${props.releaseStateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });

    this.findRollbackTarget = new CutoverFunction(this, 'FindRollbackTarget', {
      entry: rollbackFunctions.findRollbackTarget.entry,
      purpose: `${props.environment}: rollback target`,
      environment: { TABLE_NAME: props.table.tableName, CUTOVER_ENVIRONMENT: props.environment },
      statements: [
        {
          statement: new iam.PolicyStatement({ actions: ['states:DescribeExecution'], resources: [releaseExecutionsArn] }),
          wildcardReason: `FindRollbackTarget asks whether the execution holding a service's lock still runs; the pattern is the executions of ${props.releaseStateMachineName} only.`,
        },
      ],
    });
    props.table.grantReadData(this.findRollbackTarget.role);

    const definitionPath = join(PROJECT_ROOT, ROLLBACK_DEFINITION_PATH);
    const definition = readFileSync(definitionPath, 'utf8');
    const substitutions: Record<string, string> = {
      [rollbackFunctions.findRollbackTarget.placeholder]: this.findRollbackTarget.function.functionArn,
      [RELEASE_STATE_MACHINE_ARN_PLACEHOLDER]: releaseStateMachineArn,
    };
    assertPlaceholdersMatch(definition, Object.keys(substitutions), definitionPath);

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/vendedlogs/states/${props.stateMachineName}`,
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: props.stateMachineName,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromString(definition),
      definitionSubstitutions: substitutions,
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
    });
    const statements = [
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.findRollbackTarget.function.functionArn] }),
      new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [releaseStateMachineArn] }),
      // `.sync`: Step Functions describes the child until it ends, and stops it when this execution is stopped.
      new iam.PolicyStatement({ actions: ['states:DescribeExecution', 'states:StopExecution'], resources: [releaseExecutionsArn] }),
      new iam.PolicyStatement({
        actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
        resources: [stack.formatArn({ service: 'events', resource: 'rule', resourceName: SYNC_EVENTS_RULE, arnFormat: ArnFormat.SLASH_RESOURCE_NAME })],
      }),
    ];
    for (const statement of statements) this.stateMachine.addToRolePolicy(statement);
    Validations.of(this.stateMachine.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Added by CDK for logging and tracing: the CloudWatch Logs delivery actions (logs:CreateLogDelivery, GetLogDelivery, UpdateLogDelivery, DeleteLogDelivery, ListLogDeliveries, PutResourcePolicy, DescribeResourcePolicies, DescribeLogGroups) and xray:PutTraceSegments, PutTelemetryRecords, GetSamplingRules, GetSamplingTargets do not support resource-level permissions.',
    });
    Validations.of(this.stateMachine.role).acknowledge({
      id: iam5ResourceFindingId(this, releaseExecutionsArn),
      reason: `startExecution.sync describes the release execution it started until it ends and stops it if the rollback is stopped; execution names are chosen at run time, the pattern is the executions of ${props.releaseStateMachineName} only.`,
    });
  }

  /** Lets the grantee start rollbacks (states:StartExecution on this state machine only). */
  public grantStartExecution(grantee: iam.IGrantable): iam.Grant {
    return this.stateMachine.grantStartExecution(grantee);
  }
}
