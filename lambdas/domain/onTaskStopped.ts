import * as z from 'zod';
import { formatZodIssues } from './formatZodIssues.ts';
import { InvalidTaskEvent } from './errors.ts';
import { migrationRunIdOf } from './migrationStartedBy.ts';
import { migrationTaskVerdict } from './migrationTaskVerdict.ts';
import { MigrationStatus, type ExecutionPort, type MigrationStorePort } from './ports.ts';
import { truncateCause } from './truncateCause.ts';

const taskStateChangeSchema = z.object({
  'detail-type': z.literal('ECS Task State Change'),
  detail: z.object({
    taskArn: z.string().min(1),
    lastStatus: z.string(),
    startedBy: z.string().optional(),
    stopCode: z.string().optional(),
    stoppedReason: z.string().optional(),
    containers: z
      .array(z.object({ name: z.string(), exitCode: z.number().int().optional(), reason: z.string().optional() }))
      .default([]),
  }),
});

/** What onTaskStopped did with one event. */
export interface OnTaskStoppedResult {
  readonly taskArn: string;
  /** `ignored`: not a migration run cutover waits on (another task, a run that already ended, a status other than STOPPED). */
  readonly action: 'succeeded' | 'failed' | 'ignored';
  /** False when the waiting task had already ended (timed out) before the event arrived. */
  readonly delivered?: boolean;
}

/**
 * Handles an EventBridge `ECS Task State Change` of a migration task: once the task is STOPPED, records the migration's
 * outcome and answers the run's task token: success when the migration container exited 0, otherwise
 * `MigrationFailed` with the exit code or stop reason and the CloudWatch Logs stream. Events of other tasks, and
 * repeated events of a run that already ended, are ignored. Throws {@link InvalidTaskEvent} for an event of another shape.
 */
export async function onTaskStopped(
  event: unknown,
  ports: { readonly store: MigrationStorePort; readonly executions: ExecutionPort },
  now: Date,
): Promise<OnTaskStoppedResult> {
  const parsed = taskStateChangeSchema.safeParse(event);
  if (!parsed.success) throw new InvalidTaskEvent(`not an ECS task state change: ${formatZodIssues(parsed.error.issues)}`);
  const task = parsed.data.detail;
  const runId = migrationRunIdOf(task.startedBy);
  if (task.lastStatus !== 'STOPPED' || runId === undefined) return { taskArn: task.taskArn, action: 'ignored' };
  const run = await ports.store.getMigrationRun(runId);
  if (run === undefined) return { taskArn: task.taskArn, action: 'ignored' };

  const verdict = migrationTaskVerdict(
    {
      taskArn: task.taskArn,
      containers: task.containers,
      ...(task.stopCode === undefined ? {} : { stopCode: task.stopCode }),
      ...(task.stoppedReason === undefined ? {} : { stoppedReason: task.stoppedReason }),
    },
    run,
  );
  const endedAt = now.toISOString();
  if (verdict.passed) {
    await ports.store.endMigration(run, runId, { status: MigrationStatus.Succeeded, endedAt, exitCode: 0 });
    const delivered = await ports.executions.sendTaskSuccess(run.taskToken, { outcome: 'Succeeded', taskArn: task.taskArn, releaseId: run.releaseId, exitCode: 0 });
    return { taskArn: task.taskArn, action: 'succeeded', delivered };
  }
  const cause = truncateCause(verdict.cause);
  await ports.store.endMigration(run, runId, { status: MigrationStatus.Failed, endedAt, cause, ...(verdict.exitCode === undefined ? {} : { exitCode: verdict.exitCode }) });
  const delivered = await ports.executions.sendTaskFailure(run.taskToken, 'MigrationFailed', cause);
  return { taskArn: task.taskArn, action: 'failed', delivered };
}
