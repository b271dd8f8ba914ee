import { Aws, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { RELEASE_SUCCEEDED_EVENT } from '../lambdas/domain/releaseSucceededEvent.ts';
import type { PromotionPeer } from './cutoverConfig.ts';

/** Properties of {@link PromotionBus}. */
export interface PromotionBusProps {
  /** The bus's fixed name (`cutover-<environment>-promotions`): the source environments address it by ARN. */
  readonly eventBusName: string;
  /** The environments that promote into this one; each may put only `Release Succeeded` events from `cutover`. */
  readonly sources: readonly PromotionPeer[];
  /** The function that starts a release of the promoted digest. */
  readonly handler: lambda.IFunction;
  /** How long an undelivered event stays in the dead-letter queue. @default Duration.days(14) */
  readonly deadLetterRetention?: Duration;
}

/**
 * The receiving end of promotion: an event bus on which only the source environments' accounts may put events, and
 * only `Release Succeeded` events of source `cutover` (one resource-policy statement per source account), and a rule
 * that sends those of the source environments to onPromotion, with retries and a dead-letter queue.
 */
export class PromotionBus extends Construct {
  /** The bus. */
  public readonly eventBus: events.EventBus;
  /** Events the handler could not be invoked for, or failed on. */
  public readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: PromotionBusProps) {
    super(scope, id);
    this.eventBus = new events.EventBus(this, 'Bus', { eventBusName: props.eventBusName, description: 'cutover: successful releases of the previous environment' });
    const accounts = [...new Set(props.sources.map((source) => source.account ?? Aws.ACCOUNT_ID))];
    for (const [index, account] of accounts.entries()) {
      new events.CfnEventBusPolicy(this, `AllowSource${index}`, {
        eventBusName: this.eventBus.eventBusName,
        statementId: `cutover-promotion-from-source-${index}`,
        statement: {
          Sid: `cutover-promotion-from-source-${index}`,
          Effect: 'Allow',
          Principal: { AWS: `arn:${Aws.PARTITION}:iam::${account}:root` },
          Action: 'events:PutEvents',
          Resource: this.eventBus.eventBusArn,
          Condition: {
            StringEquals: { 'events:source': RELEASE_SUCCEEDED_EVENT.source, 'events:detail-type': RELEASE_SUCCEEDED_EVENT.detailType },
          },
        },
      });
    }

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: props.deadLetterRetention ?? Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: "This queue is itself the dead-letter queue of the promotion rule target and of onPromotion's failed invocations; cdk-nag only recognises queues named in another queue's redrive policy.",
    });
    const rule = new events.Rule(this, 'Rule', {
      eventBus: this.eventBus,
      description: `cutover ${Stack.of(this).stackName}: a release succeeded in the previous environment; release the same digest here`,
      eventPattern: {
        source: [RELEASE_SUCCEEDED_EVENT.source],
        detailType: [RELEASE_SUCCEEDED_EVENT.detailType],
        detail: { environment: props.sources.map((source) => source.environment) },
      },
    });
    rule.addTarget(new targets.LambdaFunction(props.handler, { retryAttempts: 8, maxEventAge: Duration.hours(1), deadLetterQueue: this.deadLetterQueue }));
    new lambda.EventInvokeConfig(this, 'InvokeConfig', {
      function: props.handler,
      retryAttempts: 2,
      onFailure: new destinations.SqsDestination(this.deadLetterQueue),
    });
  }
}
