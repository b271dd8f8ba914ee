import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { RELEASE_SUCCEEDED_EVENT } from '../lambdas/domain/releaseSucceededEvent.ts';
import { cutoverResourceNames, type PromotionPeer } from './cutoverConfig.ts';

/** Properties of {@link PromotionForwarding}. */
export interface PromotionForwardingProps {
  /** This environment: only its own `Release Succeeded` events are forwarded. */
  readonly environment: string;
  /** The next environment, whose promotion bus receives them (its account and region, or this stack's). */
  readonly target: PromotionPeer;
  /** How long an undelivered event stays in the dead-letter queue. @default Duration.days(14) */
  readonly deadLetterRetention?: Duration;
}

/**
 * The sending end of promotion: a rule on the default bus that forwards this environment's `Release Succeeded` events
 * to the next environment's promotion bus, with a role that may put events on that one bus only, and a dead-letter queue.
 */
export class PromotionForwarding extends Construct {
  /** The rule on the default bus. */
  public readonly rule: events.Rule;
  /** The ARN of the next environment's promotion bus. */
  public readonly targetBusArn: string;
  /** Events that could not be delivered. */
  public readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: PromotionForwardingProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.targetBusArn = stack.formatArn({
      service: 'events',
      account: props.target.account ?? stack.account,
      region: props.target.region ?? stack.region,
      resource: 'event-bus',
      resourceName: cutoverResourceNames(props.target.environment).promotionBusName,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: props.deadLetterRetention ?? Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the promotion forwarding rule target; cdk-nag only recognises queues named in another queue\'s redrive policy.',
    });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
      description: `cutover ${props.environment}: forward Release Succeeded to ${props.target.environment}`,
    });
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [this.targetBusArn] }));
    this.rule = new events.Rule(this, 'Rule', {
      description: `cutover ${props.environment}: promote successful releases to ${props.target.environment} (same digest)`,
      eventPattern: {
        source: [RELEASE_SUCCEEDED_EVENT.source],
        detailType: [RELEASE_SUCCEEDED_EVENT.detailType],
        detail: { environment: [props.environment] },
      },
    });
    this.rule.addTarget(
      new targets.EventBus(events.EventBus.fromEventBusArn(this, 'TargetBus', this.targetBusArn), { role, deadLetterQueue: this.deadLetterQueue }),
    );
  }
}
