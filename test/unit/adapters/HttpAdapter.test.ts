import { describe, expect, it } from 'vitest';
import { HttpAdapter } from '../../../lambdas/adapters/HttpAdapter.ts';

describe('Class: HttpAdapter', () => {
  describe('Method: request', () => {
    it('sends the method without following redirects and reads at most 64 KiB of the body', async () => {
      // Prepare
      const seen: RequestInit[] = [];
      const adapter = new HttpAdapter(async (_url, init) => {
        seen.push(init ?? {});
        return new Response('x'.repeat(100_000), { status: 503 });
      });

      // Act
      const response = await adapter.request('https://test.example.com/health', { method: 'GET', timeoutMs: 1000 });

      // Assess
      expect(response.status).toBe(503);
      expect(response.body).toHaveLength(64 * 1024);
      expect(seen[0]).toMatchObject({ method: 'GET', redirect: 'manual' });
      expect(seen[0]?.signal).toBeInstanceOf(AbortSignal);
    });
  });
});
