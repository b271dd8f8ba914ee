import { AlarmFired, ReleaseError } from './errors.ts';
import type { AlarmPort, BakeTokenRecord, ReleaseStorePort } from './ports.ts';
import type { BakeEvent, StepState } from './releaseState.ts';

/** How long bake records outlive the end of their bake before DynamoDB's TTL removes them. */
export const BAKE_RECORD_TTL_SECONDS = 86_400;

/** What a bake or an alarm check reports (`$.bake` for CheckAlarms). */
export interface BakeResult {
  /** When the alarms were checked (ISO 8601). */
  readonly checkedAt: string;
  /** The state of each watched alarm that exists. */
  readonly alarms: readonly { readonly alarmName: string; readonly stateValue: string }[];
}

function appliedStep(step: BakeEvent['state']['step']): StepState {
  if (step === undefined || !('weight' in step)) {
    throw new ReleaseError('Bake needs the $.step that ShiftTraffic writes; the state machine ran it too early');
  }
  return step;
}

/**
 * The Bake and CheckAlarms states. With a task token, registers the token under every watched alarm and as the
 * service's current bake, then checks the alarms; without one, only checks them. Throws {@link AlarmFired} when a
 * watched alarm is in ALARM. The registration comes first: an alarm that fires between the check and the
 * registration would otherwise reach no token and be missed.
 */
export async function bake(
  event: BakeEvent,
  ports: { readonly alarms: AlarmPort; readonly store: ReleaseStorePort },
  now: Date,
): Promise<BakeResult> {
  const { release } = event.state;
  if (event.taskToken !== undefined) {
    const step = appliedStep(event.state.step);
    const token: BakeTokenRecord = {
      service: release.service,
      environment: release.environment,
      releaseId: release.releaseId,
      executionArn: release.executionArn,
      stepIndex: step.index,
      weight: step.weight,
      manual: step.manual,
      taskToken: event.taskToken,
      startedAt: now.toISOString(),
      endsAt: new Date(now.getTime() + step.timeoutSeconds * 1000).toISOString(),
    };
    await ports.store.registerBake(token, release.alarmNames, BAKE_RECORD_TTL_SECONDS);
  }
  // DescribeAlarms without names lists every alarm in the account, which is not what "no alarms watched" means.
  const states = release.alarmNames.length === 0 ? [] : await ports.alarms.describeAlarms(release.alarmNames);
  const firing = states.filter((alarm) => alarm.stateValue === 'ALARM');
  if (firing.length > 0) {
    throw new AlarmFired(firing.map((alarm) => `alarm ${alarm.alarmName} is in ALARM: ${alarm.stateReason ?? 'no reason given'}`).join('; '));
  }
  return {
    checkedAt: now.toISOString(),
    alarms: states.map((alarm) => ({ alarmName: alarm.alarmName, stateValue: alarm.stateValue })),
  };
}
