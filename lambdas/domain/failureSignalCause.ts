import type { CaughtError } from './releaseState.ts';

/**
 * The Cause of a task-token failure (an alarm fired, an operator aborted): JSON with `errorType` and `errorMessage`
 * like a Lambda error's Cause, so describeCause reads it the same way, plus `signalledAt`, when the failure
 * was signalled (the alarm's state change, the abort). Rollback measures its reaction time from `signalledAt`.
 */
export function failureSignalCause(errorType: string, errorMessage: string, signalledAt: Date): string {
  return JSON.stringify({ errorType, errorMessage, signalledAt: signalledAt.toISOString() });
}

/** When the failure a Catch caught was signalled, if its Cause was written by {@link failureSignalCause}. */
export function failureSignalledAt(error: CaughtError | undefined): Date | undefined {
  const cause = error?.Cause?.trim();
  if (cause === undefined || !cause.startsWith('{')) return undefined;
  try {
    const { signalledAt } = JSON.parse(cause) as { signalledAt?: unknown };
    if (typeof signalledAt !== 'string') return undefined;
    const time = Date.parse(signalledAt);
    return Number.isNaN(time) ? undefined : new Date(time);
  } catch {
    return undefined;
  }
}
