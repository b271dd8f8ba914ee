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

/** The answer to a signed request that was already handled (a replay, or Slack sending it twice): nothing is done again. */
export const SLACK_ALREADY_HANDLED_TEXT = 'cutover already handled this request; nothing was done again.';

const jsonAnswer = (reply: { readonly response_type: 'ephemeral'; readonly text: string }): SlackHttpAnswer => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(reply),
});

/**
 * Carries out a decision: queues its work (the worker runs it after this answer) and answers Slack at once with the
 * decision's ephemeral reply, or an empty 200. When the work cannot be queued, the answer says nothing was changed.
 * Before an action is queued, `claim` records the request (its signature): a request claimed before is answered
 * "already handled" and queues nothing; a claim that fails queues nothing either.
 */
export async function answerSlackRequest(
  decision: SlackDecision,
  queue: SlackWorkQueuePort,
  claim?: () => Promise<boolean>,
): Promise<{ readonly answer: SlackHttpAnswer; readonly queueError?: unknown; readonly replayed?: true }> {
  let queueError: unknown;
  if (decision.work?.kind === 'act' && claim !== undefined) {
    let claimed: boolean;
    try {
      claimed = await claim();
    } catch (error) {
      return { answer: jsonAnswer({ response_type: 'ephemeral', text: SLACK_QUEUE_FAILED_TEXT }), queueError: error };
    }
    if (!claimed) return { answer: jsonAnswer({ response_type: 'ephemeral', text: SLACK_ALREADY_HANDLED_TEXT }), replayed: true };
  }
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
