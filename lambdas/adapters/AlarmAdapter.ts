import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import type { AlarmPort, AlarmStateView } from '../domain/ports.ts';

/** DescribeAlarms takes at most 100 alarm names and returns at most 100 records per page. */
const MAX_ALARMS_PER_CALL = 100;

/** {@link AlarmPort} over the CloudWatch SDK client: metric and composite alarms alike. */
export class AlarmAdapter implements AlarmPort {
  private readonly client: CloudWatchClient;

  constructor(client?: CloudWatchClient) {
    this.client = client ?? new CloudWatchClient({});
  }

  /** @inheritdoc */
  async describeAlarms(alarmNames: readonly string[]): Promise<readonly AlarmStateView[]> {
    const names = [...new Set(alarmNames)];
    const alarms: AlarmStateView[] = [];
    for (let start = 0; start < names.length; start += MAX_ALARMS_PER_CALL) {
      const batch = names.slice(start, start + MAX_ALARMS_PER_CALL);
      let nextToken: string | undefined;
      do {
        const output = await this.client.send(
          new DescribeAlarmsCommand({
            AlarmNames: batch,
            AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
            MaxRecords: MAX_ALARMS_PER_CALL,
            ...(nextToken === undefined ? {} : { NextToken: nextToken }),
          }),
        );
        for (const alarm of [...(output.MetricAlarms ?? []), ...(output.CompositeAlarms ?? [])]) {
          if (alarm.AlarmName === undefined) continue;
          alarms.push({
            alarmName: alarm.AlarmName,
            stateValue: alarm.StateValue ?? 'INSUFFICIENT_DATA',
            ...(alarm.StateReason === undefined ? {} : { stateReason: alarm.StateReason }),
          });
        }
        nextToken = output.NextToken;
      } while (nextToken !== undefined);
    }
    return alarms;
  }
}
