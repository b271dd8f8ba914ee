import type { CallOrigin } from '../callContext.ts';
import type { AwsServiceValue } from './awsError.ts';

/** One AWS API call the simulated account answered (or refused). */
export interface AwsCall {
  readonly service: AwsServiceValue;
  /** The API operation, e.g. `ModifyRule`. */
  readonly operation: string;
  /** A copy of the request, as the SDK command carried it (DynamoDB: in AttributeValue form). */
  readonly input: Record<string, unknown>;
  /** Virtual time of the call (epoch milliseconds). */
  readonly at: number;
  /** The AWS error name when the call failed. */
  readonly error?: string;
  /** Who made the call, when known (the runner's function invocations, EventBridge deliveries, scenario actions). */
  readonly origin?: CallOrigin;
}

/** Operations that change something in the account. */
export const MUTATING_OPERATIONS: ReadonlySet<string> = new Set([
  'PutParameter',
  'ModifyRule',
  'RegisterTaskDefinition',
  'UpdateService',
  'SetAlarmState',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
  'SendTaskSuccess',
  'SendTaskFailure',
  'StartExecution',
  // An asynchronous invocation sets work going (the Slack worker acts).
  'Invoke',
]);

/** Every call made to the simulated account, in order. */
export class CallLog {
  private readonly entries: AwsCall[] = [];

  /** Appends a call. */
  record(call: AwsCall): void {
    this.entries.push(call);
  }

  /** All calls, optionally only those of one operation. */
  calls(operation?: string): readonly AwsCall[] {
    return operation === undefined ? [...this.entries] : this.entries.filter((call) => call.operation === operation);
  }

  /** Calls that changed, or tried to change, something. */
  mutatingCalls(): readonly AwsCall[] {
    return this.entries.filter((call) => MUTATING_OPERATIONS.has(call.operation));
  }

  /** Forgets every call. */
  clear(): void {
    this.entries.length = 0;
  }
}
