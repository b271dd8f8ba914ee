import { createHmac } from 'node:crypto';

/** Slack's v0 signature of a body at a timestamp, as Slack computes it (independently of the code under test). */
export function signSlackRequest(signingSecret: string, timestamp: string, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}
