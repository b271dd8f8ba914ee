import { describe, expect, it } from 'vitest';
import { assertPlanFitsExecution, MAX_PLANNED_RELEASE_SECONDS } from '../../../lambdas/domain/assertPlanFitsExecution.ts';
import { InvalidServiceConfig } from '../../../lambdas/domain/errors.ts';

describe('Function: assertPlanFitsExecution', () => {
  it('accepts a plan whose waits fit in an execution', () => {
    // Act
    const act = () => assertPlanFitsExecution([{ weight: 10, bakeSeconds: 3600, manual: false }, { weight: 100, bakeSeconds: 0, manual: true }], 86_400, 600);

    // Assess
    expect(act).not.toThrow();
  });

  it('counts every manual pause at its maximum and refuses a plan that could outlive an execution', () => {
    // Prepare
    const manual = { weight: 50, bakeSeconds: 0, manual: true };
    const maxManualPauseSeconds = Math.ceil(MAX_PLANNED_RELEASE_SECONDS / 2);

    // Act
    const act = () => assertPlanFitsExecution([manual, manual, { weight: 100, bakeSeconds: 0, manual: false }], maxManualPauseSeconds, 600);

    // Assess
    expect(act).toThrow(InvalidServiceConfig);
    expect(act).toThrow('strategy.steps: the release could wait up to');
  });

  it('counts the readiness wait', () => {
    // Act
    const act = () => assertPlanFitsExecution([{ weight: 100, bakeSeconds: MAX_PLANNED_RELEASE_SECONDS - 100, manual: false }], 60, 101);

    // Assess
    expect(act).toThrow(InvalidServiceConfig);
  });
});
