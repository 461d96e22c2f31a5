import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../shared/domain/errors';
import { deferUntil, parseQuietHours } from '../../../shared/domain/quiet-hours';

/** A Tehran wall-clock time (UTC+03:30) as an instant. */
const tehran = (isoLocal: string) => new Date(`${isoLocal}+03:30`);

describe('parseQuietHours', () => {
  it('reads a window that wraps midnight as minutes of the Tehran day', () => {
    // Prepare
    const spec = '22:00-08:00';

    // Act
    const hours = parseQuietHours(spec);

    // Assess
    expect(hours.window).toEqual({ start: 22 * 60, end: 8 * 60 });
  });

  it.each(['', '  ', '08:00-08:00'])('turns quiet hours off for %j', (spec) => {
    // Prepare
    const night = tehran('2026-01-10T23:00:00');

    // Act
    const hours = parseQuietHours(spec);

    // Assess
    expect(hours.window).toBeUndefined();
    expect(hours.isQuiet(night)).toBe(false);
    expect(hours.nextAllowed(night)).toEqual(night);
  });

  it.each(['24:00-08:00', '22:60-08:00', '22:00', '22-08', '2200-0800', '22:00-08:00-09:00'])(
    'refuses %j',
    (spec) => {
      // Prepare: the spec comes from the table

      // Act
      const parse = () => parseQuietHours(spec);

      // Assess
      expect(parse).toThrow(ValidationError);
    },
  );
});

describe('isQuiet', () => {
  const night = parseQuietHours('22:00-08:00');
  const lunch = parseQuietHours('13:00-14:30');

  it.each([
    { at: '2026-01-10T21:59:59', quiet: false },
    { at: '2026-01-10T22:00:00', quiet: true },
    { at: '2026-01-10T23:59:00', quiet: true },
    { at: '2026-01-11T00:00:00', quiet: true },
    { at: '2026-01-11T07:59:59', quiet: true },
    { at: '2026-01-11T08:00:00', quiet: false },
    { at: '2026-01-11T12:00:00', quiet: false },
  ])('22:00-08:00 at $at Tehran: quiet $quiet', ({ at, quiet }) => {
    // Prepare
    const now = tehran(at);

    // Act
    const result = night.isQuiet(now);

    // Assess
    expect(result).toBe(quiet);
  });

  it.each([
    { at: '2026-06-01T12:59:00', quiet: false },
    { at: '2026-06-01T13:00:00', quiet: true },
    { at: '2026-06-01T14:29:59', quiet: true },
    { at: '2026-06-01T14:30:00', quiet: false },
  ])('13:00-14:30 (no wrap) at $at Tehran: quiet $quiet', ({ at, quiet }) => {
    // Prepare
    const now = tehran(at);

    // Act
    const result = lunch.isQuiet(now);

    // Assess
    expect(result).toBe(quiet);
  });

  it('uses Tehran time, not UTC: 19:00 UTC is 22:30 in Tehran', () => {
    // Prepare
    const now = new Date('2026-07-15T19:00:00Z');

    // Act
    const result = night.isQuiet(now);

    // Assess: no daylight saving either, in summer as in winter
    expect(result).toBe(true);
    expect(night.isQuiet(new Date('2026-07-15T18:29:00Z'))).toBe(false);
  });
});

describe('nextAllowed', () => {
  const night = parseQuietHours('22:00-08:00');

  it('is the end of the window on the next Tehran day when quiet before midnight', () => {
    // Prepare
    const now = tehran('2026-01-10T23:15:30');

    // Act
    const next = night.nextAllowed(now);

    // Assess
    expect(next).toEqual(tehran('2026-01-11T08:00:00'));
    expect(next.toISOString()).toBe('2026-01-11T04:30:00.000Z');
  });

  it('is the end of the window the same Tehran day when quiet after midnight', () => {
    // Prepare: 01:30 in Tehran is still the previous day in UTC
    const now = new Date('2026-01-10T22:00:00Z');

    // Act
    const next = night.nextAllowed(now);

    // Assess
    expect(next).toEqual(tehran('2026-01-11T08:00:00'));
  });

  it('is one minute away in the last minute of the window', () => {
    // Prepare
    const now = tehran('2026-01-11T07:59:00');

    // Act
    const next = night.nextAllowed(now);

    // Assess
    expect(next).toEqual(tehran('2026-01-11T08:00:00'));
  });

  it('is the same day for a window that does not wrap', () => {
    // Prepare
    const lunch = parseQuietHours('13:00-14:30');

    // Act
    const next = lunch.nextAllowed(tehran('2026-06-01T13:10:45'));

    // Assess
    expect(next).toEqual(tehran('2026-06-01T14:30:00'));
  });

  it('is now itself outside the window', () => {
    // Prepare
    const now = tehran('2026-01-11T08:00:00.500');

    // Act
    const next = night.nextAllowed(now);

    // Assess
    expect(next).toBe(now);
  });
});

describe('deferUntil', () => {
  const night = parseQuietHours('22:00-08:00');

  it('defers to the next allowed minute in quiet hours, and not at all outside them', () => {
    // Prepare
    const quiet = tehran('2026-03-01T05:00:00');
    const open = tehran('2026-03-01T09:00:00');

    // Act
    const [whenQuiet, whenOpen] = [deferUntil(night, quiet), deferUntil(night, open)];

    // Assess
    expect(whenQuiet).toEqual(tehran('2026-03-01T08:00:00'));
    expect(whenOpen).toBeUndefined();
  });
});
