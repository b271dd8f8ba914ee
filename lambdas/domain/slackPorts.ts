import type { SlackWork } from './slackWork.ts';

/**
 * What the Slack features need from the outside world, as interfaces: `lambdas/adapters/` implements them, domain
 * tests use in-memory fakes. Slack calls never throw: Slack being down must not fail or slow anything else.
 */

/** A message for a slash command's or button's `response_url`. */
export interface SlackResponse {
  /** `ephemeral`: only the asker sees it; `in_channel`: the channel sees who did what. */
  readonly response_type: 'ephemeral' | 'in_channel';
  readonly text: string;
  /** Replace the message the button was on (false: post a new one). */
  readonly replace_original?: boolean;
}

/** Posting to a `response_url`. */
export interface SlackResponderPort {
  /** Posts the message; false when Slack did not take it (error status, timeout, network). Never throws. */
  respond(responseUrl: string, message: SlackResponse): Promise<boolean>;
}

/** A Block Kit message: the fallback text (notifications, screen readers) and the blocks. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly Record<string, unknown>[];
}

/** The result of a Web API call: Slack's `ok`, the message `ts` when it returned one, the error when not. */
export type SlackChatResult = { readonly ok: true; readonly ts: string } | { readonly ok: false; readonly error: string };

/** The Slack Web API calls the notifier makes (bot token). */
export interface SlackChatPort {
  /** chat.postMessage. Never throws. */
  postMessage(channel: string, message: SlackMessage): Promise<SlackChatResult>;
  /** chat.update of the message `ts` in `channel`. Never throws. */
  updateMessage(channel: string, ts: string, message: SlackMessage): Promise<SlackChatResult>;
}

/** Where a release's Slack message is, so that later phases update it in place. */
export interface SlackMessageRef {
  readonly channel: string;
  readonly ts: string;
}

/** The release table's Slack items: `SLACK#<env>#<releaseId>` / `MESSAGE`. */
export interface SlackMessageStorePort {
  getMessageRef(environment: string, releaseId: string): Promise<SlackMessageRef | undefined>;
  putMessageRef(environment: string, releaseId: string, ref: SlackMessageRef): Promise<void>;
}

/**
 * Remembers the signed requests the endpoint accepted, so that a captured request replayed within Slack's five-minute
 * window acts once only. Layout: `SLACKREQUEST#<signature>` / `REQUEST`, expiring after {@link SLACK_REPLAY_TTL_SECONDS}.
 */
export interface SlackReplayGuardPort {
  /** Records the request's signature; false when it was already recorded (a replay). Throws when it cannot tell. */
  claim(signature: string, nowSeconds: number): Promise<boolean>;
}

/** The partition key prefix of accepted Slack requests in the release table (the endpoint's role may write only these items). */
export const SLACK_REQUEST_KEY_PREFIX = 'SLACKREQUEST#';

/** How long an accepted signature is remembered: a little longer than the five minutes a timestamp stays valid. */
export const SLACK_REPLAY_TTL_SECONDS = 360;

/** Hands work to the Slack worker, to run after the endpoint has answered. */
export interface SlackWorkQueuePort {
  /** Queues the work; throws when it could not be queued (nothing will run). */
  enqueue(work: SlackWork): Promise<void>;
}
