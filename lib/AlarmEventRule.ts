import { Duration, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Properties of {@link AlarmEventRule}. */
export interface AlarmEventRuleProps {
  /** The function that fails the bake task tokens registered under the alarm. */
  readonly handler: lambda.IFunction;
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
 * Sends every CloudWatch alarm's transition into ALARM to the onAlarm handler, with retries and an encrypted,
 * TLS-only dead-letter queue: an event EventBridge could not deliver, and an event the handler still failed on after
 * Lambda's own retries, both end there, so no alarm is lost silently.
 */
export class AlarmEventRule extends Construct {
  /** The EventBridge rule. */
  public readonly rule: events.Rule;
  /** Events the handler could not be invoked for. */
  public readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: AlarmEventRuleProps) {
    super(scope, id);
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: props.deadLetterRetention ?? Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the alarm rule target; cdk-nag only recognises queues named in another queue\'s redrive policy.',
    });

    this.rule = new events.Rule(this, 'Rule', {
      description: 'cutover: a CloudWatch alarm entered ALARM; fail the bakes watching it',
      eventPattern: {
        source: ['aws.cloudwatch'],
        detailType: ['CloudWatch Alarm State Change'],
        detail: { state: { value: ['ALARM'] } },
      },
    });
    this.rule.addTarget(
      new targets.LambdaFunction(props.handler, {
        retryAttempts: props.retryAttempts ?? 8,
        maxEventAge: props.maxEventAge ?? Duration.hours(1),
        deadLetterQueue: this.deadLetterQueue,
      }),
    );
    // EventBridge's retries cover only invoking the function; a handler that throws is retried by Lambda instead.
    props.handler.configureAsyncInvoke({
      retryAttempts: props.handlerRetryAttempts ?? 2,
      maxEventAge: props.maxEventAge ?? Duration.hours(1),
      onFailure: new destinations.SqsDestination(this.deadLetterQueue),
    });
  }
}
