import { IdleNotReady, ReleaseError } from './errors.ts';
import { nextReadinessWaitSeconds } from './nextReadinessWaitSeconds.ts';
import type { EcsPort, LoadBalancerPort } from './ports.ts';
import { readinessVerdict } from './readinessVerdict.ts';
import type { ReleaseState } from './releaseState.ts';
import { requireBuild } from './requireBuild.ts';

/** What CheckIdleReady reports (`$.ready`): the verdict, and how long WaitForIdle waits before the next check. */
export interface IdleReadiness {
  readonly ready: boolean;
  readonly detail: string;
  /** Seconds until the next check; 0 when ready. */
  readonly waitSeconds: number;
}

/**
 * The CheckIdleReady state: judges the idle colour's service and target group. Throws {@link IdleNotReady} when its
 * deployment failed, or when it is still not ready at the deadline DeployIdle set.
 */
export async function checkIdleReady(
  state: ReleaseState,
  ports: { readonly ecs: EcsPort; readonly loadBalancer: LoadBalancerPort },
  now: Date,
): Promise<IdleReadiness> {
  const { release } = state;
  const { idle } = release;
  const { taskDefinitionArn } = requireBuild(state, 'CheckIdleReady');
  if (state.deploy === undefined) throw new ReleaseError('CheckIdleReady needs $.deploy, which DeployIdle writes; the state machine ran it too early');
  const label = `idle colour ${idle.color} (${idle.serviceName})`;

  const services = await ports.ecs.describeServices(release.cluster, [idle.serviceName]);
  const service = services.get(idle.serviceName);
  if (service === undefined) throw new IdleNotReady(`${label} no longer exists in cluster ${release.cluster}`);
  const targets = await ports.loadBalancer.describeTargetHealth(idle.targetGroupArn);
  const verdict = readinessVerdict({ service, targets, taskDefinitionArn, desiredCount: release.stable.desiredCount });

  if (verdict.failed) throw new IdleNotReady(`${label} failed to deploy: ${verdict.detail}`);
  if (verdict.ready) return { ready: true, detail: verdict.detail, waitSeconds: 0 };

  const deadline = Date.parse(state.deploy.readyDeadlineAt);
  const remainingSeconds = (deadline - now.getTime()) / 1000;
  if (remainingSeconds <= 0) {
    throw new IdleNotReady(`${label} not ready after ${release.readyTimeoutSeconds} s: ${verdict.detail}`);
  }
  const elapsedSeconds = release.readyTimeoutSeconds - remainingSeconds;
  // Never sleep far past the deadline: the verdict at the deadline decides.
  const waitSeconds = Math.max(1, Math.min(nextReadinessWaitSeconds(elapsedSeconds), Math.ceil(remainingSeconds)));
  return { ready: false, detail: verdict.detail, waitSeconds };
}
