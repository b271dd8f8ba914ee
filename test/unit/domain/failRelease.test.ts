import { describe, expect, it } from 'vitest';
import { failRelease } from '../../../lambdas/domain/failRelease.ts';
import { InMemoryReleaseStore } from '../../support/fakePorts.ts';
import { releaseStateFixture } from '../../support/releaseStateFixture.ts';
import { seedRelease } from '../../support/seedRelease.ts';

const NOW = new Date('2025-01-01T00:02:00.000Z');

describe('Function: failRelease', () => {
  it('records the failure with its cause and releases the lock', async () => {
    // Prepare
    const store = new InMemoryReleaseStore();
    const state = releaseStateFixture({
      build: undefined,
      error: { Error: 'InvalidServiceConfig', Cause: JSON.stringify({ errorType: 'InvalidServiceConfig', errorMessage: 'container app not in task definition' }) },
    });
    await seedRelease(store, state.release);

    // Act
    const result = await failRelease(state, { store }, NOW);

    // Assess
    expect(result).toEqual({ error: 'InvalidServiceConfig', cause: 'InvalidServiceConfig: container app not in task definition' });
    expect(await store.getLedgerRecord('prod', 'web', state.release.ledgerSortKey)).toMatchObject({
      outcome: 'Failed',
      cause: 'InvalidServiceConfig: container app not in task definition',
      endedAt: '2025-01-01T00:02:00.000Z',
    });
    expect(await store.getLock('prod', 'web')).toBeUndefined();
  });

  it('names the failure ReleaseFailed without a caught error', async () => {
    // Prepare
    const store = new InMemoryReleaseStore();
    const state = releaseStateFixture({ error: undefined });
    await seedRelease(store, state.release);

    // Act
    const result = await failRelease(state, { store }, NOW);

    // Assess
    expect(result).toEqual({ error: 'ReleaseFailed', cause: 'unknown cause' });
  });
});
