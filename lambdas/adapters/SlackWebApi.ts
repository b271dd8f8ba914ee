import type { SlackChatPort, SlackChatResult, SlackMessage, SlackResponderPort, SlackResponse } from '../domain/slackPorts.ts';

/** Options of {@link SlackWebApi}. */
export interface SlackWebApiOptions {
  /** The bot token (`xoxb-…`) for chat.postMessage and chat.update, read when needed (from SSM, cached). */
  readonly botToken?: () => Promise<string | undefined>;
  /** How long one call to Slack may take before it is given up, in milliseconds. @default 2500 */
  readonly timeoutMs?: number;
  /** The Web API base URL. @default 'https://slack.com/api' */
  readonly apiBaseUrl?: string;
  /** The fetch to use. @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/**
 * Slack over HTTPS with `fetch`: posts to `response_url`s and calls chat.postMessage / chat.update. Every call is
 * bounded by a timeout (`AbortSignal.timeout`) and never throws: an error status, a timeout or a network failure is
 * reported as a result, so a Slack outage never fails or slows a release.
 */
export class SlackWebApi implements SlackResponderPort, SlackChatPort {
  private readonly botToken: () => Promise<string | undefined>;
  private readonly timeoutMs: number;
  private readonly apiBaseUrl: string;
  private readonly fetchOverride: typeof fetch | undefined;

  constructor(options: SlackWebApiOptions = {}) {
    this.botToken = options.botToken ?? (async () => undefined);
    this.timeoutMs = options.timeoutMs ?? 2500;
    this.apiBaseUrl = options.apiBaseUrl ?? 'https://slack.com/api';
    this.fetchOverride = options.fetch;
  }

  /** {@inheritDoc SlackResponderPort.respond} */
  async respond(responseUrl: string, message: SlackResponse): Promise<boolean> {
    try {
      const response = await this.fetch(responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(message),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      return response.ok;
    } catch {
      return false;
    }
  }

  /** {@inheritDoc SlackChatPort.postMessage} */
  async postMessage(channel: string, message: SlackMessage): Promise<SlackChatResult> {
    return this.call('chat.postMessage', { channel, text: message.text, blocks: message.blocks });
  }

  /** {@inheritDoc SlackChatPort.updateMessage} */
  async updateMessage(channel: string, ts: string, message: SlackMessage): Promise<SlackChatResult> {
    return this.call('chat.update', { channel, ts, text: message.text, blocks: message.blocks });
  }

  /** The global fetch is looked up on each call, so that it can be replaced (tests) after construction. */
  private fetch(input: string, init: RequestInit): Promise<Response> {
    return (this.fetchOverride ?? globalThis.fetch)(input, init);
  }

  private async call(method: string, body: Record<string, unknown>): Promise<SlackChatResult> {
    try {
      const token = await this.botToken();
      if (!token) return { ok: false, error: 'no_bot_token' };
      const response = await this.fetch(`${this.apiBaseUrl}/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (!response.ok) return { ok: false, error: `http_${response.status}` };
      const answer = (await response.json()) as { ok?: unknown; ts?: unknown; error?: unknown };
      if (answer.ok === true && typeof answer.ts === 'string') return { ok: true, ts: answer.ts };
      return { ok: false, error: typeof answer.error === 'string' ? answer.error : 'not_ok' };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.name : 'unknown' };
    }
  }
}
