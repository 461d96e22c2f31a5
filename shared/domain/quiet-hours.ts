import { ValidationError } from './errors';

/**
 * Quiet hours: a daily Tehran-time window in which marketing SMS wait (operators are reported
 * not to deliver advertising-line SMS at night; shared/reference/kavenegar.md). Iran has kept
 * UTC+03:30 all year since 2022, so the zone is a fixed offset, not a tz database lookup.
 */

/** The window when CHAPAR_QUIET_HOURS is not set (an empty value turns quiet hours off). */
export const DEFAULT_QUIET_HOURS = '22:00-08:00';

/** Asia/Tehran's offset from UTC, in minutes. */
export const TEHRAN_OFFSET_MINUTES = 3 * 60 + 30;
const MINUTES_PER_DAY = 24 * 60;
const MINUTE_MS = 60_000;
const WINDOW = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;

export interface QuietHours {
  /** Start and end as minutes after Tehran midnight; undefined when quiet hours are off. */
  readonly window?: { readonly start: number; readonly end: number };
  /** Whether `now` falls inside the window (start included, end excluded). */
  isQuiet(now: Date): boolean;
  /** The first allowed minute at or after `now`: `now` itself when it is not quiet. */
  nextAllowed(now: Date): Date;
}

/** Minutes after Tehran midnight of `now`, and the start of its minute in epoch ms. */
function tehranMinute(now: Date): { minute: number; minuteStartMs: number } {
  const minuteStartMs = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS;
  const local = minuteStartMs / MINUTE_MS + TEHRAN_OFFSET_MINUTES;
  return { minute: ((local % MINUTES_PER_DAY) + MINUTES_PER_DAY) % MINUTES_PER_DAY, minuteStartMs };
}

/**
 * Parses `HH:MM-HH:MM` (Tehran time). The window may wrap midnight (`22:00-08:00`); an empty
 * string, or a window that starts where it ends, turns quiet hours off.
 * @throws ValidationError when the spec is malformed.
 */
export function parseQuietHours(spec: string): QuietHours {
  const trimmed = spec.trim();
  if (trimmed === '') return quietHours(undefined);
  const match = WINDOW.exec(trimmed);
  if (!match) {
    throw new ValidationError(`Quiet hours must be HH:MM-HH:MM or empty, not "${spec}"`, [
      { field: 'quietHours', message: 'must be HH:MM-HH:MM or empty' },
    ]);
  }
  const [, startH, startM, endH, endM] = match.map(Number);
  const start = (startH ?? 0) * 60 + (startM ?? 0);
  const end = (endH ?? 0) * 60 + (endM ?? 0);
  return quietHours(start === end ? undefined : { start, end });
}

function quietHours(window: { start: number; end: number } | undefined): QuietHours {
  const inside = (minute: number): boolean => {
    if (!window) return false;
    return window.start < window.end
      ? minute >= window.start && minute < window.end
      : minute >= window.start || minute < window.end;
  };
  return Object.freeze({
    ...(window ? { window: Object.freeze({ ...window }) } : {}),
    isQuiet: (now: Date) => inside(tehranMinute(now).minute),
    nextAllowed: (now: Date) => {
      const { minute, minuteStartMs } = tehranMinute(now);
      if (!window || !inside(minute)) return now;
      const wait = (window.end - minute + MINUTES_PER_DAY) % MINUTES_PER_DAY;
      return new Date(minuteStartMs + wait * MINUTE_MS);
    },
  });
}

/** For a channel's defer hook: when a message handled at `now` may go out, or undefined for now. */
export function deferUntil(hours: QuietHours, now: Date): Date | undefined {
  return hours.isQuiet(now) ? hours.nextAllowed(now) : undefined;
}

/** Minutes after Tehran midnight as HH:MM. */
export function clockOf(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/**
 * Quiet hours in words for people (npm start): the window, whether it is in force at `now` and
 * until when, and how to turn it off locally.
 */
export function describeQuietHours(hours: QuietHours, now: Date): string {
  if (!hours.window) return 'Quiet hours: off (CHAPAR_QUIET_HOURS is empty): marketing SMS go at any hour';
  const window = `${clockOf(hours.window.start)}-${clockOf(hours.window.end)} Tehran time`;
  const state = hours.isQuiet(now)
    ? `in force now: marketing SMS wait until ${hours.nextAllowed(now).toISOString()}`
    : 'not in force now';
  return `Quiet hours: ${window}, ${state}. Turn them off locally with CHAPAR_QUIET_HOURS= npm start`;
}
