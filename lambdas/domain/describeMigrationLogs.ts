/** Where a migration task's container logs, as the run recorded it. */
export interface MigrationLogSource {
  readonly containerName: string;
  readonly logGroup?: string;
  readonly logStreamPrefix?: string;
}

/**
 * Names the CloudWatch Logs stream of a migration task for a failure cause: `awslogs` names it
 * `<prefix>/<container>/<task id>` (or the task id alone without a prefix).
 */
export function describeMigrationLogs(source: MigrationLogSource, taskArn: string | undefined): string {
  if (source.logGroup === undefined) return `no CloudWatch Logs: container ${source.containerName} does not use the awslogs driver`;
  if (taskArn === undefined) return `CloudWatch Logs group ${source.logGroup} (the task never started)`;
  const taskId = taskArn.slice(taskArn.lastIndexOf('/') + 1);
  const stream = source.logStreamPrefix === undefined ? taskId : `${source.logStreamPrefix}/${source.containerName}/${taskId}`;
  return `logs: CloudWatch Logs group ${source.logGroup}, stream ${stream}`;
}
