import { Duration, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { MIGRATION_STARTED_BY_PREFIX } from '../lambdas/domain/migrationStartedBy.ts';

/** Properties of {@link TaskStoppedEventRule}. */
export interface TaskStoppedEventRuleProps {
  /** The function that answers the migration's task token. */
  readonly handler: lambda.IFunction;
  /**
   * ARN patterns (`*` allowed) of the clusters whose migration tasks are watched.
   * @default any cluster (the `startedBy` prefix alone selects cutover's tasks)
   */
  readonly clusterArnPatterns?: readonly string[];
  /** How often EventBridge retries a failed invocation before dead-lettering the event. @default 8 */
  readonly retryAttempts?: number;
  /** How long EventBridge keeps retrying an event. @default Duration.hours(1) */
  readonly maxEventAge?: Duration;
  /** How often Lambda retries the handler when it fails on an event (asynchronous invocation). @default 2 */
  readonly handlerRetryAttempts?: number;
  /** How long an undelivered event stays in the dead-letter queue. @default Duration.days(14) */
  readonly deadLetterRetention?: Duration;
}

/**
 * Sends the `ECS Task State Change` events of stopped migration tasks (started by cutover with the `startedBy`
 * prefix, in the managed clusters) to onTaskStopped, with retries and an encrypted, TLS-only dead-letter queue: a
 * migration's result is never lost silently (and the migration's timeout still ends the wait).
 */
export class TaskStoppedEventRule extends Construct {
  /** The EventBridge rule. */
  public readonly rule: events.Rule;
  /** Events the handler could not be invoked for, or failed on. */
  public readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: TaskStoppedEventRuleProps) {
    super(scope, id);
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: props.deadLetterRetention ?? Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: "This queue is itself the dead-letter queue of the task-stopped rule target; cdk-nag only recognises queues named in another queue's redrive policy.",
    });

    const clusters = (props.clusterArnPatterns ?? []).filter((pattern) => pattern !== '*');
    this.rule = new events.Rule(this, 'Rule', {
      description: 'cutover: a migration task stopped; answer the migration gate',
      eventPattern: {
        source: ['aws.ecs'],
        detailType: ['ECS Task State Change'],
        detail: {
          lastStatus: ['STOPPED'],
          startedBy: events.Match.prefix(MIGRATION_STARTED_BY_PREFIX),
          ...(clusters.length === 0 ? {} : { clusterArn: events.Match.anyOf(...clusters.map((pattern) => events.Match.wildcard(pattern))) }),
        },
      },
    });
    this.rule.addTarget(
      new targets.LambdaFunction(props.handler, {
        retryAttempts: props.retryAttempts ?? 8,
        maxEventAge: props.maxEventAge ?? Duration.hours(1),
        deadLetterQueue: this.deadLetterQueue,
      }),
    );
    props.handler.configureAsyncInvoke({
      retryAttempts: props.handlerRetryAttempts ?? 2,
      maxEventAge: props.maxEventAge ?? Duration.hours(1),
      onFailure: new destinations.SqsDestination(this.deadLetterQueue),
    });
  }
}
