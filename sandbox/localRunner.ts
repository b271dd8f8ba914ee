import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setImmediate as realSetImmediate } from 'node:timers';
import FakeTimers from '@sinonjs/fake-timers';
import { ExecutionError, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { RELEASE_DEFINITION_PATH, releaseFunctions, type ReleaseFunctionKey } from '../lib/releaseFunctions.ts';
import { RELEASE_STATE_MACHINE_ARN_PLACEHOLDER, ROLLBACK_DEFINITION_PATH, rollbackFunctions, type RollbackFunctionKey } from '../lib/rollbackFunctions.ts';
import type { SimulatedAccount } from './account/SimulatedAccount.ts';
import { ensurePromiseWithResolvers } from './ensurePromiseWithResolvers.ts';
import { callContext } from './callContext.ts';
import { LambdaFunctionError, PROJECT_ROOT, invokeLambda, loadHandler, type LambdaHandler } from './lambdaRuntime.ts';

/** The state machine name of sandbox executions. */
export const SANDBOX_STATE_MACHINE_NAME = 'cutover-sandbox-release';

/** The state machine name of sandbox rollback executions (statemachines/rollback.asl.json). */
export const SANDBOX_ROLLBACK_STATE_MACHINE_NAME = 'cutover-sandbox-rollback';

/** A function either state machine invokes: the release machine's catalog and the rollback machine's. */
export type FunctionKey = ReleaseFunctionKey | RollbackFunctionKey;

/** Which of the shipped state machines an execution runs. */
export type SandboxStateMachine = 'release' | 'rollback';

/** Every function of both catalogs, by key. */
const ALL_FUNCTIONS: Readonly<Record<FunctionKey, { readonly placeholder: string; readonly entry: string }>> = { ...releaseFunctions, ...rollbackFunctions };

/** When a sandbox execution starts, unless told otherwise: a fixed instant, so that runs are reproducible. */
export const DEFAULT_START_AT = new Date('2025-06-02T09:00:00.000Z');

/** One event of an execution's history, with its virtual time. */
export interface ExecutionEvent {
  /** The interpreter's event type (ExecutionStarted, StateEntered, StateExited, StateFailed, StateRetried, StateCaught, ExecutionSucceeded, ExecutionFailed, …) or TaskWaiting (a `.waitForTaskToken` task's function returned and the task now waits on its token). */
  readonly type: string;
  /** Virtual time (epoch milliseconds). */
  readonly at: number;
  readonly stateName?: string;
  readonly stateType?: string;
  readonly input?: unknown;
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
  readonly taskToken?: string;
  /** The execution it belongs to (set on events passed to {@link LocalRunner.onEvent} listeners). */
  readonly executionArn?: string;
}

/** How an execution ended. */
export interface LocalRunResult {
  readonly status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  readonly executionArn: string;
  readonly executionName: string;
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
  /** State transitions as Step Functions bills them: every state entered and every retry. */
  readonly stateTransitions: number;
  readonly events: readonly ExecutionEvent[];
  /** Virtual start and end. */
  readonly startedAt: Date;
  readonly endedAt: Date;
}

/** What a hook learns about the moment it runs at. */
export interface HookContext {
  readonly stateName: string;
  /** 1 for the first time the state is entered (or waits), 2 for the second, … */
  readonly occurrence: number;
  readonly executionArn: string;
  /** Virtual now. */
  readonly now: Date;
  /** The task token the task waits on (TaskWaiting hooks). */
  readonly taskToken?: string;
}

/** A scenario's action at a point of the run. It may be async; the run waits for it. */
export type RunHook = (context: HookContext) => void | Promise<void>;

/** Settings of a {@link LocalRunner}. */
export interface LocalRunnerOptions {
  readonly account: SimulatedAccount;
  /** @default RELEASE_DEFINITION_PATH */
  readonly definitionPath?: string;
  /** Every simulated function's timeout. @default 60 */
  readonly functionTimeoutSeconds?: number;
  /** Clock advances after which a run is considered runaway. @default 100000 */
  readonly maxClockAdvances?: number;
}

/** Options of one run. */
export interface RunOptions {
  /** @default a name derived from a counter */
  readonly executionName?: string;
  /** The state machine the execution runs. @default 'release' */
  readonly stateMachine?: SandboxStateMachine;
  /** @default DEFAULT_START_AT */
  readonly startAt?: Date;
}

/** A run that can no longer progress: nothing waits on a timer and nothing else is happening. */
export class SandboxStallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SandboxStallError';
  }
}

type TaskFunction = (input: unknown) => Promise<unknown>;

/** A crash of a function's process: the invocation fails with `errorType` (e.g. `Sandbox.Timedout`, `Runtime.ExitError`). */
export interface FunctionFault {
  /** The catalog function that crashes. */
  readonly key: FunctionKey;
  /** Crash only in this execution. @default every execution */
  readonly executionArn?: string;
  /** Crash on this invocation of the function in the execution (1 = the first). @default 1 */
  readonly invocation?: number;
  /** How many consecutive invocations crash, from `invocation` on. @default 1 */
  readonly count?: number;
  /** `before`: the process dies before the handler runs; `after`: the handler did its work but its result is lost. @default 'after' */
  readonly when?: 'before' | 'after';
  /** @default 'Sandbox.Timedout' */
  readonly errorType?: string;
  /** @default a Lambda-style message naming the fault */
  readonly errorMessage?: string;
}

interface RunningExecution {
  readonly executionName: string;
  readonly executionArn: string;
  readonly startedAt: Date;
  readonly events: ExecutionEvent[];
  readonly occurrences: Map<string, number>;
  lastMintedToken?: string;
  outcome?: { status: LocalRunResult['status']; output?: unknown; error?: string; cause?: string };
  timedOut: boolean;
  aborted: boolean;
  timer?: ReturnType<typeof setTimeout>;
  consumer?: Promise<void>;
  abort?: () => void;
}

interface FunctionBinding {
  readonly stateName: string;
  readonly key: FunctionKey;
  readonly integration: 'direct' | 'invoke' | 'waitForTaskToken';
  readonly timeoutSecondsPath?: string;
  readonly timeoutSeconds?: number;
}

/** A `states:startExecution.sync` (1: Output as a string) or `.sync:2` (Output as JSON) task. */
interface StartExecutionBinding {
  readonly stateName: string;
  readonly integration: 'startExecutionSync';
  readonly version: 1 | 2;
}

type TaskBinding = FunctionBinding | StartExecutionBinding;

/** One shipped state machine, ready to run. */
interface MachineSpec {
  readonly name: string;
  readonly definition: StateMachineDefinition;
  readonly bindings: readonly TaskBinding[];
  readonly executionTimeoutSeconds?: number;
}

const START_EXECUTION_SYNC = 'arn:aws:states:::states:startExecution.sync';
const START_EXECUTION_SYNC_2 = 'arn:aws:states:::states:startExecution.sync:2';

/** The DescribeExecution fields a `.sync` task returns, in the integration's capitalised names. */
const DESCRIBE_EXECUTION_FIELDS = ['executionArn', 'stateMachineArn', 'name', 'status', 'startDate', 'stopDate', 'input', 'output', 'error', 'cause'] as const;

/**
 * What a `startExecution.sync` task returns for a finished execution, as Step Functions shapes it: DescribeExecution's
 * fields with capitalised names, dates as epoch milliseconds, and with `.sync:2` the input and output as JSON.
 */
function syncIntegrationOutput(described: Record<string, unknown>, version: 1 | 2): Record<string, unknown> {
  const output: Record<string, unknown> = {};
  for (const field of DESCRIBE_EXECUTION_FIELDS) {
    let value = described[field];
    if (value === undefined) continue;
    if (value instanceof Date) value = value.getTime();
    if (version === 2 && (field === 'input' || field === 'output') && typeof value === 'string') value = JSON.parse(value) as unknown;
    output[field.charAt(0).toUpperCase() + field.slice(1)] = value;
  }
  return output;
}

/** A failed StartExecution call as a Step Functions service integration names it: `StepFunctions.<Code>Exception`. */
function startExecutionError(error: unknown): Error {
  const name = (error as Error).name ?? 'Unknown';
  const failure = new Error(`${(error as Error).message} (Service: AWSStepFunctions; Error Code: ${name})`);
  failure.name = `StepFunctions.${name.endsWith('Exception') ? name : `${name}Exception`}`;
  return failure;
}

const INVOKE = 'arn:aws:states:::lambda:invoke';
/** The longest delay a Node timer holds. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const INVOKE_WAIT = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

/** Reads `$.a.b` / `$['a'].b` from a JSON value; undefined for anything fancier. */
function readSimplePath(value: unknown, jsonPath: string): unknown {
  if (!/^\$(\.[A-Za-z0-9_]+|\['[^']+'\])*$/.test(jsonPath)) return undefined;
  const steps = [...jsonPath.matchAll(/\.([A-Za-z0-9_]+)|\['([^']+)'\]/g)].map((match) => match[1] ?? match[2] ?? '');
  let current = value;
  for (const step of steps) current = typeof current === 'object' && current !== null ? (current as Record<string, unknown>)[step] : undefined;
  return current;
}

/**
 * aws-local-stepfunctions 3.0.0 treats `ResultPath: "$"` as a field named `$` (it strips only a leading `$.`), where
 * Step Functions replaces the whole state with the result. `"$"` is the default, so a definition never needs to say
 * it; refusing it here keeps the interpreter and Step Functions in agreement on every definition the runner accepts.
 */
function assertNoRootResultPath(states: Record<string, Record<string, unknown>>): void {
  for (const [name, state] of Object.entries(states)) {
    const catchers = (state.Catch ?? []) as Record<string, unknown>[];
    if (state.ResultPath === '$' || catchers.some((catcher) => catcher.ResultPath === '$')) {
      throw new Error(`state ${name} sets ResultPath "$", which the local interpreter mishandles; omit it (it is the default)`);
    }
    for (const branch of (state.Branches ?? []) as { States: Record<string, Record<string, unknown>> }[]) assertNoRootResultPath(branch.States);
    const processor = (state.ItemProcessor ?? state.Iterator) as { States: Record<string, Record<string, unknown>> } | undefined;
    if (processor !== undefined) assertNoRootResultPath(processor.States);
  }
}

/**
 * Runs the shipped release state machine locally with aws-local-stepfunctions, every Task bound to the shipped handler
 * of its catalog entry (lib/releaseFunctions.ts) with Lambda semantics, against a {@link SimulatedAccount}, on a
 * virtual clock: waits, retry intervals, bake timeouts and Lambda timeouts take virtual time only.
 */
export class LocalRunner {
  private readonly account: SimulatedAccount;
  private readonly definitionPath: string;
  private readonly functionTimeoutSeconds: number;
  private readonly maxClockAdvances: number;
  private readonly stateEnteredHooks = new Map<string, RunHook[]>();
  private readonly taskWaitingHooks = new Map<string, RunHook[]>();
  private readonly eventHooks: ((event: ExecutionEvent) => void)[] = [];
  private handlers: Map<FunctionKey, LambdaHandler> | undefined;
  private runCount = 0;
  private readonly faults: FunctionFault[] = [];
  private readonly invocations = new Map<string, number>();

  constructor(options: LocalRunnerOptions) {
    this.account = options.account;
    this.definitionPath = options.definitionPath ?? RELEASE_DEFINITION_PATH;
    this.functionTimeoutSeconds = options.functionTimeoutSeconds ?? 60;
    this.maxClockAdvances = options.maxClockAdvances ?? 100_000;
  }

  /** Runs `hook` whenever the execution enters `stateName`. */
  onStateEntered(stateName: string, hook: RunHook): this {
    this.stateEnteredHooks.set(stateName, [...(this.stateEnteredHooks.get(stateName) ?? []), hook]);
    return this;
  }

  /** Runs `hook` whenever the `.waitForTaskToken` task `stateName` starts waiting on its token (its function returned). */
  onTaskWaiting(stateName: string, hook: RunHook): this {
    this.taskWaitingHooks.set(stateName, [...(this.taskWaitingHooks.get(stateName) ?? []), hook]);
    return this;
  }

  /** Calls `listener` with every event as it happens. */
  onEvent(listener: (event: ExecutionEvent) => void): this {
    this.eventHooks.push(listener);
    return this;
  }

  /** Makes a function's process crash, in the Lambda runtime layer: the shipped handler code is not touched. */
  injectFunctionFault(fault: FunctionFault): this {
    this.faults.push(fault);
    return this;
  }

  /** The fake ARN of a catalog function in the simulated account. */
  functionArn(key: FunctionKey): string {
    return `arn:aws:lambda:${this.account.region}:${this.account.accountId}:function:${this.functionName(key)}`;
  }

  /** The definition with every `${…FunctionArn}` placeholder replaced by its function's fake ARN. */
  definition(): StateMachineDefinition {
    return this.loadDefinition(this.definitionPath, releaseFunctions, {}, 'lib/releaseFunctions.ts');
  }

  /** The rollback definition, its function placeholder replaced by the function's fake ARN and the release machine's by its ARN. */
  rollbackDefinition(): StateMachineDefinition {
    return this.loadDefinition(ROLLBACK_DEFINITION_PATH, rollbackFunctions, { [RELEASE_STATE_MACHINE_ARN_PLACEHOLDER]: this.releaseStateMachineArn() }, 'lib/rollbackFunctions.ts');
  }

  private loadDefinition(
    definitionPath: string,
    catalog: Readonly<Record<string, { readonly placeholder: string }>>,
    values: Readonly<Record<string, string>>,
    source: string,
  ): StateMachineDefinition {
    const text = readFileSync(path.join(PROJECT_ROOT, definitionPath), 'utf8');
    const byPlaceholder = new Map<string, string>(Object.entries(catalog).map(([key, entry]) => [entry.placeholder, this.functionArn(key as FunctionKey)]));
    for (const [placeholder, value] of Object.entries(values)) byPlaceholder.set(placeholder, value);
    const substituted = text.replace(/\$\{([^}]*)\}/g, (_, placeholder: string) => {
      const value = byPlaceholder.get(placeholder);
      if (value === undefined) throw new Error(`${definitionPath}: unknown placeholder \${${placeholder}}; ${source} has ${[...byPlaceholder.keys()].join(', ')}`);
      return value;
    });
    const definition = JSON.parse(substituted) as StateMachineDefinition;
    assertNoRootResultPath(definition.States as unknown as Record<string, Record<string, unknown>>);
    return definition;
  }

  /** Sets the handlers' environment and loads every handler module of the catalog and the event handlers. */
  async prepare(): Promise<void> {
    Object.assign(process.env, this.account.handlerEnvironment());
    if (this.handlers === undefined) {
      const handlers = new Map<FunctionKey, LambdaHandler>();
      for (const [key, entry] of Object.entries(ALL_FUNCTIONS)) handlers.set(key as FunctionKey, await loadHandler(entry.entry));
      this.handlers = handlers;
    }
    await this.account.loadEventHandlers();
  }

  /** Runs one execution to its end and reports it; a failed execution is a result, not an exception. */
  async run(input: unknown, options: RunOptions = {}): Promise<LocalRunResult> {
    const [result] = await this.runAll([{ input, options }], options.startAt);
    if (result === undefined) throw new Error('runAll returned no result');
    return result;
  }

  /**
   * Runs several executions at once on one virtual clock against the one account, as Step Functions would run them
   * side by side, and reports each; they all start at `startAt`. Executions that something in the run starts with
   * StartExecution run too, and are reported after the requested ones, in start order.
   */
  async runAll(requests: readonly { readonly input: unknown; readonly options?: Omit<RunOptions, 'startAt'> }[], startAt: Date = DEFAULT_START_AT): Promise<LocalRunResult[]> {
    return this.execute(requests, startAt);
  }

  /**
   * Runs whatever `act` sets off: `act` runs once the virtual clock is installed at `startAt` and may deliver events
   * (`account.deliverEvent('onImagePushed', …)`) or start executions through the SDK; while the run lasts, the state
   * machine exists in the account ({@link releaseStateMachineArn}) and StartExecution of it starts a real execution on
   * the same clock. The run ends when `act` has returned, every execution has ended and every delivery has finished.
   * Reports every execution started, in start order.
   */
  async runTriggered(act: () => void | Promise<void>, startAt: Date = DEFAULT_START_AT): Promise<LocalRunResult[]> {
    return this.execute([], startAt, act);
  }

  /** The ARN of the release state machine in the simulated account, which StartExecution starts while a run lasts. */
  releaseStateMachineArn(): string {
    return this.account.sfn.stateMachineArn(SANDBOX_STATE_MACHINE_NAME);
  }

  /** The ARN of the rollback state machine in the simulated account, which StartExecution starts while a run lasts. */
  rollbackStateMachineArn(): string {
    return this.account.sfn.stateMachineArn(SANDBOX_ROLLBACK_STATE_MACHINE_NAME);
  }

  private machineSpec(name: string, definition: StateMachineDefinition): MachineSpec {
    const bindings = this.bindings(definition);
    // Node timers hold at most 2^31-1 ms (24.8 days); the interpreter arms the execution's TimeoutSeconds (a year here)
    // with one setTimeout, which would fire after 1 ms. The runner keeps that deadline itself.
    const executionTimeoutSeconds = definition.TimeoutSeconds;
    delete definition.TimeoutSeconds;
    return { name, definition, bindings, ...(executionTimeoutSeconds === undefined ? {} : { executionTimeoutSeconds }) };
  }

  private async execute(
    requests: readonly { readonly input: unknown; readonly options?: Omit<RunOptions, 'startAt'> }[],
    startAt: Date,
    act?: () => void | Promise<void>,
  ): Promise<LocalRunResult[]> {
    ensurePromiseWithResolvers();
    await this.prepare();
    const machines: Record<SandboxStateMachine, MachineSpec> = {
      release: this.machineSpec(SANDBOX_STATE_MACHINE_NAME, this.definition()),
      rollback: this.machineSpec(SANDBOX_ROLLBACK_STATE_MACHINE_NAME, this.rollbackDefinition()),
    };
    const sfn = this.account.sfn;

    const clock = FakeTimers.withGlobal(globalThis).install({
      now: startAt,
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
      loopLimit: this.maxClockAdvances,
      // Libraries that captured the native setTimeout (middy imports it from node:timers) clear it with the global
      // clearTimeout, which is the fake one while the clock is installed: let it clear native timers too.
      shouldClearNativeTimers: true,
    });
    const pendingHooks = new Set<Promise<void>>();
    const hookErrors: unknown[] = [];
    let progress = 0;
    const runs: RunningExecution[] = [];

    const track = (work: () => void | Promise<void>): void => {
      const running = Promise.resolve()
        .then(work)
        .catch((error: unknown) => {
          hookErrors.push(error);
        });
      pendingHooks.add(running);
      void running.finally(() => {
        pendingHooks.delete(running);
        progress += 1;
      });
    };
    const runHooks = (hooks: readonly RunHook[] | undefined, context: HookContext): void => {
      for (const hook of hooks ?? []) track(() => hook(context));
    };
    let unregister = (): void => {};

    try {
      const launch = (machine: MachineSpec, input: unknown, executionName: string): RunningExecution => {
        const { definition, bindings, executionTimeoutSeconds } = machine;
        const startedAt = new Date();
        const executionArn = sfn.executionArn(machine.name, executionName);
        const run: RunningExecution = { executionName, executionArn, startedAt, events: [], occurrences: new Map(), timedOut: false, aborted: false };
        runs.push(run);
        const emit = (event: ExecutionEvent): void => {
          progress += 1;
          run.events.push(event);
          for (const listener of this.eventHooks) listener({ ...event, executionArn });
        };
        const occurrence = (key: string): number => {
          const next = (run.occurrences.get(key) ?? 0) + 1;
          run.occurrences.set(key, next);
          return next;
        };
        sfn.putExecution({ stateMachineName: machine.name, name: executionName, status: 'RUNNING', input, startDate: startedAt });
        const overrides: Record<string, TaskFunction> = {};
        for (const binding of bindings) {
          overrides[binding.stateName] = this.taskFunction(binding, {
            executionArn,
            takeToken: () => {
              const token = run.lastMintedToken;
              delete run.lastMintedToken;
              return token;
            },
            onWaiting: (taskToken) => {
              const count = occurrence(`wait:${binding.stateName}`);
              emit({ type: 'TaskWaiting', at: Date.now(), stateName: binding.stateName, stateType: 'Task', taskToken });
              runHooks(this.taskWaitingHooks.get(binding.stateName), { stateName: binding.stateName, occurrence: count, executionArn, now: new Date(), taskToken });
            },
            onProgress: () => {
              progress += 1;
            },
          });
        }
        const context = {
          Execution: { Id: executionArn, Name: executionName, StartTime: startedAt.toISOString(), RoleArn: `arn:aws:iam::${this.account.accountId}:role/${machine.name}` },
          StateMachine: { Id: sfn.stateMachineArn(machine.name), Name: machine.name },
          Task: {
            // A getter: every `$$.Task.Token` evaluation is a new task entry, with a token of its own.
            get Token(): string {
              run.lastMintedToken = sfn.mintToken(executionArn);
              return run.lastMintedToken;
            },
          },
        };
        const interpreter = new StateMachine(definition, { validationOptions: { checkArn: true, checkPaths: true } });
        const execution = interpreter.run(input as never, { overrides: { taskResourceLocalHandlers: overrides as never }, context: context as never, noThrowOnAbort: true });
        run.abort = () => execution.abort();

        run.consumer = (async () => {
          for await (const raw of execution.eventLogs) {
            const event = raw as unknown as { type: string; timestamp: number; state?: { name: string; type: string; input?: unknown; output?: unknown }; Error?: string; Cause?: string; output?: unknown; input?: unknown };
            emit({
              type: event.type,
              at: event.timestamp,
              ...(event.state === undefined ? {} : { stateName: event.state.name, stateType: event.state.type, input: event.state.input }),
              ...(event.state?.output === undefined ? {} : { output: event.state.output }),
              ...(event.type === 'ExecutionSucceeded' ? { output: event.output } : {}),
              ...(event.Error === undefined ? {} : { error: event.Error }),
              ...(event.Cause === undefined ? {} : { cause: String(event.Cause) }),
            });
            if (event.type === 'StateEntered' && event.state !== undefined) {
              const name = event.state.name;
              runHooks(this.stateEnteredHooks.get(name), { stateName: name, occurrence: occurrence(`enter:${name}`), executionArn, now: new Date() });
            }
          }
        })();

        // The account learns of the end at once, as DescribeExecution does: a queued release asks whether the lock's holder still runs.
        const end = (outcome: NonNullable<RunningExecution['outcome']>): void => {
          run.outcome = outcome;
          clearTimeout(run.timer);
          if (outcome.status !== 'ABORTED') {
            sfn.endExecution(executionArn, {
              status: outcome.status,
              ...(outcome.output === undefined ? {} : { output: outcome.output }),
              ...(outcome.error === undefined ? {} : { error: outcome.error }),
              ...(outcome.cause === undefined ? {} : { cause: outcome.cause }),
            });
          }
        };
        void execution.result.then(
          (output) => {
            end(
              run.timedOut
                ? { status: 'TIMED_OUT', error: 'States.Timeout', cause: `The execution ran longer than its TimeoutSeconds (${executionTimeoutSeconds} s)` }
                : run.aborted
                  ? { status: 'ABORTED' }
                  : { status: 'SUCCEEDED', output },
            );
          },
          (error: unknown) => {
            if (error instanceof ExecutionError && error.cause instanceof Error) end({ status: 'FAILED', error: error.cause.name, cause: error.cause.message });
            else end({ status: 'FAILED', error: (error as Error).name, cause: (error as Error).message });
          },
        );
        const armExecutionTimeout = (remainingMs: number): void => {
          run.timer = setTimeout(() => {
            if (remainingMs > MAX_TIMER_MS) return armExecutionTimeout(remainingMs - MAX_TIMER_MS);
            run.timedOut = true;
            execution.abort();
          }, Math.min(remainingMs, MAX_TIMER_MS));
        };
        if (executionTimeoutSeconds !== undefined) armExecutionTimeout(executionTimeoutSeconds * 1000);
        return run;
      };

      for (const request of requests) {
        this.runCount += 1;
        launch(machines[request.options?.stateMachine ?? 'release'], request.input, request.options?.executionName ?? `sandbox-${String(this.runCount).padStart(4, '0')}`);
      }
      // A StartExecution from inside the run (an event's function, a scenario, a `.sync` task) starts a real execution
      // of its own: it must not inherit the caller's call context, or the account would tag its calls with the caller.
      const unregisterAll = Object.values(machines).map((machine) =>
        sfn.registerStateMachine(machine.name, ({ name, input }) => callContext.exit(() => launch(machine, input, name)).executionArn),
      );
      unregister = () => {
        for (const remove of unregisterAll) remove();
      };
      if (act !== undefined) track(act);

      const abortAll = (): void => {
        for (const run of runs) {
          if (run.outcome !== undefined) continue;
          run.aborted = true;
          run.abort?.();
        }
      };
      const describeStall = (): string =>
        runs
          .filter((run) => run.outcome === undefined)
          .map((run) => `${run.executionName} in state ${[...run.events].reverse().find((event) => event.type === 'StateEntered')?.stateName ?? 'none'}`)
          .join(', ');
      const activity = (): number => progress + this.account.activityCount;
      let advances = 0;
      for (;;) {
        // Let everything that is not waiting on the clock happen: microtasks drain before each real immediate.
        let before: number;
        do {
          before = activity();
          await new Promise((resolve) => realSetImmediate(resolve));
          await new Promise((resolve) => realSetImmediate(resolve));
        } while (activity() !== before);
        const unfinished = runs.filter((run) => run.outcome === undefined);
        if (unfinished.length === 0 && pendingHooks.size === 0 && !this.account.hasPendingWork) break;
        const executionTimeoutTimers = unfinished.filter((run) => run.timer !== undefined).length;
        const waitingOnClock = clock.countTimers() - executionTimeoutTimers;
        if (waitingOnClock <= 0 && pendingHooks.size === 0) {
          const stalled = describeStall();
          abortAll();
          throw new SandboxStallError(
            `${stalled === '' ? 'the executions' : `execution ${stalled}`} stalled at virtual ${new Date().toISOString()}: no timer is pending and nothing else is progressing` +
              (unfinished.length === 0 ? ' (the executions ended but EventBridge deliveries never finished)' : ''),
          );
        }
        advances += 1;
        if (advances > this.maxClockAdvances) {
          const stalled = describeStall();
          abortAll();
          throw new SandboxStallError(`execution ${stalled} still runs after ${this.maxClockAdvances} clock advances (virtual ${new Date().toISOString()})`);
        }
        await clock.nextAsync();
      }
      await Promise.all(runs.map((run) => run.consumer));
      if (hookErrors.length > 0) throw hookErrors[0];

      return runs.map((run) => {
        const finished = run.outcome as NonNullable<RunningExecution['outcome']>;
        const lastEvent = run.events.at(-1);
        return {
          ...finished,
          executionArn: run.executionArn,
          executionName: run.executionName,
          stateTransitions: run.events.filter((event) => event.type === 'StateEntered' || event.type === 'StateRetried').length,
          events: run.events,
          startedAt: new Date(run.startedAt.getTime()),
          endedAt: new Date(lastEvent?.at ?? clock.now),
        };
      });
    } finally {
      unregister();
      for (const run of runs) if (sfn.executionStatus(run.executionArn) === 'RUNNING') sfn.endExecution(run.executionArn, { status: 'ABORTED' });
      clock.uninstall();
    }
  }

  private functionName(key: FunctionKey): string {
    return `cutover-sandbox-${key}`;
  }

  /** Which handler each Task state runs, read from its resource: derived from the catalog, never listed by hand. */
  private bindings(definition: StateMachineDefinition): TaskBinding[] {
    const byArn = new Map(Object.keys(ALL_FUNCTIONS).map((key) => [this.functionArn(key as FunctionKey), key as FunctionKey]));
    const bindings: TaskBinding[] = [];
    const visit = (states: Record<string, Record<string, unknown>>): void => {
      for (const [stateName, state] of Object.entries(states)) {
        if (state.Type === 'Parallel') for (const branch of (state.Branches ?? []) as { States: Record<string, Record<string, unknown>> }[]) visit(branch.States);
        if (state.Type === 'Map') {
          const processor = (state.ItemProcessor ?? state.Iterator) as { States: Record<string, Record<string, unknown>> } | undefined;
          if (processor !== undefined) visit(processor.States);
        }
        if (state.Type !== 'Task') continue;
        const resource = String(state.Resource);
        if (resource === START_EXECUTION_SYNC || resource === START_EXECUTION_SYNC_2) {
          bindings.push({ stateName, integration: 'startExecutionSync', version: resource === START_EXECUTION_SYNC ? 1 : 2 });
          continue;
        }
        const timeouts = {
          ...(typeof state.TimeoutSecondsPath === 'string' ? { timeoutSecondsPath: state.TimeoutSecondsPath } : {}),
          ...(typeof state.TimeoutSeconds === 'number' ? { timeoutSeconds: state.TimeoutSeconds } : {}),
        };
        if (resource === INVOKE || resource === INVOKE_WAIT) {
          const functionName = String((state.Parameters as Record<string, unknown> | undefined)?.FunctionName ?? '');
          const key = byArn.get(functionName);
          if (key === undefined) throw new Error(`state ${stateName}: ${resource} names FunctionName ${functionName || '(none)'}, which is not a catalog function`);
          bindings.push({ stateName, key, integration: resource === INVOKE ? 'invoke' : 'waitForTaskToken', ...timeouts });
          continue;
        }
        const key = byArn.get(resource);
        if (key === undefined) throw new Error(`state ${stateName}: resource ${resource} is not a catalog function or a supported Lambda integration`);
        bindings.push({ stateName, key, integration: 'direct', ...timeouts });
      }
    };
    visit(definition.States as unknown as Record<string, Record<string, unknown>>);
    return bindings;
  }

  private taskFunction(
    binding: TaskBinding,
    run: { readonly executionArn: string; takeToken: () => string | undefined; onWaiting: (token: string) => void; onProgress: () => void },
  ): TaskFunction {
    if (binding.integration === 'startExecutionSync') return this.startExecutionTask(binding, run);
    const handler = this.handlers?.get(binding.key);
    if (handler === undefined) throw new Error(`handler ${binding.key} is not loaded`);
    const invoke = async (event: unknown): Promise<unknown> => {
      run.onProgress();
      const invocationKey = `${run.executionArn}\u0000${binding.key}`;
      const invocation = (this.invocations.get(invocationKey) ?? 0) + 1;
      this.invocations.set(invocationKey, invocation);
      const fault = this.faults.find(
        (candidate) =>
          candidate.key === binding.key &&
          (candidate.executionArn === undefined || candidate.executionArn === run.executionArn) &&
          invocation >= (candidate.invocation ?? 1) &&
          invocation < (candidate.invocation ?? 1) + (candidate.count ?? 1),
      );
      const crash = (): LambdaFunctionError =>
        new LambdaFunctionError(fault?.errorType ?? 'Sandbox.Timedout', fault?.errorMessage ?? `the sandbox crashed ${this.functionName(binding.key)} (injected fault, invocation ${invocation})`);
      try {
        if (fault !== undefined && fault.when === 'before') throw crash();
        const result = await callContext.run({ executionArn: run.executionArn, stateName: binding.stateName, functionName: this.functionName(binding.key) }, () =>
          invokeLambda(handler, event, {
            functionName: this.functionName(binding.key),
            region: this.account.region,
            accountId: this.account.accountId,
            timeoutSeconds: this.functionTimeoutSeconds,
          }),
        );
        if (fault !== undefined) throw crash();
        return result;
      } finally {
        run.onProgress();
      }
    };
    if (binding.integration === 'direct') return invoke;
    if (binding.integration === 'invoke') {
      return async (input) => {
        const payload = await invoke((input as { Payload?: unknown }).Payload ?? {});
        return { ExecutedVersion: '$LATEST', Payload: payload, StatusCode: 200 };
      };
    }
    const sfn = this.account.sfn;
    return async (input) => {
      const token = run.takeToken();
      if (token === undefined) throw new Error(`state ${binding.stateName} waits for a task token but its Parameters never read $$.Task.Token`);
      const waiting = sfn.waitForToken(token, run.executionArn, binding.stateName);
      // The task ends at its timeout; from then on the token is answered with TaskTimedOut.
      const timeoutSeconds = binding.timeoutSeconds ?? (binding.timeoutSecondsPath === undefined ? 60 : readSimplePath(input, binding.timeoutSecondsPath));
      if (typeof timeoutSeconds === 'number' && timeoutSeconds * 1000 > MAX_TIMER_MS) {
        // The interpreter times the task with one setTimeout, which Node fires after 1 ms beyond 2^31-1 ms.
        throw new Error(`state ${binding.stateName}: a ${timeoutSeconds} s task timeout exceeds what aws-local-stepfunctions can time (${Math.floor(MAX_TIMER_MS / 1000)} s)`);
      }
      const timer = typeof timeoutSeconds === 'number' ? setTimeout(() => sfn.closeToken(token), timeoutSeconds * 1000) : undefined;
      try {
        await invoke((input as { Payload?: unknown }).Payload ?? {});
      } catch (error) {
        sfn.closeToken(token);
        clearTimeout(timer);
        throw error;
      }
      run.onWaiting(token);
      try {
        const output = await waiting;
        return output as unknown;
      } finally {
        clearTimeout(timer);
        run.onProgress();
      }
    };
  }
  /**
   * A `states:startExecution.sync` / `.sync:2` task, as Step Functions runs it: StartExecution with the task's
   * `StateMachineArn`, `Name` and `Input` (an object is serialised), through the simulated account (a failed call fails
   * the task with `StepFunctions.<Code>Exception`); then wait until the execution ends and DescribeExecution it. Its
   * success is the task's result ({@link syncIntegrationOutput}); any other end fails the task with
   * `States.TaskFailed`, the cause being that result as JSON.
   */
  private startExecutionTask(binding: StartExecutionBinding, run: { readonly executionArn: string; onProgress: () => void }): TaskFunction {
    const sfn = this.account.sfn;
    const origin = { executionArn: run.executionArn, stateName: binding.stateName, functionName: 'states' };
    return async (input) => {
      run.onProgress();
      const parameters = (input ?? {}) as Record<string, unknown>;
      const request: Record<string, unknown> = {
        stateMachineArn: parameters.StateMachineArn,
        ...(parameters.Name === undefined ? {} : { name: parameters.Name }),
        input: typeof parameters.Input === 'string' ? parameters.Input : JSON.stringify(parameters.Input ?? {}),
      };
      let started: Record<string, unknown>;
      try {
        started = (await callContext.run(origin, () => this.account.dispatch('sfn', 'StartExecution', request))) as Record<string, unknown>;
      } catch (error) {
        throw startExecutionError(error);
      }
      const childArn = String(started.executionArn);
      try {
        await sfn.whenEnded(childArn);
      } finally {
        run.onProgress();
      }
      const described = (await callContext.run(origin, () => this.account.dispatch('sfn', 'DescribeExecution', { executionArn: childArn }))) as Record<string, unknown>;
      const output = syncIntegrationOutput(described, binding.version);
      if (described.status === 'SUCCEEDED') return output;
      const failure = new Error(JSON.stringify(output));
      failure.name = 'States.TaskFailed';
      throw failure;
    };
  }
}
