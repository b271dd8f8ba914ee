import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';

/** Properties of {@link ExampleServiceAlarms}. */
export interface ExampleServiceAlarmsProps {
  readonly blueTargetGroup: elbv2.ApplicationTargetGroup;
  readonly greenTargetGroup: elbv2.ApplicationTargetGroup;
  readonly errorRateAlarmName: string;
  readonly latencyAlarmName: string;
  /** Percent of requests answered 5xx by the targets that raises the alarm. @default 1 */
  readonly errorRatePercent?: number;
  /** p99 target response time that raises the alarm. @default Duration.seconds(1) */
  readonly p99Latency?: Duration;
}

/**
 * The alarms cutover watches during every bake, over both colours' target groups (whichever is new, the alarm sees
 * it): the 5xx rate of the targets and the worse colour's p99 response time, each over two of two one-minute periods.
 * No data (no traffic yet) is not breaching.
 */
export class ExampleServiceAlarms extends Construct {
  public readonly errorRate: cloudwatch.Alarm;
  public readonly latency: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: ExampleServiceAlarmsProps) {
    super(scope, id);
    const period = Duration.minutes(1);
    const { blueTargetGroup: blue, greenTargetGroup: green } = props;
    const errors = (group: elbv2.ApplicationTargetGroup): cloudwatch.IMetric => group.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period, statistic: 'Sum' });
    const requests = (group: elbv2.ApplicationTargetGroup): cloudwatch.IMetric => group.metrics.requestCount({ period, statistic: 'Sum' });
    this.errorRate = new cloudwatch.MathExpression({
      expression: '100 * (FILL(errorsBlue, 0) + FILL(errorsGreen, 0)) / (FILL(requestsBlue, 0) + FILL(requestsGreen, 0))',
      usingMetrics: { errorsBlue: errors(blue), errorsGreen: errors(green), requestsBlue: requests(blue), requestsGreen: requests(green) },
      label: '5xx rate of the targets (%)',
      period,
    }).createAlarm(this, 'ErrorRate', {
      alarmName: props.errorRateAlarmName,
      alarmDescription: 'cutover rolls a release back when more than the threshold of requests fail with 5xx',
      threshold: props.errorRatePercent ?? 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const p99 = (group: elbv2.ApplicationTargetGroup): cloudwatch.IMetric => group.metrics.targetResponseTime({ period, statistic: 'p99' });
    this.latency = new cloudwatch.MathExpression({
      expression: 'MAX([FILL(latencyBlue, 0), FILL(latencyGreen, 0)])',
      usingMetrics: { latencyBlue: p99(blue), latencyGreen: p99(green) },
      label: 'p99 target response time, worse colour (s)',
      period,
    }).createAlarm(this, 'Latency', {
      alarmName: props.latencyAlarmName,
      alarmDescription: 'cutover rolls a release back when either colour answers slower than the threshold at p99',
      threshold: (props.p99Latency ?? Duration.seconds(1)).toMilliseconds() / 1000,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
