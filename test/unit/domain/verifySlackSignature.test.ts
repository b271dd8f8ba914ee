import * as crypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { signSlackRequest } from '../../support/signSlackRequest.ts';

vi.mock('node:crypto', async (importOriginal) => {
  const original = await importOriginal<typeof crypto>();
  return { ...original, timingSafeEqual: vi.fn(original.timingSafeEqual) };
});

const { SLACK_MAX_BODY_BYTES, verifySlackSignature } = await import('../../../lambdas/domain/verifySlackSignature.ts');

// Slack's own documented example (api.slack.com/authentication/verifying-requests-from-slack).
const documented = {
  signingSecret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestamp: '1531420618',
  rawBody:
    'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
  nowSeconds: 1531420618,
};

describe('Function: verifySlackSignature', () => {
  it("accepts Slack's documented example request", () => {
    // Act
    const verified = verifySlackSignature(documented);

    // Assess
    expect(verified).toBe(true);
  });

  it('accepts a request signed now with the secret', () => {
    // Prepare
    const rawBody = 'text=rollback+web+prod&user_id=U1';

    // Act
    const verified = verifySlackSignature({ signingSecret: 's3cret', timestamp: '1700000000', rawBody, signature: signSlackRequest('s3cret', '1700000000', rawBody), nowSeconds: 1700000010 });

    // Assess
    expect(verified).toBe(true);
  });

  it('refuses a tampered body', () => {
    // Act
    const verified = verifySlackSignature({ ...documented, rawBody: documented.rawBody.replace('text=', 'text=rollback') });

    // Assess
    expect(verified).toBe(false);
  });

  it('refuses a tampered signature', () => {
    // Act
    const verified = verifySlackSignature({ ...documented, signature: documented.signature.replace('a2114', 'a2115') });

    // Assess
    expect(verified).toBe(false);
  });

  it('refuses a signature made with another secret', () => {
    // Act
    const verified = verifySlackSignature({ ...documented, signature: signSlackRequest('wrong', documented.timestamp, documented.rawBody) });

    // Assess
    expect(verified).toBe(false);
  });

  it('refuses a timestamp that was signed but is not the header sent', () => {
    // Act
    const verified = verifySlackSignature({ ...documented, timestamp: '1531420619', nowSeconds: 1531420619 });

    // Assess
    expect(verified).toBe(false);
  });

  it.each([
    ['stale by more than five minutes', 1531420618 + 301, false],
    ['exactly five minutes old', 1531420618 + 300, true],
    ['from more than five minutes in the future', 1531420618 - 301, false],
  ])('treats a timestamp %s accordingly', (_label, nowSeconds, expected) => {
    // Act
    const verified = verifySlackSignature({ ...documented, nowSeconds });

    // Assess
    expect(verified).toBe(expected);
  });

  it.each([
    ['no signature header', { signature: undefined }],
    ['no timestamp header', { timestamp: undefined }],
    ['an empty signing secret', { signingSecret: '' }],
    ['a signature without the v0= prefix', { signature: documented.signature.slice(3) }],
    ['a signature of the wrong length', { signature: `${documented.signature}00` }],
    ['a signature in uppercase hex', { signature: documented.signature.toUpperCase().replace('V0=', 'v0=') }],
    ['a timestamp that is not a number', { timestamp: '1531420618.5' }],
  ])('refuses %s', (_label, override) => {
    // Act
    const verified = verifySlackSignature({ ...documented, ...override });

    // Assess
    expect(verified).toBe(false);
  });

  it('refuses a correctly signed body over the size limit', () => {
    // Prepare
    const rawBody = 'a'.repeat(SLACK_MAX_BODY_BYTES + 1);

    // Act
    const verified = verifySlackSignature({ ...documented, rawBody, signature: signSlackRequest(documented.signingSecret, documented.timestamp, rawBody) });

    // Assess
    expect(verified).toBe(false);
  });

  it('compares the signature with timingSafeEqual', () => {
    // Prepare
    vi.mocked(crypto.timingSafeEqual).mockClear();

    // Act
    verifySlackSignature({ ...documented, signature: documented.signature.replace('a2114', 'a2115') });

    // Assess
    expect(crypto.timingSafeEqual).toHaveBeenCalledTimes(1);
  });
});
