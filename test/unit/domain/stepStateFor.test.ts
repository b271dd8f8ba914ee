import { describe, expect, it } from 'vitest';
import { stepStateFor } from '../../../lambdas/domain/stepStateFor.ts';
import { releaseContextFixture } from '../../support/releaseStateFixture.ts';

describe('Function: stepStateFor', () => {
  const release = releaseContextFixture();

  it('uses the bake length as the timeout of a timed phase', () => {
    // Act
    const step = stepStateFor(release, 0);

    // Assess
    expect(step).toEqual({ index: 0, weight: 10, bakeSeconds: 300, manual: false, timeoutSeconds: 300, last: false, nextIndex: 1 });
  });

  it('uses the longest manual pause as the timeout of a manual phase', () => {
    // Act
    const step = stepStateFor(release, 1);

    // Assess
    expect(step).toMatchObject({ index: 1, weight: 50, manual: true, timeoutSeconds: 86_400, last: false, nextIndex: 2 });
  });

  it('marks the last phase', () => {
    // Act
    const step = stepStateFor(release, 2);

    // Assess
    expect(step).toMatchObject({ index: 2, weight: 100, last: true, nextIndex: 3 });
  });

  it.each([-1, 3, 0.5])('throws for index %s outside the plan', (index) => {
    // Act & Assess
    expect(() => stepStateFor(release, index)).toThrow(`step index ${index} is outside the plan of 3 phases`);
  });
});
