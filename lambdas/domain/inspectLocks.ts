import type { ExecutionPort, LockRecord, ParameterListPort, ReleaseStorePort } from './ports.ts';
import { serviceConfigParameterName } from './serviceConfig.ts';

/** Execution statuses in which a lock holder may still act on its service (as Prepare judges a holder). */
const LIVE_STATUSES: ReadonlySet<string> = new Set(['RUNNING', 'PENDING_REDRIVE']);

/** One held lock, as the watchdog sees it. */
export interface InspectedLock {
  readonly environment: string;
  readonly service: string;
  readonly releaseId: string;
  readonly executionArn: string;
  readonly ageSeconds: number;
  /** The holder's execution status; `undefined` when the execution does not exist. */
  readonly executionStatus?: string;
  /** True when the holder no longer runs: the lock is held by a dead execution (docs/runbooks/stuck-release.md). */
  readonly stale: boolean;
}

/** What the lock watchdog reports; the handler publishes the numbers as metrics. */
export interface LockInspection {
  readonly heldLocks: number;
  /** Age of the oldest held lock, 0 when none is held. */
  readonly oldestLockAgeSeconds: number;
  /** Locks whose holder execution is not running. */
  readonly staleLocks: number;
  readonly locks: readonly InspectedLock[];
}

/** The ports the lock watchdog reads: the services' configuration parameters, their locks, the holders' executions. */
export interface InspectLocksPorts {
  readonly parameters: ParameterListPort;
  readonly store: Pick<ReleaseStorePort, 'getLock'>;
  readonly executions: ExecutionPort;
}

/**
 * The lock watchdog: the lock of every service configured under `/cutover/<environment>/services/`, with its age and
 * whether its holder execution still runs (DescribeExecution). A lock held longer than a release can take, or by an
 * execution that ended, blocks every later release of its service. Reads only; locks are read strongly consistent.
 */
export async function inspectLocks(ports: InspectLocksPorts, environment: string, now: Date): Promise<LockInspection> {
  const path = serviceConfigParameterName(environment, '');
  const services = [...(await ports.parameters.getParametersByPath(path.slice(0, -1))).keys()].map((name) => name.slice(path.length));
  const held: LockRecord[] = [];
  for (const service of services.sort()) {
    const lock = await ports.store.getLock(environment, service);
    if (lock !== undefined) held.push(lock);
  }
  const locks: InspectedLock[] = [];
  for (const lock of held) {
    const status = await ports.executions.describeExecutionStatus(lock.executionArn);
    const acquiredAt = Date.parse(lock.acquiredAt);
    locks.push({
      environment: lock.environment,
      service: lock.service,
      releaseId: lock.releaseId,
      executionArn: lock.executionArn,
      ageSeconds: Number.isNaN(acquiredAt) ? 0 : Math.max(0, Math.round((now.getTime() - acquiredAt) / 1000)),
      ...(status === undefined ? {} : { executionStatus: status }),
      stale: status === undefined || !LIVE_STATUSES.has(status),
    });
  }
  return {
    heldLocks: locks.length,
    oldestLockAgeSeconds: locks.reduce((oldest, lock) => Math.max(oldest, lock.ageSeconds), 0),
    staleLocks: locks.filter((lock) => lock.stale).length,
    locks,
  };
}
