import { describe, expect, it } from 'vitest';
import { finalizeRelease } from '../../../lambdas/domain/finalizeRelease.ts';
import { CallLog, FakeEcs, InMemoryReleaseStore } from '../../support/fakePorts.ts';
import { releaseStateFixture } from '../../support/releaseStateFixture.ts';
import { seedRelease } from '../../support/seedRelease.ts';

const NOW = new Date('2025-01-01T01:00:00.000Z');

describe('Function: finalizeRelease', () => {
  it('scales the old colour to 0, then records the success and releases the lock', async () => {
    // Prepare
    const log = new CallLog();
    const store = new InMemoryReleaseStore(log);
    const state = releaseStateFixture();
    await seedRelease(store, state.release);
    log.calls.length = 0;

    // Act
    const result = await finalizeRelease(state, { ecs: new FakeEcs(log), store }, NOW);

    // Assess
    expect(log.names()).toEqual(['ecs.updateService', 'store.completeRelease']);
    expect(log.argsOf('ecs.updateService')[0]).toEqual(['prod-cluster', 'web-blue', { desiredCount: 0 }]);
    expect(await store.getLedgerRecord('prod', 'web', state.release.ledgerSortKey)).toMatchObject({
      outcome: 'Succeeded',
      endedAt: '2025-01-01T01:00:00.000Z',
      toTaskDefinition: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:8',
    });
    expect(await store.getLock('prod', 'web')).toBeUndefined();
    expect(result).toEqual({
      outcome: 'Succeeded',
      releaseId: 'rel-1',
      liveColor: 'green',
      previousColor: 'blue',
      taskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:8',
      imageUri: state.release.image.imageUri,
    });
  });

  it('throws before touching anything without a build', async () => {
    // Prepare
    const log = new CallLog();

    // Act & Assess
    await expect(finalizeRelease(releaseStateFixture({ build: undefined }), { ecs: new FakeEcs(log), store: new InMemoryReleaseStore(log) }, NOW)).rejects.toMatchObject({
      name: 'ReleaseError',
    });
    expect(log.calls).toEqual([]);
  });

  it('does nothing again when a retry finds the release already recorded as succeeded', async () => {
    // Prepare
    const log = new CallLog();
    const store = new InMemoryReleaseStore(log);
    const state = releaseStateFixture();
    await seedRelease(store, state.release);
    await finalizeRelease(state, { ecs: new FakeEcs(log), store }, NOW);
    log.calls.length = 0;

    // Act
    const result = await finalizeRelease(state, { ecs: new FakeEcs(log), store }, NOW);

    // Assess
    expect(log.names()).toEqual([]);
    expect(result.outcome).toBe('Succeeded');
  });
});
