import type { TrafficPhase } from './releaseState.ts';
import type { StrategyStep } from './serviceConfig.ts';

/**
 * Turns strategy steps into traffic phases, each one weight and one wait:
 * - each `setWeight` starts a phase; consecutive timed pauses after it add up into one timed bake;
 * - a `pause: {}` is a phase of its own at the same weight, waiting for a promote, so a timed bake before it is
 *   still baked in full and a promote cannot skip it;
 * - a weight without any pause gets a bake of 0 (the alarms are checked once);
 * - a strategy that stops below 100 % gets a final phase at 100 %, and after everything at 100 % comes a timed phase
 *   of `terminationWaitSeconds`: the old colour stays warm and watched even after a promote at 100 %.
 * Consecutive phases at the same weight change no traffic (ShiftTraffic skips the ModifyRule).
 * Expects steps that passed `strategyStepsSchema` (a pause never comes first).
 */
export function planTraffic(steps: readonly StrategyStep[], terminationWaitSeconds: number): TrafficPhase[] {
  const phases: TrafficPhase[] = [];
  let weight = 0;
  let timed: number | undefined;
  let waited = true;
  const closeTimed = (): void => {
    if (timed !== undefined) phases.push({ weight, bakeSeconds: timed, manual: false });
    timed = undefined;
  };
  const closeWeight = (): void => {
    closeTimed();
    if (!waited) phases.push({ weight, bakeSeconds: 0, manual: false });
  };
  for (const step of steps) {
    if ('setWeight' in step) {
      closeWeight();
      weight = step.setWeight;
      waited = false;
    } else if (step.pause.durationSeconds === undefined) {
      closeTimed();
      phases.push({ weight, bakeSeconds: 0, manual: true });
      waited = true;
    } else {
      timed = (timed ?? 0) + step.pause.durationSeconds;
      waited = true;
    }
  }
  if (weight < 100) {
    closeWeight();
    weight = 100;
    waited = false;
  }
  timed = (timed ?? 0) + terminationWaitSeconds;
  if (timed > 0 || !waited) closeTimed();
  return phases;
}
