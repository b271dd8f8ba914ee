import { failureSignalCause } from './failureSignalCause.ts';
import type { BakeTokenRecord, ExecutionPort, LedgerRecord, LockRecord, ParkedGate, ReleaseStorePort } from './ports.ts';

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
    readonly lock?: Omit<LockRecord, 'gate'> & { readonly executionStatus?: string };
    readonly bake?: Omit<BakeTokenRecord, 'taskToken'>;
    /** The freeze or approval gate the release is parked at. */
    readonly gate?: Omit<ParkedGate, 'taskToken'>;
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
 * holds the lock now, so a stale bake record of an ended release is never answered. Abort also ends a release parked
 * at the freeze or approval gate (the gate stored on its lock): it then ends Failed through GateFailed, no traffic
 * having moved. `now` is the abort's time, carried in the failure's cause (Rollback measures its reaction time from it).
 */
export async function runOperatorCommand(args: OperatorRequest, ports: OperatorPorts, now: Date = new Date()): Promise<OperatorResult> {
  const lock = await ports.store.getLock(args.environment, args.service);
  const bake = await ports.store.getCurrentBake(args.environment, args.service);
  const waiting = lock !== undefined && bake !== undefined && bake.releaseId === lock.releaseId ? bake : undefined;
  // A gate whose wait has passed (the freeze ended) no longer holds the release; an answered approval is removed.
  const parked = waiting === undefined && lock?.gate !== undefined && Date.parse(lock.gate.until) > now.getTime() ? lock.gate : undefined;
  const who = `${args.service} in ${args.environment}`;

  if (args.command === 'status') {
    const executionStatus = lock ? await ports.executions.describeExecutionStatus(lock.executionArn) : undefined;
    const releases = await ports.store.listReleases(args.environment, args.service, 5);
    const message = lock
      ? `${who}: release ${lock.releaseId} holds the lock since ${lock.acquiredAt} (execution ${executionStatus ?? 'not found'})` +
        (waiting
          ? `; baking at ${waiting.weight} %${waiting.manual ? ', waiting for promote' : ''} until ${waiting.endsAt}`
          : parked
            ? `; ${describeParked(parked)}, no traffic moved`
            : '; no bake waiting')
      : `${who}: no release in progress`;
    return {
      exitCode: 0,
      message,
      details: {
        ...(lock ? { lock: { ...withoutGate(lock), ...(executionStatus ? { executionStatus } : {}) } } : {}),
        ...(waiting ? { bake: withoutToken(waiting) } : {}),
        ...(parked ? { gate: withoutToken(parked) } : {}),
        releases,
      },
    };
  }

  if (args.releaseId !== undefined && lock?.releaseId !== args.releaseId) {
    return { exitCode: 1, message: `${who}: release ${args.releaseId} is no longer running, nothing to ${args.command}` };
  }
  const because = args.reason ? `: ${args.reason}` : '';
  const abortCause = (): string => failureSignalCause('ReleaseAborted', `aborted by ${args.actor}${because}`, now);
  if (!waiting && parked && lock) {
    if (args.command !== 'abort') {
      const hint = parked.name === 'approval' ? ' (cutover approve answers an approval)' : '';
      return { exitCode: 1, message: `${who}: release ${lock.releaseId} is ${describeParked(parked)}: no bake is waiting, nothing to ${args.command}${hint}` };
    }
    if (!(await ports.executions.sendTaskFailure(parked.taskToken, 'ReleaseAborted', abortCause()))) {
      return { exitCode: 1, message: `${who}: the wait at the ${parked.name} gate already ended, nothing to abort` };
    }
    return {
      exitCode: 0,
      message: `${who}: release ${lock.releaseId} aborted at the ${parked.name} gate: it ends Failed, no traffic moved`,
      details: { gate: withoutToken(parked) },
    };
  }
  if (!waiting) {
    return { exitCode: 1, message: `${who}: no bake is waiting and no gate holds the release, nothing to ${args.command}` };
  }
  const answered =
    args.command === 'abort'
      ? await ports.executions.sendTaskFailure(waiting.taskToken, 'ReleaseAborted', abortCause())
      : await ports.executions.sendTaskSuccess(waiting.taskToken, { promotedBy: args.actor, ...(args.reason ? { reason: args.reason } : {}) });
  if (!answered) {
    return { exitCode: 1, message: `${who}: the bake at ${waiting.weight} % already ended, nothing to ${args.command}` };
  }
  const verb = args.command === 'abort' ? 'aborted: rolling back' : 'promoted: moving to the next step';
  // An abort's actor reaches the ledger in the rollback's cause; a promotion's is recorded here.
  const unrecorded = args.command === 'promote' ? await recordPromotion(args, waiting, ports.store, now) : '';
  return { exitCode: 0, message: `${who}: release ${waiting.releaseId} ${verb} (at ${waiting.weight} %)${unrecorded}`, details: { bake: withoutToken(waiting) } };
}

/** Records who promoted in the release's ledger record; returns a note for the answer when that failed (the promotion stands). */
async function recordPromotion(args: OperatorRequest, bake: BakeTokenRecord, store: ReleaseStorePort, now: Date): Promise<string> {
  try {
    const record = (await store.listReleases(args.environment, args.service, 5)).find((release) => release.releaseId === bake.releaseId);
    if (record === undefined) return '; not recorded in the ledger: its record was not found';
    await store.recordOperatorAction(args.environment, args.service, `${record.startedAt}#${record.releaseId}`, {
      action: 'promote',
      actor: args.actor,
      at: now.toISOString(),
      weight: bake.weight,
      ...(args.reason === undefined ? {} : { reason: args.reason }),
    });
    return '';
  } catch (error) {
    return `; not recorded in the ledger: ${(error as Error).name}`;
  }
}

function describeParked(gate: ParkedGate): string {
  const why = gate.reason === undefined ? '' : ` (${gate.reason})`;
  return gate.name === 'freeze' ? `parked at the freeze gate until ${gate.until}${why}` : `parked at the approval gate until ${gate.until}${why}, waiting for cutover approve`;
}

function withoutGate(lock: LockRecord): Omit<LockRecord, 'gate'> {
  const { gate: _gate, ...rest } = lock;
  return rest;
}

function withoutToken<T extends { readonly taskToken: string }>(record: T): Omit<T, 'taskToken'> {
  const { taskToken: _taskToken, ...rest } = record;
  return rest;
}
