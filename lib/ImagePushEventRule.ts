import { Duration, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Properties of {@link ImagePushEventRule}. */
export interface ImagePushEventRuleProps {
  /** The function that starts the releases a push triggers. */
  readonly handler: lambda.IFunction;
  /** How often EventBridge retries a failed delivery before dead-lettering the event. @default 8 */
  readonly retryAttempts?: number;
  /** How long EventBridge keeps retrying an event. @default Duration.hours(1) */
  readonly maxEventAge?: Duration;
  /** How often Lambda retries an invocation that failed (e.g. SSM or Step Functions throttled) before dead-lettering it. @default 2 */
  readonly invokeRetryAttempts?: number;
  /** How long an undelivered event stays in the dead-letter queue. @default Duration.days(14) */
  readonly deadLetterRetention?: Duration;
}

/**
 * Sends every successful ECR image push to the onImagePushed handler, with retries and an encrypted, TLS-only
 * dead-letter queue. The queue also receives the invocations that failed after Lambda's own retries, so that no push
 * is lost silently: a handled push is idempotent, so an event from the queue can be sent again.
 */
export class ImagePushEventRule extends Construct {
  /** The EventBridge rule. */
  public readonly rule: events.Rule;
  /** Events the handler could not be invoked for, or failed on. */
  public readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: ImagePushEventRuleProps) {
    super(scope, id);
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: props.deadLetterRetention ?? Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: "This queue is itself the dead-letter queue of the image push rule target and of the handler's failed invocations; cdk-nag only recognises queues named in another queue's redrive policy.",
    });

    this.rule = new events.Rule(this, 'Rule', {
      description: 'cutover: an image was pushed to ECR; release the services whose triggers match',
      eventPattern: {
        source: ['aws.ecr'],
        detailType: ['ECR Image Action'],
        detail: { 'action-type': ['PUSH'], result: ['SUCCESS'] },
      },
    });
    this.rule.addTarget(
      new targets.LambdaFunction(props.handler, {
        retryAttempts: props.retryAttempts ?? 8,
        maxEventAge: props.maxEventAge ?? Duration.hours(1),
        deadLetterQueue: this.deadLetterQueue,
      }),
    );
    new lambda.EventInvokeConfig(this, 'InvokeConfig', {
      function: props.handler,
      retryAttempts: props.invokeRetryAttempts ?? 2,
      onFailure: new destinations.SqsDestination(this.deadLetterQueue),
    });
  }
}
