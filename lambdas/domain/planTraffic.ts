import type { TrafficPhase } from './releaseState.ts';
import type { StrategyStep } from './serviceConfig.ts';

interface PhaseDraft {
  weight: number;
  bakeSeconds: number;
  manual: boolean;
}

/**
 * Turns strategy steps into traffic phases: each `setWeight` starts a phase and the pauses after it add to its bake
 * (`pause: {}` makes it manual). A strategy that stops below 100 % gets a final phase at 100 %, and the final phase bakes
 * `terminationWaitSeconds` longer, because the old colour stays warm and watched until then.
 * Expects steps that passed `strategyStepsSchema` (a pause never comes first).
 */
export function planTraffic(steps: readonly StrategyStep[], terminationWaitSeconds: number): TrafficPhase[] {
  const phases: PhaseDraft[] = [];
  for (const step of steps) {
    if ('setWeight' in step) {
      phases.push({ weight: step.setWeight, bakeSeconds: 0, manual: false });
      continue;
    }
    const current = phases.at(-1);
    if (current === undefined) continue;
    if (step.pause.durationSeconds === undefined) {
      current.manual = true;
    } else {
      current.bakeSeconds += step.pause.durationSeconds;
    }
  }
  if ((phases.at(-1)?.weight ?? 0) < 100) {
    phases.push({ weight: 100, bakeSeconds: 0, manual: false });
  }
  const last = phases.at(-1);
  if (last !== undefined) last.bakeSeconds += terminationWaitSeconds;
  return phases.map((phase) => ({ ...phase }));
}
