/** The `startedBy` prefix of every migration task; the ECS Task State Change rule matches on it. */
export const MIGRATION_STARTED_BY_PREFIX = 'cutover-migration-';

/** The `startedBy` of a migration run's task: the prefix and the run id (ECS allows 128 letters, digits, `-`, `_`, `/`). */
export function migrationStartedBy(runId: string): string {
  return `${MIGRATION_STARTED_BY_PREFIX}${runId}`;
}

/** The run id of a task's `startedBy`, or `undefined` when the task is not a migration cutover started. */
export function migrationRunIdOf(startedBy: string | undefined): string | undefined {
  if (startedBy === undefined || !startedBy.startsWith(MIGRATION_STARTED_BY_PREFIX)) return undefined;
  const runId = startedBy.slice(MIGRATION_STARTED_BY_PREFIX.length);
  return runId === '' ? undefined : runId;
}
