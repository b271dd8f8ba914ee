import { describe, expect, it } from 'vitest';
import { planTraffic } from '../../../lambdas/domain/planTraffic.ts';
import { DEFAULT_STEPS } from '../../../lambdas/domain/serviceConfig.ts';

describe('Function: planTraffic', () => {
  it('sums the pauses after each weight into its bake and adds the termination wait to the last phase', () => {
    // Prepare
    const steps = [...DEFAULT_STEPS];

    // Act
    const plan = planTraffic(steps, 300);

    // Assess
    expect(plan).toEqual([
      { weight: 10, bakeSeconds: 300, manual: false },
      { weight: 50, bakeSeconds: 600, manual: false },
      { weight: 100, bakeSeconds: 300, manual: false },
    ]);
  });

  it('adds consecutive pauses together', () => {
    // Act
    const plan = planTraffic([{ setWeight: 20 }, { pause: { durationSeconds: 60 } }, { pause: { durationSeconds: 90 } }, { setWeight: 100 }], 0);

    // Assess
    expect(plan[0]).toEqual({ weight: 20, bakeSeconds: 150, manual: false });
  });

  it('marks a phase followed by an empty pause as manual', () => {
    // Act
    const plan = planTraffic([{ setWeight: 25 }, { pause: {} }, { setWeight: 100 }], 0);

    // Assess
    expect(plan).toEqual([
      { weight: 25, bakeSeconds: 0, manual: true },
      { weight: 100, bakeSeconds: 0, manual: false },
    ]);
  });

  it('appends a phase at 100 when the last weight is below 100', () => {
    // Act
    const plan = planTraffic([{ setWeight: 30 }, { pause: { durationSeconds: 120 } }], 45);

    // Assess
    expect(plan).toEqual([
      { weight: 30, bakeSeconds: 120, manual: false },
      { weight: 100, bakeSeconds: 45, manual: false },
    ]);
  });

  it('gives a phase without pauses a bake of 0', () => {
    // Act
    const plan = planTraffic([{ setWeight: 10 }, { setWeight: 100 }], 0);

    // Assess
    expect(plan.map((phase) => phase.bakeSeconds)).toEqual([0, 0]);
  });

  it('keeps a pause after the final 100 as part of the final bake', () => {
    // Act
    const plan = planTraffic([{ setWeight: 100 }, { pause: { durationSeconds: 60 } }], 300);

    // Assess
    expect(plan).toEqual([{ weight: 100, bakeSeconds: 360, manual: false }]);
  });
});
