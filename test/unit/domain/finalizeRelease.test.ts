import { describe, expect, it } from 'vitest';
import { finalizeRelease } from '../../../lambdas/domain/finalizeRelease.ts';
import { CallLog, FakeEcs, InMemoryReleaseStore } from '../../support/fakePorts.ts';
import { FakeEcsTasks, InMemoryMigrationStore } from '../../support/fakeMigrationPorts.ts';
import { releaseContextFixture, releaseStateFixture } from '../../support/releaseStateFixture.ts';
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

  describe('with a postPromotionMigration', () => {
    const release = releaseContextFixture({ postPromotionMigration: { command: ['contract'], timeoutSeconds: 300 } });

    it('scales the old colour down and reports the migration pending, keeping the lock and the ledger open', async () => {
      // Prepare
      const log = new CallLog();
      const store = new InMemoryReleaseStore(log);
      await seedRelease(store, release);

      // Act
      const result = await finalizeRelease(releaseStateFixture({ release }), { ecs: new FakeEcs(log), store }, NOW);

      // Assess
      expect(result.postPromotionMigrationPending).toBe(true);
      expect(log.argsOf('ecs.updateService')).toEqual([['prod-cluster', 'web-blue', { desiredCount: 0 }]]);
      expect(await store.getLedgerRecord('prod', 'web', release.ledgerSortKey)).toMatchObject({ outcome: 'InProgress' });
      expect(await store.getLock('prod', 'web')).toBeDefined();
    });

    it('records Succeeded with a warning after the migration failed, stopping its task', async () => {
      // Prepare
      const log = new CallLog();
      const store = new InMemoryReleaseStore(log);
      const migrations = { ecs: new FakeEcsTasks(log), store: new InMemoryMigrationStore(log) };
      await seedRelease(store, release);
      const key = { environment: 'prod', service: 'web', digest: release.image.digest, phase: 'post' };
      await migrations.store.startMigration(
        { ...key, status: 'Running', runId: 'run-9', releaseId: 'rel-1', cluster: 'prod-cluster', containerName: 'app', startedAt: NOW.toISOString() },
        { ...key, runId: 'run-9', taskToken: 't', releaseId: 'rel-1', executionArn: 'arn:exec', containerName: 'app', endsAt: NOW.toISOString() },
      );
      migrations.ecs.running.set('cutover-migration-run-9', ['arn:aws:ecs:eu-west-1:123456789012:task/prod-cluster/abc']);
      const state = releaseStateFixture({ release, postPromotionMigrationError: { Error: 'States.Timeout', Cause: '' } });

      // Act
      const result = await finalizeRelease(state, { ecs: new FakeEcs(log), store, migrations }, NOW);

      // Assess
      expect(result.warning).toMatch(/^postPromotionMigration failed \(it did not finish within its timeout of 300 s; stopped task arn:aws:ecs:eu-west-1:123456789012:task\/prod-cluster\/abc; .*\)\. Traffic stays on the new colour/);
      expect(log.argsOf('ecs.stopTask')).toHaveLength(1);
      expect(await store.getLedgerRecord('prod', 'web', release.ledgerSortKey)).toMatchObject({ outcome: 'Succeeded', cause: result.warning, postPromotionMigration: { outcome: 'Failed' } });
      expect(await store.getLock('prod', 'web')).toBeUndefined();
    });

    it('records Succeeded without a warning after the migration succeeded', async () => {
      // Prepare
      const store = new InMemoryReleaseStore();
      await seedRelease(store, release);
      const state = releaseStateFixture({ release, postPromotionMigration: { outcome: 'Succeeded', releaseId: 'rel-1', exitCode: 0 } });

      // Act
      const result = await finalizeRelease(state, { ecs: new FakeEcs(), store }, NOW);

      // Assess
      expect(result).not.toHaveProperty('warning');
      expect(result).not.toHaveProperty('postPromotionMigrationPending');
      expect(await store.getLedgerRecord('prod', 'web', release.ledgerSortKey)).toMatchObject({ outcome: 'Succeeded' });
    });

    it('records on the ledger that the contract migration ran, so that a rollback refuses to undo it', async () => {
      // Prepare
      const store = new InMemoryReleaseStore();
      await seedRelease(store, release);
      const state = releaseStateFixture({ release, postPromotionMigration: { outcome: 'Succeeded', releaseId: 'rel-1', taskArn: 'arn:aws:ecs:eu-west-1:123456789012:task/prod-cluster/abc', exitCode: 0 } });

      // Act
      await finalizeRelease(state, { ecs: new FakeEcs(), store }, NOW);

      // Assess
      expect((await store.getLedgerRecord('prod', 'web', release.ledgerSortKey))?.postPromotionMigration).toEqual({
        outcome: 'Succeeded',
        releaseId: 'rel-1',
        taskArn: 'arn:aws:ecs:eu-west-1:123456789012:task/prod-cluster/abc',
        exitCode: 0,
      });
    });
  });

  it('records no contract migration for a release without one', async () => {
    // Prepare
    const store = new InMemoryReleaseStore();
    const state = releaseStateFixture();
    await seedRelease(store, state.release);

    // Act
    await finalizeRelease(state, { ecs: new FakeEcs(), store }, NOW);

    // Assess
    expect(await store.getLedgerRecord('prod', 'web', state.release.ledgerSortKey)).not.toHaveProperty('postPromotionMigration');
  });
});
