import { describe, expect, it } from 'vitest';
import { BAKE_RECORD_TTL_SECONDS, bake } from '../../../lambdas/domain/bake.ts';
import { CallLog, FakeAlarms, InMemoryReleaseStore } from '../../support/fakePorts.ts';
import { releaseContextFixture, releaseStateFixture } from '../../support/releaseStateFixture.ts';

const NOW = new Date('2025-01-01T00:05:00.000Z');

describe('Function: bake', () => {
  it('registers the token under every alarm and as the current bake before checking the alarms', async () => {
    // Prepare
    const log = new CallLog();
    const store = new InMemoryReleaseStore(log);
    const alarms = new FakeAlarms([{ alarmName: 'web-5xx', stateValue: 'OK' }, { alarmName: 'web-latency', stateValue: 'INSUFFICIENT_DATA' }], log);
    const state = releaseStateFixture();

    // Act
    const result = await bake({ taskToken: 'token-abc', state }, { alarms, store }, NOW);

    // Assess
    expect(log.names()).toEqual(['store.registerBake', 'alarms.describeAlarms']);
    expect(log.argsOf('store.registerBake')[0]).toEqual([
      {
        service: 'web',
        environment: 'prod',
        releaseId: 'rel-1',
        executionArn: state.release.executionArn,
        stepIndex: 0,
        weight: 10,
        manual: false,
        taskToken: 'token-abc',
        startedAt: '2025-01-01T00:05:00.000Z',
        endsAt: '2025-01-01T00:10:00.000Z',
      },
      ['web-5xx', 'web-latency'],
      BAKE_RECORD_TTL_SECONDS,
    ]);
    expect(BAKE_RECORD_TTL_SECONDS).toBe(86_400);
    expect(result).toEqual({
      checkedAt: '2025-01-01T00:05:00.000Z',
      alarms: [
        { alarmName: 'web-5xx', stateValue: 'OK' },
        { alarmName: 'web-latency', stateValue: 'INSUFFICIENT_DATA' },
      ],
    });
  });

  it('ends the bake at the manual pause limit for a manual phase', async () => {
    // Prepare
    const store = new InMemoryReleaseStore();
    const step = { index: 1, weight: 50, bakeSeconds: 0, manual: true, timeoutSeconds: 86_400, last: false, nextIndex: 2 };

    // Act
    await bake({ taskToken: 'token-abc', state: releaseStateFixture({ step }) }, { alarms: new FakeAlarms(), store }, NOW);

    // Assess
    expect(await store.getCurrentBake('prod', 'web')).toMatchObject({ stepIndex: 1, manual: true, endsAt: '2025-01-02T00:05:00.000Z' });
  });

  it('throws AlarmFired naming the alarm and its reason after registering the token', async () => {
    // Prepare
    const log = new CallLog();
    const store = new InMemoryReleaseStore(log);
    const alarms = new FakeAlarms([{ alarmName: 'web-5xx', stateValue: 'ALARM', stateReason: 'Threshold Crossed: 5 > 1' }], log);

    // Act & Assess
    await expect(bake({ taskToken: 'token-abc', state: releaseStateFixture() }, { alarms, store }, NOW)).rejects.toMatchObject({
      name: 'AlarmFired',
      message: 'alarm web-5xx is in ALARM: Threshold Crossed: 5 > 1',
    });
    expect(log.names()).toEqual(['store.registerBake', 'alarms.describeAlarms']);
    expect(await store.bakesForAlarm('web-5xx')).toHaveLength(1);
  });

  it('only checks the alarms without a token', async () => {
    // Prepare
    const log = new CallLog();
    const alarms = new FakeAlarms([{ alarmName: 'web-5xx', stateValue: 'OK' }], log);

    // Act
    const result = await bake({ state: releaseStateFixture() }, { alarms, store: new InMemoryReleaseStore(log) }, NOW);

    // Assess
    expect(log.names()).toEqual(['alarms.describeAlarms']);
    expect(result.alarms).toEqual([{ alarmName: 'web-5xx', stateValue: 'OK' }]);
  });

  it('throws AlarmFired without a token when an alarm is in ALARM', async () => {
    // Prepare
    const alarms = new FakeAlarms([{ alarmName: 'web-latency', stateValue: 'ALARM', stateReason: 'p99 high' }]);

    // Act & Assess
    await expect(bake({ state: releaseStateFixture() }, { alarms, store: new InMemoryReleaseStore() }, NOW)).rejects.toThrow(
      'alarm web-latency is in ALARM: p99 high',
    );
  });

  it('does not ask for every alarm in the account when none is watched', async () => {
    // Prepare
    const log = new CallLog();
    const state = releaseStateFixture({ release: releaseContextFixture({ alarmNames: [] }) });

    // Act
    const result = await bake({ state }, { alarms: new FakeAlarms([{ alarmName: 'other', stateValue: 'ALARM' }], log), store: new InMemoryReleaseStore(log) }, NOW);

    // Assess
    expect(log.calls).toEqual([]);
    expect(result.alarms).toEqual([]);
  });

  it('throws a ReleaseError when a token comes without an applied step', async () => {
    // Prepare
    const store = new InMemoryReleaseStore();

    // Act & Assess
    await expect(
      bake({ taskToken: 'token-abc', state: releaseStateFixture({ step: { nextIndex: 0 } }) }, { alarms: new FakeAlarms(), store }, NOW),
    ).rejects.toMatchObject({ name: 'ReleaseError' });
    expect(await store.getCurrentBake('prod', 'web')).toBeUndefined();
  });
});
