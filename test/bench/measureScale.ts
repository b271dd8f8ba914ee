import type { AwsCall } from '../../sandbox/account/CallLog.ts';
import type { RehearsalOptions } from '../../sandbox/rehearseRelease.ts';
import type { SandboxReport } from '../../sandbox/sandboxReport.ts';
import { throttlingRates } from './documentedReferences.ts';
import { instrumentHandlers } from './instrumentHandlers.ts';
import { CANARY_STEPS } from './measureReleaseCost.ts';
import { median } from './median.ts';

/** The busiest virtual second of one throttling category, next to its documented rate. */
export interface CategoryPeak {
  readonly category: string;
  readonly operations: readonly string[];
  /** Most calls of the category's operations in one virtual second. */
  readonly peakPerSecond: number;
  readonly burstPerSecond: number;
  readonly sustainedPerSecond: number;
  readonly source: string;
}

/** N releases at once in the sandbox. */
export interface ScalePoint {
  readonly releases: number;
  readonly outcome: string;
  /** Median real milliseconds of a rehearsal, over the runs. */
  readonly wallMs: number;
  readonly wallMsRuns: readonly number[];
  readonly awsCallsPerRelease: { readonly min: number; readonly max: number; readonly mean: number };
  readonly transitionsPerRelease: { readonly min: number; readonly max: number };
  readonly crossTalk: number;
  readonly invariantViolations: number;
  /** The busiest virtual second of each operation. */
  readonly peakPerSecondByOperation: Readonly<Record<string, number>>;
  readonly categoryPeaks: readonly CategoryPeak[];
}

function peaks(calls: readonly AwsCall[], operations: (operation: string) => boolean): number {
  const perSecond = new Map<number, number>();
  for (const call of calls) {
    if (!operations(call.operation)) continue;
    const second = Math.floor(call.at / 1000);
    perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
  }
  return Math.max(0, ...perSecond.values());
}

/**
 * Rehearses `releases` simultaneous three-step canaries (all starting in the same virtual instant: the worst case
 * for throttling) `runs` times each, and reports wall time, calls per release, isolation and the busiest second per API.
 */
export async function measureScale(rehearse: (options: RehearsalOptions) => Promise<SandboxReport>, counts: readonly number[], runs: number, bakeSeconds: number): Promise<ScalePoint[]> {
  const points: ScalePoint[] = [];
  for (const releases of counts) {
    const wall: number[] = [];
    let last: { report: SandboxReport; calls: readonly AwsCall[] } | undefined;
    for (let run = 0; run < runs; run++) {
      const instrumentation = instrumentHandlers();
      try {
        const report = await rehearse({ scenario: 'happy', steps: [...CANARY_STEPS], bakeSeconds, releases });
        wall.push(report.wallMs);
        last = { report, calls: instrumentation.accounts.at(-1)?.calls() ?? [] };
      } finally {
        instrumentation.restore();
      }
    }
    if (last === undefined) throw new Error('no run');
    const { report, calls } = last;
    const perExecution = new Map<string, number>();
    for (const call of calls) {
      const execution = call.origin?.executionArn;
      if (execution !== undefined) perExecution.set(execution, (perExecution.get(execution) ?? 0) + 1);
    }
    const callCounts = [...perExecution.values()];
    const transitionCounts = report.releases.map((release) => release.stateTransitions);
    const operations = [...new Set(calls.map((call) => call.operation))].sort();
    points.push({
      releases,
      outcome: report.outcome,
      wallMs: median(wall),
      wallMsRuns: wall,
      awsCallsPerRelease: {
        min: Math.min(...callCounts),
        max: Math.max(...callCounts),
        mean: callCounts.reduce((sum, count) => sum + count, 0) / Math.max(1, callCounts.length),
      },
      transitionsPerRelease: { min: Math.min(...transitionCounts), max: Math.max(...transitionCounts) },
      crossTalk: report.crossTalk.length,
      invariantViolations: report.invariantViolations.length,
      peakPerSecondByOperation: Object.fromEntries(operations.map((operation) => [operation, peaks(calls, (candidate) => candidate === operation)])),
      categoryPeaks: throttlingRates.map((rate) => ({
        category: rate.category,
        operations: rate.operations,
        peakPerSecond: peaks(calls, (operation) => rate.operations.includes(operation)),
        burstPerSecond: rate.burstPerSecond,
        sustainedPerSecond: rate.sustainedPerSecond,
        source: rate.source,
      })),
    });
  }
  return points;
}
