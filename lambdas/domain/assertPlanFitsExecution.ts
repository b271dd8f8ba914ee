import { InvalidServiceConfig } from './errors.ts';
import type { TrafficPhase } from './releaseState.ts';

/** A Standard Step Functions execution runs at most a year; a release plan keeps a week of that for everything else. */
export const MAX_PLANNED_RELEASE_SECONDS = 358 * 24 * 3600;

/**
 * Throws {@link InvalidServiceConfig} when a release could wait longer than an execution may run: bakes, manual pauses
 * (each up to `maxManualPauseSeconds`) and the readiness wait added up. An execution that hits Step Functions' limit
 * ends TIMED_OUT without running its Catch, which would leave traffic split and the idle colour running.
 */
export function assertPlanFitsExecution(plan: readonly TrafficPhase[], maxManualPauseSeconds: number, readyTimeoutSeconds: number): void {
  const waitSeconds = plan.reduce((sum, phase) => sum + (phase.manual ? maxManualPauseSeconds : phase.bakeSeconds), readyTimeoutSeconds);
  if (waitSeconds > MAX_PLANNED_RELEASE_SECONDS) {
    const days = (seconds: number) => Math.ceil(seconds / 86_400);
    throw new InvalidServiceConfig(
      `strategy.steps: the release could wait up to ${days(waitSeconds)} days (bakes, manual pauses at maxManualPauseSeconds each, readyTimeoutSeconds), more than the ${days(MAX_PLANNED_RELEASE_SECONDS)} days an execution may use`,
    );
  }
}
