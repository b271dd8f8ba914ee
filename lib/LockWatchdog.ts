import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { cutoverNodejsFunctionProps } from './cutoverNodejsFunctionProps.ts';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { iam5ResourceFindingId } from './nagFindingId.ts';

/** Properties of {@link LockWatchdog}. */
export interface LockWatchdogProps {
  /** The cutover environment: the `environment` dimension of the watchdog's metrics. */
  readonly environment: string;
  /** The release table; the watchdog reads the lock of each configured service. */
  readonly table: dynamodb.ITable;
  /** The release state machine's fixed name: the watchdog describes the executions holding locks. */
  readonly stateMachineName: string;
  /** How often the watchdog runs. @default Duration.minutes(10) */
  readonly interval?: Duration;
  /** How long handler logs are kept. @default logs.RetentionDays.THREE_MONTHS */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * A scheduled Lambda that publishes, for the alarms of ControlPlaneMonitoring, how many release locks of the services
 * configured under `/cutover/<environment>/services/` are held, the age of the oldest and how many are held by
 * executions that no longer run (lambdas/domain/inspectLocks.ts). Its schedule target and failed invocations
 * are retried and end in a dead-letter queue.
 */
export class LockWatchdog extends Construct {
  /** The watchdog function. */
  public readonly function: NodejsFunction;
  /** Schedule events that could not be delivered, and invocations that failed after their retries. */
  public readonly deadLetterQueue: sqs.Queue;
  /** The schedule. */
  public readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: LockWatchdogProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `cutover ${props.environment} lockWatchdog handler`,
    });
    logGroup.grantWrite(role);
    // Reads only: each configured service's lock item, by key.
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['dynamodb:GetItem'], resources: [props.table.tableArn] }));
    // GetParametersByPath is authorised on the path itself; the parameters under it are read in the same call.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ssm:GetParametersByPath'],
        resources: [
          Stack.of(this).formatArn({ service: 'ssm', resource: 'parameter', resourceName: `cutover/${props.environment}/services`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME }),
        ],
      }),
    );
    const executionArns = Stack.of(this).formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${props.stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['states:DescribeExecution'], resources: [executionArns] }));
    Validations.of(role).acknowledge({
      id: iam5ResourceFindingId(this, executionArns),
      reason: `The watchdog checks whether the execution holding each lock still runs; the pattern is the executions of ${props.stateMachineName} only.`,
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'xray:PutTraceSegments and xray:PutTelemetryRecords (added by tracing ACTIVE) do not support resource-level permissions.',
    });

    this.function = new NodejsFunction(
      this,
      'Function',
      cutoverNodejsFunctionProps({
        entry: 'lambdas/handlers/lockWatchdog.ts',
        description: `cutover ${props.environment}: lockWatchdog (lambdas/handlers/lockWatchdog.ts)`,
        role,
        logGroup,
        memorySize: 256,
        timeout: Duration.seconds(60),
        environment: { TABLE_NAME: props.table.tableName, CUTOVER_ENVIRONMENT: props.environment },
      }),
    );
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'cutover pins nodejs22.x, the runtime its bundles are built for (esbuild target node22), like every other cutover handler.',
    });

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: "This queue is itself the dead-letter queue of the watchdog's schedule target and failed invocations; cdk-nag only recognises queues named in another queue's redrive policy.",
    });
    const interval = props.interval ?? Duration.minutes(10);
    this.rule = new events.Rule(this, 'Schedule', {
      description: 'cutover: inspect the release locks',
      schedule: events.Schedule.rate(interval),
    });
    // A run that is late is worth less than the next one: retry within one interval only.
    this.rule.addTarget(new targets.LambdaFunction(this.function, { retryAttempts: 2, maxEventAge: interval, deadLetterQueue: this.deadLetterQueue }));
    this.function.configureAsyncInvoke({ retryAttempts: 1, maxEventAge: interval, onFailure: new destinations.SqsDestination(this.deadLetterQueue) });
  }
}
