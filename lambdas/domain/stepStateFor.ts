import type { ReleaseContext, StepState } from './releaseState.ts';

/** The `$.step` state for the plan's phase at `index`. Throws when the plan has no such phase. */
export function stepStateFor(release: ReleaseContext, index: number): StepState {
  const phase = Number.isInteger(index) ? release.plan[index] : undefined;
  if (phase === undefined) {
    throw new Error(`step index ${index} is outside the plan of ${release.plan.length} phases`);
  }
  return {
    index,
    weight: phase.weight,
    bakeSeconds: phase.bakeSeconds,
    manual: phase.manual,
    timeoutSeconds: phase.manual ? release.maxManualPauseSeconds : phase.bakeSeconds,
    last: index === release.plan.length - 1,
    nextIndex: index + 1,
  };
}
