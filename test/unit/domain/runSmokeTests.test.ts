import { describe, expect, it } from 'vitest';
import type { HttpPort, HttpResponseView } from '../../../lambdas/domain/ports.ts';
import { runSmokeTests } from '../../../lambdas/domain/runSmokeTests.ts';
import type { SmokeTest } from '../../../lambdas/domain/serviceConfig.ts';
import { releaseContextFixture, releaseStateFixture } from '../../support/releaseStateFixture.ts';

function httpAnswering(responses: Record<string, HttpResponseView | Error>): HttpPort & { requests: { url: string; method: string; timeoutMs: number }[] } {
  const requests: { url: string; method: string; timeoutMs: number }[] = [];
  return {
    requests,
    async request(url, options) {
      requests.push({ url, ...options });
      const response = responses[url];
      if (response === undefined) throw new Error(`unexpected ${url}`);
      if (response instanceof Error) throw response;
      return response;
    },
  };
}

const stateWith = (smokeTests: SmokeTest[]) => releaseStateFixture({ release: releaseContextFixture({ smokeTests }), step: undefined });

describe('Function: runSmokeTests', () => {
  it('passes when every test gets its status and body text, with the method and timeout of each test', async () => {
    // Prepare
    const http = httpAnswering({ 'https://test.example.com/health': { status: 200, body: '{"status":"ok"}' }, 'https://test.example.com/': { status: 302, body: '' } });

    // Act
    const result = await runSmokeTests(
      stateWith([
        { name: 'health', url: 'https://test.example.com/health', expectStatus: 200, expectBodyContains: '"ok"' },
        { name: 'home', url: 'https://test.example.com/', method: 'HEAD', expectStatus: 302, timeoutSeconds: 3 },
      ]),
      { http },
    );

    // Assess
    expect(result).toEqual({ passed: [{ name: 'health', status: 200 }, { name: 'home', status: 302 }] });
    expect(http.requests).toEqual([
      { url: 'https://test.example.com/health', method: 'GET', timeoutMs: 10_000 },
      { url: 'https://test.example.com/', method: 'HEAD', timeoutMs: 3000 },
    ]);
  });

  it('throws SmokeTestFailed naming the test, the status and at most 200 characters of the body', async () => {
    // Prepare
    const body = `Internal Server Error\n${'x'.repeat(500)}`;
    const http = httpAnswering({ 'https://test.example.com/health': { status: 500, body } });

    // Act & Assess
    const error = await runSmokeTests(stateWith([{ name: 'health', url: 'https://test.example.com/health', expectStatus: 200 }]), { http }).catch((caught: Error) => caught);
    expect(error).toMatchObject({ name: 'SmokeTestFailed' });
    const message = (error as Error).message;
    expect(message).toMatch(/^smoke test "health" \(GET https:\/\/test\.example\.com\/health\) expected status 200, got 500; body: "Internal Server Error x+…"$/);
    expect(message.slice(message.indexOf('body: "') + 7, -1)).toHaveLength(200);
  });

  it('fails a test whose body lacks the expected text, and one that gets no response', async () => {
    // Prepare
    const timeout = Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
    const http = httpAnswering({ 'https://test.example.com/a': { status: 200, body: 'maintenance' }, 'https://test.example.com/b': timeout });

    // Act & Assess
    await expect(
      runSmokeTests(
        stateWith([
          { name: 'a', url: 'https://test.example.com/a', expectStatus: 200, expectBodyContains: 'welcome' },
          { name: 'b', url: 'https://test.example.com/b', expectStatus: 200 },
        ]),
        { http },
      ),
    ).rejects.toThrow(
      'smoke test "a" (GET https://test.example.com/a) got status 200 but the body does not contain "welcome"; body: "maintenance"; ' +
        'smoke test "b" (GET https://test.example.com/b) got no response: TimeoutError: The operation was aborted due to timeout',
    );
  });
});
