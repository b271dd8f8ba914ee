import { describe, expect, it } from 'vitest';
import { PhaseHandler, releasePhaseDetailFor } from '../../../lambdas/domain/releasePhaseDetailFor.ts';
import { releasePhaseDetailSchema } from '../../../lambdas/domain/releasePhaseEvent.ts';
import { releaseStateFixture } from '../../support/releaseStateFixture.ts';

const NOW = new Date('2025-01-01T01:00:00.000Z');

describe('Function: releasePhaseDetailFor', () => {
  const state = releaseStateFixture();

  it('announces Started from Prepare at weight 0', () => {
    // Act
    const detail = releasePhaseDetailFor(PhaseHandler.Prepare, { input: {} }, { release: state.release }, NOW);

    // Assess
    expect(detail).toMatchObject({ phase: 'Started', releaseId: state.release.releaseId, service: 'web', environment: 'prod', weight: 0, at: NOW.toISOString() });
    expect(releasePhaseDetailSchema.safeParse(detail).success).toBe(true);
  });

  it('announces nothing for a dry run, which starts nothing', () => {
    // Act
    const detail = releasePhaseDetailFor(PhaseHandler.Prepare, { input: {} }, { release: { ...state.release, dryRun: true } }, NOW);

    // Assess
    expect(detail).toBeUndefined();
  });

  it('announces the new weight from ShiftTraffic', () => {
    // Act
    const detail = releasePhaseDetailFor(PhaseHandler.ShiftTraffic, state, { index: 1, weight: 50 }, NOW);

    // Assess
    expect(detail).toMatchObject({ phase: 'WeightChanged', weight: 50, stepIndex: 1 });
  });

  it('announces WaitingForApproval from RequestApproval, until the approval times out', () => {
    // Act
    const detail = releasePhaseDetailFor(PhaseHandler.RequestApproval, { taskToken: 'token', state }, { releaseId: state.release.releaseId, expiresAt: '2025-01-02T01:00:00.000Z' }, NOW);

    // Assess
    expect(detail).toMatchObject({ phase: 'WaitingForApproval', releaseId: state.release.releaseId, service: 'web', environment: 'prod', weight: 0, endsAt: '2025-01-02T01:00:00.000Z' });
    expect(releasePhaseDetailSchema.safeParse(detail).success).toBe(true);
  });

  it('announces a manual pause waiting for promotion, and nothing for a timed bake', () => {
    // Prepare
    const manual = { ...state, step: { index: 1, weight: 50, bakeSeconds: 0, manual: true, timeoutSeconds: 86_400, last: false, nextIndex: 2 } };
    const timed = { ...state, step: { index: 0, weight: 10, bakeSeconds: 300, manual: false, timeoutSeconds: 300, last: false, nextIndex: 1 } };

    // Act
    const waiting = releasePhaseDetailFor(PhaseHandler.Bake, { taskToken: 'token', state: manual }, {}, NOW);
    const baking = releasePhaseDetailFor(PhaseHandler.Bake, { taskToken: 'token', state: timed }, {}, NOW);

    // Assess
    expect(waiting).toMatchObject({ phase: 'WaitingForPromotion', weight: 50, stepIndex: 1 });
    expect(baking).toBeUndefined();
  });

  it('announces Succeeded with the warning of a failed post-promotion migration', () => {
    // Act
    const detail = releasePhaseDetailFor(PhaseHandler.Finalize, state, { outcome: 'Succeeded', warning: 'contract migration exited 1' }, NOW);

    // Assess
    expect(detail).toMatchObject({ phase: 'Succeeded', weight: 100, warning: 'contract migration exited 1' });
    expect(releasePhaseDetailSchema.safeParse(detail).success).toBe(true);
  });

  it('announces nothing from a Finalize whose post-promotion migration is still to run', () => {
    // Act
    const detail = releasePhaseDetailFor(PhaseHandler.Finalize, state, { outcome: 'Succeeded', postPromotionMigrationPending: true }, NOW);

    // Assess
    expect(detail).toBeUndefined();
  });

  it('announces RolledBack with its cause', () => {
    // Act
    const detail = releasePhaseDetailFor(PhaseHandler.Rollback, state, { outcome: 'RolledBack', cause: 'AlarmFired: alarm web-5xx is in ALARM' }, NOW);

    // Assess
    expect(detail).toMatchObject({ phase: 'RolledBack', weight: 0, cause: 'AlarmFired: alarm web-5xx is in ALARM' });
  });

  it('announces a failed gate as Failed with the gate error', () => {
    // Act
    const detail = releasePhaseDetailFor(PhaseHandler.GateFailed, state, { error: 'MigrationFailed', cause: 'migration exited 1' }, NOW);

    // Assess
    expect(detail).toMatchObject({ phase: 'Failed', error: 'MigrationFailed', cause: 'migration exited 1' });
  });

  it('announces nothing for an event it does not recognise', () => {
    // Act
    const detail = releasePhaseDetailFor(PhaseHandler.Finalize, { nothing: true }, {}, NOW);

    // Assess
    expect(detail).toBeUndefined();
  });
});
