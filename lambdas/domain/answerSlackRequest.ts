import type { SlackDecision } from './decideSlackRequest.ts';
import type { SlackWorkQueuePort } from './slackPorts.ts';

/** An HTTP answer for API Gateway's Lambda proxy integration. */
export interface SlackHttpAnswer {
  readonly statusCode: number;
  readonly headers?: Record<string, string>;
  readonly body: string;
}

/** The answer when the work could not be queued: nothing was done. */
export const SLACK_QUEUE_FAILED_TEXT = 'cutover could not start that just now, and nothing was changed. Please try again.';

/**
 * Carries out a decision: queues its work (the worker runs it after this answer) and answers Slack at once with the
 * decision's ephemeral reply, or an empty 200. When the work cannot be queued, the answer says nothing was changed.
 */
export async function answerSlackRequest(decision: SlackDecision, queue: SlackWorkQueuePort): Promise<{ readonly answer: SlackHttpAnswer; readonly queueError?: unknown }> {
  let queueError: unknown;
  if (decision.work) {
    try {
      await queue.enqueue(decision.work);
    } catch (error) {
      queueError = error;
    }
  }
  const reply = queueError === undefined ? decision.reply : { response_type: 'ephemeral' as const, text: SLACK_QUEUE_FAILED_TEXT };
  const answer: SlackHttpAnswer = reply
    ? { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(reply) }
    : { statusCode: 200, body: '' };
  return queueError === undefined ? { answer } : { answer, queueError };
}
