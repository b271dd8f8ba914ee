/** Shortest and longest wait between two readiness checks. */
const MIN_WAIT_SECONDS = 10;
const MAX_WAIT_SECONDS = 60;

/**
 * Seconds to wait before checking the idle colour again: half the time spent so far, between 10 and 60,
 * so that a fast deployment is noticed quickly and a slow one costs few state transitions.
 */
export function nextReadinessWaitSeconds(elapsedSeconds: number): number {
  return Math.min(MAX_WAIT_SECONDS, Math.max(MIN_WAIT_SECONDS, Math.round(elapsedSeconds / 2)));
}
