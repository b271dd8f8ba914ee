import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj, Request } from '@middy/core';

/** Options of {@link releaseLogging}. */
export interface ReleaseLoggingOptions {
  /** Log the error (name and message) when the handler throws. @default true */
  readonly logErrors?: boolean;
}

interface KeySource {
  readonly releaseId?: unknown;
  readonly service?: unknown;
  readonly environment?: unknown;
}

/** Finds the release identity in any event shape the handlers receive: `{ release }`, `{ state: { release } }`, `{ input }` or a flat record. */
function releaseKeysOf(event: unknown): Record<string, string> {
  if (typeof event !== 'object' || event === null) return {};
  const record = event as Record<string, unknown>;
  const candidates: unknown[] = [
    record.release,
    (record.state as Record<string, unknown> | undefined)?.release,
    record.input,
    record,
  ];
  const keys: Record<string, string> = {};
  for (const candidate of candidates) {
    if (typeof candidate !== 'object' || candidate === null) continue;
    const source = candidate as KeySource;
    // Powertools reserves `service` for the Lambda's own service name, so the released service is `releaseService`.
    for (const [name, key] of [['releaseId', 'releaseId'], ['service', 'releaseService'], ['environment', 'environment']] as const) {
      const value = source[name];
      if (keys[key] === undefined && typeof value === 'string' && value.length <= 128) keys[key] = value;
    }
  }
  return keys;
}

/**
 * A middy middleware that tags every log line of the invocation with the release id, service and environment,
 * and logs a thrown error with its stable name (the name the state machine matches on). Keys are cleared after each
 * invocation so that a warm container never carries one release's keys into the next.
 */
export function releaseLogging(logger: Logger, options: ReleaseLoggingOptions = {}): MiddlewareObj {
  const logErrors = options.logErrors ?? true;
  const releaseLoggingBefore = (request: Request): void => {
    logger.appendKeys(releaseKeysOf(request.event));
  };
  const releaseLoggingAfter = (): void => {
    logger.resetKeys();
  };
  const releaseLoggingOnError = (request: Request): void => {
    if (logErrors && request.error) {
      logger.error('handler failed', { errorName: request.error.name, errorMessage: request.error.message });
    }
    logger.resetKeys();
  };
  return { before: releaseLoggingBefore, after: releaseLoggingAfter, onError: releaseLoggingOnError };
}
