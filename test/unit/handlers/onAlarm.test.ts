import { DeleteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { SFNClient, SendTaskFailureCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { lambdaContextFixture } from '../../support/lambdaContextFixture.ts';

process.env.TABLE_NAME = 'cutover-table';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
const { handler } = await import('../../../lambdas/handlers/onAlarm.ts');

const alarmEvent = {
  version: '0',
  id: 'c4c1c1c9-6542-e61b-6ef0-8c4d36933a92',
  'detail-type': 'CloudWatch Alarm State Change',
  source: 'aws.cloudwatch',
  account: '123456789012',
  time: '2025-01-01T00:05:30Z',
  region: 'eu-west-1',
  resources: ['arn:aws:cloudwatch:eu-west-1:123456789012:alarm:web-5xx'],
  detail: {
    alarmName: 'web-5xx',
    state: { value: 'ALARM', reason: 'Threshold Crossed', timestamp: '2025-01-01T00:05:29.000+0000' },
    previousState: { value: 'OK', reason: 'ok', timestamp: '2025-01-01T00:00:00.000+0000' },
    configuration: { metrics: [] },
  },
};

function registration(releaseId: string, taskToken: string): Record<string, unknown> {
  return {
    pk: 'ALARM#web-5xx',
    sk: `TOKEN#${releaseId}#0`,
    service: 'web',
    environment: 'prod',
    releaseId,
    executionArn: `arn:aws:states:eu-west-1:123456789012:execution:cutover-release:${releaseId}`,
    stepIndex: 0,
    weight: 10,
    manual: false,
    taskToken,
    startedAt: '2025-01-01T00:00:00.000Z',
    endsAt: '2025-01-01T00:10:00.000Z',
    alarmName: 'web-5xx',
    expiresAt: 1735693800,
  };
}

describe('Function: handler (onAlarm)', () => {
  const ddb = mockClient(DynamoDBDocumentClient);
  const sfn = mockClient(SFNClient);

  afterEach(() => {
    ddb.reset();
    sfn.reset();
  });

  it('fails each registered token with AlarmFired and deletes each registration', async () => {
    // Prepare
    ddb.on(QueryCommand).resolves({ Items: [registration('rel-1', 'token-1'), registration('rel-2', 'token-2')] });
    ddb.on(DeleteCommand).resolves({});
    sfn.on(SendTaskFailureCommand, { taskToken: 'token-1' }).resolves({});
    sfn.on(SendTaskFailureCommand, { taskToken: 'token-2' }).rejects(Object.assign(new Error('gone'), { name: 'TaskDoesNotExist' }));

    // Act
    const result = await handler(alarmEvent, lambdaContextFixture());

    // Assess
    expect(result).toEqual({ alarmName: 'web-5xx', failed: 1, alreadyDone: 1 });
    for (const taskToken of ['token-1', 'token-2']) {
      expect(sfn).toHaveReceivedCommandWith(SendTaskFailureCommand, {
        taskToken,
        error: 'AlarmFired',
        cause: JSON.stringify({
          errorType: 'AlarmFired',
          errorMessage: 'alarm web-5xx went to ALARM at 2025-01-01T00:05:29.000Z: Threshold Crossed',
          signalledAt: '2025-01-01T00:05:29.000Z',
        }),
      });
    }
    expect(ddb).toHaveReceivedCommandWith(DeleteCommand, { TableName: 'cutover-table', Key: { pk: 'ALARM#web-5xx', sk: 'TOKEN#rel-1#0' } });
    expect(ddb).toHaveReceivedCommandWith(DeleteCommand, { TableName: 'cutover-table', Key: { pk: 'ALARM#web-5xx', sk: 'TOKEN#rel-2#0' } });
  });

  it('rejects an event that is not an alarm state change with InvalidAlarmEvent', async () => {
    // Act & Assess
    await expect(handler({ 'detail-type': 'Scheduled Event', detail: {} }, lambdaContextFixture())).rejects.toMatchObject({ name: 'InvalidAlarmEvent' });
    expect(ddb).not.toHaveReceivedAnyCommand();
    expect(sfn).not.toHaveReceivedAnyCommand();
  });
});
