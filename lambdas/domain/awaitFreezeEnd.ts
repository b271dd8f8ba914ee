import type { GateParkingPort, ParkedGate } from './ports.ts';
import type { ReleaseState } from './releaseState.ts';

/** The payload of the WaitForFreezeEnd task. */
export interface FreezeWaitEvent {
  readonly taskToken: string;
  /** Seconds until the freeze ends (`$.policy.waitSeconds`), as the task passes it along: its timeout. */
  readonly timeoutSeconds?: number;
  readonly state: ReleaseState;
}

/**
 * WaitForFreezeEnd: parks the release at the freeze gate by storing the task token on the lock it holds, so that
 * `cutover abort` can end the wait (SendTaskFailure `ReleaseAborted`). Nothing answers the token otherwise: the task's
 * timeout is the freeze ending, after which the policy is checked again.
 */
export async function awaitFreezeEnd(event: FreezeWaitEvent, ports: { readonly gates: GateParkingPort }, now: Date): Promise<Omit<ParkedGate, 'taskToken'>> {
  const { release, policy } = event.state;
  if (policy?.waitUntil === undefined) throw new Error('WaitForFreezeEnd needs $.policy.waitUntil (CheckReleasePolicy runs first)');
  const gate: ParkedGate = {
    name: 'freeze',
    taskToken: event.taskToken,
    since: now.toISOString(),
    until: policy.waitUntil,
    ...(policy.freezeReason === undefined ? {} : { reason: policy.freezeReason }),
  };
  if (!(await ports.gates.parkAtGate(release.environment, release.service, release.executionArn, gate))) {
    throw new Error(`release ${release.releaseId} no longer holds the lock of ${release.service} in ${release.environment}; not waiting at the freeze gate`);
  }
  const { taskToken: _taskToken, ...parked } = gate;
  return parked;
}
