import { ReleaseError, SmokeTestFailed } from './errors.ts';
import type { HttpPort, HttpResponseView } from './ports.ts';
import type { ReleaseState } from './releaseState.ts';
import type { SmokeTest } from './serviceConfig.ts';

/** Longest body excerpt a failure quotes. */
export const BODY_EXCERPT_LENGTH = 200;

/** How long one request may take when the test does not say. */
export const DEFAULT_SMOKE_TEST_TIMEOUT_SECONDS = 10;

/** What RunSmokeTests reports (`$.smokeTests`). */
export interface RunSmokeTestsResult {
  readonly passed: readonly { readonly name: string; readonly status: number }[];
}

function excerpt(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length <= BODY_EXCERPT_LENGTH ? flat : `${flat.slice(0, BODY_EXCERPT_LENGTH - 1)}…`;
}

/** Why a response fails a test, or `undefined` when it passes. */
export function smokeTestFailure(test: SmokeTest, response: HttpResponseView): string | undefined {
  if (response.status !== test.expectStatus) {
    return `smoke test "${test.name}" (${test.method ?? 'GET'} ${test.url}) expected status ${test.expectStatus}, got ${response.status}; body: "${excerpt(response.body)}"`;
  }
  if (test.expectBodyContains !== undefined && !response.body.includes(test.expectBodyContains)) {
    return `smoke test "${test.name}" (${test.method ?? 'GET'} ${test.url}) got status ${response.status} but the body does not contain "${test.expectBodyContains}"; body: "${excerpt(response.body)}"`;
  }
  return undefined;
}

async function runOne(test: SmokeTest, http: HttpPort): Promise<{ readonly name: string; readonly status: number } | { readonly failure: string }> {
  const method = test.method ?? 'GET';
  let response: HttpResponseView;
  try {
    response = await http.request(test.url, { method, timeoutMs: (test.timeoutSeconds ?? DEFAULT_SMOKE_TEST_TIMEOUT_SECONDS) * 1000 });
  } catch (error) {
    return { failure: `smoke test "${test.name}" (${method} ${test.url}) got no response: ${(error as Error).name}: ${(error as Error).message}` };
  }
  const failure = smokeTestFailure(test, response);
  return failure === undefined ? { name: test.name, status: response.status } : { failure };
}

/**
 * The RunSmokeTests state: sends every configured request (at once) and passes when each gets its expected status
 * and body text. Throws {@link SmokeTestFailed} naming each failing test, its status and a body excerpt; the state
 * machine retries that error a few times with backoff, for a colour that is still warming up.
 */
export async function runSmokeTests(state: ReleaseState, ports: { readonly http: HttpPort }): Promise<RunSmokeTestsResult> {
  const tests = state.release.smokeTests;
  if (tests === undefined) throw new ReleaseError('RunSmokeTests ran without smokeTests; the state machine\'s Choice should have skipped it');
  const outcomes = await Promise.all(tests.map((test) => runOne(test, ports.http)));
  const failures = outcomes.flatMap((outcome) => ('failure' in outcome ? [outcome.failure] : []));
  if (failures.length > 0) throw new SmokeTestFailed(failures.join('; '));
  return { passed: outcomes.flatMap((outcome) => ('failure' in outcome ? [] : [outcome])) };
}
