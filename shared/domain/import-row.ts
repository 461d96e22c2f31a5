/**
 * One row of an imported file, read through a {@link ColumnPlan} and normalised exactly as
 * PUT /v1/contacts normalises a contact (phones to E.164, emails lower-cased, the same id
 * rule), or the problems that make it invalid, each with its column and value as written.
 */
import { CONTACT_ID } from './campaign';
import { normaliseEmail } from './email';
import { contactIdProblem } from './ids';
import type { ColumnPlan } from './import-headers';
import { normaliseIranianMobile } from './phone';
import type { AttributeValue, Locale } from './types';

/** A cell as a reader hands it over: CSV gives text, xlsx also numbers, booleans and dates. */
export type CellValue = string | number | boolean | Date | null | undefined;

/** A valid row: what it says about one contact. */
export interface ImportRow {
  /** Row number in the file, the header being row 1 (as a spreadsheet counts). */
  readonly line: number;
  readonly id?: string;
  readonly phone?: string;
  readonly email?: string;
  readonly name?: string;
  readonly locale?: Locale;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
}

/** Why a row was not imported: `GET /v1/imports/{id}/errors` lists these. */
export interface RowProblem {
  readonly line: number;
  /** The column's header as written (empty for a problem of the whole row). */
  readonly column: string;
  /** The cell as written. */
  readonly value: string;
  readonly reason: string;
}

export type RowResult =
  | { readonly kind: 'row'; readonly row: ImportRow }
  | { readonly kind: 'invalid'; readonly problems: readonly RowProblem[] }
  | { readonly kind: 'empty' };

const MAX_NAME = 200;
const MAX_ATTRIBUTE_VALUE = 1000;
const LOCALE_WORDS: Readonly<Record<string, Locale>> = {
  fa: 'fa',
  'fa-ir': 'fa',
  persian: 'fa',
  farsi: 'fa',
  فارسی: 'fa',
  en: 'en',
  'en-us': 'en',
  'en-gb': 'en',
  english: 'en',
  انگلیسی: 'en',
};

/** A cell as text, the way the file shows it (numbers without exponent, dates as ISO). */
export function cellText(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value).toString() : String(value);
  return String(value);
}

function attributeValue(value: CellValue): AttributeValue | undefined {
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  const text = cellText(value).trim();
  return text === '' ? undefined : text;
}

/** Reads and normalises one data row; `line` is its row number in the file. */
export function readRow(cells: readonly CellValue[], plan: ColumnPlan, line: number): RowResult {
  if (cells.every((cell) => cellText(cell).trim() === '')) return { kind: 'empty' };
  const problems: RowProblem[] = [];
  const text = (index: number | undefined) => (index === undefined ? '' : cellText(cells[index]));
  const problem = (index: number, value: string, reason: string) =>
    problems.push({ line, column: plan.headers[index] ?? '', value, reason });

  let id: string | undefined;
  if (plan.fields.id !== undefined) {
    const written = text(plan.fields.id);
    const trimmed = written.trim();
    if (trimmed !== '') {
      const idProblem = CONTACT_ID.test(trimmed)
        ? contactIdProblem(trimmed)
        : 'must be 1-128 letters, digits or . _ : @ + -';
      if (idProblem) problem(plan.fields.id, written, `the id ${idProblem}`);
      else id = trimmed;
    }
  }

  let phone: string | undefined;
  const phoneWritten = text(plan.fields.phone);
  if (plan.fields.phone !== undefined && phoneWritten.trim() !== '') {
    const result = normaliseIranianMobile(phoneWritten);
    if (result.ok) phone = result.e164;
    else problem(plan.fields.phone, phoneWritten, `the phone ${result.reason}`);
  }

  let email: string | undefined;
  const emailWritten = text(plan.fields.email);
  if (plan.fields.email !== undefined && emailWritten.trim() !== '') {
    const result = normaliseEmail(emailWritten);
    if (result.ok) email = result.email;
    else problem(plan.fields.email, emailWritten, `the email ${result.reason}`);
  }

  let name: string | undefined;
  if (plan.fields.name !== undefined) {
    const written = text(plan.fields.name);
    const trimmed = written.trim().replace(/\s+/g, ' ');
    if (trimmed.length > MAX_NAME)
      problem(plan.fields.name, written, `the name is longer than ${MAX_NAME} characters`);
    else if (trimmed !== '') name = trimmed;
  }

  let locale: Locale | undefined;
  if (plan.fields.locale !== undefined) {
    const written = text(plan.fields.locale);
    const trimmed = written.trim().toLowerCase();
    if (trimmed !== '') {
      locale = LOCALE_WORDS[trimmed];
      if (!locale) problem(plan.fields.locale, written, 'the language must be fa or en');
    }
  }

  const attributes: Record<string, AttributeValue> = {};
  for (const column of plan.attributes) {
    const value = attributeValue(cells[column.index]);
    if (value === undefined) continue;
    if (typeof value === 'string' && value.length > MAX_ATTRIBUTE_VALUE) {
      problem(column.index, value.slice(0, 64), `the value is longer than ${MAX_ATTRIBUTE_VALUE} characters`);
    } else attributes[column.name] = value;
  }

  if (problems.length > 0) return { kind: 'invalid', problems };
  if (!phone && !email) {
    const column = plan.fields.phone ?? plan.fields.email ?? 0;
    problem(column, '', 'the row has neither a phone nor an email');
    return { kind: 'invalid', problems };
  }
  return {
    kind: 'row',
    row: {
      line,
      attributes,
      ...(id ? { id } : {}),
      ...(phone ? { phone } : {}),
      ...(email ? { email } : {}),
      ...(name ? { name } : {}),
      ...(locale ? { locale } : {}),
    },
  };
}
