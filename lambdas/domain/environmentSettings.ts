import * as z from 'zod';
import { InvalidEnvironmentSettings } from './errors.ts';
import { formatZodIssues } from './formatZodIssues.ts';

/** Days of the week, as freeze windows name them (UTC). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
/** A day of the week. */
export type Weekday = (typeof WEEKDAYS)[number];

/** What a release that reaches the freeze gate inside a freeze window does. */
export const OnFreeze = { Wait: 'wait', Refuse: 'refuse' } as const;
/** One `onFreeze` behaviour. */
export type OnFreezeValue = (typeof OnFreeze)[keyof typeof OnFreeze];

const timeOfDaySchema = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (UTC, 00:00 to 23:59)');
const weeklyMomentSchema = z.strictObject({ day: z.enum(WEEKDAYS), time: timeOfDaySchema });

/** A weekly freeze window in UTC, e.g. `{ from: { day: 'fri', time: '16:00' }, to: { day: 'mon', time: '08:00' } }`. It may wrap over Sunday night. */
export const weeklyWindowSchema = z
  .strictObject({ from: weeklyMomentSchema, to: weeklyMomentSchema })
  .refine((window) => window.from.day !== window.to.day || window.from.time !== window.to.time, 'from and to must differ');

/** A weekly freeze window. */
export type WeeklyWindow = z.infer<typeof weeklyWindowSchema>;

/** A frozen calendar day (UTC, the whole day): `2025-12-25`. */
export const frozenDateSchema = z.string().regex(/^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/, 'must be a date YYYY-MM-DD');

/** Longest a release may wait at the freeze gate: a week (Step Functions runs an execution up to a year). */
export const MAX_FREEZE_WAIT_SECONDS = 7 * 24 * 3600;

/** When releases may not shift production traffic. Rollbacks are never frozen. */
export const freezeSettingsSchema = z.strictObject({
  /** Weekly windows in UTC. @default [] */
  windows: z.array(weeklyWindowSchema).max(20).default([]),
  /** Whole frozen days in UTC (holidays). @default [] */
  dates: z.array(frozenDateSchema).max(366).default([]),
  /** `wait`: the release waits at the gate until the freeze ends; `refuse`: it ends Failed at once. @default 'wait' */
  onFreeze: z.enum([OnFreeze.Wait, OnFreeze.Refuse]).default(OnFreeze.Wait),
  /** A release whose wait would end later than this many seconds after it started is refused instead. @default 259200 (3 days) */
  maxWaitSeconds: z.number().int().min(0).max(MAX_FREEZE_WAIT_SECONDS).default(3 * 24 * 3600),
});

/** Freeze settings. */
export type FreezeSettings = z.infer<typeof freezeSettingsSchema>;

/**
 * An environment's release policy: the JSON of the SSM parameter `/cutover/<environment>/settings`.
 * The control plane stack writes it from the environment's `settings` in cdk.json; unknown fields are rejected.
 */
export const environmentSettingsSchema = z.strictObject({
  /** Every release waits for an approval (`cutover approve`) before any production traffic moves. @default false */
  requireApproval: z.boolean().default(false),
  /** Whether the one who requested a release may approve it. @default false */
  allowSelfApproval: z.boolean().default(false),
  /** Who may approve (CLI: the caller's IAM user or role session name; Slack: the user id). Empty: anyone who can call cutover approve. @default [] */
  approvers: z.array(z.string().min(1).max(256)).max(100).default([]),
  /** How long an approval is awaited before the release is rejected. @default 86400 */
  approvalTimeoutSeconds: z.number().int().min(60).max(MAX_FREEZE_WAIT_SECONDS).default(86400),
  /** Freeze windows. @default no freeze */
  freeze: freezeSettingsSchema.default({ windows: [], dates: [], onFreeze: OnFreeze.Wait, maxWaitSeconds: 3 * 24 * 3600 }),
});

/** A validated environment release policy. */
export type EnvironmentSettings = z.infer<typeof environmentSettingsSchema>;

/** The SSM parameter that holds an environment's settings. */
export function environmentSettingsParameterName(environment: string): string {
  return `/cutover/${environment}/settings`;
}

/** Parses the settings (missing parameter: `undefined`, every default), or throws {@link InvalidEnvironmentSettings} naming the field. */
export function parseEnvironmentSettings(source: string, raw: unknown): EnvironmentSettings {
  const result = environmentSettingsSchema.safeParse(raw ?? {});
  if (!result.success) {
    throw new InvalidEnvironmentSettings(`${source} is invalid: ${formatZodIssues(result.error.issues)}`);
  }
  return result.data;
}
