import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SlackWebApi } from '../../../lambdas/adapters/SlackWebApi.ts';

const message = { text: 'web: released', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'released' } }] };

describe('Class: SlackWebApi', () => {
  // A loopback Slack that never answers: the client's own timeout must end the call.
  let silent: Server;
  let silentUrl: string;

  beforeAll(async () => {
    silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    silent.closeAllConnections();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  describe('Method: postMessage', () => {
    it('posts with the bot token and returns the message ts', async () => {
      // Prepare
      const fetchMock = vi.fn<typeof fetch>().mockResolvedValue(Response.json({ ok: true, ts: '1700000000.000100' }));
      const api = new SlackWebApi({ botToken: async () => 'xoxb-test', fetch: fetchMock });

      // Act
      const result = await api.postMessage('COPS', message);

      // Assess
      expect(result).toEqual({ ok: true, ts: '1700000000.000100' });
      const [url, init] = fetchMock.mock.calls[0] ?? [];
      expect(url).toBe('https://slack.com/api/chat.postMessage');
      expect((init?.headers as Record<string, string>).authorization).toBe('Bearer xoxb-test');
      expect(JSON.parse(init?.body as string)).toEqual({ channel: 'COPS', text: message.text, blocks: message.blocks });
    });

    it('returns the error of a 500 without throwing', async () => {
      // Prepare
      const api = new SlackWebApi({ botToken: async () => 'xoxb-test', fetch: async () => new Response('down', { status: 500 }) });

      // Act
      const result = await api.postMessage('COPS', message);

      // Assess
      expect(result).toEqual({ ok: false, error: 'http_500' });
    });

    it("returns Slack's error when Slack answers ok: false", async () => {
      // Prepare
      const api = new SlackWebApi({ botToken: async () => 'xoxb-test', fetch: async () => Response.json({ ok: false, error: 'channel_not_found' }) });

      // Act
      const result = await api.postMessage('CNONE', message);

      // Assess
      expect(result).toEqual({ ok: false, error: 'channel_not_found' });
    });

    it('gives up on a Slack that does not answer, without throwing', async () => {
      // Prepare
      const api = new SlackWebApi({ botToken: async () => 'xoxb-test', timeoutMs: 50, apiBaseUrl: silentUrl });

      // Act
      const result = await api.updateMessage('COPS', '1700000000.000100', message);

      // Assess
      expect(result).toEqual({ ok: false, error: 'TimeoutError' });
    });

    it('calls nothing without a bot token', async () => {
      // Prepare
      const fetchMock = vi.fn<typeof fetch>();
      const api = new SlackWebApi({ botToken: async () => undefined, fetch: fetchMock });

      // Act
      const result = await api.postMessage('COPS', message);

      // Assess
      expect(result).toEqual({ ok: false, error: 'no_bot_token' });
      expect(fetchMock).not.toHaveBeenCalled();
    });
  });

  describe('Method: respond', () => {
    it('returns false on a network failure without throwing', async () => {
      // Prepare
      const api = new SlackWebApi({ fetch: async () => Promise.reject(new TypeError('fetch failed')) });

      // Act
      const delivered = await api.respond('https://hooks.slack.com/commands/T1/2/abc', { response_type: 'ephemeral', text: 'hi' });

      // Assess
      expect(delivered).toBe(false);
    });

    it('gives up on a response_url that does not answer', async () => {
      // Prepare
      const api = new SlackWebApi({ timeoutMs: 50 });

      // Act
      const delivered = await api.respond(`${silentUrl}/commands/T1/2/abc`, { response_type: 'ephemeral', text: 'hi' });

      // Assess
      expect(delivered).toBe(false);
    });
  });
});
