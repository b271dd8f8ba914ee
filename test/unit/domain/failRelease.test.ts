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

  it.each([
    ['Finalize failed after the step at weight 100 was applied', { step: { index: 2, weight: 100, bakeSeconds: 0, manual: false, timeoutSeconds: 0, last: true, nextIndex: 3 } }, {}],
    [
      'CompleteRelease failed after Finalize scaled the old colour to 0',
      {
        step: { index: 2, weight: 100, bakeSeconds: 0, manual: false, timeoutSeconds: 0, last: true, nextIndex: 3 },
        finalize: { taskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:8', postPromotionMigrationPending: true },
        postPromotionMigration: { outcome: 'Succeeded' as const, releaseId: 'rel-1', taskArn: 'arn:aws:ecs:eu-west-1:123456789012:task/prod-cluster/abc', exitCode: 0 },
      },
      { postPromotionMigration: { outcome: 'Succeeded', releaseId: 'rel-1', taskArn: 'arn:aws:ecs:eu-west-1:123456789012:task/prod-cluster/abc', exitCode: 0 } },
    ],
  ])('records what is live, Succeeded on the new task definition with the error as cause, when %s', async (_label, fields, contract) => {
    // Prepare
    const store = new InMemoryReleaseStore();
    const state = releaseStateFixture({
      ...fields,
      error: { Error: 'AccessDeniedException', Cause: JSON.stringify({ errorType: 'AccessDeniedException', errorMessage: 'not allowed to UpdateService' }) },
    });
    await seedRelease(store, state.release);

    // Act
    const result = await failRelease(state, { store }, NOW);

    // Assess
    const cause =
      'the new colour (green, task definition arn:aws:ecs:eu-west-1:123456789012:task-definition/web:8) serves 100 % of the traffic and stays live, recorded Succeeded; ' +
      'check that web-blue is scaled to 0. Finalizing failed: AccessDeniedException: not allowed to UpdateService';
    expect(result).toEqual({ error: 'AccessDeniedException', cause });
    const recorded = await store.getLedgerRecord('prod', 'web', state.release.ledgerSortKey);
    expect(recorded).toMatchObject({ outcome: 'Succeeded', cause, toTaskDefinition: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:8', endedAt: '2025-01-01T00:02:00.000Z' });
    expect({ postPromotionMigration: recorded?.postPromotionMigration }).toEqual({ postPromotionMigration: undefined, ...contract });
    expect(await store.getLock('prod', 'web')).toBeUndefined();
  });

  it('keeps the record of a Finalize that recorded the success before it failed', async () => {
    // Prepare
    const store = new InMemoryReleaseStore();
    const state = releaseStateFixture({
      step: { index: 2, weight: 100, bakeSeconds: 0, manual: false, timeoutSeconds: 0, last: true, nextIndex: 3 },
      error: { Error: 'States.Timeout', Cause: '' },
    });
    await seedRelease(store, state.release);
    const { environment, service, ledgerSortKey, executionArn, releaseId } = state.release;
    await store.completeRelease({ environment, service, ledgerSortKey, executionArn, releaseId, outcome: 'Succeeded', endedAt: '2025-01-01T00:01:00.000Z', toTaskDefinition: 'web:8' });

    // Act
    await failRelease(state, { store }, NOW);

    // Assess
    const recorded = await store.getLedgerRecord('prod', 'web', state.release.ledgerSortKey);
    expect(recorded).toMatchObject({ outcome: 'Succeeded', endedAt: '2025-01-01T00:01:00.000Z', toTaskDefinition: 'web:8' });
    expect(recorded).not.toHaveProperty('cause');
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
