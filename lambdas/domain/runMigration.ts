import { containerLogLocation } from './containerLogLocation.ts';
import { MigrationFailed, ReleaseError } from './errors.ts';
import { migrationStartedBy } from './migrationStartedBy.ts';
import {
  MigrationStatus,
  type EcsPort,
  type EcsTaskPort,
  type ExecutionPort,
  type MigrationKey,
  type MigrationRecord,
  type MigrationRunRecord,
  type MigrationStorePort,
} from './ports.ts';
import { MigrationPhase, type ColorSide, type MigrationEvent, type MigrationResult, type ReleaseContext } from './releaseState.ts';
import { requireBuild } from './requireBuild.ts';
import type { MigrationConfig } from './serviceConfig.ts';

/** How long migration run records outlive their task's timeout before DynamoDB's TTL removes them. */
export const MIGRATION_RUN_TTL_SECONDS = 86_400;

/** The error name a {@link MigrationStorePort.startMigration} throws when the migration succeeded meanwhile. */
export const MIGRATION_ALREADY_SUCCEEDED = 'MigrationAlreadySucceeded';

/** What the RunMigration Lambda did before the task waits on its token. */
export type RunMigrationOutcome =
  | { readonly outcome: 'Started'; readonly taskArn: string; readonly runId: string }
  | { readonly outcome: 'Attached'; readonly runId: string }
  | { readonly outcome: 'Skipped'; readonly releaseId: string };

/** The ports RunMigration uses. */
export interface RunMigrationPorts {
  readonly ecs: EcsPort & EcsTaskPort;
  readonly store: MigrationStorePort;
  readonly executions: ExecutionPort;
}

/** The migration of a phase, or a {@link ReleaseError} when the state machine ran the phase without one configured. */
export function migrationOf(release: ReleaseContext, phase: string): MigrationConfig {
  const migration = phase === MigrationPhase.Post ? release.postPromotionMigration : release.migration;
  if (migration === undefined) throw new ReleaseError(`the ${phase} migration ran without a configured migration; the state machine's Choice should have skipped it`);
  return migration;
}

/** The key of a release's migration of a phase. */
export function migrationKeyOf(release: ReleaseContext, phase: string): MigrationKey {
  return { environment: release.environment, service: release.service, digest: release.image.digest, phase };
}

/** The service whose network the migration task copies: the colour serving production when the phase runs. */
function liveSideOf(release: ReleaseContext, phase: string): ColorSide {
  return phase === MigrationPhase.Post ? release.idle : release.stable;
}

/** Answers the token at once: the migration of this digest already succeeded (in `record.releaseId`). */
async function skip(record: MigrationRecord, taskToken: string, ports: RunMigrationPorts): Promise<RunMigrationOutcome> {
  const result: MigrationResult = {
    outcome: 'Skipped',
    releaseId: record.releaseId,
    ...(record.taskArn === undefined ? {} : { taskArn: record.taskArn }),
    ...(record.exitCode === undefined ? {} : { exitCode: record.exitCode }),
  };
  await ports.executions.sendTaskSuccess(taskToken, { ...result });
  return { outcome: 'Skipped', releaseId: record.releaseId };
}

/**
 * The RunMigration and RunPostPromotionMigration states (a `.waitForTaskToken` task). Starts the migration as a one-off
 * ECS task with the release's new task definition and the configured command, launched like the live service
 * (cluster, subnets, security groups, launch type or capacity providers, platform version, read from ECS), after
 * recording the run and its task token; the task's STOPPED event (onTaskStopped) answers the token.
 * A migration that already succeeded for this digest in this environment is skipped (the token is answered at once);
 * a run of this release still in progress (a retried task) gets the new token instead of a second task.
 * Throws {@link MigrationFailed} when the task cannot start.
 */
export async function runMigration(event: MigrationEvent, ports: RunMigrationPorts, now: Date, runId: string): Promise<RunMigrationOutcome> {
  const { release } = event.state;
  const migration = migrationOf(release, event.phase);
  const { taskDefinitionArn } = requireBuild(event.state, 'RunMigration');
  const key = migrationKeyOf(release, event.phase);
  const containerName = migration.containerName ?? release.containerName;
  const endsAt = new Date(now.getTime() + migration.timeoutSeconds * 1000).toISOString();

  const existing = await ports.store.getMigration(key);
  if (existing?.status === MigrationStatus.Succeeded) return skip(existing, event.taskToken, ports);
  const runOf = (record: Pick<MigrationRecord, 'runId' | 'logGroup' | 'logStreamPrefix'>): MigrationRunRecord => ({
    ...key,
    runId: record.runId,
    taskToken: event.taskToken,
    releaseId: release.releaseId,
    executionArn: release.executionArn,
    containerName,
    endsAt,
    ...(record.logGroup === undefined ? {} : { logGroup: record.logGroup }),
    ...(record.logStreamPrefix === undefined ? {} : { logStreamPrefix: record.logStreamPrefix }),
  });
  if (existing?.status === MigrationStatus.Running && existing.releaseId === release.releaseId && existing.taskArn !== undefined) {
    await ports.store.attachMigrationToken(runOf(existing), migration.timeoutSeconds + MIGRATION_RUN_TTL_SECONDS);
    return { outcome: 'Attached', runId: existing.runId };
  }

  const logs = containerLogLocation(await ports.ecs.describeTaskDefinition(taskDefinitionArn), containerName);
  if (!logs.found) throw new MigrationFailed(`container ${containerName} is not in task definition ${taskDefinitionArn}; set migration.containerName`);
  const live = liveSideOf(release, event.phase);
  const service = (await ports.ecs.describeServices(release.cluster, [live.serviceName])).get(live.serviceName);
  if (service === undefined) throw new MigrationFailed(`the live service ${live.serviceName} is not in cluster ${release.cluster}; cannot copy its network configuration`);

  const record: MigrationRecord = {
    ...key,
    status: MigrationStatus.Running,
    runId,
    releaseId: release.releaseId,
    cluster: release.cluster,
    containerName,
    startedAt: now.toISOString(),
    ...(logs.logGroup === undefined ? {} : { logGroup: logs.logGroup }),
    ...(logs.logStreamPrefix === undefined ? {} : { logStreamPrefix: logs.logStreamPrefix }),
  };
  // Recorded before the task starts: a task that stops at once must find its token.
  try {
    await ports.store.startMigration(record, runOf(record), migration.timeoutSeconds + MIGRATION_RUN_TTL_SECONDS);
  } catch (error) {
    if ((error as Error).name !== MIGRATION_ALREADY_SUCCEEDED) throw error;
    const succeeded = await ports.store.getMigration(key);
    if (succeeded === undefined) throw error;
    return skip(succeeded, event.taskToken, ports);
  }
  let started;
  try {
    started = await ports.ecs.runTask({
      cluster: release.cluster,
      taskDefinitionArn,
      containerName,
      command: migration.command,
      startedBy: migrationStartedBy(runId),
      launch: service.launch ?? {},
    });
  } catch (error) {
    // RunTask failed as a call (throttled, invalid parameters): no task runs, so a retry starts a new one.
    await ports.store.endMigration(key, runId, { status: MigrationStatus.Failed, endedAt: now.toISOString(), cause: `RunTask failed: ${(error as Error).name}` });
    throw error;
  }
  if ('failure' in started) {
    const cause = `the migration task could not start: ${started.failure}`;
    await ports.store.endMigration(key, runId, { status: MigrationStatus.Failed, endedAt: now.toISOString(), cause });
    throw new MigrationFailed(cause);
  }
  await ports.store.setMigrationTask(key, runId, started.taskArn);
  return { outcome: 'Started', taskArn: started.taskArn, runId };
}
