import type { LockRecord } from './ports.ts';
import type { ReleaseContext } from './releaseState.ts';

/** What a release would do, as a dry run (`dryRun: true`, `cutover plan`) reports it. Nothing was changed to find it. */
export interface ReleasePlan {
  readonly dryRun: true;
  readonly service: string;
  readonly environment: string;
  /** `repository@digest`: a tag is resolved already. */
  readonly imageUri: string;
  readonly liveColor: string;
  readonly idleColor: string;
  /** The release that holds the service's lock now, if any: a real release would queue or be rejected (onBusy). */
  readonly lockHeldBy?: { readonly releaseId: string; readonly executionArn: string; readonly acquiredAt: string };
  /** What was checked against the live resources. */
  readonly checks: readonly string[];
  /** The release, step by step. */
  readonly steps: readonly string[];
  /** What happens when a step after Build fails, an alarm fires or an operator aborts. */
  readonly onFailure: string;
}

/** Describes, step by step, the release that Prepare validated and fixed in `release`. Pure: it reads nothing. */
export function describeReleasePlan(release: ReleaseContext, lock: LockRecord | undefined): ReleasePlan {
  const { stable, idle } = release;
  const alarms = release.alarmNames.length === 0 ? 'no alarms' : `alarms ${release.alarmNames.join(', ')}`;
  const phases = release.plan.map((phase, index) => {
    const shift = index > 0 && release.plan[index - 1]?.weight === phase.weight ? `stay at ${phase.weight} %` : `shift ${phase.weight} % of production traffic to ${idle.color}`;
    const wait = phase.manual
      ? `wait for a promote (at most ${release.maxManualPauseSeconds} s, then roll back) watching ${alarms}`
      : phase.bakeSeconds > 0
        ? `bake ${phase.bakeSeconds} s watching ${alarms}`
        : `check ${alarms} once`;
    return `${shift}; ${wait}`;
  });
  const steps = [
    `take the release lock of ${release.environment}/${release.service}`,
    `register a revision of ${stable.taskDefinitionArn} with container ${release.containerName} on ${release.image.imageUri}`,
    `deploy it to ${idle.color} (${idle.serviceName} in ${release.cluster}) with ${stable.desiredCount} task(s); wait up to ${release.readyTimeoutSeconds} s for it to be ready`,
    ...phases,
    `scale ${stable.serviceName} (${stable.color}) to 0, record the release, free the lock`,
  ].map((text, index) => `${index + 1}. ${text}`);
  return {
    dryRun: true,
    service: release.service,
    environment: release.environment,
    imageUri: release.image.imageUri,
    liveColor: stable.color,
    idleColor: idle.color,
    ...(lock === undefined ? {} : { lockHeldBy: { releaseId: lock.releaseId, executionArn: lock.executionArn, acquiredAt: lock.acquiredAt } }),
    checks: [
      `the configuration parameter of ${release.service} in ${release.environment} is valid`,
      `image ${release.image.imageUri}`,
      `production rule ${release.productionListenerRuleArn} forwards 100 % to ${stable.color} (${stable.targetGroupArn})`,
      `services ${stable.serviceName} and ${idle.serviceName} are ACTIVE in ${release.cluster}; ${stable.serviceName} runs ${stable.desiredCount} task(s)`,
      `${alarms} exist`,
      'the plan fits one Step Functions execution',
    ],
    steps,
    onFailure: `put ${stable.color} back at 100 % on ${release.productionListenerRuleArn}, scale ${idle.serviceName} to 0, record the rollback`,
  };
}
