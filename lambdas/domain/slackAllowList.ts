import * as z from 'zod';
import { formatZodIssues } from './formatZodIssues.ts';

const slackIdSchema = z.string().regex(/^[A-Z0-9]{2,32}$/, 'must be a Slack id such as U0123ABCD');

/**
 * Who may roll back, abort or promote from Slack in one environment: the JSON value of the SSM parameter
 * `/cutover/<environment>/slack/allowed`. `status` is open to the whole workspace.
 */
export const slackAllowListSchema = z.strictObject({
  /** Slack user ids allowed to act. */
  users: z.array(slackIdSchema).max(500),
  /** When given, actions are allowed only from these channels (ids), and still only by the listed users. */
  channels: z.array(slackIdSchema).max(500).optional(),
});

/** A validated allow-list. */
export type SlackAllowList = z.infer<typeof slackAllowListSchema>;

/** The allow-list that lets nobody act: what a missing or invalid parameter means. */
export const NOBODY_ALLOWED: SlackAllowList = { users: [] };

/** The result of reading an allow-list: the list, and why it was replaced by {@link NOBODY_ALLOWED} when it was. */
export interface ParsedSlackAllowList {
  readonly allowList: SlackAllowList;
  /** Set when the text was missing or invalid, so that nobody is allowed; to be logged. */
  readonly problem?: string;
}

/** Parses the parameter's text. A missing, non-JSON or invalid value allows nobody (fail closed) and says why. */
export function parseSlackAllowList(text: string | undefined): ParsedSlackAllowList {
  if (text === undefined) return { allowList: NOBODY_ALLOWED, problem: 'the allow-list parameter does not exist' };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { allowList: NOBODY_ALLOWED, problem: 'the allow-list parameter is not valid JSON' };
  }
  const result = slackAllowListSchema.safeParse(raw);
  if (!result.success) return { allowList: NOBODY_ALLOWED, problem: `the allow-list parameter is invalid: ${formatZodIssues(result.error.issues)}` };
  return { allowList: result.data };
}

/** Whether `userId`, in `channelId`, may act (roll back, abort, promote). */
export function isSlackActionAllowed(allowList: SlackAllowList, userId: string, channelId: string | undefined): boolean {
  if (!allowList.users.includes(userId)) return false;
  if (allowList.channels === undefined) return true;
  return channelId !== undefined && allowList.channels.includes(channelId);
}
