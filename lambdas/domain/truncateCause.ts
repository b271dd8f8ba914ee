import { MAX_CAUSE_LENGTH } from './describeCause.ts';

/** Shortens a cause to {@link MAX_CAUSE_LENGTH} characters, marking the cut with an ellipsis. */
export function truncateCause(text: string): string {
  return text.length <= MAX_CAUSE_LENGTH ? text : `${text.slice(0, MAX_CAUSE_LENGTH - 1)}…`;
}
