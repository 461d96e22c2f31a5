import { describe, expect, it } from 'vitest';
import {
  jalaliMonthLength,
  jalaliToGregorian,
  tehranJalali,
  tehranWallTime,
} from '../../../console/src/calendar';

describe('the console calendar', () => {
  it('turns Nowruz and month ends into their Gregorian dates', () => {
    expect(jalaliToGregorian(1405, 1, 1)).toEqual({ gy: 2026, gm: 3, gd: 21 });
    expect(jalaliToGregorian(1403, 12, 30)).toEqual({ gy: 2025, gm: 3, gd: 20 });
    expect(jalaliToGregorian(1405, 9, 11)).toEqual({ gy: 2026, gm: 12, gd: 2 });
  });

  it('agrees with Intl on every day of three years, Tehran wall time there and back', () => {
    // Prepare: noon in Tehran on each day from 1404 to 1406
    let checked = 0;
    for (let jy = 1404; jy <= 1406; jy++) {
      for (let jm = 1; jm <= 12; jm++) {
        for (let jd = 1; jd <= jalaliMonthLength(jy, jm); jd++) {
          // Act
          const g = jalaliToGregorian(jy, jm, jd);
          const instant = tehranWallTime(g.gy, g.gm, g.gd, 12, 30);
          // Assess: Intl's Persian calendar reads the same day back, at 12:30
          expect(tehranJalali(instant)).toEqual({ jy, jm, jd, hour: 12, minute: 30 });
          checked += 1;
        }
      }
    }
    expect(checked).toBe(365 * 3); // none of 1404–1406 is leap (1403 and 1408 are)
  });

  it('knows Esfand has 30 days only in leap years', () => {
    expect(jalaliMonthLength(1403, 12)).toBe(30);
    expect(jalaliMonthLength(1404, 12)).toBe(29);
    expect(jalaliMonthLength(1404, 6)).toBe(31);
    expect(jalaliMonthLength(1404, 7)).toBe(30);
  });

  it('reads Tehran wall time as +03:30', () => {
    expect(tehranWallTime(2026, 12, 2, 22, 0).toISOString()).toBe('2026-12-02T18:30:00.000Z');
  });
});
