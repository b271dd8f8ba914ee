import { type FreezeSettings, WEEKDAYS, type WeeklyWindow } from './environmentSettings.ts';

/** Whether a moment is frozen, and until when. */
export type FreezeVerdict =
  | { readonly frozen: false }
  | {
      readonly frozen: true;
      /** The first moment after `at` that no window or frozen date covers (windows that touch or overlap are chained). */
      readonly endsAt: Date;
      /** The windows and dates that cover the freeze, e.g. `fri 16:00 → mon 08:00 UTC, 2025-12-25`. */
      readonly reason: string;
    };

const DAY_MS = 24 * 3600 * 1000;
const WEEK_MS = 7 * DAY_MS;
/** Enough to chain every window of a week and a year of dates; the settings allow at most 20 windows and 366 dates. */
const MAX_CHAIN = 800;

interface Interval {
  readonly start: number;
  readonly end: number;
  readonly label: string;
}

/** Monday 00:00 UTC of the week that contains `ms`. */
function weekStart(ms: number): number {
  const day = new Date(ms);
  const midnight = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  return midnight - sinceMonday * DAY_MS;
}

function offsetInWeek(moment: WeeklyWindow['from']): number {
  const [hours, minutes] = moment.time.split(':').map(Number) as [number, number];
  return WEEKDAYS.indexOf(moment.day) * DAY_MS + (hours * 60 + minutes) * 60_000;
}

/** The occurrences of a weekly window that could cover `ms`: the one starting this week and the one from last week. */
function occurrences(window: WeeklyWindow, ms: number): Interval[] {
  const from = offsetInWeek(window.from);
  const to = offsetInWeek(window.to);
  const length = to > from ? to - from : to - from + WEEK_MS;
  const label = `${window.from.day} ${window.from.time} → ${window.to.day} ${window.to.time} UTC`;
  const monday = weekStart(ms);
  return [monday - WEEK_MS, monday].map((week) => ({ start: week + from, end: week + from + length, label }));
}

function dateInterval(date: string): Interval {
  const start = Date.parse(`${date}T00:00:00.000Z`);
  return { start, end: start + DAY_MS, label: date };
}

/**
 * Whether `at` falls inside a freeze window or a frozen date, and when the freeze ends: a release that waits until
 * `endsAt` is no longer frozen. Pure: the clock is an argument.
 */
export function freezeVerdict(freeze: Pick<FreezeSettings, 'windows' | 'dates'>, at: Date): FreezeVerdict {
  const dates = freeze.dates.map(dateInterval);
  const covering = (ms: number): Interval | undefined =>
    [...freeze.windows.flatMap((window) => occurrences(window, ms)), ...dates]
      .filter((interval) => interval.start <= ms && ms < interval.end)
      .sort((a, b) => b.end - a.end)[0];

  let cursor = at.getTime();
  const labels: string[] = [];
  for (let step = 0; step < MAX_CHAIN; step += 1) {
    const interval = covering(cursor);
    if (interval === undefined) break;
    if (!labels.includes(interval.label)) labels.push(interval.label);
    cursor = interval.end;
  }
  if (labels.length === 0) return { frozen: false };
  return { frozen: true, endsAt: new Date(cursor), reason: labels.join(', ') };
}
