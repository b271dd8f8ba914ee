import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RELEASE_DEFINITION_PATH } from '../../lib/releaseFunctions.ts';

interface Retrier {
  readonly ErrorEquals: readonly string[];
  readonly IntervalSeconds?: number;
  readonly BackoffRate?: number;
  readonly MaxDelaySeconds?: number;
  readonly MaxAttempts?: number;
  readonly JitterStrategy?: string;
}

const definition = JSON.parse(readFileSync(new URL(`../../${RELEASE_DEFINITION_PATH}`, import.meta.url), 'utf8')) as {
  States: Record<string, { Retry?: Retrier[]; Catch?: { ErrorEquals: string[]; Next: string }[] }>;
};

/** The longest a retrier waits in total: Step Functions' delays, interval × rate^n capped at MaxDelaySeconds, without jitter. */
function totalWaitSeconds(retrier: Retrier): number {
  let total = 0;
  for (let attempt = 0; attempt < (retrier.MaxAttempts ?? 3); attempt++) {
    total += Math.min((retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** attempt, retrier.MaxDelaySeconds ?? Infinity);
  }
  return total;
}

describe('Definition: release.asl.json', () => {
  describe('State: Prepare', () => {
    const prepare = definition.States['Prepare'];
    const queued = prepare?.Retry?.find((retrier) => retrier.ErrorEquals.includes('ReleaseQueued'));

    it('retries ReleaseQueued on its own, backing off to at most five minutes between attempts, without jitter', () => {
      expect(queued).toEqual({ ErrorEquals: ['ReleaseQueued'], IntervalSeconds: 30, BackoffRate: 1.5, MaxDelaySeconds: 300, MaxAttempts: 30 });
    });

    it('waits at least two hours and at most two and a half for the lock before the execution fails', () => {
      const seconds = totalWaitSeconds(queued ?? { ErrorEquals: [] });

      expect(seconds).toBeGreaterThanOrEqual(2 * 3600);
      expect(seconds).toBeLessThanOrEqual(2.5 * 3600);
    });

    it('does not retry ConcurrentReleaseError or ReleaseSuperseded, and ends every failure in PrepareRejected', () => {
      const retried = (prepare?.Retry ?? []).flatMap((retrier) => retrier.ErrorEquals);

      expect(retried).not.toContain('ConcurrentReleaseError');
      expect(retried).not.toContain('ReleaseSuperseded');
      expect(prepare?.Catch).toEqual([expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: 'PrepareRejected' })]);
    });
  });
});
