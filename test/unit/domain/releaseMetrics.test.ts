import { describe, expect, it } from 'vitest';
import { failureSignalCause, failureSignalledAt } from '../../../lambdas/domain/failureSignalCause.ts';
import { gateFailedMetrics, preparedMetrics, rolledBackMetrics, succeededMetrics } from '../../../lambdas/domain/releaseMetrics.ts';
import { releaseStateFixture } from '../../support/releaseStateFixture.ts';

describe('Function: rolledBackMetrics', () => {
  it('measures the reaction from the signalled failure to the restored weights', () => {
    // Prepare
    const state = releaseStateFixture({ error: { Error: 'ReleaseAborted', Cause: failureSignalCause('ReleaseAborted', 'aborted by alice', new Date('2025-01-01T00:00:00.000Z')) } });

    // Act
    const measurement = rolledBackMetrics(state, new Date('2025-01-01T00:00:03.500Z'));

    // Assess
    expect(measurement).toEqual({
      environment: 'prod',
      service: 'web',
      metrics: [
        { name: 'ReleaseRolledBack', unit: 'Count', value: 1 },
        { name: 'RollbackReactionSeconds', unit: 'Seconds', value: 3.5 },
      ],
    });
  });

  it('counts a gate failure when the readiness gate stopped the release', () => {
    // Act
    const measurement = rolledBackMetrics(releaseStateFixture({ error: { Error: 'IdleNotReady' } }), undefined);

    // Assess
    expect(measurement.metrics.map((metric) => metric.name)).toEqual(['ReleaseRolledBack', 'GateFailures', 'ReadinessGateFailures']);
  });

  it('counts a gate failure of the alarm gate when a watched alarm fired', () => {
    // Act
    const measurement = rolledBackMetrics(releaseStateFixture({ error: { Error: 'AlarmFired', Cause: 'alarm went to ALARM' } }), undefined);

    // Assess
    expect(measurement.metrics.map((metric) => metric.name)).toEqual(['ReleaseRolledBack', 'GateFailures', 'AlarmGateFailures']);
  });
});

describe('Function: gateFailedMetrics', () => {
  it.each([
    ['MigrationFailed', 'MigrationGateFailures'],
    ['SmokeTestFailed', 'SmokeTestGateFailures'],
    ['ReleaseFrozen', 'FreezeGateFailures'],
    ['ApprovalRejected', 'ApprovalGateFailures'],
  ])('counts %s as a failed release, a gate failure and a failure of that gate (%s)', (errorName, gateMetric) => {
    // Prepare
    const { release } = releaseStateFixture();

    // Act
    const measurement = gateFailedMetrics(release, errorName);

    // Assess
    expect(measurement).toEqual({
      environment: 'prod',
      service: 'web',
      metrics: [
        { name: 'ReleaseFailed', unit: 'Count', value: 1 },
        { name: 'GateFailures', unit: 'Count', value: 1 },
        { name: gateMetric, unit: 'Count', value: 1 },
      ],
    });
  });

  it('counts an error that is no gate\'s (an abort) as a failed release only', () => {
    // Prepare
    const { release } = releaseStateFixture();

    // Act & Assess
    expect(gateFailedMetrics(release, 'ReleaseAborted').metrics).toEqual([{ name: 'ReleaseFailed', unit: 'Count', value: 1 }]);
  });
});

describe('Function: succeededMetrics', () => {
  it('measures the release from the execution start to its end', () => {
    // Prepare
    const { release } = releaseStateFixture();

    // Act
    const measurement = succeededMetrics(release, new Date(Date.parse(release.startedAt) + 90_000));

    // Assess
    expect(measurement.metrics).toContainEqual({ name: 'ReleaseDurationSeconds', unit: 'Seconds', value: 90 });
  });
});

describe('Function: preparedMetrics', () => {
  it('counts no started release for a dry run', () => {
    // Prepare
    const { release } = releaseStateFixture();

    // Act & Assess
    expect(preparedMetrics({ ...release, dryRun: true }).metrics).toEqual([]);
    expect(preparedMetrics(release).metrics).toEqual([{ name: 'ReleaseStarted', unit: 'Count', value: 1 }]);
  });
});

describe('Function: failureSignalledAt', () => {
  it('reads no time from a plain-text cause', () => {
    expect(failureSignalledAt({ Error: 'AlarmFired', Cause: 'alarm went to ALARM' })).toBeUndefined();
  });
});
