import { randomUUID } from 'node:crypto';
import { awsError } from './awsError.ts';

/** Execution statuses as DescribeExecution reports them. */
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

interface SimulatedExecution {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  status: ExecutionStatus;
  readonly startDate: Date;
  stopDate?: Date;
  readonly input: string;
  output?: string;
  error?: string;
  cause?: string;
}

/** A task token the simulated Step Functions waits on. */
interface WaitingTask {
  readonly token: string;
  readonly executionArn: string;
  readonly stateName: string;
  open: boolean;
  readonly succeed: (output: unknown) => void;
  readonly fail: (error: Error) => void;
}

/** What a token-answering call did, for a timeline. */
export interface TaskTokenAnswer {
  readonly token: string;
  readonly stateName: string;
  readonly outcome: 'success' | 'failure';
  readonly error?: string;
}

const TOKEN_PREFIX = 'AQCsandbox';

/** Starts a real execution of a registered state machine (the local runner does) and returns its ARN. */
export type ExecutionStarter = (request: { readonly name: string; readonly input: unknown }) => string;

/** Characters Step Functions refuses in an execution name: whitespace, brackets, wildcards, `"#%\\^|~\`$&,;:/` and control characters. */
const INVALID_NAME_CHARACTERS = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/;

/** Step Functions' limit on an execution's input (256 KiB, UTF-8). */
const MAX_INPUT_BYTES = 256 * 1024;

/**
 * AWS Step Functions of the simulated account: the executions the local runner runs (and any seeded ones), answering
 * DescribeExecution; StartExecution of a state machine a runner registered, which starts a real execution in it; and
 * the task tokens of `.waitForTaskToken` tasks, answering SendTaskSuccess and SendTaskFailure.
 */
export class SimulatedStepFunctions {
  private readonly executions = new Map<string, SimulatedExecution>();
  private readonly tasks = new Map<string, WaitingTask>();
  private readonly answerListeners: ((answer: TaskTokenAnswer) => void)[] = [];
  private readonly starters = new Map<string, ExecutionStarter>();
  private readonly endListeners = new Map<string, (() => void)[]>();
  private tokenSequence = 0;

  constructor(private readonly region: string, private readonly accountId: string) {}

  /** The operations this service answers, by name. */
  readonly operations: Record<string, (input: Record<string, unknown>) => unknown> = {
    DescribeExecution: (input) => this.describeExecution(input),
    StartExecution: (input) => this.startExecution(input),
    SendTaskSuccess: (input) => this.sendTaskSuccess(input),
    SendTaskFailure: (input) => this.sendTaskFailure(input),
  };

  /** The ARN of a state machine of this account. */
  stateMachineArn(stateMachineName: string): string {
    return `arn:aws:states:${this.region}:${this.accountId}:stateMachine:${stateMachineName}`;
  }

  /** The ARN of an execution of this account. */
  executionArn(stateMachineName: string, executionName: string): string {
    return `arn:aws:states:${this.region}:${this.accountId}:execution:${stateMachineName}:${executionName}`;
  }

  /**
   * Makes a state machine exist: StartExecution of it calls `starter`, which runs the execution. Returns a function
   * that removes it again.
   */
  registerStateMachine(stateMachineName: string, starter: ExecutionStarter): () => void {
    const stateMachineArn = this.stateMachineArn(stateMachineName);
    this.starters.set(stateMachineArn, starter);
    return () => {
      if (this.starters.get(stateMachineArn) === starter) this.starters.delete(stateMachineArn);
    };
  }

  /** Records an execution (the runner's, or another one seeded by a scenario) with its status. */
  putExecution(options: { readonly stateMachineName: string; readonly name: string; readonly status: ExecutionStatus; readonly input?: unknown; readonly startDate?: Date }): string {
    const executionArn = this.executionArn(options.stateMachineName, options.name);
    this.executions.set(executionArn, {
      executionArn,
      stateMachineArn: this.stateMachineArn(options.stateMachineName),
      name: options.name,
      status: options.status,
      startDate: options.startDate ?? new Date(),
      input: JSON.stringify(options.input ?? {}),
    });
    return executionArn;
  }

  /** Ends an execution. */
  endExecution(executionArn: string, result: { readonly status: Exclude<ExecutionStatus, 'RUNNING'>; readonly output?: unknown; readonly error?: string; readonly cause?: string }): void {
    const execution = this.executions.get(executionArn);
    if (execution === undefined) throw new Error(`no simulated execution ${executionArn}`);
    execution.status = result.status;
    execution.stopDate = new Date();
    if (result.output !== undefined) execution.output = JSON.stringify(result.output);
    if (result.error !== undefined) execution.error = result.error;
    if (result.cause !== undefined) execution.cause = result.cause;
    for (const task of this.tasks.values()) if (task.executionArn === executionArn) task.open = false;
    const listeners = this.endListeners.get(executionArn) ?? [];
    this.endListeners.delete(executionArn);
    for (const listener of listeners) listener();
  }

  /** Resolves once the execution is no longer RUNNING (at once if it already ended or does not exist). */
  whenEnded(executionArn: string): Promise<void> {
    if (this.executions.get(executionArn)?.status !== 'RUNNING') return Promise.resolve();
    return new Promise((resolve) => {
      this.endListeners.set(executionArn, [...(this.endListeners.get(executionArn) ?? []), resolve]);
    });
  }

  /** The status of an execution, if it exists. */
  executionStatus(executionArn: string): ExecutionStatus | undefined {
    return this.executions.get(executionArn)?.status;
  }

  /** A new task token, unique per task entry. */
  mintToken(executionArn: string): string {
    this.tokenSequence += 1;
    const body = Buffer.from(JSON.stringify({ executionArn, n: this.tokenSequence, nonce: randomUUID() })).toString('base64url');
    return `${TOKEN_PREFIX}${body}`;
  }

  /** Starts waiting on a token: resolves with SendTaskSuccess's parsed output, rejects with SendTaskFailure's error. */
  waitForToken(token: string, executionArn: string, stateName: string): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.tasks.set(token, { token, executionArn, stateName, open: true, succeed: resolve, fail: reject });
    });
  }

  /** Stops waiting on a token (its task ended): answering it now yields TaskTimedOut. */
  closeToken(token: string): void {
    const task = this.tasks.get(token);
    if (task !== undefined) task.open = false;
  }

  /** Stops waiting on every token of a state of an execution. */
  closeTokensOf(executionArn: string, stateName: string): void {
    for (const task of this.tasks.values()) if (task.executionArn === executionArn && task.stateName === stateName) task.open = false;
  }

  /** Calls `listener` whenever a waiting task is answered. */
  onTaskAnswered(listener: (answer: TaskTokenAnswer) => void): void {
    this.answerListeners.push(listener);
  }

  /** Forgets every execution and token. */
  reset(): void {
    this.executions.clear();
    this.tasks.clear();
    this.endListeners.clear();
    this.answerListeners.length = 0;
    this.tokenSequence = 0;
  }

  /**
   * StartExecution as Step Functions answers it for a standard workflow: the name is unique per state machine, so the
   * same name with the same input while that execution runs returns it again (idempotent), and any other reuse of a
   * name raises ExecutionAlreadyExists.
   */
  private startExecution(input: Record<string, unknown>): unknown {
    const stateMachineArn = String(input.stateMachineArn ?? '');
    const match = /^arn:aws[a-z-]*:states:([a-z0-9-]+):(\d{12}):stateMachine:([A-Za-z0-9_-]{1,80})$/.exec(stateMachineArn);
    if (match === null) throw awsError('sfn', 'InvalidArn', `Invalid Arn: '${stateMachineArn}'`);
    const starter = this.starters.get(stateMachineArn);
    if (starter === undefined) throw awsError('sfn', 'StateMachineDoesNotExist', `State Machine Does Not Exist: '${stateMachineArn}'`);
    const name = input.name === undefined ? randomUUID() : String(input.name);
    if (name.length < 1 || name.length > 80) {
      throw awsError('sfn', 'ValidationException', `1 validation error detected: Value '${name}' at 'name' failed to satisfy constraint: Member must have length ${name.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 80'}`);
    }
    if (INVALID_NAME_CHARACTERS.test(name)) throw awsError('sfn', 'InvalidName', `Invalid Name: '${name}'`);
    const text = input.input === undefined ? '{}' : String(input.input);
    if (Buffer.byteLength(text, 'utf8') > MAX_INPUT_BYTES) throw awsError('sfn', 'InvalidExecutionInput', `Invalid Execution Input: the input exceeds the maximum size of ${MAX_INPUT_BYTES} bytes`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw awsError('sfn', 'InvalidExecutionInput', `Invalid Execution Input: '${text.slice(0, 100)}' is not valid JSON`);
    }
    const executionArn = this.executionArn(match[3] as string, name);
    const existing = this.executions.get(executionArn);
    if (existing !== undefined) {
      if (existing.status === 'RUNNING' && existing.input === JSON.stringify(parsed)) return { executionArn, startDate: existing.startDate };
      throw awsError('sfn', 'ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const started = starter({ name, input: parsed });
    const record = this.executions.get(started);
    if (record === undefined) throw new Error(`the starter of ${stateMachineArn} did not record execution ${started}`);
    return { executionArn: started, startDate: record.startDate };
  }

  private describeExecution(input: Record<string, unknown>): unknown {
    const executionArn = String(input.executionArn);
    const execution = this.executions.get(executionArn);
    if (execution === undefined) {
      if (!/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:execution:[^:]+:[^:]+$/.test(executionArn)) throw awsError('sfn', 'InvalidArn', `Invalid Arn: '${executionArn}'`);
      throw awsError('sfn', 'ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    }
    return {
      executionArn: execution.executionArn,
      stateMachineArn: execution.stateMachineArn,
      name: execution.name,
      status: execution.status,
      startDate: execution.startDate,
      ...(execution.stopDate === undefined ? {} : { stopDate: execution.stopDate }),
      input: execution.input,
      ...(execution.output === undefined ? {} : { output: execution.output }),
      ...(execution.error === undefined ? {} : { error: execution.error }),
      ...(execution.cause === undefined ? {} : { cause: execution.cause }),
    };
  }

  private sendTaskSuccess(input: Record<string, unknown>): unknown {
    const task = this.openTask(input.taskToken);
    const text = String(input.output ?? '');
    let output: unknown;
    try {
      output = JSON.parse(text);
    } catch {
      throw awsError('sfn', 'InvalidOutput', 'Invalid Output: the output is not valid JSON');
    }
    if (text.length > 256 * 1024) throw awsError('sfn', 'InvalidOutput', 'Output exceeds the 256 KiB limit');
    task.open = false;
    for (const listener of this.answerListeners) listener({ token: task.token, stateName: task.stateName, outcome: 'success' });
    task.succeed(output);
    return {};
  }

  private sendTaskFailure(input: Record<string, unknown>): unknown {
    const task = this.openTask(input.taskToken);
    const error = typeof input.error === 'string' ? input.error : '';
    const cause = typeof input.cause === 'string' ? input.cause : '';
    if (error.length > 256) throw awsError('sfn', 'ValidationException', "1 validation error detected: Value at 'error' failed to satisfy constraint: Member must have length less than or equal to 256");
    if (cause.length > 32_768) throw awsError('sfn', 'ValidationException', "1 validation error detected: Value at 'cause' failed to satisfy constraint: Member must have length less than or equal to 32768");
    task.open = false;
    for (const listener of this.answerListeners) listener({ token: task.token, stateName: task.stateName, outcome: 'failure', error });
    const failure = new Error(cause);
    failure.name = error;
    task.fail(failure);
    return {};
  }

  private openTask(token: unknown): WaitingTask {
    if (typeof token !== 'string' || !token.startsWith(TOKEN_PREFIX)) throw awsError('sfn', 'InvalidToken', 'Invalid Token');
    const task = this.tasks.get(token);
    if (task === undefined) throw awsError('sfn', 'TaskDoesNotExist', 'Task Does Not Exist');
    if (!task.open) throw awsError('sfn', 'TaskTimedOut', 'Task Timed Out');
    return task;
  }
}
