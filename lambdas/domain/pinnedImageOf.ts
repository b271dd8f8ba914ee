import { InvalidReleaseInput } from './errors.ts';
import type { TaskDefinitionRecord } from './ports.ts';

/** `<repository>@sha256:<64 hex>`: an image pinned by digest. */
const PINNED = /^(?<repository>[^@\s]+)@(?<digest>sha256:[a-f0-9]{64})$/;

/** The image a rollback release runs again: the container's image as the task definition pins it. */
export interface PinnedImage {
  readonly repository: string;
  readonly digest: string;
  /** `repository@digest`, exactly as the task definition has it. */
  readonly imageUri: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The image of `containerName` in a task definition a rollback goes back to, which must be ACTIVE (ECS refuses to
 * deploy an INACTIVE revision) and pin the image by digest (a tag may have moved since). Throws
 * {@link InvalidReleaseInput} naming `rollbackTo.taskDefinitionArn` and what is wrong.
 */
export function pinnedImageOf(record: TaskDefinitionRecord, containerName: string, taskDefinitionArn: string): PinnedImage {
  const field = `rollbackTo.taskDefinitionArn: ${taskDefinitionArn}`;
  const status = record.taskDefinition.status;
  if (status !== undefined && status !== 'ACTIVE') throw new InvalidReleaseInput(`${field} is ${String(status)}; ECS deploys only ACTIVE revisions`);
  const containers = Array.isArray(record.taskDefinition.containerDefinitions) ? (record.taskDefinition.containerDefinitions as unknown[]) : [];
  const container = containers.find((candidate) => isRecord(candidate) && candidate.name === containerName);
  if (!isRecord(container)) throw new InvalidReleaseInput(`${field} has no container ${containerName}`);
  const image = typeof container.image === 'string' ? container.image : '';
  const match = PINNED.exec(image);
  if (match?.groups === undefined) {
    throw new InvalidReleaseInput(`${field}: container ${containerName} runs ${image || 'no image'}, which is not pinned by digest (repository@sha256:…)`);
  }
  return { repository: match.groups.repository ?? '', digest: match.groups.digest ?? '', imageUri: image };
}
