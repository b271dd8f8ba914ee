import { beforeAll, describe, expect, it } from 'vitest';
import { rehearseRelease, strategyStepsFor } from '../../sandbox/rehearseRelease.ts';
import type { SandboxReport, TimelineEntry } from '../../sandbox/sandboxReport.ts';

const greenWeights = (timeline: readonly TimelineEntry[], service = 'web'): number[] =>
  timeline.filter((entry) => entry.kind === 'weights' && entry.service === service).map((entry) => entry.weights?.green ?? -1);

const expectRolledBackCleanly = (report: SandboxReport): void => {
  expect(report.outcome).toBe('RolledBack');
  expect(report.invariantViolations).toEqual([]);
  expect(report.previousColor).toBe('blue');
  expect(report.liveColor).toBe('blue');
  expect(report.weights).toEqual({ blue: 100, green: 0 });
};

describe('Function: rehearseRelease', () => {
  beforeAll(() => {
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  });

  it('moves all traffic to the new colour in the happy scenario with every invariant held', async () => {
    // Act
    const report = await rehearseRelease({ scenario: 'happy', releases: 1 });

    // Assess
    expect(report.outcome).toBe('Succeeded');
    expect(report.invariantViolations).toEqual([]);
    expect(report).toMatchObject({ previousColor: 'blue', liveColor: 'green', weights: { blue: 0, green: 100 }, trafficShifted: true, rollbackTransitions: null });
    expect(greenWeights(report.timeline)).toEqual([10, 50, 100]);
    // 5 + 10 minutes of bakes and 5 minutes of termination wait, plus the time green takes to get healthy.
    expect(report.releaseSeconds).toBeGreaterThanOrEqual(1200);
    expect(report.releaseSeconds).toBeLessThan(1400);
    expect(report.awsCalls.byOperation.ModifyRule).toBe(3);
    expect(report.awsCalls.total).toBe(Object.values(report.awsCalls.byOperation).reduce((total, count) => total + count, 0));
  });

  it('rolls back within two state transitions of an alarm during the canary', async () => {
    // Act
    const report = await rehearseRelease({ scenario: 'alarm-during-canary', releases: 1 });

    // Assess
    expectRolledBackCleanly(report);
    expect(report.trafficShifted).toBe(true);
    expect(greenWeights(report.timeline)).toEqual([10, 0]);
    expect(report.releases[0]?.cause).toMatch(/^AlarmFired: alarm web-prod-5xx-rate went to ALARM/);
    // BakeInterrupted, then Rollback, whose first call puts blue back at 100 %.
    expect(report.rollbackTransitions).toBe(2);
    expect(report.timeline.some((entry) => entry.label === 'onAlarm')).toBe(true);
  });

  it('rolls back without moving traffic when green never gets healthy', async () => {
    // Act
    const report = await rehearseRelease({ scenario: 'unhealthy-green', releases: 1 });

    // Assess
    expectRolledBackCleanly(report);
    expect(report.trafficShifted).toBe(false);
    expect(greenWeights(report.timeline)).toEqual([0]);
    expect(report.releases[0]?.cause).toContain('IdleNotReady');
    expect(report.rollbackTransitions).toBe(1);
  });

  it('absorbs throttling bursts with the state machine retries and still succeeds', async () => {
    // Act
    const report = await rehearseRelease({ scenario: 'throttled', releases: 1 });

    // Assess
    expect(report.outcome).toBe('Succeeded');
    expect(report.invariantViolations).toEqual([]);
    expect(report.weights).toEqual({ blue: 0, green: 100 });
    const throttled = report.timeline.filter((entry) => entry.kind === 'fault').map((entry) => entry.text.split(' ')[0]);
    expect(new Set(throttled)).toEqual(new Set(['GetParameter', 'TransactWriteItems', 'UpdateService', 'DescribeTargetHealth', 'ModifyRule', 'GetItem']));
    expect(report.timeline.filter((entry) => entry.kind === 'retry').length).toBeGreaterThanOrEqual(5);
  });

  it('rolls back when an operator aborts during the first bake', async () => {
    // Act
    const report = await rehearseRelease({ scenario: 'manual-rollback', releases: 1 });

    // Assess
    expectRolledBackCleanly(report);
    expect(report.releases[0]?.cause).toContain('ReleaseAborted: aborted by alice');
    expect(report.rollbackTransitions).toBe(2);
    // Aborted halfway through the first 5-minute bake: the release never reached its second phase.
    expect(greenWeights(report.timeline)).toEqual([10, 0]);
  });

  it('absorbs a ShiftTraffic crash after its weight change with one retry', async () => {
    // Act
    const report = await rehearseRelease({ scenario: 'crash-mid-shift', releases: 1 });

    // Assess
    expect(report.outcome).toBe('Succeeded');
    expect(report.invariantViolations).toEqual([]);
    expect(report.timeline.filter((entry) => entry.kind === 'retry').map((entry) => [entry.label, entry.text])).toEqual([['ShiftTraffic', 'retrying after Sandbox.Timedout']]);
    // The crashed invocation had applied 50 %; the retry applies it again, harmlessly.
    expect(greenWeights(report.timeline)).toEqual([10, 50, 50, 100]);
  });

  it('bills the same state transitions for short bakes as for the default ones', async () => {
    // Prepare
    const long = await rehearseRelease({ scenario: 'happy', releases: 1, steps: [10, 50, 100], bakeSeconds: 3600 });

    // Act
    const short = await rehearseRelease({ scenario: 'happy', releases: 1, steps: [10, 50, 100], bakeSeconds: 60 });

    // Assess
    expect(short.outcome).toBe('Succeeded');
    expect(short.stateTransitions).toBe(long.stateTransitions);
    expect(long.releaseSeconds - short.releaseSeconds).toBe(2 * (3600 - 60));
  });

  it('releases twenty services at once without one release touching another service', async () => {
    // Act
    const report = await rehearseRelease({ scenario: 'happy', releases: 20 });

    // Assess
    expect(report.releases).toHaveLength(20);
    expect(new Set(report.releases.map((release) => release.service)).size).toBe(20);
    expect(report.releases.map((release) => release.outcome)).toEqual(Array(20).fill('Succeeded'));
    expect(report.invariantViolations).toEqual([]);
    expect(report.crossTalk).toEqual([]);
    for (const release of report.releases) expect(greenWeights(report.timeline, release.service)).toEqual([10, 50, 100]);
    expect(report.awsCalls.byOperation.ModifyRule).toBe(60);
  });

  it('rolls back only the alarmed releases when twenty alarms fire at once', async () => {
    // Act
    const report = await rehearseRelease({ scenario: 'alarm-during-canary', releases: 20 });

    // Assess
    expect(report.releases.map((release) => release.outcome)).toEqual(Array(20).fill('RolledBack'));
    expect(report.invariantViolations).toEqual([]);
    expect(report.crossTalk).toEqual([]);
    for (const release of report.releases) expect(release.cause).toContain(`alarm ${release.service}-prod-5xx-rate`);
  });

  it('starts each release from an ECR push through onImagePushed in the ecr-push scenario', async () => {
    // Act
    const report = await rehearseRelease({ scenario: 'ecr-push', releases: 3 });

    // Assess
    expect(report).toMatchObject({ outcome: 'Succeeded', expectedOutcome: 'Succeeded', invariantViolations: [], crossTalk: [] });
    expect(report.awsCalls.byOperation.StartExecution).toBe(3);
    expect(report.awsCalls.byOperation.GetParametersByPath).toBeGreaterThanOrEqual(1);
    for (const release of report.releases) {
      expect(release.executionName).toMatch(new RegExp(`^${release.service}-prod-[0-9a-f]{16}-[0-9a-f]{10}$`));
      const labels = report.timeline.filter((entry) => entry.service === release.service).map((entry) => entry.label);
      expect(labels.slice(0, 3)).toEqual(['ECR push', 'onImagePushed', 'Prepare']);
      expect(greenWeights(report.timeline, release.service)).toEqual([10, 50, 100]);
    }
  });
});

describe('Function: strategyStepsFor', () => {
  it('bakes after every weight below 100', () => {
    // Act
    const steps = strategyStepsFor({ steps: [25, 100], bakeSeconds: 120 });

    // Assess
    expect(steps).toEqual([{ setWeight: 25 }, { pause: { durationSeconds: 120 } }, { setWeight: 100 }]);
  });

  it('keeps the example strategy when neither steps nor bake are given', () => {
    // Act
    const steps = strategyStepsFor({});

    // Assess
    expect(steps).toBeUndefined();
  });
});
