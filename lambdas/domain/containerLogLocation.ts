import type { TaskDefinitionRecord } from './ports.ts';

/** Where a container of a task definition logs, and whether the container exists at all. */
export interface ContainerLogLocation {
  /** False when the task definition has no container of that name. */
  readonly found: boolean;
  /** The `awslogs-group` of an `awslogs` log configuration. */
  readonly logGroup?: string;
  /** The `awslogs-stream-prefix`; without it ECS names streams by task id only. */
  readonly logStreamPrefix?: string;
}

/** Reads the container's `awslogs` configuration from a task definition, as DescribeTaskDefinition returns it. */
export function containerLogLocation(record: TaskDefinitionRecord, containerName: string): ContainerLogLocation {
  const containers = record.taskDefinition.containerDefinitions;
  if (!Array.isArray(containers)) return { found: false };
  const container = (containers as Record<string, unknown>[]).find((candidate) => candidate.name === containerName);
  if (container === undefined) return { found: false };
  const logConfiguration = container.logConfiguration as { logDriver?: string; options?: Record<string, string> } | undefined;
  if (logConfiguration?.logDriver !== 'awslogs') return { found: true };
  const group = logConfiguration.options?.['awslogs-group'];
  const prefix = logConfiguration.options?.['awslogs-stream-prefix'];
  return { found: true, ...(group === undefined ? {} : { logGroup: group }), ...(prefix === undefined ? {} : { logStreamPrefix: prefix }) };
}
