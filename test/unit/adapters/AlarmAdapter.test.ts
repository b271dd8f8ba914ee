import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { AlarmAdapter } from '../../../lambdas/adapters/AlarmAdapter.ts';

describe('Class: AlarmAdapter', () => {
  const cloudWatch = mockClient(CloudWatchClient);
  const adapter = new AlarmAdapter(new CloudWatchClient({}));

  afterEach(() => {
    cloudWatch.reset();
  });

  describe('Method: describeAlarms', () => {
    it('returns metric and composite alarms with their state', async () => {
      // Prepare
      cloudWatch.on(DescribeAlarmsCommand).resolves({
        MetricAlarms: [{ AlarmName: 'orders-5xx', StateValue: 'OK', StateReason: 'fine' }],
        CompositeAlarms: [{ AlarmName: 'orders-health', StateValue: 'ALARM' }],
      });

      // Act
      const alarms = await adapter.describeAlarms(['orders-5xx', 'orders-health', 'orders-missing']);

      // Assess
      expect(alarms).toEqual([
        { alarmName: 'orders-5xx', stateValue: 'OK', stateReason: 'fine' },
        { alarmName: 'orders-health', stateValue: 'ALARM' },
      ]);
      expect(cloudWatch).toHaveReceivedCommandWith(DescribeAlarmsCommand, {
        AlarmNames: ['orders-5xx', 'orders-health', 'orders-missing'],
        AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
      });
    });

    it('asks for at most 100 names per call', async () => {
      // Prepare
      cloudWatch.on(DescribeAlarmsCommand).resolves({});
      const names = Array.from({ length: 150 }, (_, index) => `alarm-${index}`);

      // Act
      await adapter.describeAlarms(names);

      // Assess
      const batches = cloudWatch.commandCalls(DescribeAlarmsCommand).map((call) => call.args[0].input.AlarmNames?.length);
      expect(batches).toEqual([100, 50]);
    });

    it('follows NextToken', async () => {
      // Prepare
      cloudWatch
        .on(DescribeAlarmsCommand)
        .resolvesOnce({ MetricAlarms: [{ AlarmName: 'a', StateValue: 'OK' }], NextToken: 'page-2' })
        .resolvesOnce({ MetricAlarms: [{ AlarmName: 'b', StateValue: 'ALARM' }] });

      // Act
      const alarms = await adapter.describeAlarms(['a', 'b']);

      // Assess
      expect(alarms.map((alarm) => alarm.alarmName)).toEqual(['a', 'b']);
      expect(cloudWatch).toHaveReceivedNthCommandWith(DescribeAlarmsCommand, 2, { NextToken: 'page-2' });
    });
  });
});
