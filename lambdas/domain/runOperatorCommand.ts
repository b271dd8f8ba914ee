import { failureSignalCause } from './failureSignalCause.ts';
import type { BakeTokenRecord, ExecutionPort, LedgerRecord, LockRecord, ReleaseStorePort } from './ports.ts';

/** The operator commands on a running release. */
export const OperatorCommand = { Abort: 'abort', Promote: 'promote', Status: 'status' } as const;
/** One operator command. */
export type OperatorCommandValue = (typeof OperatorCommand)[keyof typeof OperatorCommand];

/** An operator's request, from the CLI or from Slack. */
export interface OperatorRequest {
  readonly command: OperatorCommandValue;
  readonly service: string;
  readonly environment: string;
  /** Who acts, recorded in the cause or output sent to the execution. */
  readonly actor: string;
  readonly reason?: string;
  /** Act only if this release holds the lock (a Slack button acts on the release its message is about, never a newer one). */
  readonly releaseId?: string;
}

/** What an operator command did, for printing. `exitCode` 0: done; 1: nothing to act on. */
export interface OperatorResult {
  readonly exitCode: 0 | 1;
  readonly message: string;
  readonly details?: {
    readonly lock?: LockRecord & { readonly executionStatus?: string };
    readonly bake?: Omit<BakeTokenRecord, 'taskToken'>;
    readonly releases?: readonly LedgerRecord[];
  };
}

/** The ports an operator command needs. */
export interface OperatorPorts {
  readonly store: ReleaseStorePort;
  readonly executions: ExecutionPort;
}

/**
 * Runs `abort`, `promote` or `status` for one service. Abort and promote act only on the bake of the release that
 * holds the lock now, so a stale bake record of an ended release is never answered. `now` is the abort's time, carried
 * in the failure's cause (Rollback measures its reaction time from it).
 */
export async function runOperatorCommand(args: OperatorRequest, ports: OperatorPorts, now: Date = new Date()): Promise<OperatorResult> {
  const lock = await ports.store.getLock(args.environment, args.service);
  const bake = await ports.store.getCurrentBake(args.environment, args.service);
  const waiting = lock !== undefined && bake !== undefined && bake.releaseId === lock.releaseId ? bake : undefined;
  const who = `${args.service} in ${args.environment}`;

  if (args.command === 'status') {
    const executionStatus = lock ? await ports.executions.describeExecutionStatus(lock.executionArn) : undefined;
    const releases = await ports.store.listReleases(args.environment, args.service, 5);
    const message = lock
      ? `${who}: release ${lock.releaseId} holds the lock since ${lock.acquiredAt} (execution ${executionStatus ?? 'not found'})` +
        (waiting ? `; baking at ${waiting.weight} %${waiting.manual ? ', waiting for promote' : ''} until ${waiting.endsAt}` : '; no bake waiting')
      : `${who}: no release in progress`;
    return {
      exitCode: 0,
      message,
      details: {
        ...(lock ? { lock: { ...lock, ...(executionStatus ? { executionStatus } : {}) } } : {}),
        ...(waiting ? { bake: withoutToken(waiting) } : {}),
        releases,
      },
    };
  }

  if (args.releaseId !== undefined && lock?.releaseId !== args.releaseId) {
    return { exitCode: 1, message: `${who}: release ${args.releaseId} is no longer running, nothing to ${args.command}` };
  }
  if (!waiting) {
    return { exitCode: 1, message: `${who}: no bake is waiting, nothing to ${args.command}` };
  }
  const because = args.reason ? `: ${args.reason}` : '';
  const answered =
    args.command === 'abort'
      ? await ports.executions.sendTaskFailure(waiting.taskToken, 'ReleaseAborted', failureSignalCause('ReleaseAborted', `aborted by ${args.actor}${because}`, now))
      : await ports.executions.sendTaskSuccess(waiting.taskToken, { promotedBy: args.actor, ...(args.reason ? { reason: args.reason } : {}) });
  if (!answered) {
    return { exitCode: 1, message: `${who}: the bake at ${waiting.weight} % already ended, nothing to ${args.command}` };
  }
  const verb = args.command === 'abort' ? 'aborted: rolling back' : 'promoted: moving to the next step';
  return { exitCode: 0, message: `${who}: release ${waiting.releaseId} ${verb} (at ${waiting.weight} %)`, details: { bake: withoutToken(waiting) } };
}

function withoutToken(bake: BakeTokenRecord): Omit<BakeTokenRecord, 'taskToken'> {
  const { taskToken: _taskToken, ...rest } = bake;
  return rest;
}
