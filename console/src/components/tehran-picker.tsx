import { jalaliMonthLength, jalaliToGregorian, tehranJalali, tehranWallTime } from '../calendar';
import { useConsole } from '../context';

/** A date and time in Tehran: Jalali year/month/day in fa, Gregorian in en (the native date input). */
export function TehranPicker({
  value,
  onChange,
  label,
}: {
  readonly value: Date;
  readonly onChange: (next: Date) => void;
  readonly label: string;
}) {
  const { words } = useConsole();
  const j = tehranJalali(value);
  const time = `${String(j.hour).padStart(2, '0')}:${String(j.minute).padStart(2, '0')}`;
  const setTime = (text: string) => {
    const [h, m] = text.split(':').map(Number);
    const g = jalaliToGregorian(j.jy, j.jm, j.jd);
    onChange(tehranWallTime(g.gy, g.gm, g.gd, h ?? 0, m ?? 0));
  };
  if (words.locale === 'en') {
    const date = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tehran' }).format(value);
    return (
      <fieldset class="row">
        <legend>{label}</legend>
        <label>
          {words.t('picker.date')}
          <input
            type="date"
            name="sendDate"
            value={date}
            onChange={(event) => {
              const [y, mo, d] = (event.target as HTMLInputElement).value.split('-').map(Number);
              if (y && mo && d) onChange(tehranWallTime(y, mo, d, j.hour, j.minute));
            }}
          />
        </label>
        <label>
          {words.t('picker.time')}
          <input
            type="time"
            name="sendTime"
            value={time}
            onChange={(event) => setTime((event.target as HTMLInputElement).value)}
          />
        </label>
      </fieldset>
    );
  }
  const months = Array.from({ length: 12 }, (_, i) => i + 1);
  const monthName = (m: number) => {
    const g = jalaliToGregorian(j.jy, m, 1);
    return new Intl.DateTimeFormat('fa-IR-u-ca-persian', { month: 'long', timeZone: 'UTC' }).format(
      Date.UTC(g.gy, g.gm - 1, g.gd, 12),
    );
  };
  const set = (jy: number, jm: number, jd: number) => {
    const day = Math.min(jd, jalaliMonthLength(jy, jm));
    const g = jalaliToGregorian(jy, jm, day);
    onChange(tehranWallTime(g.gy, g.gm, g.gd, j.hour, j.minute));
  };
  return (
    <fieldset class="row">
      <legend>{label}</legend>
      <label>
        {words.t('picker.day')}
        <select
          name="sendDay"
          value={j.jd}
          onChange={(event) => set(j.jy, j.jm, Number((event.target as HTMLSelectElement).value))}
        >
          {Array.from({ length: jalaliMonthLength(j.jy, j.jm) }, (_, i) => i + 1).map((d) => (
            <option key={d} value={d}>
              {words.number(d)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {words.t('picker.month')}
        <select
          name="sendMonth"
          value={j.jm}
          onChange={(event) => set(j.jy, Number((event.target as HTMLSelectElement).value), j.jd)}
        >
          {months.map((m) => (
            <option key={m} value={m}>
              {monthName(m)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {words.t('picker.year')}
        <select
          name="sendYear"
          value={j.jy}
          onChange={(event) => set(Number((event.target as HTMLSelectElement).value), j.jm, j.jd)}
        >
          {[j.jy, j.jy + 1].map((y) => (
            <option key={y} value={y}>
              {words.number(y, { useGrouping: false })}
            </option>
          ))}
        </select>
      </label>
      <label>
        {words.t('picker.time')}
        <input
          type="time"
          name="sendTime"
          value={time}
          onChange={(event) => setTime((event.target as HTMLInputElement).value)}
        />
      </label>
    </fieldset>
  );
}
