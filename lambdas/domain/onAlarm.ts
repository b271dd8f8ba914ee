import * as z from 'zod';
import { InvalidAlarmEvent } from './errors.ts';
import { failureSignalCause } from './failureSignalCause.ts';
import { formatZodIssues } from './formatZodIssues.ts';
import type { ExecutionPort, ReleaseStorePort } from './ports.ts';

const alarmStateChangeSchema = z.object({
  'detail-type': z.literal('CloudWatch Alarm State Change'),
  time: z.string().optional(),
  detail: z.object({
    alarmName: z.string().min(1),
    state: z.object({
      value: z.string().min(1),
      reason: z.string().optional(),
      timestamp: z.string().optional(),
    }),
  }),
});

/** What `onAlarm` did: how many waiting bakes it failed, and how many had already ended. */
export interface OnAlarmResult {
  readonly alarmName: string;
  /** Bakes failed with AlarmFired. */
  readonly failed: number;
  /** Registrations whose task no longer waited (ended, timed out or already failed). */
  readonly alreadyDone: number;
}

/**
 * Handles an EventBridge `CloudWatch Alarm State Change`: when the alarm went to ALARM, fails every bake task
 * registered under it with `AlarmFired` and deletes each registration (also when its task had already ended).
 * Other states are ignored. Throws {@link InvalidAlarmEvent} for an event of another shape.
 */
export async function onAlarm(
  event: unknown,
  ports: { readonly store: ReleaseStorePort; readonly executions: ExecutionPort },
  now: Date,
): Promise<OnAlarmResult> {
  const parsed = alarmStateChangeSchema.safeParse(event);
  if (!parsed.success) {
    throw new InvalidAlarmEvent(`not a CloudWatch alarm state change: ${formatZodIssues(parsed.error.issues)}`);
  }
  const { alarmName, state } = parsed.data.detail;
  let failed = 0;
  let alreadyDone = 0;
  if (state.value !== 'ALARM') return { alarmName, failed, alreadyDone };

  const firedAt = firstDate(state.timestamp, parsed.data.time) ?? now;
  // The alarm's own state change time, in the cause: Rollback measures its reaction time from it.
  const cause = failureSignalCause('AlarmFired', `alarm ${alarmName} went to ALARM at ${firedAt.toISOString()}: ${state.reason ?? 'no reason given'}`, firedAt);
  for (const registration of await ports.store.bakesForAlarm(alarmName)) {
    if (await ports.executions.sendTaskFailure(registration.taskToken, 'AlarmFired', cause)) {
      failed += 1;
    } else {
      alreadyDone += 1;
    }
    await ports.store.deleteAlarmRegistration(alarmName, registration.sk);
  }
  return { alarmName, failed, alreadyDone };
}

/** The first of the timestamps that parses (CloudWatch writes `2025-01-01T00:05:29.000+0000`). */
function firstDate(...candidates: (string | undefined)[]): Date | undefined {
  for (const candidate of candidates) {
    const time = candidate === undefined ? Number.NaN : Date.parse(candidate);
    if (!Number.isNaN(time)) return new Date(time);
  }
  return undefined;
}
