import { describe, expect, it } from 'vitest';
import { trafficWeights } from '../../../lambdas/domain/trafficWeights.ts';
import { releaseContextFixture } from '../../support/releaseStateFixture.ts';

describe('Function: trafficWeights', () => {
  const release = releaseContextFixture();
  const blueTg = release.stable.targetGroupArn;
  const greenTg = release.idle.targetGroupArn;

  it('puts the idle weight on the idle colour and the rest on the stable colour', () => {
    // Act
    const weights = trafficWeights(release, 10);

    // Assess
    expect(weights).toEqual([
      { targetGroupArn: blueTg, weight: 90 },
      { targetGroupArn: greenTg, weight: 10 },
    ]);
  });

  it('lists blue first when green is the stable colour', () => {
    // Prepare
    const fromGreen = releaseContextFixture({ stable: release.idle, idle: release.stable });

    // Act
    const weights = trafficWeights(fromGreen, 25);

    // Assess
    expect(weights).toEqual([
      { targetGroupArn: blueTg, weight: 25 },
      { targetGroupArn: greenTg, weight: 75 },
    ]);
  });

  it.each([0, 1, 33, 50, 99, 100])('sums to 100 at idle weight %i', (idleWeight) => {
    // Act
    const weights = trafficWeights(release, idleWeight);

    // Assess
    expect(weights.reduce((sum, target) => sum + target.weight, 0)).toBe(100);
    expect(weights).toHaveLength(2);
  });

  it.each([-1, 101, 12.5, Number.NaN])('throws for idle weight %s', (idleWeight) => {
    // Act & Assess
    expect(() => trafficWeights(release, idleWeight)).toThrow('idle weight must be an integer from 0 to 100');
  });
});
