import { describeMigrationLogs } from './describeMigrationLogs.ts';
import { migrationStartedBy } from './migrationStartedBy.ts';
import { MigrationStatus, type EcsTaskPort, type MigrationStorePort } from './ports.ts';
import type { ReleaseContext } from './releaseState.ts';
import { migrationKeyOf } from './runMigration.ts';
import { truncateCause } from './truncateCause.ts';

/**
 * Stops the tasks of a release's migration run that is still Running (its task outran the timeout, or the wait
 * ended otherwise) and records the migration as Failed. Returns the cause, naming the stopped tasks and the logs, or
 * `undefined` when this release has no Running migration of that phase (it ended, or never started).
 */
export async function stopMigration(
  release: ReleaseContext,
  phase: string,
  ports: { readonly ecs: EcsTaskPort; readonly store: MigrationStorePort },
  now: Date,
  reason: string,
): Promise<string | undefined> {
  const key = migrationKeyOf(release, phase);
  const record = await ports.store.getMigration(key);
  if (record?.status !== MigrationStatus.Running || record.releaseId !== release.releaseId) return undefined;
  const tasks = await ports.ecs.listRunningTasks(record.cluster, migrationStartedBy(record.runId));
  for (const taskArn of tasks) await ports.ecs.stopTask(record.cluster, taskArn, `cutover: ${reason}`.slice(0, 255));
  const taskArn = tasks[0] ?? record.taskArn;
  const stopped = tasks.length === 0 ? 'no task was still running' : `stopped task ${tasks.join(', ')}`;
  const cause = truncateCause(`${reason}; ${stopped}; ${describeMigrationLogs(record, taskArn)}`);
  await ports.store.endMigration(key, record.runId, { status: MigrationStatus.Failed, endedAt: now.toISOString(), cause });
  return cause;
}
