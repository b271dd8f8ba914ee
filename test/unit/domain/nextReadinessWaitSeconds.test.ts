import { describe, expect, it } from 'vitest';
import { nextReadinessWaitSeconds } from '../../../lambdas/domain/nextReadinessWaitSeconds.ts';

describe('Function: nextReadinessWaitSeconds', () => {
  it('waits 10 seconds early on', () => {
    // Act & Assess
    expect(nextReadinessWaitSeconds(0)).toBe(10);
  });

  it('waits half the elapsed time in between', () => {
    // Act & Assess
    expect(nextReadinessWaitSeconds(61)).toBe(31);
  });

  it('waits at most 60 seconds', () => {
    // Act & Assess
    expect(nextReadinessWaitSeconds(3600)).toBe(60);
  });
});
