import type { ParameterPort } from './ports.ts';
import type { ReleasePhaseDetail } from './releasePhaseEvent.ts';
import { renderReleaseMessage } from './renderReleaseMessage.ts';
import { parseServiceConfig, serviceConfigParameterName } from './serviceConfig.ts';
import type { SlackChatPort, SlackMessageStorePort } from './slackPorts.ts';

/** The ports the notifier needs. */
export interface NotifyReleasePhasePorts {
  /** Service configurations (for `slack.channel`). */
  readonly parameters: ParameterPort;
  readonly chat: SlackChatPort;
  readonly messages: SlackMessageStorePort;
}

/** What the notifier did. `failed` notifications are logged and counted by the handler, never thrown. */
export type NotifyResult =
  | { readonly outcome: 'posted' | 'updated'; readonly channel: string; readonly ts: string }
  | { readonly outcome: 'skipped'; readonly reason: string }
  | { readonly outcome: 'failed'; readonly reason: string };

/**
 * Posts a release's phase to its service's Slack channel: the first phase posts the message (chat.postMessage) and
 * remembers where it is; later phases update it in place (chat.update), so a release is one message, not a flood. A
 * service without `slack.channel` is skipped. Nothing here throws: Slack, SSM or DynamoDB failing only makes the
 * result `failed`.
 */
export async function notifyReleasePhase(detail: ReleasePhaseDetail, ports: NotifyReleasePhasePorts): Promise<NotifyResult> {
  try {
    const name = serviceConfigParameterName(detail.environment, detail.service);
    const text = await ports.parameters.getParameter(name);
    if (text === undefined) return { outcome: 'skipped', reason: `${name} does not exist` };
    const channel = parseServiceConfig(name, text).slack?.channel;
    if (channel === undefined) return { outcome: 'skipped', reason: `${detail.service} in ${detail.environment} has no slack.channel` };
    const message = renderReleaseMessage(detail);
    const existing = await ports.messages.getMessageRef(detail.environment, detail.releaseId);
    if (existing) {
      const updated = await ports.chat.updateMessage(existing.channel, existing.ts, message);
      if (updated.ok) return { outcome: 'updated', channel: existing.channel, ts: existing.ts };
      // A message deleted by hand (or never visible to the bot) is posted again rather than lost.
      if (updated.error !== 'message_not_found') return { outcome: 'failed', reason: `chat.update: ${updated.error}` };
    }
    const posted = await ports.chat.postMessage(channel, message);
    if (!posted.ok) return { outcome: 'failed', reason: `chat.postMessage: ${posted.error}` };
    await ports.messages.putMessageRef(detail.environment, detail.releaseId, { channel, ts: posted.ts });
    return { outcome: 'posted', channel, ts: posted.ts };
  } catch (error) {
    return { outcome: 'failed', reason: `${(error as Error).name}: ${(error as Error).message}` };
  }
}
