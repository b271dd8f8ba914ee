import * as z from 'zod';
import { resourceNameSchema } from './releaseInput.ts';

/**
 * What a Slack user can ask for. `rollback` and `abort` both fail the waiting bake of the running release; `approve`
 * and `reject` answer the approval a release waits for (buttons only, not slash commands).
 */
export const SlackAction = { Rollback: 'rollback', Abort: 'abort', Promote: 'promote', Status: 'status', Approve: 'approve', Reject: 'reject' } as const;
/** One Slack action. */
export type SlackActionValue = (typeof SlackAction)[keyof typeof SlackAction];

/** A Slack id: user (`U…`, `W…`), channel (`C…`, `G…`, `D…`), team (`T…`). */
export const slackIdSchema = z.string().regex(/^[A-Z0-9]{2,32}$/, 'must be a Slack id');

/**
 * A Slack `response_url`: only Slack's own hooks host, so that a request (signed, but still) can never make the worker
 * post to another address.
 */
export const slackResponseUrlSchema = z
  .string()
  .max(2048)
  .regex(/^https:\/\/hooks\.slack\.com\/[A-Za-z0-9/_.~%-]+$/, 'must be an https://hooks.slack.com/ URL');

/** Who asked, as Slack names them. */
export const slackActorSchema = z.strictObject({
  userId: slackIdSchema,
  /** The Slack user name, for people reading the ledger; never used to authorize. */
  userName: z.string().max(128),
});

/** Who asked, as Slack names them. */
export type SlackActor = z.infer<typeof slackActorSchema>;

/**
 * What the Slack endpoint hands to the worker (an asynchronous Lambda invocation): an action to run and report
 * through `responseUrl`, or only a reply to post there. The worker validates it again: it is an invocation payload.
 */
export const slackWorkSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('act'),
    action: z.enum([SlackAction.Rollback, SlackAction.Abort, SlackAction.Promote, SlackAction.Status, SlackAction.Approve, SlackAction.Reject]),
    service: resourceNameSchema,
    environment: resourceNameSchema,
    actor: slackActorSchema,
    channelId: slackIdSchema.optional(),
    responseUrl: slackResponseUrlSchema,
    /** From a button: act only if this release is still the one running. */
    releaseId: z.string().min(1).max(128).optional(),
  }),
  z.strictObject({
    kind: z.literal('reply'),
    responseUrl: slackResponseUrlSchema,
    text: z.string().min(1).max(3000),
  }),
]);

/** Work for the Slack worker. */
export type SlackWork = z.infer<typeof slackWorkSchema>;

/** The actor as the ledger and the execution record it: `slack:<user id> (<user name>)`. */
export function slackActorLabel(actor: SlackActor): string {
  return `slack:${actor.userId} (${actor.userName.replace(/[^\w.@-]/g, '') || 'unknown'})`;
}
