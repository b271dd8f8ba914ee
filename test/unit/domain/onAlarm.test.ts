import { describe, expect, it } from 'vitest';
import { onAlarm } from '../../../lambdas/domain/onAlarm.ts';
import type { BakeTokenRecord } from '../../../lambdas/domain/ports.ts';
import { CallLog, FakeExecutions, InMemoryReleaseStore } from '../../support/fakePorts.ts';

const NOW = new Date('2025-01-01T00:06:00.000Z');

function alarmEvent(value: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: '0',
    'detail-type': 'CloudWatch Alarm State Change',
    source: 'aws.cloudwatch',
    time: '2025-01-01T00:05:30Z',
    detail: {
      alarmName: 'web-5xx',
      state: { value, reason: 'Threshold Crossed: 5 > 1', timestamp: '2025-01-01T00:05:29.000+0000' },
      previousState: { value: 'OK' },
    },
    ...overrides,
  };
}

function token(releaseId: string, taskToken: string): BakeTokenRecord {
  return {
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
  };
}

describe('Function: onAlarm', () => {
  it('fails every registered bake with AlarmFired and deletes each registration', async () => {
    // Prepare
    const log = new CallLog();
    const store = new InMemoryReleaseStore(log);
    await store.registerBake(token('rel-1', 'token-1'), ['web-5xx'], 60);
    await store.registerBake(token('rel-2', 'token-2'), ['web-5xx'], 60);
    log.calls.length = 0;

    // Act
    const result = await onAlarm(alarmEvent('ALARM'), { store, executions: new FakeExecutions(log) }, NOW);

    // Assess
    expect(result).toEqual({ alarmName: 'web-5xx', failed: 2, alreadyDone: 0 });
    const cause = JSON.stringify({
      errorType: 'AlarmFired',
      errorMessage: 'alarm web-5xx went to ALARM at 2025-01-01T00:05:29.000Z: Threshold Crossed: 5 > 1',
      signalledAt: '2025-01-01T00:05:29.000Z',
    });
    expect(log.calls).toEqual([
      { name: 'store.bakesForAlarm', args: ['web-5xx'] },
      { name: 'executions.sendTaskFailure', args: ['token-1', 'AlarmFired', cause] },
      { name: 'store.deleteAlarmRegistration', args: ['web-5xx', 'TOKEN#rel-1#0'] },
      { name: 'executions.sendTaskFailure', args: ['token-2', 'AlarmFired', cause] },
      { name: 'store.deleteAlarmRegistration', args: ['web-5xx', 'TOKEN#rel-2#0'] },
    ]);
    expect(await store.bakesForAlarm('web-5xx')).toEqual([]);
  });

  it('counts and deletes a registration whose task no longer waits', async () => {
    // Prepare
    const store = new InMemoryReleaseStore();
    await store.registerBake(token('rel-1', 'token-1'), ['web-5xx'], 60);
    const executions = new FakeExecutions();
    executions.goneTokens.add('token-1');

    // Act
    const result = await onAlarm(alarmEvent('ALARM'), { store, executions }, NOW);

    // Assess
    expect(result).toEqual({ alarmName: 'web-5xx', failed: 0, alreadyDone: 1 });
    expect(await store.bakesForAlarm('web-5xx')).toEqual([]);
  });

  it('ignores a state other than ALARM', async () => {
    // Prepare
    const log = new CallLog();
    const store = new InMemoryReleaseStore(log);
    await store.registerBake(token('rel-1', 'token-1'), ['web-5xx'], 60);
    log.calls.length = 0;

    // Act
    const result = await onAlarm(alarmEvent('OK'), { store, executions: new FakeExecutions(log) }, NOW);

    // Assess
    expect(result).toEqual({ alarmName: 'web-5xx', failed: 0, alreadyDone: 0 });
    expect(log.calls).toEqual([]);
  });

  it('uses the event time when the state has no timestamp', async () => {
    // Prepare
    const log = new CallLog();
    const store = new InMemoryReleaseStore();
    await store.registerBake(token('rel-1', 'token-1'), ['web-5xx'], 60);
    const event = alarmEvent('ALARM', { detail: { alarmName: 'web-5xx', state: { value: 'ALARM' } } });

    // Act
    await onAlarm(event, { store, executions: new FakeExecutions(log) }, NOW);

    // Assess
    expect(JSON.parse(String(log.argsOf('executions.sendTaskFailure')[0]?.[2]))).toEqual({
      errorType: 'AlarmFired',
      errorMessage: 'alarm web-5xx went to ALARM at 2025-01-01T00:05:30.000Z: no reason given',
      signalledAt: '2025-01-01T00:05:30.000Z',
    });
  });

  it.each([
    ['another detail type', alarmEvent('ALARM', { 'detail-type': 'EC2 Instance State-change Notification' }), 'detail-type'],
    ['no alarm name', alarmEvent('ALARM', { detail: { state: { value: 'ALARM' } } }), 'detail.alarmName'],
    ['no state value', alarmEvent('ALARM', { detail: { alarmName: 'web-5xx', state: {} } }), 'detail.state.value'],
    ['not an object', 'ALARM', '(root)'],
  ])('throws InvalidAlarmEvent for %s', async (_case, event, field) => {
    // Act & Assess
    await expect(onAlarm(event, { store: new InMemoryReleaseStore(), executions: new FakeExecutions() }, NOW)).rejects.toMatchObject({
      name: 'InvalidAlarmEvent',
      message: expect.stringContaining(field),
    });
  });
});
