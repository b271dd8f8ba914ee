import type { EcsPort } from './ports.ts';
import type { ReleaseState } from './releaseState.ts';
import { taskDefinitionForImage } from './taskDefinitionForImage.ts';

/**
 * The Build state: registers the stable colour's task definition again with the release's image (pinned by digest).
 * A retried Build registers one more identical revision, which is harmless. A rollback registers nothing: it runs the
 * earlier release's task definition again, as Prepare checked it.
 */
export async function buildRelease(state: ReleaseState, ports: { readonly ecs: EcsPort }): Promise<{ taskDefinitionArn: string }> {
  const { release } = state;
  if (release.rollback !== undefined) return { taskDefinitionArn: release.rollback.taskDefinitionArn };
  const record = await ports.ecs.describeTaskDefinition(release.stable.taskDefinitionArn);
  const request = taskDefinitionForImage(record, release.containerName, release.image.imageUri);
  return { taskDefinitionArn: await ports.ecs.registerTaskDefinition(request) };
}
