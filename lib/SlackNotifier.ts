import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { RELEASE_PHASE_EVENT } from '../lambdas/domain/releasePhaseEvent.ts';
import { slackParameterNames } from '../lambdas/domain/slackParameterNames.ts';
import { CutoverFunction } from './CutoverFunction.ts';
import { DeadLetteredEventRule } from './DeadLetteredEventRule.ts';

/** Properties of {@link SlackNotifier}. */
export interface SlackNotifierProps {
  /** The cutover environment: scopes the SSM parameters read. */
  readonly environment: string;
  /** The release table: where each release's Slack message is remembered (`SLACK#<env>#<releaseId>`). */
  readonly table: dynamodb.ITable;
}

/**
 * Release notifications: an EventBridge rule on `source: cutover`, `detail-type: Release Phase Changed` (from this
 * environment) invokes the notifier, which posts and updates one Slack message per release with the bot token. An
 * event that could not be delivered, or that the notifier failed on, lands in the dead-letter queue.
 */
export class SlackNotifier extends Construct {
  /** The rule on phase changes. */
  public readonly rule: events.Rule;
  /** Phase changes the notifier could not be invoked for, or failed on. */
  public readonly deadLetterQueue: sqs.Queue;
  /** The notifier function. */
  public readonly notifier: CutoverFunction;

  constructor(scope: Construct, id: string, props: SlackNotifierProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const names = slackParameterNames(props.environment);
    this.notifier = new CutoverFunction(this, 'Notifier', {
      entry: 'lambdas/handlers/slackNotifier.ts',
      purpose: `${props.environment}: Slack release notifications`,
      environment: { TABLE_NAME: props.table.tableName, CUTOVER_ENVIRONMENT: props.environment },
      timeout: Duration.seconds(15),
      statements: [
        {
          statement: new iam.PolicyStatement({
            actions: ['ssm:GetParameter'],
            resources: [
              stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: names.botToken.replace(/^\//, ''), arnFormat: ArnFormat.SLASH_RESOURCE_NAME }),
              stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: `cutover/${props.environment}/services/*`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME }),
            ],
          }),
          wildcardReason: `The notifier reads the slack.channel of the released service, one parameter per service under /cutover/${props.environment}/services/; the pattern is that path of this environment only.`,
        },
      ],
    });
    props.table.grantReadWriteData(this.notifier.role);
    const delivery = new DeadLetteredEventRule(this, 'Delivery', {
      description: `cutover ${props.environment}: a release changed phase; tell its Slack channel`,
      eventPattern: { source: [RELEASE_PHASE_EVENT.source], detailType: [RELEASE_PHASE_EVENT.detailType], detail: { environment: [props.environment] } },
      handler: this.notifier.function,
      retryAttempts: 2,
      maxEventAge: Duration.minutes(15),
      // The notifier never throws on a Slack error; a retry of another failure would only repeat a message.
      handlerRetryAttempts: 0,
    });
    this.rule = delivery.rule;
    this.deadLetterQueue = delivery.deadLetterQueue;
  }
}
