import {
  DescribeExecutionCommand,
  paginateListStateMachines,
  SFNClient,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { ExecutionPort, ExecutionStarterPort, StartExecutionResult } from '../domain/ports.ts';

/** How far before a StartExecution request a returned start date must lie to mark the call as a repeat. */
const REPEAT_TOLERANCE_MS = 1000;

/** Errors that mean a task token no longer waits: the task ended (success, failure, timeout) or the token is not one. */
const TOKEN_GONE_ERRORS: ReadonlySet<string> = new Set(['TaskDoesNotExist', 'TaskTimedOut', 'InvalidToken']);

/** Step Functions limits: error 256 characters, cause 32 768 characters. */
const MAX_ERROR_LENGTH = 256;
const MAX_CAUSE_LENGTH = 32_768;

function isTokenGone(error: unknown): boolean {
  return error instanceof Error && TOKEN_GONE_ERRORS.has(error.name);
}

/** The ARN of execution `name` of a state machine: `arn:…:stateMachine:<machine>` → `arn:…:execution:<machine>:<name>`. */
function executionArnOf(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

/** Step Functions executions and task tokens. */
export class ExecutionAdapter implements ExecutionPort, ExecutionStarterPort {
  private readonly client: SFNClient;

  constructor(client?: SFNClient) {
    this.client = client ?? new SFNClient({});
  }

  /** {@inheritDoc ExecutionPort.describeExecutionStatus} */
  async describeExecutionStatus(executionArn: string): Promise<string | undefined> {
    try {
      const output = await this.client.send(new DescribeExecutionCommand({ executionArn }));
      return output.status;
    } catch (error) {
      if (error instanceof Error && error.name === 'ExecutionDoesNotExist') return undefined;
      throw error;
    }
  }

  /** {@inheritDoc ExecutionStarterPort.startExecution} */
  async startExecution(stateMachineArn: string, name: string, input: Record<string, unknown>): Promise<StartExecutionResult> {
    const requestedAt = Date.now();
    try {
      const output = await this.client.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
      // The same name and input while that execution runs is accepted and answers the running execution: a repeat,
      // recognisable by a start date before this request (a second of tolerance for clock skew).
      const repeat = output.startDate !== undefined && output.startDate.getTime() < requestedAt - REPEAT_TOLERANCE_MS;
      return { started: !repeat, executionArn: output.executionArn ?? executionArnOf(stateMachineArn, name) };
    } catch (error) {
      if (error instanceof Error && error.name === 'ExecutionAlreadyExists') {
        return { started: false, executionArn: executionArnOf(stateMachineArn, name) };
      }
      throw error;
    }
  }

  /** The ARN of the state machine named `name` in the caller's account and region, or `undefined` (ListStateMachines). */
  async findStateMachineArn(name: string): Promise<string | undefined> {
    for await (const page of paginateListStateMachines({ client: this.client }, {})) {
      const found = (page.stateMachines ?? []).find((machine) => machine.name === name);
      if (found?.stateMachineArn !== undefined) return found.stateMachineArn;
    }
    return undefined;
  }

  /** {@inheritDoc ExecutionPort.sendTaskFailure} */
  async sendTaskFailure(taskToken: string, error: string, cause: string): Promise<boolean> {
    try {
      await this.client.send(
        new SendTaskFailureCommand({ taskToken, error: error.slice(0, MAX_ERROR_LENGTH), cause: cause.slice(0, MAX_CAUSE_LENGTH) }),
      );
      return true;
    } catch (caught) {
      if (isTokenGone(caught)) return false;
      throw caught;
    }
  }

  /** {@inheritDoc ExecutionPort.sendTaskSuccess} */
  async sendTaskSuccess(taskToken: string, output: Record<string, unknown>): Promise<boolean> {
    try {
      await this.client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
      return true;
    } catch (caught) {
      if (isTokenGone(caught)) return false;
      throw caught;
    }
  }
}
