/**
 * Jalali dates and Tehran wall-clock time, for the scheduling picker. Intl formats Jalali dates
 * but cannot parse them, so the conversion to Gregorian is the classic arithmetic one
 * (jalaali-js's algorithm, valid for 1 to 3177 AP).
 */
import { TEHRAN } from './i18n';

const BREAKS = [
  -61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210, 1635, 2060, 2097, 2192, 2262, 2324, 2394, 2456, 3178,
];

function div(a: number, b: number): number {
  return Math.trunc(a / b);
}

function mod(a: number, b: number): number {
  return a - Math.trunc(a / b) * b;
}

/** The Gregorian year's March day on which Farvardin 1 of `jy` falls, and whether `jy` is leap. */
function jalCal(jy: number): { gy: number; march: number; leap: number } {
  const gy = jy + 621;
  let leapJ = -14;
  let jp = BREAKS[0] ?? -61;
  let jump = 0;
  let i = 1;
  for (; i < BREAKS.length; i++) {
    const jm = BREAKS[i] ?? 0;
    jump = jm - jp;
    if (jy < jm) break;
    leapJ = leapJ + div(jump, 33) * 8 + div(mod(jump, 33), 4);
    jp = jm;
  }
  let n = jy - jp;
  leapJ = leapJ + div(n, 33) * 8 + div(mod(n, 33) + 3, 4);
  if (mod(jump, 33) === 4 && jump - n === 4) leapJ += 1;
  const leapG = div(gy, 4) - div((div(gy, 100) + 1) * 3, 4) - 150;
  const march = 20 + leapJ - leapG;
  if (jump - n < 6) n = n - jump + div(jump + 4, 33) * 33;
  let leap = mod(mod(n + 1, 33) - 1, 4);
  if (leap === -1) leap = 4;
  return { gy, march, leap };
}

function g2d(gy: number, gm: number, gd: number): number {
  let d = div((gy + div(gm - 8, 6) + 100100) * 1461, 4) + div(153 * mod(gm + 9, 12) + 2, 5) + gd - 34840408;
  d = d - div(div(gy + 100100 + div(gm - 8, 6), 100) * 3, 4) + 752;
  return d;
}

function d2g(jdn: number): { gy: number; gm: number; gd: number } {
  let j = 4 * jdn + 139361631;
  j = j + div(div(4 * jdn + 183187720, 146097) * 3, 4) * 4 - 3908;
  const i = div(mod(j, 1461), 4) * 5 + 308;
  const gd = div(mod(i, 153), 5) + 1;
  const gm = mod(div(i, 153), 12) + 1;
  const gy = div(j, 1461) - 100100 + div(8 - gm, 6);
  return { gy, gm, gd };
}

/** Jalali year, month (1–12) and day to the Gregorian date. */
export function jalaliToGregorian(
  jy: number,
  jm: number,
  jd: number,
): { gy: number; gm: number; gd: number } {
  const r = jalCal(jy);
  const jdn = g2d(r.gy, 3, r.march) + (jm - 1) * 31 - div(jm, 7) * (jm - 7) + jd - 1;
  return d2g(jdn);
}

/** Days in Jalali month `jm` of `jy`. */
export function jalaliMonthLength(jy: number, jm: number): number {
  if (jm <= 6) return 31;
  if (jm <= 11) return 30;
  return jalCal(jy).leap === 0 ? 30 : 29;
}

/** Jalali year, month and day of `instant` in Tehran. */
export function tehranJalali(instant: Date): {
  jy: number;
  jm: number;
  jd: number;
  hour: number;
  minute: number;
} {
  const parts = new Intl.DateTimeFormat('en-US-u-ca-persian-nu-latn', {
    timeZone: TEHRAN,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? '0');
  return { jy: part('year'), jm: part('month'), jd: part('day'), hour: part('hour'), minute: part('minute') };
}

/** The instant at which Tehran's wall clock reads the Gregorian date and time given. */
export function tehranWallTime(gy: number, gm: number, gd: number, hour: number, minute: number): Date {
  const wanted = Date.UTC(gy, gm - 1, gd, hour, minute);
  // Start from Iran's standard offset (+03:30) and correct by what Tehran's clock then reads.
  let guess = wanted - 3.5 * 3_600_000;
  for (let i = 0; i < 2; i++) {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone: TEHRAN,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    }).formatToParts(new Date(guess));
    const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? '0');
    const read = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'));
    if (read === wanted) break;
    guess += wanted - read;
  }
  return new Date(guess);
}
