/**
 * When Chapar asks Kavenegar's sms/status about an SMS: often while a final status is likely,
 * rarely later, and never past the provider's status window (about 48 h,
 * shared/reference/kavenegar.md). Pure: no clock, no SDK.
 */

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * The ages (from the provider call) at which an SMS is polled. Most SMS are final within a
 * minute or two; operators may hold statuses 4/5 for up to about 30 h, so the last polls are
 * a day apart and the last one comes just inside the 48 h window.
 */
export const POLL_AGES_MS: readonly number[] = [
  MINUTE_MS,
  5 * MINUTE_MS,
  15 * MINUTE_MS,
  HOUR_MS,
  4 * HOUR_MS,
  12 * HOUR_MS,
  24 * HOUR_MS,
  47 * HOUR_MS,
];

/** Kavenegar answers sms/status for about 48 h: past it, an SMS's final status stays unknown. */
export const STATUS_WINDOW_MS = 48 * HOUR_MS;

/** Kavenegar's sms/status takes at most 500 ids per call. */
export const MAX_STATUS_IDS = 500;

/** The first poll of an SMS handed to the provider at `sentAt`. */
export function firstPollAt(sentAt: Date): Date {
  return new Date(sentAt.getTime() + (POLL_AGES_MS[0] as number));
}

/**
 * The poll after one made at `now` of SMS sent at `sentAt`, or undefined when none is left
 * inside the status window: whatever is still pending then is given up as unknown.
 */
export function nextPollAt(sentAt: Date, now: Date): Date | undefined {
  const age = now.getTime() - sentAt.getTime();
  const next = POLL_AGES_MS.find((offset) => offset > age);
  return next === undefined ? undefined : new Date(sentAt.getTime() + next);
}

/** Whether Kavenegar can no longer be asked about SMS sent at `sentAt`. */
export function pastStatusWindow(sentAt: Date, now: Date): boolean {
  return now.getTime() - sentAt.getTime() >= STATUS_WINDOW_MS;
}
