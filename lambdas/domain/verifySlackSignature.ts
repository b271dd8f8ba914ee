import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far a request's timestamp may be from now, either way, before it counts as a replay: five minutes (Slack's advice). */
export const SLACK_MAX_CLOCK_SKEW_SECONDS = 300;

/** The largest body accepted, in bytes. Slack's slash commands and button payloads are far smaller. */
export const SLACK_MAX_BODY_BYTES = 64 * 1024;

/** What {@link verifySlackSignature} checks. Every field but the secret and the clock comes from the request, unvalidated. */
export interface SlackSignatureInput {
  /** The app's signing secret. An empty secret verifies nothing. */
  readonly signingSecret: string;
  /** The `X-Slack-Request-Timestamp` header: seconds since the epoch. */
  readonly timestamp: string | undefined;
  /** The request body exactly as Slack sent it. */
  readonly rawBody: string;
  /** The `X-Slack-Signature` header: `v0=` and 64 hex digits. */
  readonly signature: string | undefined;
  /** Now, in seconds since the epoch. */
  readonly nowSeconds: number;
}

const TIMESTAMP = /^\d{1,12}$/;
const SIGNATURE = /^v0=([0-9a-f]{64})$/;

/**
 * Slack's v0 request signature: HMAC-SHA256 with the signing secret over `v0:<timestamp>:<raw body>`, hex, prefixed
 * `v0=`, compared in constant time, and the timestamp within {@link SLACK_MAX_CLOCK_SKEW_SECONDS} of now (a replayed
 * request is stale). True only when every part holds; a missing header, an oversized body or an empty secret is false.
 */
export function verifySlackSignature({ signingSecret, timestamp, rawBody, signature, nowSeconds }: SlackSignatureInput): boolean {
  if (signingSecret.length === 0 || timestamp === undefined || signature === undefined) return false;
  if (Buffer.byteLength(rawBody, 'utf8') > SLACK_MAX_BODY_BYTES) return false;
  if (!TIMESTAMP.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > SLACK_MAX_CLOCK_SKEW_SECONDS) return false;
  const given = SIGNATURE.exec(signature)?.[1];
  if (given === undefined) return false;
  const expected = createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`, 'utf8').digest();
  // Both are 32 bytes here (64 hex digits checked above), as timingSafeEqual requires.
  return timingSafeEqual(expected, Buffer.from(given, 'hex'));
}
