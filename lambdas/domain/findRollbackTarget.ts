import { createHash } from 'node:crypto';
import * as z from 'zod';
import { ConcurrentReleaseError, InvalidReleaseInput, NothingToRollBack } from './errors.ts';
import { formatZodIssues } from './formatZodIssues.ts';
import type { ExecutionPort, LedgerRecord, ReleaseStorePort } from './ports.ts';
import { resourceNameSchema, type RollbackTarget } from './releaseInput.ts';
import { MAX_EXECUTION_NAME_LENGTH } from './releaseExecutionName.ts';
import { ReleaseOutcome } from './releaseState.ts';

/** The input of the rollback state machine (`statemachines/rollback.asl.json`), from the console or the Slack worker. */
export const rollbackRequestSchema = z.strictObject({
  service: resourceNameSchema,
  environment: resourceNameSchema,
  /** Who asked; the rollback release records it in the ledger. */
  requestedBy: z.string().min(1).max(256),
  /** Why, in the asker's words; recorded in the ledger. */
  reason: z.string().min(1).max(512).optional(),
  /**
   * Roll back even though the release undone ran its contract migration (`postPromotionMigration`): only for someone
   * who knows the old code works against the contracted schema. Slack never sets it.
   */
  force: z.boolean().optional(),
});

/** A validated rollback request. */
export type RollbackRequest = z.infer<typeof rollbackRequestSchema>;

/** The two releases a rollback is about. */
export interface RollbackChoice {
  /** The newest Succeeded release: the one rolled back. */
  readonly newest: LedgerRecord;
  /** The Succeeded release before it, whose task definition goes live again. */
  readonly previous: LedgerRecord & { readonly toTaskDefinition: string };
}

/** What FindRollbackTarget hands to the rollback machine's StartRelease state. */
export interface RollbackPlan {
  /** The input of the release that rolls back (a release input with `rollbackTo`). */
  readonly releaseInput: {
    readonly service: string;
    readonly environment: string;
    readonly rollbackTo: RollbackTarget;
    readonly requestedBy: string;
  };
  /** The release execution's name, derived from the rollback execution's: a retried StartRelease starts nothing new. */
  readonly releaseExecutionName: string;
  readonly rollbackOf: { readonly releaseId: string; readonly taskDefinitionArn?: string };
  readonly rollbackTo: { readonly releaseId: string; readonly taskDefinitionArn: string };
}

/** The input of the FindRollbackTarget state. */
export interface FindRollbackTargetEvent {
  /** The rollback execution's input, unvalidated. */
  readonly input: unknown;
  /** `$$.Execution.Name` of the rollback execution. */
  readonly executionName: string;
}

/** How many ledger records a rollback looks through for the two newest successful releases. */
export const ROLLBACK_LEDGER_DEPTH = 100;

/** Execution statuses in which a lock holder may still act on the service. */
const LIVE_EXECUTION_STATUSES: ReadonlySet<string> = new Set(['RUNNING', 'PENDING_REDRIVE']);

/** How a rollback target is chosen. */
export interface RollbackChoiceOptions {
  /** Roll back past the undone release's contract migration. @default false */
  readonly force?: boolean;
}

/**
 * The newest Succeeded release of the service (the one live: a release whose Finalize failed after its traffic reached
 * 100 % is recorded Succeeded too) and the Succeeded one before it, from the ledger (newest first), or
 * {@link NothingToRollBack} naming what is missing, or naming the contract migration the newest release ran (rolling
 * code back past it is unsafe, docs/migrations.md) unless `options.force`.
 */
export function chooseRollbackTarget(records: readonly LedgerRecord[], service: string, environment: string, options: RollbackChoiceOptions = {}): RollbackChoice {
  const succeeded = records.filter((record) => record.outcome === ReleaseOutcome.Succeeded);
  const [newest, previous] = succeeded;
  const who = `${service} in ${environment}`;
  if (newest === undefined) throw new NothingToRollBack(`${who}: the ledger has no successful release, nothing to roll back`);
  if (previous === undefined) {
    throw new NothingToRollBack(`${who}: release ${newest.releaseId} is the only successful release in the ledger; there is no earlier one to roll back to`);
  }
  if (previous.toTaskDefinition === undefined) {
    throw new NothingToRollBack(`${who}: the ledger does not say which task definition release ${previous.releaseId} deployed`);
  }
  const contract = newest.postPromotionMigration;
  if (contract !== undefined && options.force !== true) {
    throw new NothingToRollBack(
      `${who}: release ${newest.releaseId} ran its contract migration (postPromotionMigration ${contract.outcome}${contract.taskArn === undefined ? '' : `, task ${contract.taskArn}`}); ` +
        `rolling its code back to release ${previous.releaseId} is unsafe, the old code may need what the migration removed. ` +
        'Release a fix forward, or start the rollback state machine with force: true in its input if the old code works with the contracted schema (docs/migrations.md)',
    );
  }
  return { newest, previous: { ...previous, toTaskDefinition: previous.toTaskDefinition } };
}

/** The name of the release execution a rollback execution starts: `<service>-<environment>-rollback-<key>`, at most 80 characters. */
export function rollbackReleaseExecutionName(service: string, environment: string, rollbackExecutionName: string): string {
  const readable = `${service}-${environment}`.slice(0, 40).replace(/-+$/, '');
  const key = createHash('sha256').update(`${environment}/${service}/${rollbackExecutionName}`).digest('hex').slice(0, 16);
  return `${readable}-rollback-${key}`.slice(0, MAX_EXECUTION_NAME_LENGTH);
}

/** The name of a rollback execution asked for at `now`: `rollback-<service>-<environment>-<time>`, at most 80 characters. */
export function rollbackExecutionName(service: string, environment: string, now: Date): string {
  const stamp = now.toISOString().replace(/[^0-9]/g, '').slice(0, 17);
  return `rollback-${`${service}-${environment}`.slice(0, 40).replace(/-+$/, '')}-${stamp}`.slice(0, MAX_EXECUTION_NAME_LENGTH);
}

/** Throws {@link ConcurrentReleaseError} when a running execution holds the service's lock. */
export async function refuseWhileReleasing(request: Pick<RollbackRequest, 'service' | 'environment'>, ports: { readonly store: ReleaseStorePort; readonly executions: ExecutionPort }): Promise<void> {
  const holder = await ports.store.getLock(request.environment, request.service);
  if (holder === undefined) return;
  const status = await ports.executions.describeExecutionStatus(holder.executionArn);
  if (status !== undefined && LIVE_EXECUTION_STATUSES.has(status)) {
    throw new ConcurrentReleaseError(
      `${request.service} in ${request.environment}: release ${holder.releaseId} is running (execution ${holder.executionArn}); abort it instead, it rolls back by itself`,
    );
  }
}

/**
 * The FindRollbackTarget state: validates the request, refuses while a release runs ({@link ConcurrentReleaseError}),
 * when the ledger has no earlier successful release, or when the release to undo ran a contract migration and the
 * request is not `force` ({@link NothingToRollBack}), and plans the release of the previous release's task
 * definition. It only reads.
 */
export async function findRollbackTarget(
  event: FindRollbackTargetEvent,
  ports: { readonly store: ReleaseStorePort; readonly executions: ExecutionPort },
  options: { readonly controlPlaneEnvironment?: string } = {},
): Promise<RollbackPlan> {
  const parsed = rollbackRequestSchema.safeParse(event.input);
  if (!parsed.success) throw new InvalidReleaseInput(`invalid rollback input: ${formatZodIssues(parsed.error.issues)}`);
  const request = parsed.data;
  if (options.controlPlaneEnvironment !== undefined && request.environment !== options.controlPlaneEnvironment) {
    throw new InvalidReleaseInput(`environment: this control plane releases into ${options.controlPlaneEnvironment}, not ${request.environment}`);
  }
  await refuseWhileReleasing(request, ports);
  const records = await ports.store.listReleases(request.environment, request.service, ROLLBACK_LEDGER_DEPTH);
  const { newest, previous } = chooseRollbackTarget(records, request.service, request.environment, { force: request.force === true });
  const rollbackTo: RollbackTarget = {
    taskDefinitionArn: previous.toTaskDefinition,
    fromReleaseId: previous.releaseId,
    rollbackOf: newest.releaseId,
    ...(request.reason === undefined ? {} : { reason: request.reason }),
  };
  return {
    releaseInput: { service: request.service, environment: request.environment, rollbackTo, requestedBy: request.requestedBy },
    releaseExecutionName: rollbackReleaseExecutionName(request.service, request.environment, event.executionName),
    rollbackOf: { releaseId: newest.releaseId, ...(newest.toTaskDefinition === undefined ? {} : { taskDefinitionArn: newest.toTaskDefinition }) },
    rollbackTo: { releaseId: previous.releaseId, taskDefinitionArn: previous.toTaskDefinition },
  };
}
