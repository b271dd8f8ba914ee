import * as z from 'zod';
import { resourceNameSchema } from './releaseInput.ts';
import { isSlackActionAllowed, type SlackAllowList } from './slackAllowList.ts';
import { parseSlackCommandText, SLACK_USAGE } from './parseSlackCommandText.ts';
import { SlackAction, type SlackActionValue, type SlackWork, slackIdSchema, slackResponseUrlSchema } from './slackWork.ts';

/** The button action ids of a release message: they come back through `/slack/interactions`. */
export const SlackButton = { Promote: 'cutover_promote', Rollback: 'cutover_rollback', Approve: 'cutover_approve', Reject: 'cutover_reject' } as const;
/** One button action id. */
export type SlackButtonId = (typeof SlackButton)[keyof typeof SlackButton];

/** What each button asks for. */
const BUTTON_ACTION: Record<SlackButtonId, SlackActionValue> = {
  [SlackButton.Promote]: SlackAction.Promote,
  [SlackButton.Rollback]: SlackAction.Rollback,
  [SlackButton.Approve]: SlackAction.Approve,
  [SlackButton.Reject]: SlackAction.Reject,
};

/** What the endpoint answers and hands on, decided from a verified request. Nothing in it has happened yet. */
export interface SlackDecision {
  /** The HTTP answer: an ephemeral message, or none (an empty 200, as Slack wants for button clicks). */
  readonly reply?: { readonly response_type: 'ephemeral'; readonly text: string };
  /** Work for the worker, invoked asynchronously before answering. */
  readonly work?: SlackWork;
  /** An attempt refused by the allow-list, to log with the user id. */
  readonly refused?: { readonly userId: string; readonly action: SlackActionValue; readonly service: string; readonly environment: string };
  /** Why the body is not a request this endpoint understands, to log. */
  readonly malformed?: string;
}

/** What the decision depends on besides the request. */
export interface SlackDecisionContext {
  /** The environment this control plane (and its Slack endpoint) serves. */
  readonly environment: string;
  readonly allowList: SlackAllowList;
}

const slashCommandFormSchema = z.object({
  user_id: slackIdSchema,
  user_name: z.string().max(128).default(''),
  channel_id: slackIdSchema.optional(),
  text: z.string().max(1000).default(''),
  response_url: slackResponseUrlSchema,
});

const ACK: Record<SlackActionValue, (service: string, environment: string) => string> = {
  rollback: (service, environment) => `Rolling back ${service} in ${environment}…`,
  abort: (service, environment) => `Aborting the release of ${service} in ${environment}…`,
  promote: (service, environment) => `Promoting ${service} in ${environment}…`,
  status: (service, environment) => `Looking up ${service} in ${environment}…`,
  approve: (service, environment) => `Approving the release of ${service} in ${environment}…`,
  reject: (service, environment) => `Rejecting the release of ${service} in ${environment}…`,
};

const ephemeral = (text: string): SlackDecision['reply'] => ({ response_type: 'ephemeral', text });

function notAllowed(action: SlackActionValue, service: string, environment: string): string {
  return `You are not allowed to ${action} ${service} in ${environment}. Ask an operator to add you to the allow-list.`;
}

/**
 * Decides what to do with a verified slash command (`application/x-www-form-urlencoded` body): usage text for
 * anything that is not a command, an ephemeral refusal for an action the allow-list does not grant, otherwise an
 * ephemeral acknowledgement and the work to do. `status` is open to everyone.
 */
export function decideSlackCommand(rawBody: string, context: SlackDecisionContext): SlackDecision {
  const form = slashCommandFormSchema.safeParse(Object.fromEntries(new URLSearchParams(rawBody)));
  if (!form.success) return { reply: ephemeral(SLACK_USAGE), malformed: 'not a slash command form' };
  const { user_id: userId, user_name: userName, channel_id: channelId, text, response_url: responseUrl } = form.data;
  const parsed = parseSlackCommandText(text, context.environment);
  if (parsed.kind === 'help') return { reply: ephemeral(SLACK_USAGE) };
  if (parsed.kind === 'usage') return { reply: ephemeral(`${parsed.problem}. ${SLACK_USAGE}`) };
  const { action, service, environment } = parsed;
  if (environment !== context.environment) {
    return { reply: ephemeral(`This is the ${context.environment} control plane; ${environment} is served by its own /cutover endpoint.`) };
  }
  if (action !== SlackAction.Status && !isSlackActionAllowed(context.allowList, userId, channelId)) {
    return { reply: ephemeral(notAllowed(action, service, environment)), refused: { userId, action, service, environment } };
  }
  return {
    reply: ephemeral(ACK[action](service, environment)),
    work: { kind: 'act', action, service, environment, actor: { userId, userName }, ...(channelId ? { channelId } : {}), responseUrl },
  };
}

/** The `value` of a Promote / Roll back / Approve / Reject button: which release it acts on. */
export const slackButtonValueSchema = z.strictObject({
  service: resourceNameSchema,
  environment: resourceNameSchema,
  releaseId: z.string().min(1).max(128),
});

/** The `value` of a release message's buttons. */
export type SlackButtonValue = z.infer<typeof slackButtonValueSchema>;

const interactionPayloadSchema = z.object({
  type: z.literal('block_actions'),
  user: z.object({ id: slackIdSchema, username: z.string().max(128).optional(), name: z.string().max(128).optional() }),
  channel: z.object({ id: slackIdSchema }).optional(),
  response_url: slackResponseUrlSchema,
  actions: z.array(z.object({ action_id: z.enum([SlackButton.Promote, SlackButton.Rollback, SlackButton.Approve, SlackButton.Reject]), value: z.string().max(2000) })).min(1),
});

/**
 * Decides what to do with a verified button click (`payload=<JSON>` form body). Slack wants an empty 200 for a click,
 * so every answer, the refusal included, goes through the worker to `response_url`. The action acts only on the
 * release the message was about (`releaseId`), never on a newer one.
 */
export function decideSlackInteraction(rawBody: string, context: SlackDecisionContext): SlackDecision {
  const payloadText = new URLSearchParams(rawBody).get('payload');
  if (payloadText === null) return { malformed: 'no payload field' };
  let raw: unknown;
  try {
    raw = JSON.parse(payloadText);
  } catch {
    return { malformed: 'payload is not JSON' };
  }
  const payload = interactionPayloadSchema.safeParse(raw);
  if (!payload.success) return { malformed: 'not a cutover button click' };
  const { user, channel, response_url: responseUrl, actions } = payload.data;
  const [clicked] = actions;
  if (clicked === undefined) return { malformed: 'no action' };
  let value: SlackButtonValue;
  try {
    value = slackButtonValueSchema.parse(JSON.parse(clicked.value));
  } catch {
    return { malformed: 'the button value is not a cutover release' };
  }
  const action = BUTTON_ACTION[clicked.action_id];
  const { service, environment, releaseId } = value;
  if (environment !== context.environment) return { malformed: `the button is for environment ${environment}` };
  if (!isSlackActionAllowed(context.allowList, user.id, channel?.id)) {
    return {
      work: { kind: 'reply', responseUrl, text: notAllowed(action, service, environment) },
      refused: { userId: user.id, action, service, environment },
    };
  }
  return {
    work: {
      kind: 'act',
      action,
      service,
      environment,
      actor: { userId: user.id, userName: user.username ?? user.name ?? '' },
      ...(channel ? { channelId: channel.id } : {}),
      responseUrl,
      releaseId,
    },
  };
}

/** The endpoint's routes. */
export const SlackRoute = { Commands: '/slack/commands', Interactions: '/slack/interactions' } as const;

/** Decides on a verified request by its route: slash commands, button clicks, anything else is malformed (an empty 200). */
export function decideSlackRequest(route: string, rawBody: string, context: SlackDecisionContext): SlackDecision {
  if (route === SlackRoute.Commands) return decideSlackCommand(rawBody, context);
  if (route === SlackRoute.Interactions) return decideSlackInteraction(rawBody, context);
  return { malformed: 'unknown route' };
}
