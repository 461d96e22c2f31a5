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
  // The time of day, in Tehran, whatever the calendar of the date beside it.
  const timeField = (
    <label>
      {words.t('picker.time')}
      <input
        type="time"
        name="sendTime"
        value={time}
        onChange={(event) => setTime((event.target as HTMLInputElement).value)}
      />
    </label>
  );
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
        {timeField}
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
      <NumberSelect
        label={words.t('picker.day')}
        name="sendDay"
        value={j.jd}
        options={Array.from({ length: jalaliMonthLength(j.jy, j.jm) }, (_, i) => i + 1)}
        text={(d) => words.number(d)}
        onChange={(d) => set(j.jy, j.jm, d)}
      />
      <NumberSelect
        label={words.t('picker.month')}
        name="sendMonth"
        value={j.jm}
        options={months}
        text={monthName}
        onChange={(m) => set(j.jy, m, j.jd)}
      />
      <NumberSelect
        label={words.t('picker.year')}
        name="sendYear"
        value={j.jy}
        options={[j.jy, j.jy + 1]}
        text={(y) => words.number(y, { useGrouping: false })}
        onChange={(y) => set(y, j.jm, j.jd)}
      />
      {timeField}
    </fieldset>
  );
}

/** A labelled select of numbers (a day, a month, a year), each shown as `text` makes it. */
function NumberSelect({
  label,
  name,
  value,
  options,
  text,
  onChange,
}: {
  readonly label: string;
  readonly name: string;
  readonly value: number;
  readonly options: readonly number[];
  readonly text: (option: number) => string;
  readonly onChange: (next: number) => void;
}) {
  return (
    <label>
      {label}
      <select
        name={name}
        value={value}
        onChange={(event) => onChange(Number((event.target as HTMLSelectElement).value))}
      >
        {options.map((option) => (
          <option key={option} value={option}>
            {text(option)}
          </option>
        ))}
      </select>
    </label>
  );
}
