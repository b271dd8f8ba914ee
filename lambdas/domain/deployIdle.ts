import type { EcsPort } from './ports.ts';
import type { ReleaseState } from './releaseState.ts';
import { requireBuild } from './requireBuild.ts';

/**
 * The DeployIdle state: points the idle colour's service at the new task definition, scaled like the stable colour,
 * and sets the deadline by which it must be ready.
 */
export async function deployIdle(state: ReleaseState, ports: { readonly ecs: EcsPort }, now: Date): Promise<{ readyDeadlineAt: string }> {
  const { release } = state;
  const { taskDefinitionArn } = requireBuild(state, 'DeployIdle');
  await ports.ecs.updateService(release.cluster, release.idle.serviceName, {
    taskDefinition: taskDefinitionArn,
    desiredCount: release.stable.desiredCount,
  });
  return { readyDeadlineAt: new Date(now.getTime() + release.readyTimeoutSeconds * 1000).toISOString() };
}
