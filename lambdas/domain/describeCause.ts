import type { CaughtError, StepState } from './releaseState.ts';

/** Longest cause cutover writes: it must fit a Fail state's Cause and read well in the ledger. */
export const MAX_CAUSE_LENGTH = 1000;

function causeOfLambdaError(cause: string): string | undefined {
  if (!cause.trimStart().startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(cause);
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { errorType, errorMessage } = parsed as { errorType?: unknown; errorMessage?: unknown };
    if (typeof errorType !== 'string' && typeof errorMessage !== 'string') return undefined;
    if (typeof errorType !== 'string') return String(errorMessage);
    return typeof errorMessage === 'string' && errorMessage.length > 0 ? `${errorType}: ${errorMessage}` : errorType;
  } catch {
    return undefined;
  }
}

function truncate(text: string): string {
  return text.length <= MAX_CAUSE_LENGTH ? text : `${text.slice(0, MAX_CAUSE_LENGTH - 1)}…`;
}

/**
 * A human cause for the ledger and the execution's failure, from a caught Step Functions error.
 * A Lambda error's Cause is JSON (`errorType`, `errorMessage`); a task-token failure's Cause is plain text;
 * a manual pause that times out was never promoted. At most {@link MAX_CAUSE_LENGTH} characters.
 */
export function describeCause(error: CaughtError | undefined, step?: StepState | { readonly nextIndex: number }): string {
  if (error === undefined) return 'unknown cause';
  if (error.Error === 'States.Timeout' && step !== undefined && 'manual' in step && step.manual) {
    return truncate(`no promotion within ${step.timeoutSeconds} s at ${step.weight} %`);
  }
  const cause = error.Cause?.trim();
  if (cause === undefined || cause.length === 0) return truncate(error.Error);
  return truncate(causeOfLambdaError(cause) ?? `${error.Error}: ${cause}`);
}
