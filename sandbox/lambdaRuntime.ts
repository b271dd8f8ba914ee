import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The project root (the directory above sandbox/). */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The Lambda context object a handler receives (the fields of `aws-lambda`'s `Context` that Node handlers use). */
export interface LambdaContext {
  callbackWaitsForEmptyEventLoop: boolean;
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB: string;
  readonly awsRequestId: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
  getRemainingTimeInMillis(): number;
  done(error?: Error, result?: unknown): void;
  fail(error: Error | string): void;
  succeed(message: unknown): void;
}

/** A Lambda handler as a module exports it. */
export type LambdaHandler = (event: unknown, context: LambdaContext) => unknown;

/**
 * A function error as Step Functions sees it: `name` is the error type it matches `Retry` and `Catch` on, and
 * `message` is the cause, the JSON document Lambda returns: `{"errorType":…,"errorMessage":…,"trace":[]}`.
 */
export class LambdaFunctionError extends Error {
  /** The error type (the thrown error's name). */
  readonly errorType: string;
  /** The thrown error's message. */
  readonly errorMessage: string;

  constructor(errorType: string, errorMessage: string) {
    super(JSON.stringify({ errorType, errorMessage, trace: [] }));
    this.name = errorType;
    this.errorType = errorType;
    this.errorMessage = errorMessage;
  }
}

/** Loads the `handler` export of a handler module, by its path relative to the project root (a catalog `entry`). */
export async function loadHandler(entry: string): Promise<LambdaHandler> {
  const url = pathToFileURL(path.join(PROJECT_ROOT, entry)).href;
  const module = (await import(url)) as { handler?: unknown };
  if (typeof module.handler !== 'function') throw new Error(`${entry} has no exported function "handler"`);
  return module.handler as LambdaHandler;
}

/** Where and how long a simulated function runs. */
export interface InvokeOptions {
  readonly functionName: string;
  readonly region: string;
  readonly accountId: string;
  /** The function's timeout. @default 60 */
  readonly timeoutSeconds?: number;
}

/**
 * Invokes a handler the way Lambda does: the event and the result cross a JSON boundary, the handler gets a context
 * whose remaining time follows the (virtual) clock, a handler running past its timeout fails with `Sandbox.Timedout`,
 * and a thrown error becomes a {@link LambdaFunctionError}.
 */
export async function invokeLambda(handler: LambdaHandler, event: unknown, options: InvokeOptions): Promise<unknown> {
  const timeoutMs = (options.timeoutSeconds ?? 60) * 1000;
  const deadline = Date.now() + timeoutMs;
  const notSupported = (): never => {
    throw new Error('the sandbox Lambda runtime supports async handlers only');
  };
  const context: LambdaContext = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: options.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${options.region}:${options.accountId}:function:${options.functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${options.functionName}`,
    logStreamName: `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]${randomBytes(16).toString('hex')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: notSupported,
    fail: notSupported,
    succeed: notSupported,
  };
  const payload = JSON.parse(JSON.stringify(event ?? null)) as unknown;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new LambdaFunctionError('Sandbox.Timedout', `RequestId: ${context.awsRequestId} Error: Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`)),
      timeoutMs,
    );
  });
  try {
    const result = await Promise.race([Promise.resolve().then(() => handler(payload, context)), timedOut]);
    return result === undefined ? null : (JSON.parse(JSON.stringify(result)) as unknown);
  } catch (error) {
    if (error instanceof LambdaFunctionError) throw error;
    if (error instanceof Error) throw new LambdaFunctionError(error.name, error.message);
    throw new LambdaFunctionError(typeof error, String(error));
  } finally {
    clearTimeout(timer);
  }
}
