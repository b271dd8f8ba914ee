import { performance } from 'node:perf_hooks';
import { SimulatedAccount } from '../../sandbox/account/SimulatedAccount.ts';
import type { LambdaContext, LambdaHandler } from '../../sandbox/lambdaRuntime.ts';
import { LocalRunner } from '../../sandbox/localRunner.ts';

/** One handler invocation the sandbox ran, with its in-process duration. */
export interface HandlerInvocation {
  /** The function's catalog key (`prepare`, `bake`, …, `onAlarm`). */
  readonly key: string;
  /** Real milliseconds from the handler's start to its settled promise (its work plus the simulated AWS calls). */
  readonly durationMs: number;
}

/** What {@link instrumentHandlers} records, and how to undo it. */
export interface HandlerInstrumentation {
  readonly invocations: HandlerInvocation[];
  /** Every simulated account installed since, in order (their call logs outlive the rehearsal). */
  readonly accounts: SimulatedAccount[];
  /** Puts the sandbox's prototypes back as they were. */
  restore(): void;
}

/**
 * Counts and times every handler invocation of the sandbox runs that follow, without touching sandbox/: wraps the
 * handlers the LocalRunner and the SimulatedAccount (onAlarm) load, and remembers each account it installs. Measurement only; `restore()` undoes it.
 */
export function instrumentHandlers(): HandlerInstrumentation {
  const invocations: HandlerInvocation[] = [];
  const wrapped = new WeakSet<LambdaHandler>();
  const wrap = (key: string, handler: LambdaHandler): LambdaHandler => {
    if (wrapped.has(handler)) return handler;
    const timed: LambdaHandler = async (event: unknown, context: LambdaContext) => {
      const start = performance.now();
      try {
        return await handler(event, context);
      } finally {
        invocations.push({ key, durationMs: performance.now() - start });
      }
    };
    wrapped.add(timed);
    return timed;
  };

  // The handler maps are private: reach them through a structural view rather than changing the sandbox.
  type RunnerView = { handlers?: Map<string, LambdaHandler> };
  type AccountView = { onAlarmHandler?: LambdaHandler };
  const originalPrepare = LocalRunner.prototype.prepare;
  const originalLoad = SimulatedAccount.prototype.loadEventHandlers;
  const originalInstall = SimulatedAccount.prototype.install;
  const accounts: SimulatedAccount[] = [];
  SimulatedAccount.prototype.install = function instrumentedInstall(this: SimulatedAccount): SimulatedAccount {
    if (!accounts.includes(this)) accounts.push(this);
    return originalInstall.call(this);
  };
  LocalRunner.prototype.prepare = async function instrumentedPrepare(this: LocalRunner): Promise<void> {
    await originalPrepare.call(this);
    const handlers = (this as unknown as RunnerView).handlers;
    if (handlers !== undefined) for (const [key, handler] of handlers) handlers.set(key, wrap(key, handler));
  };
  SimulatedAccount.prototype.loadEventHandlers = async function instrumentedLoad(this: SimulatedAccount): Promise<void> {
    await originalLoad.call(this);
    const view = this as unknown as AccountView;
    if (view.onAlarmHandler !== undefined) view.onAlarmHandler = wrap('onAlarm', view.onAlarmHandler);
  };
  return {
    invocations,
    accounts,
    restore: () => {
      SimulatedAccount.prototype.install = originalInstall;
      LocalRunner.prototype.prepare = originalPrepare;
      SimulatedAccount.prototype.loadEventHandlers = originalLoad;
    },
  };
}
