import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { lambdaContextFixture } from '../../support/lambdaContextFixture.ts';
import { releaseStateFixture } from '../../support/releaseStateFixture.ts';

process.env.TABLE_NAME = 'cutover-table';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
const { handler } = await import('../../../lambdas/handlers/bake.ts');

describe('Function: handler (bake)', () => {
  const cloudWatch = mockClient(CloudWatchClient);
  const ddb = mockClient(DynamoDBDocumentClient);

  afterEach(() => {
    cloudWatch.reset();
    ddb.reset();
  });

  it('throws AlarmFired when an alarm is in ALARM, after writing the registrations', async () => {
    // Prepare
    const order: string[] = [];
    ddb.on(TransactWriteCommand).callsFake(() => {
      order.push('TransactWrite');
      return {};
    });
    cloudWatch.on(DescribeAlarmsCommand).callsFake(() => {
      order.push('DescribeAlarms');
      return {
        MetricAlarms: [
          { AlarmName: 'web-5xx', StateValue: 'ALARM', StateReason: 'Threshold Crossed' },
          { AlarmName: 'web-latency', StateValue: 'OK' },
        ],
      };
    });

    // Act & Assess
    await expect(handler({ taskToken: 'token-abc', timeoutSeconds: 300, state: releaseStateFixture() }, lambdaContextFixture())).rejects.toMatchObject({
      name: 'AlarmFired',
      message: 'alarm web-5xx is in ALARM: Threshold Crossed',
    });
    expect(order).toEqual(['TransactWrite', 'DescribeAlarms']);
    const keys = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems?.map((item) => `${item.Put?.Item?.pk} ${item.Put?.Item?.sk}`);
    expect(keys).toEqual(['BAKE#prod#web CURRENT', 'ALARM#web-5xx TOKEN#rel-1#0', 'ALARM#web-latency TOKEN#rel-1#0']);
  });

  it('checks the alarms only when there is no task token', async () => {
    // Prepare
    cloudWatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: 'web-5xx', StateValue: 'OK' }] });

    // Act
    const result = await handler({ state: releaseStateFixture() }, lambdaContextFixture());

    // Assess
    expect(result.alarms).toEqual([{ alarmName: 'web-5xx', stateValue: 'OK' }]);
    expect(ddb).not.toHaveReceivedAnyCommand();
  });
});
