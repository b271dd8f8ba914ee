import { failureSignalledAt } from './failureSignalCause.ts';
import type { ReleaseContext, ReleaseState } from './releaseState.ts';

/** The metrics cutover's handlers emit (namespace `cutover`, see docs/monitoring.md). */
export const ReleaseMetricName = {
  /** Prepare took the lock: a release began. */
  ReleaseStarted: 'ReleaseStarted',
  /** Finalize ended a release successfully. */
  ReleaseSucceeded: 'ReleaseSucceeded',
  /** From the execution's start to Finalize's end. */
  ReleaseDurationSeconds: 'ReleaseDurationSeconds',
  /** Rollback restored the stable colour. */
  ReleaseRolledBack: 'ReleaseRolledBack',
  /** From the failure signal (alarm state change, abort) to the stable colour back at weight 100. */
  RollbackReactionSeconds: 'RollbackReactionSeconds',
  /** A gate stopped the release: an alarm fired or the idle colour did not become ready. */
  GateFailures: 'GateFailures',
  /** ReleaseFailed recorded a failure with nothing to roll back (Build, Finalize). */
  ReleaseFailed: 'ReleaseFailed',
} as const;
/** One of the metric names. */
export type ReleaseMetricNameValue = (typeof ReleaseMetricName)[keyof typeof ReleaseMetricName];

/** One data point. */
export interface ReleaseMetric {
  readonly name: ReleaseMetricNameValue;
  readonly unit: 'Count' | 'Seconds';
  readonly value: number;
}

/** The data points of one invocation and the release they belong to (the metrics' dimensions). */
export interface ReleaseMeasurement {
  readonly environment: string;
  readonly service: string;
  readonly metrics: readonly ReleaseMetric[];
}

/** Errors of the gates a release passes: a watched alarm, the idle colour's readiness. */
const GATE_ERRORS: ReadonlySet<string> = new Set(['AlarmFired', 'IdleNotReady']);

const count = (name: ReleaseMetricNameValue): ReleaseMetric => ({ name, unit: 'Count', value: 1 });
const seconds = (name: ReleaseMetricNameValue, from: Date, to: Date): ReleaseMetric => ({
  name,
  unit: 'Seconds',
  value: Math.max(0, (to.getTime() - from.getTime()) / 1000),
});
const of = (release: ReleaseContext, metrics: readonly ReleaseMetric[]): ReleaseMeasurement => ({
  environment: release.environment,
  service: release.service,
  metrics,
});

/** Prepare's metrics: a release started when it took the lock; a dry run starts nothing. */
export function preparedMetrics(release: ReleaseContext): ReleaseMeasurement {
  return of(release, release.dryRun === true ? [] : [count(ReleaseMetricName.ReleaseStarted)]);
}

/** Finalize's metrics: the release succeeded, and how long it took from the execution's start. */
export function succeededMetrics(release: ReleaseContext, endedAt: Date): ReleaseMeasurement {
  const startedAt = new Date(Date.parse(release.startedAt));
  const duration = Number.isNaN(startedAt.getTime()) ? [] : [seconds(ReleaseMetricName.ReleaseDurationSeconds, startedAt, endedAt)];
  return of(release, [count(ReleaseMetricName.ReleaseSucceeded), ...duration]);
}

/**
 * Rollback's metrics: the release rolled back; a gate failure when an alarm or the readiness check stopped it; the
 * reaction time when both ends are known (the failure was signalled through a task token, see failureSignalCause,
 * and this invocation restored the weights rather than finding the rollback already recorded).
 */
export function rolledBackMetrics(state: ReleaseState, weightsRestoredAt: Date | undefined): ReleaseMeasurement {
  const signalledAt = failureSignalledAt(state.error);
  return of(state.release, [
    count(ReleaseMetricName.ReleaseRolledBack),
    ...(state.error !== undefined && GATE_ERRORS.has(state.error.Error) ? [count(ReleaseMetricName.GateFailures)] : []),
    ...(signalledAt !== undefined && weightsRestoredAt !== undefined ? [seconds(ReleaseMetricName.RollbackReactionSeconds, signalledAt, weightsRestoredAt)] : []),
  ]);
}

/** ReleaseFailed's metrics. */
export function failedMetrics(release: ReleaseContext): ReleaseMeasurement {
  return of(release, [count(ReleaseMetricName.ReleaseFailed)]);
}
