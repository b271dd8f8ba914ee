import type { DeploymentView, EcsServiceView, TargetHealthView } from './ports.ts';

/** What {@link readinessVerdict} looks at. */
export interface ReadinessInput {
  /** The idle colour's service. */
  readonly service: EcsServiceView;
  /** The targets of the idle colour's target group. */
  readonly targets: readonly TargetHealthView[];
  /** The task definition the idle colour must run. */
  readonly taskDefinitionArn: string;
  /** How many tasks it must run: the stable colour's desired count. */
  readonly desiredCount: number;
}

/** Whether the idle colour can take traffic, whether it never will, and why, in one short sentence. */
export interface ReadinessVerdict {
  readonly ready: boolean;
  readonly failed: boolean;
  readonly detail: string;
}

/** Target states that mean "not there yet" or "broken"; `draining` targets are old tasks on their way out. */
const BLOCKING_TARGET_STATES: ReadonlySet<string> = new Set(['initial', 'unhealthy']);

function deploymentSettled(primary: DeploymentView, deployments: readonly DeploymentView[], desiredCount: number): boolean {
  if (primary.rolloutState !== undefined) return primary.rolloutState === 'COMPLETED';
  // Without rollout state (no circuit breaker information), a lone primary at full strength is as settled as it gets.
  return primary.runningCount === desiredCount && deployments.length === 1;
}

function failedDeployment(input: ReadinessInput, primary: DeploymentView | undefined): DeploymentView | undefined {
  if (primary?.rolloutState === 'FAILED') return primary;
  // With circuit-breaker rollback ECS makes the old revision PRIMARY again and leaves the failed one ACTIVE.
  return input.service.deployments.find(
    (deployment) => deployment.taskDefinition === input.taskDefinitionArn && deployment.rolloutState === 'FAILED',
  );
}

/**
 * Judges whether the idle colour is ready for traffic: its PRIMARY deployment runs the release's task definition and
 * has completed, the service runs `desiredCount` tasks, and the target group has at least `desiredCount` healthy
 * targets and none initial or unhealthy. Failed when that deployment's rollout FAILED.
 */
export function readinessVerdict(input: ReadinessInput): ReadinessVerdict {
  const { service, targets, taskDefinitionArn, desiredCount } = input;
  const primary = service.deployments.find((deployment) => deployment.status === 'PRIMARY');
  const healthy = targets.filter((target) => target.state === 'healthy').length;
  const blocking = targets.filter((target) => BLOCKING_TARGET_STATES.has(target.state));
  const counts = `${service.runningCount}/${desiredCount} tasks running, ${healthy}/${desiredCount} targets healthy`;

  const failed = failedDeployment(input, primary);
  if (failed !== undefined) {
    return { ready: false, failed: true, detail: `deployment ${failed.id} failed: ${failed.rolloutStateReason ?? 'no reason given'} (${counts})` };
  }

  const notes: string[] = [];
  if (primary === undefined) {
    notes.push('no primary deployment');
  } else if (primary.taskDefinition !== taskDefinitionArn) {
    notes.push(`primary deployment runs ${primary.taskDefinition}`);
  } else if (!deploymentSettled(primary, service.deployments, desiredCount)) {
    notes.push(`deployment ${primary.rolloutState ?? 'in progress'}`);
  }
  for (const target of blocking) {
    notes.push(`target ${target.id} ${target.state}${target.reason === undefined ? '' : ` (${target.reason})`}`);
  }
  const ready = notes.length === 0 && service.runningCount === desiredCount && healthy >= desiredCount;
  return { ready, failed: false, detail: [counts, ...notes].join('; ') };
}
