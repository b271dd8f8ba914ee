import type { WeightedTargetGroup } from './ports.ts';
import type { ReleaseContext } from './releaseState.ts';

/**
 * The production rule's forward weights with `idleWeight` % on the idle colour and the rest on the stable colour.
 * Blue comes first whichever colour is live, so that the rule reads the same at every step. Throws when the weight
 * is not an integer from 0 to 100.
 */
export function trafficWeights(release: ReleaseContext, idleWeight: number): WeightedTargetGroup[] {
  if (!Number.isInteger(idleWeight) || idleWeight < 0 || idleWeight > 100) {
    throw new Error(`idle weight must be an integer from 0 to 100, got ${idleWeight}`);
  }
  const stable: WeightedTargetGroup = { targetGroupArn: release.stable.targetGroupArn, weight: 100 - idleWeight };
  const idle: WeightedTargetGroup = { targetGroupArn: release.idle.targetGroupArn, weight: idleWeight };
  return release.stable.color === 'blue' ? [stable, idle] : [idle, stable];
}
