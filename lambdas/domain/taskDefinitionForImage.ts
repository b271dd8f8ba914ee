import { InvalidServiceConfig } from './errors.ts';
import type { TaskDefinitionRecord } from './ports.ts';

/** Fields DescribeTaskDefinition returns that RegisterTaskDefinition rejects. */
const READ_ONLY_FIELDS = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A RegisterTaskDefinition request for the same task definition with `containerName`'s image replaced by `imageUri`.
 * Every other field is copied unchanged, so settings cutover does not know about survive the release.
 * Throws {@link InvalidServiceConfig} naming `containerName` when the task definition has no such container.
 */
export function taskDefinitionForImage(record: TaskDefinitionRecord, containerName: string, imageUri: string): Record<string, unknown> {
  const request: Record<string, unknown> = { ...record.taskDefinition };
  for (const field of READ_ONLY_FIELDS) delete request[field];

  const containers = Array.isArray(request.containerDefinitions) ? (request.containerDefinitions as unknown[]) : [];
  const found = containers.some((container) => isRecord(container) && container.name === containerName);
  if (!found) {
    const family = typeof record.taskDefinition.family === 'string' ? record.taskDefinition.family : 'the task definition';
    throw new InvalidServiceConfig(`containerName: ${containerName} is not a container of ${family}`);
  }
  request.containerDefinitions = containers.map((container) =>
    isRecord(container) && container.name === containerName ? { ...container, image: imageUri } : container,
  );

  // RegisterTaskDefinition rejects an empty tag list and tags without a key.
  const tags = (record.tags ?? []).filter((tag) => typeof tag.key === 'string' && tag.key.length > 0);
  if (tags.length > 0) request.tags = tags.map((tag) => ({ ...tag }));
  return request;
}
