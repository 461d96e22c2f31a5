import { describe, expect, it } from 'vitest';
import { firstPollAt, nextPollAt, POLL_AGES_MS, pastStatusWindow } from '../../../shared/domain/sms-polling';

const SENT = new Date('2026-12-01T10:00:00.000Z');
const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const at = (ms: number) => new Date(SENT.getTime() + ms);

describe('the SMS poll schedule', () => {
  it('polls first a minute after the send', () => {
    expect(firstPollAt(SENT)).toEqual(at(MINUTE_MS));
  });

  it.each([
    [MINUTE_MS, 5 * MINUTE_MS],
    [2 * MINUTE_MS, 5 * MINUTE_MS],
    [5 * MINUTE_MS, 15 * MINUTE_MS],
    [15 * MINUTE_MS, HOUR_MS],
    [HOUR_MS, 4 * HOUR_MS],
    [4 * HOUR_MS, 12 * HOUR_MS],
    [12 * HOUR_MS, 24 * HOUR_MS],
    [24 * HOUR_MS, 47 * HOUR_MS],
  ])('after a poll at %d ms of age, polls next at %d ms', (age, next) => {
    expect(nextPollAt(SENT, at(age))).toEqual(at(next));
  });

  it('has no poll after the last one inside the 48 h window', () => {
    expect(POLL_AGES_MS.at(-1)).toBeLessThan(48 * HOUR_MS);
    expect(nextPollAt(SENT, at(47 * HOUR_MS))).toBeUndefined();
    expect(pastStatusWindow(SENT, at(48 * HOUR_MS - 1))).toBe(false);
    expect(pastStatusWindow(SENT, at(48 * HOUR_MS))).toBe(true);
  });
});
