import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { SLACK_REQUEST_KEY_PREFIX } from '../lambdas/domain/slackPorts.ts';
import { slackParameterNames } from '../lambdas/domain/slackParameterNames.ts';
import { CutoverFunction } from './CutoverFunction.ts';

/** Properties of {@link SlackApi}. */
export interface SlackApiProps {
  /** The cutover environment: scopes the SSM parameters and names the allowed `/cutover … <environment>`. */
  readonly environment: string;
  /** The release table (the worker reads locks, bakes and the ledger, and records approval decisions). */
  readonly table: dynamodb.ITable;
  /** The release state machine's fixed name (the worker fails or succeeds its bake tokens and describes its executions). */
  readonly stateMachineName: string;
  /** The rollback state machine, which `/cutover rollback` starts when no release runs. @default none: `rollback` acts on running releases only */
  readonly rollbackStateMachine?: sfn.IStateMachine;
  /** Steady-state requests per second across the API. @default 5 */
  readonly throttlingRateLimit?: number;
  /** Burst of requests the API accepts at once. @default 10 */
  readonly throttlingBurstLimit?: number;
}

/**
 * The Slack endpoint: a throttled REST API with `POST /slack/commands` and `POST /slack/interactions`, both proxied
 * (raw body unchanged) to the endpoint Lambda, which verifies Slack's signature, authorizes, answers within three
 * seconds and invokes the worker Lambda asynchronously for the action itself.
 */
export class SlackApi extends Construct {
  /** The REST API. */
  public readonly api: apigateway.RestApi;
  /** Verifies, authorizes, answers, queues. */
  public readonly endpoint: CutoverFunction;
  /** Runs the action (Step Functions task tokens) and reports through `response_url`. */
  public readonly worker: CutoverFunction;
  /** Work the worker failed on or that expired before it ran: never retried, but never lost silently either. */
  public readonly workerDeadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: SlackApiProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const names = slackParameterNames(props.environment);
    const parameterArn = (name: string): string =>
      stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: name.replace(/^\//, ''), arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
    const stateMachineArn = stack.formatArn({ service: 'states', resource: 'stateMachine', resourceName: props.stateMachineName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });

    this.worker = new CutoverFunction(this, 'Worker', {
      entry: 'lambdas/handlers/slackWorker.ts',
      purpose: `${props.environment}: Slack worker`,
      environment: {
        TABLE_NAME: props.table.tableName,
        CUTOVER_ENVIRONMENT: props.environment,
        ...(props.rollbackStateMachine === undefined ? {} : { ROLLBACK_STATE_MACHINE_ARN: props.rollbackStateMachine.stateMachineArn }),
      },
      statements: [
        { statement: new iam.PolicyStatement({ actions: ['states:SendTaskFailure', 'states:SendTaskSuccess'], resources: [stateMachineArn] }) },
        {
          statement: new iam.PolicyStatement({
            actions: ['states:DescribeExecution'],
            resources: [stack.formatArn({ service: 'states', resource: 'execution', resourceName: `${props.stateMachineName}:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
          }),
          wildcardReason: `status reports whether the execution holding a service's lock still runs; the pattern is the executions of ${props.stateMachineName} only.`,
        },
        {
          // Approve / Reject (ApprovalTable.recordDecision): one transaction that updates the approval record, the
          // release's ledger record and its lock, all of this environment; nothing else of the table is written.
          statement: new iam.PolicyStatement({
            actions: ['dynamodb:UpdateItem'],
            resources: [props.table.tableArn],
            conditions: {
              'ForAllValues:StringLike': {
                'dynamodb:LeadingKeys': [`APPROVAL#${props.environment}#*`, `RELEASE#${props.environment}#*`, `LOCK#${props.environment}#*`],
              },
            },
          }),
        },
      ],
    });
    props.table.grantReadData(this.worker.role);
    props.rollbackStateMachine?.grantStartExecution(this.worker.role);
    this.workerDeadLetterQueue = new sqs.Queue(this, 'WorkerDeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.workerDeadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: "This queue is itself the dead-letter queue (on-failure destination) of the Slack worker's asynchronous invocations; cdk-nag only recognises queues named in another queue's redrive policy.",
    });
    // An action that may have half-happened is reported to the asker, never run twice by a retry; a failed or expired
    // invocation is dead-lettered for an operator to look at.
    this.worker.function.configureAsyncInvoke({
      retryAttempts: 0,
      maxEventAge: Duration.minutes(5),
      onFailure: new destinations.SqsDestination(this.workerDeadLetterQueue),
    });

    this.endpoint = new CutoverFunction(this, 'Endpoint', {
      entry: 'lambdas/handlers/slackEndpoint.ts',
      purpose: `${props.environment}: Slack endpoint`,
      environment: { CUTOVER_ENVIRONMENT: props.environment, SLACK_WORKER_FUNCTION_NAME: this.worker.function.functionName, TABLE_NAME: props.table.tableName },
      memorySize: 512,
      timeout: Duration.seconds(5),
      statements: [
        // Exactly the signing secret and the allow-list: no path wildcard.
        { statement: new iam.PolicyStatement({ actions: ['ssm:GetParameter'], resources: [parameterArn(names.signingSecret), parameterArn(names.allowed)] }) },
        { statement: new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.worker.function.functionArn] }) },
        {
          // Replay protection: one conditional put per accepted request, and only items of accepted requests.
          statement: new iam.PolicyStatement({
            actions: ['dynamodb:PutItem'],
            resources: [props.table.tableArn],
            conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${SLACK_REQUEST_KEY_PREFIX}*`] } },
          }),
        },
      ],
    });

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: logs.RetentionDays.THREE_MONTHS });
    this.api = new apigateway.RestApi(this, 'Api', {
      restApiName: `cutover-${props.environment}-slack`,
      description: `cutover ${props.environment}: Slack slash commands and button clicks`,
      endpointConfiguration: { types: [apigateway.EndpointType.REGIONAL] },
      cloudWatchRole: false,
      deployOptions: {
        stageName: 'slack',
        throttlingRateLimit: props.throttlingRateLimit ?? 5,
        throttlingBurstLimit: props.throttlingBurstLimit ?? 10,
        tracingEnabled: true,
        accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
      },
    });
    const integration = new apigateway.LambdaIntegration(this.endpoint.function, { proxy: true });
    const slack = this.api.root.addResource('slack');
    for (const path of ['commands', 'interactions']) {
      const method = slack.addResource(path).addMethod('POST', integration, { authorizationType: apigateway.AuthorizationType.NONE });
      const reason =
        "Slack cannot sign requests for IAM or Cognito: every request is authenticated by Slack's v0 HMAC signature with the signing secret, " +
        'verified by the endpoint Lambda before anything else (401 otherwise), and authorized against the allow-list in SSM.';
      Validations.of(method).acknowledge({ id: 'AwsSolutions-APIG4', reason });
      Validations.of(method).acknowledge({ id: 'AwsSolutions-COG4', reason });
    }
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG2',
      reason:
        'The body must reach the Lambda byte for byte for the signature check, which comes first and answers 401 to anything unsigned; ' +
        'the form body is then parsed strictly (zod) in the Lambda. A gateway validator would answer unsigned junk with 400 before that check.',
    });
    Validations.of(this.api.deploymentStage).acknowledge({
      id: 'AwsSolutions-APIG6',
      reason:
        'Access logs record every request (status, latency, caller); execution logging needs the account-wide API Gateway CloudWatch role, ' +
        'an account setting this stack does not take over. The endpoint Lambda logs each decision (refusals with the user id).',
    });
    Validations.of(this.api.deploymentStage).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason:
        'Two POST routes whose every request must carry a valid Slack signature (checked before any work, no AWS call on failure) and a stage ' +
        'throttle; a WAF web ACL can be associated by the account (e.g. Firewall Manager) without changing this stack.',
    });
  }
}
