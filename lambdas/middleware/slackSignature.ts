import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj, Request } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { verifySlackSignature } from '../domain/verifySlackSignature.ts';
import { rawBodyOf } from './rawBodyOf.ts';

/** Options of {@link slackSignature}. */
export interface SlackSignatureOptions {
  /** Reads the signing secret (SSM SecureString, cached). `undefined` (no parameter) rejects every request. */
  readonly signingSecret: () => Promise<string | undefined>;
  readonly logger: Logger;
  /** The clock. @default () => new Date() */
  readonly now?: () => Date;
}

/** The answer to a request that is not verifiably from Slack: 401, no detail. */
export const SLACK_UNAUTHORIZED: APIGatewayProxyResult = { statusCode: 401, body: '' };

/** A request header, whatever its case (API Gateway passes headers as the client sent them). */
export function headerOf(event: APIGatewayProxyEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && typeof value === 'string') return value;
  }
  return undefined;
}

/**
 * A middy middleware that verifies Slack's v0 signature before the handler runs: a missing or bad signature, a stale
 * or future timestamp, an oversized body or a missing secret ends the request with {@link SLACK_UNAUTHORIZED} and the
 * handler never runs. Neither the secret nor the signature is logged.
 */
export function slackSignature(options: SlackSignatureOptions): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  const now = options.now ?? (() => new Date());
  const slackSignatureBefore = async (request: Request<APIGatewayProxyEvent, APIGatewayProxyResult>): Promise<APIGatewayProxyResult | undefined> => {
    const signingSecret = (await options.signingSecret()) ?? '';
    if (signingSecret === '') options.logger.error('the Slack signing secret parameter is missing or empty: every request is refused');
    const verified = verifySlackSignature({
      signingSecret,
      timestamp: headerOf(request.event, 'X-Slack-Request-Timestamp'),
      signature: headerOf(request.event, 'X-Slack-Signature'),
      rawBody: rawBodyOf(request.event),
      nowSeconds: Math.floor(now().getTime() / 1000),
    });
    if (verified) return undefined;
    options.logger.warn('refused a Slack request whose signature does not verify', { sourceIp: request.event.requestContext?.identity?.sourceIp });
    request.response = SLACK_UNAUTHORIZED;
    // Returning the response from `before` ends the request here: the handler does not run.
    return request.response;
  };
  return { before: slackSignatureBefore };
}
