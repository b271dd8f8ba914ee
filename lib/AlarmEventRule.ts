import type { Construct } from 'constructs';
import { DeadLetteredEventRule, type DeadLetteredEventRuleOptions } from './DeadLetteredEventRule.ts';

/** Sends every CloudWatch alarm's transition into ALARM to onAlarm, which fails the bakes watching that alarm. */
export class AlarmEventRule extends DeadLetteredEventRule {
  constructor(scope: Construct, id: string, props: DeadLetteredEventRuleOptions) {
    super(scope, id, {
      ...props,
      description: 'cutover: a CloudWatch alarm entered ALARM; fail the bakes watching it',
      eventPattern: { source: ['aws.cloudwatch'], detailType: ['CloudWatch Alarm State Change'], detail: { state: { value: ['ALARM'] } } },
    });
  }
}
