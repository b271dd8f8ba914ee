import { Duration, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** The delivery settings every event rule of cutover shares. */
export interface DeadLetteredEventRuleOptions {
  /** The function the rule invokes. */
  readonly handler: lambda.IFunction;
  /** How often EventBridge retries a failed invocation before dead-lettering the event. @default 8 */
  readonly retryAttempts?: number;
  /** How long EventBridge, and then Lambda, keep retrying an event. @default Duration.hours(1) */
  readonly maxEventAge?: Duration;
  /** How often Lambda retries the handler when it fails on an event (asynchronous invocation). @default 2 */
  readonly handlerRetryAttempts?: number;
  /** How long an undelivered event stays in the dead-letter queue. @default Duration.days(14) */
  readonly deadLetterRetention?: Duration;
}

/** Properties of {@link DeadLetteredEventRule}. */
export interface DeadLetteredEventRuleProps extends DeadLetteredEventRuleOptions {
  /** What the rule is for (the rule's description). */
  readonly description: string;
  /** The events it matches. */
  readonly eventPattern: events.EventPattern;
}

/**
 * An EventBridge rule that invokes a Lambda function with retries and an encrypted, TLS-only dead-letter queue. The
 * queue receives both the events EventBridge could not deliver and the events the function still failed on after
 * Lambda's own asynchronous retries (EventBridge's retries cover only invoking it), so no trigger is lost silently.
 */
export class DeadLetteredEventRule extends Construct {
  /** The EventBridge rule. */
  public readonly rule: events.Rule;
  /** Events the handler could not be invoked for, or failed on. */
  public readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: DeadLetteredEventRuleProps) {
    super(scope, id);
    const maxEventAge = props.maxEventAge ?? Duration.hours(1);
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: props.deadLetterRetention ?? Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: "This queue is itself the dead-letter queue of the rule's target and of the handler's failed invocations; cdk-nag only recognises queues named in another queue's redrive policy.",
    });
    this.rule = new events.Rule(this, 'Rule', { description: props.description, eventPattern: props.eventPattern });
    this.rule.addTarget(
      new targets.LambdaFunction(props.handler, {
        retryAttempts: props.retryAttempts ?? 8,
        maxEventAge,
        deadLetterQueue: this.deadLetterQueue,
      }),
    );
    props.handler.configureAsyncInvoke({
      retryAttempts: props.handlerRetryAttempts ?? 2,
      maxEventAge,
      onFailure: new destinations.SqsDestination(this.deadLetterQueue),
    });
  }
}
