import { ReleaseErrorName } from './errors.ts';
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
  /** A gate stopped the release, whichever it was (each also counts in its own metric below). */
  GateFailures: 'GateFailures',
  /** A watched alarm fired during a bake (AlarmFired): rolled back. */
  AlarmGateFailures: 'AlarmGateFailures',
  /** The idle colour did not become ready (IdleNotReady): rolled back. */
  ReadinessGateFailures: 'ReadinessGateFailures',
  /** The migration failed, could not start or timed out (MigrationFailed): no traffic moved. */
  MigrationGateFailures: 'MigrationGateFailures',
  /** A smoke test failed (SmokeTestFailed): no traffic moved. */
  SmokeTestGateFailures: 'SmokeTestGateFailures',
  /** A freeze refused the release (ReleaseFrozen): no traffic moved. */
  FreezeGateFailures: 'FreezeGateFailures',
  /** The approval was rejected or timed out (ApprovalRejected): no traffic moved. */
  ApprovalGateFailures: 'ApprovalGateFailures',
  /** A release ended Failed (ReleaseFailed after Build or Finalize, or GateFailed): recorded, nothing to roll back. */
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

/** The gates a release passes, by the error with which each stops it, and the metric that counts that gate. */
const GATE_FAILURE_METRIC: Readonly<Record<string, ReleaseMetricNameValue>> = {
  [ReleaseErrorName.AlarmFired]: ReleaseMetricName.AlarmGateFailures,
  [ReleaseErrorName.IdleNotReady]: ReleaseMetricName.ReadinessGateFailures,
  [ReleaseErrorName.MigrationFailed]: ReleaseMetricName.MigrationGateFailures,
  [ReleaseErrorName.SmokeTestFailed]: ReleaseMetricName.SmokeTestGateFailures,
  [ReleaseErrorName.ReleaseFrozen]: ReleaseMetricName.FreezeGateFailures,
  [ReleaseErrorName.ApprovalRejected]: ReleaseMetricName.ApprovalGateFailures,
};

const count = (name: ReleaseMetricNameValue): ReleaseMetric => ({ name, unit: 'Count', value: 1 });
const seconds = (name: ReleaseMetricNameValue, from: Date, to: Date): ReleaseMetric => ({
  name,
  unit: 'Seconds',
  value: Math.max(0, (to.getTime() - from.getTime()) / 1000),
});
/** GateFailures and the gate's own count when the error is a gate's; nothing for any other error (an abort, a fault). */
const gateFailures = (errorName: string | undefined): ReleaseMetric[] => {
  const gate = errorName === undefined ? undefined : GATE_FAILURE_METRIC[errorName];
  return gate === undefined ? [] : [count(ReleaseMetricName.GateFailures), count(gate)];
};
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
 * Rollback's metrics: the release rolled back; a gate failure (and the gate's own count) when an alarm or the readiness
 * check stopped it; the reaction time when both ends are known (the failure was signalled through a task token, see
 * failureSignalCause, and this invocation restored the weights rather than finding the rollback already recorded).
 */
export function rolledBackMetrics(state: ReleaseState, weightsRestoredAt: Date | undefined): ReleaseMeasurement {
  const signalledAt = failureSignalledAt(state.error);
  return of(state.release, [
    count(ReleaseMetricName.ReleaseRolledBack),
    ...gateFailures(state.error?.Error),
    ...(signalledAt !== undefined && weightsRestoredAt !== undefined ? [seconds(ReleaseMetricName.RollbackReactionSeconds, signalledAt, weightsRestoredAt)] : []),
  ]);
}

/** ReleaseFailed's metrics. */
export function failedMetrics(release: ReleaseContext): ReleaseMeasurement {
  return of(release, [count(ReleaseMetricName.ReleaseFailed)]);
}

/**
 * GateFailed's metrics: the release failed, and the gate that stopped it (`errorName`, the error GateFailed ends the
 * execution with) counts as a gate failure. An error that is no gate's (an operator's abort) counts only as failed.
 */
export function gateFailedMetrics(release: ReleaseContext, errorName: string): ReleaseMeasurement {
  return of(release, [count(ReleaseMetricName.ReleaseFailed), ...gateFailures(errorName)]);
}
