import { describe, expect, it } from 'vitest';
import { planTraffic } from '../../../lambdas/domain/planTraffic.ts';
import { DEFAULT_STEPS } from '../../../lambdas/domain/serviceConfig.ts';

describe('Function: planTraffic', () => {
  it('bakes each weight for its pauses and keeps the old colour warm after 100 %', () => {
    // Act
    const plan = planTraffic(DEFAULT_STEPS, 300);

    // Assess
    expect(plan).toEqual([
      { weight: 10, bakeSeconds: 300, manual: false },
      { weight: 50, bakeSeconds: 600, manual: false },
      { weight: 100, bakeSeconds: 300, manual: false },
    ]);
  });

  it('adds consecutive timed pauses together', () => {
    // Act
    const plan = planTraffic([{ setWeight: 10 }, { pause: { durationSeconds: 60 } }, { pause: { durationSeconds: 120 } }, { setWeight: 100 }], 0);

    // Assess
    expect(plan).toEqual([
      { weight: 10, bakeSeconds: 180, manual: false },
      { weight: 100, bakeSeconds: 0, manual: false },
    ]);
  });

  it('bakes a timed pause in full before a manual pause at the same weight', () => {
    // Act
    const plan = planTraffic([{ setWeight: 10 }, { pause: { durationSeconds: 300 } }, { pause: {} }, { setWeight: 100 }], 60);

    // Assess
    expect(plan).toEqual([
      { weight: 10, bakeSeconds: 300, manual: false },
      { weight: 10, bakeSeconds: 0, manual: true },
      { weight: 100, bakeSeconds: 60, manual: false },
    ]);
  });

  it('keeps the old colour warm and watched after a promote at 100 %', () => {
    // Act
    const plan = planTraffic([{ setWeight: 100 }, { pause: {} }], 300);

    // Assess
    expect(plan).toEqual([
      { weight: 100, bakeSeconds: 0, manual: true },
      { weight: 100, bakeSeconds: 300, manual: false },
    ]);
  });

  it('appends a phase at 100 when the last weight is below 100', () => {
    // Act
    const plan = planTraffic([{ setWeight: 20 }, { pause: { durationSeconds: 60 } }, { setWeight: 60 }], 120);

    // Assess
    expect(plan).toEqual([
      { weight: 20, bakeSeconds: 60, manual: false },
      { weight: 60, bakeSeconds: 0, manual: false },
      { weight: 100, bakeSeconds: 120, manual: false },
    ]);
  });

  it('checks the alarms once at a weight without pauses, and once at 100 % without a warm period', () => {
    // Act
    const plan = planTraffic([{ setWeight: 10 }, { setWeight: 100 }], 0);

    // Assess
    expect(plan).toEqual([
      { weight: 10, bakeSeconds: 0, manual: false },
      { weight: 100, bakeSeconds: 0, manual: false },
    ]);
  });

  it('adds a timed pause after the final 100 to the warm period', () => {
    // Act
    const plan = planTraffic([{ setWeight: 50 }, { setWeight: 100 }, { pause: { durationSeconds: 600 } }], 300);

    // Assess
    expect(plan.at(-1)).toEqual({ weight: 100, bakeSeconds: 900, manual: false });
    expect(plan).toHaveLength(2);
  });

  it('never plans two phases without a wait at one weight', () => {
    // Act
    const plan = planTraffic([{ setWeight: 10 }, { pause: {} }, { pause: {} }, { setWeight: 100 }], 0);

    // Assess
    expect(plan).toEqual([
      { weight: 10, bakeSeconds: 0, manual: true },
      { weight: 10, bakeSeconds: 0, manual: true },
      { weight: 100, bakeSeconds: 0, manual: false },
    ]);
  });
});
