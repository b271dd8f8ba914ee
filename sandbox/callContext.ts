import { AsyncLocalStorage } from 'node:async_hooks';

/** Who made an AWS call: a function of an execution, EventBridge delivering an event, or a scenario acting as a person. */
export interface CallOrigin {
  /** The execution whose Task invoked the function. */
  readonly executionArn?: string;
  /** The Task state that invoked it. */
  readonly stateName?: string;
  /** The simulated function that made the call. */
  readonly functionName?: string;
  /** A label for calls from outside the state machine (`operator`, `eventbridge`, `scenario`). */
  readonly actor?: string;
}

/**
 * The origin of the code running now, carried across awaits: the runner sets it around each function invocation, the
 * account tags every call with it, so a test can tell which release touched which resource.
 */
export const callContext = new AsyncLocalStorage<CallOrigin>();
