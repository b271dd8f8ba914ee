import type { LambdaHandler } from '../lambdaRuntime.ts';
import { awsError } from './awsError.ts';

/** A function the simulated Lambda service can invoke: its handler and its own environment variables. */
export interface SimulatedFunction {
  readonly functionName: string;
  readonly handler: LambdaHandler;
  /** Its Lambda configuration's environment, put into `process.env` while it runs (one process runs every function). */
  readonly environment: Readonly<Record<string, string>>;
}

/** Hands an accepted asynchronous invocation to the account, which runs it later on the virtual clock. */
export type AsyncInvocationQueue = (fn: SimulatedFunction, payload: unknown) => void;

/** Lambda's limit on an asynchronous invocation's payload (256 KB). */
const MAX_ASYNC_PAYLOAD_BYTES = 256 * 1024;

/**
 * AWS Lambda of the simulated account: `Invoke` of a registered function with `InvocationType: 'Event'`, as Lambda
 * answers it (202, the invocation queued and run asynchronously, after the caller got its answer). Synchronous
 * invocations are refused rather than imitated: no cutover code makes them.
 */
export class SimulatedLambda {
  private readonly functions = new Map<string, SimulatedFunction>();

  constructor(
    private readonly region: string,
    private readonly accountId: string,
    private readonly enqueue: AsyncInvocationQueue,
  ) {}

  /** The operations this service answers, by name. */
  readonly operations: Record<string, (input: Record<string, unknown>) => unknown> = {
    Invoke: (input) => this.invoke(input),
  };

  /** Makes a function exist. */
  registerFunction(fn: SimulatedFunction): void {
    this.functions.set(fn.functionName, fn);
  }

  /** Forgets every function. */
  reset(): void {
    this.functions.clear();
  }

  private invoke(input: Record<string, unknown>): unknown {
    const reference = String(input.FunctionName ?? '');
    // A name, a function ARN or a partial ARN (`123456789012:function:name`) all name the function.
    const functionName = /(?:^|:function:)([A-Za-z0-9_-]{1,64})$/.exec(reference)?.[1] ?? reference;
    const fn = this.functions.get(functionName);
    if (fn === undefined) {
      throw awsError('lambda', 'ResourceNotFoundException', `Function not found: arn:aws:lambda:${this.region}:${this.accountId}:function:${functionName}`);
    }
    const invocationType = String(input.InvocationType ?? 'RequestResponse');
    if (invocationType !== 'Event') {
      throw new Error(`the simulated account runs only asynchronous (Event) invocations; ${functionName} was invoked with ${invocationType}`);
    }
    const bytes = input.Payload instanceof Uint8Array ? input.Payload : new TextEncoder().encode(String(input.Payload ?? '{}'));
    if (bytes.byteLength > MAX_ASYNC_PAYLOAD_BYTES) {
      throw awsError('lambda', 'RequestTooLargeException', `Request must be smaller than ${MAX_ASYNC_PAYLOAD_BYTES} bytes for the InvokeAsync operation`);
    }
    let payload: unknown;
    try {
      payload = JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      throw awsError('lambda', 'InvalidRequestContentException', 'Could not parse request body into json');
    }
    this.enqueue(fn, payload);
    return { StatusCode: 202 };
  }
}
