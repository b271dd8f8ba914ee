import { describe, expect, it } from 'vitest';
import { rollbackRelease } from '../../../lambdas/domain/rollbackRelease.ts';
import type { ReleaseState } from '../../../lambdas/domain/releaseState.ts';
import { CallLog, FakeEcs, FakeLoadBalancer, InMemoryReleaseStore } from '../../support/fakePorts.ts';
import { releaseStateFixture } from '../../support/releaseStateFixture.ts';
import { seedRelease } from '../../support/seedRelease.ts';

const NOW = new Date('2025-01-01T00:07:00.000Z');

async function runRollback(state: ReleaseState) {
  const log = new CallLog();
  const store = new InMemoryReleaseStore(log);
  await seedRelease(store, state.release);
  log.calls.length = 0;
  const result = await rollbackRelease(state, { loadBalancer: new FakeLoadBalancer(log), ecs: new FakeEcs(log), store }, NOW);
  return { log, store, result };
}

describe('Function: rollbackRelease', () => {
  it('restores the stable colour to 100 first, then scales the idle colour to 0 and records the outcome', async () => {
    // Prepare
    const state = releaseStateFixture({ error: { Error: 'AlarmFired', Cause: 'alarm web-5xx went to ALARM at t: high' } });

    // Act
    const { log, store, result } = await runRollback(state);

    // Assess
    expect(log.names()).toEqual(['loadBalancer.setForwardWeights', 'ecs.updateService', 'store.completeRelease']);
    expect(log.argsOf('loadBalancer.setForwardWeights')[0]).toEqual([
      state.release.productionListenerRuleArn,
      [
        { targetGroupArn: state.release.stable.targetGroupArn, weight: 100 },
        { targetGroupArn: state.release.idle.targetGroupArn, weight: 0 },
      ],
      { enabled: true, durationSeconds: 60 },
      { otherActions: [{ Type: 'authenticate-oidc', Order: 1 }], forwardOrder: 2 },
    ]);
    expect(log.argsOf('ecs.updateService')[0]).toEqual(['prod-cluster', 'web-green', { desiredCount: 0 }]);
    const cause = 'AlarmFired: alarm web-5xx went to ALARM at t: high';
    expect(result).toEqual({ outcome: 'RolledBack', cause, weightsRestoredAt: NOW.toISOString() });
    expect(await store.getLedgerRecord('prod', 'web', state.release.ledgerSortKey)).toMatchObject({
      outcome: 'RolledBack',
      cause,
      endedAt: '2025-01-01T00:07:00.000Z',
      toTaskDefinition: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:8',
    });
    expect(await store.getLock('prod', 'web')).toBeUndefined();
  });

  it('explains a manual pause that was never promoted', async () => {
    // Prepare
    const step = { index: 1, weight: 50, bakeSeconds: 0, manual: true, timeoutSeconds: 3600, last: false, nextIndex: 2 };

    // Act
    const { result } = await runRollback(releaseStateFixture({ step, error: { Error: 'States.Timeout', Cause: '' } }));

    // Assess
    expect(result.cause).toBe('no promotion within 3600 s at 50 %');
  });

  it('rolls back a state that has only the release and an error', async () => {
    // Prepare
    const state: ReleaseState = {
      release: releaseStateFixture().release,
      error: { Error: 'Lambda.Unknown', Cause: JSON.stringify({ errorType: 'Error', errorMessage: 'boom' }) },
    };

    // Act
    const { log, store, result } = await runRollback(state);

    // Assess
    expect(log.names()).toEqual(['loadBalancer.setForwardWeights', 'ecs.updateService', 'store.completeRelease']);
    expect(result).toEqual({ outcome: 'RolledBack', cause: 'Error: boom', weightsRestoredAt: NOW.toISOString() });
    const record = await store.getLedgerRecord('prod', 'web', state.release.ledgerSortKey);
    expect(record?.outcome).toBe('RolledBack');
    expect(record?.toTaskDefinition).toBeUndefined();
  });

  it('does not scale down or record anything when restoring the weights fails', async () => {
    // Prepare
    const log = new CallLog();
    const loadBalancer = new FakeLoadBalancer(log);
    loadBalancer.setForwardWeights = async () => {
      throw Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
    };

    // Act & Assess
    await expect(
      rollbackRelease(releaseStateFixture(), { loadBalancer, ecs: new FakeEcs(log), store: new InMemoryReleaseStore(log) }, NOW),
    ).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(log.calls).toEqual([]);
  });

  it('moves no traffic again when a retry finds the release already recorded as rolled back', async () => {
    // Prepare
    const log = new CallLog();
    const store = new InMemoryReleaseStore(log);
    const state = releaseStateFixture({ error: { Error: 'AlarmFired', Cause: 'alarm web-5xx went to ALARM' } });
    await seedRelease(store, state.release);
    const first = await rollbackRelease(state, { loadBalancer: new FakeLoadBalancer(log), ecs: new FakeEcs(log), store }, NOW);
    log.calls.length = 0;

    // Act
    const second = await rollbackRelease(state, { loadBalancer: new FakeLoadBalancer(log), ecs: new FakeEcs(log), store }, NOW);

    // Assess
    expect(log.names()).toEqual([]);
    expect(second).toEqual({ outcome: first.outcome, cause: first.cause });
  });
});
