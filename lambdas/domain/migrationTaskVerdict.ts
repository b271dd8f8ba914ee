import { describeMigrationLogs } from './describeMigrationLogs.ts';
import type { MigrationRunRecord } from './ports.ts';

/** A stopped ECS task as its `ECS Task State Change` event describes it. */
export interface StoppedTaskView {
  readonly taskArn: string;
  readonly stopCode?: string;
  readonly stoppedReason?: string;
  readonly containers: readonly { readonly name: string; readonly exitCode?: number; readonly reason?: string }[];
}

/** Whether a migration task passed: exit code 0 of the migration container; otherwise the cause. */
export type MigrationTaskVerdict = { readonly passed: true; readonly exitCode: 0 } | { readonly passed: false; readonly exitCode?: number; readonly cause: string };

/**
 * Judges a stopped migration task: its migration container exited 0, or it did not, and the cause says how (exit
 * code, or the stop code and reason of a task that never ran its command, e.g. an image that could not be pulled)
 * and names the task's CloudWatch Logs stream.
 */
export function migrationTaskVerdict(task: StoppedTaskView, run: Pick<MigrationRunRecord, 'containerName' | 'logGroup' | 'logStreamPrefix'>): MigrationTaskVerdict {
  const container = task.containers.find((candidate) => candidate.name === run.containerName);
  if (container?.exitCode === 0) return { passed: true, exitCode: 0 };
  const logs = describeMigrationLogs(run, task.taskArn);
  const stopped = [task.stopCode, task.stoppedReason].filter((part) => part !== undefined && part !== '').join(': ');
  if (container?.exitCode !== undefined) {
    const reason = container.reason === undefined || container.reason === '' ? '' : ` (${container.reason})`;
    return { passed: false, exitCode: container.exitCode, cause: `migration task ${task.taskArn}: container ${run.containerName} exited with code ${container.exitCode}${reason}; ${logs}` };
  }
  const containerReason = container?.reason === undefined || container.reason === '' ? '' : `; container ${run.containerName}: ${container.reason}`;
  return {
    passed: false,
    cause: `migration task ${task.taskArn} stopped before container ${run.containerName} exited: ${stopped === '' ? 'no stop reason given' : stopped}${containerReason}; ${logs}`,
  };
}
