/**
 * Everything the CLI prints for people goes through here: aligned tables whose widths count what
 * a terminal draws (a Persian letter one cell, a zero-width non-joiner or a diacritic none), and
 * right-to-left text held in Unicode isolates so it cannot flip the columns around it. Scripts
 * get `--json` instead, printed as the API answered.
 */

const FSI = '\u2068';
const PDI = '\u2069';
const LRM = '\u200e';

/** Letters of right-to-left scripts (Arabic, Persian, Hebrew, Syriac, Thaana, N'Ko). */
const RTL = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;
/** Embeddings, overrides and isolates already in the data: they could unbalance a row. */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/gu;
/** C0 and C1 controls (escape sequences in a name must not drive the terminal), tabs and newlines too. */
const CONTROLS = /\p{Cc}/gu;
/** What draws nothing: combining marks (Persian diacritics), format characters (ZWNJ, ZWJ, marks). */
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]$/u;
/** East Asian wide and fullwidth ranges, and emoji: two cells in a terminal. */
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1f64f}\u{1f900}-\u{1f9ff}\u{20000}-\u{3fffd}]/u;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** How many terminal cells `text` takes. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const { segment } of graphemes.segment(text)) {
    const first = String.fromCodePoint(segment.codePointAt(0) ?? 0);
    if (ZERO_WIDTH.test(first)) continue;
    width += WIDE.test(first) ? 2 : 1;
  }
  return width;
}

/** True when `text` holds a letter of a right-to-left script. */
export function hasRtl(text: string): boolean {
  return RTL.test(text);
}

/**
 * A value made safe for one table cell: controls shown as `?` (a newline as a space), bidi
 * controls of the data dropped, and right-to-left text wrapped in a first-strong isolate.
 */
export function cellText(value: unknown): string {
  const text = plain(value)
    .replace(/[\r\n\t]+/g, ' ')
    .replace(CONTROLS, '?')
    .replace(BIDI_CONTROLS, '');
  return hasRtl(text) ? `${FSI}${text}${PDI}` : text;
}

function plain(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(plain).join(', ');
  return JSON.stringify(value);
}

/** `text` cut to `width` cells with an ellipsis, whole graphemes only, isolates kept balanced. */
export function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  const isolated = text.startsWith(FSI);
  let out = '';
  let used = 0;
  for (const { segment } of graphemes.segment(isolated ? text.slice(1, -1) : text)) {
    const cells = displayWidth(segment);
    if (used + cells > width - 1) break;
    out += segment;
    used += cells;
  }
  return isolated ? `${FSI}${out}…${PDI}` : `${out}…`;
}

export interface Column<Row> {
  readonly header: string;
  readonly value: (row: Row) => unknown;
  /** Numbers read best right-aligned. */
  readonly align?: 'left' | 'right';
  /** At most this many cells; longer values end in an ellipsis (default 48). */
  readonly maxWidth?: number;
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return align === 'right' ? fill + text : text + fill;
}

/**
 * Rows as an aligned table, header first, one line each (each ends with a newline). A line that
 * holds right-to-left text starts with a left-to-right mark, so a terminal that lays out
 * paragraphs by their first letter keeps the columns in order.
 */
export function table<Row>(rows: readonly Row[], columns: readonly Column<Row>[]): string {
  const cells = rows.map((row) =>
    columns.map((column) => truncate(cellText(column.value(row)), column.maxWidth ?? 48)),
  );
  const widths = columns.map((column, index) =>
    Math.max(displayWidth(column.header), ...cells.map((line) => displayWidth(line[index] ?? ''))),
  );
  const line = (values: readonly string[]) => {
    const text = values
      .map((value, index) => pad(value, widths[index] ?? 0, columns[index]?.align ?? 'left'))
      .join('  ')
      .trimEnd();
    return `${hasRtl(text) ? LRM : ''}${text}\n`;
  };
  return [line(columns.map((column) => column.header)), ...cells.map(line)].join('');
}

/** Fields of one thing as a two-column table of names and values. */
export function fields(entries: Readonly<Record<string, unknown>>): string {
  const rows = Object.entries(entries).filter(([, value]) => value !== undefined);
  return table(rows, [
    { header: 'field', value: ([name]) => name },
    { header: 'value', value: ([, value]) => value, maxWidth: 80 },
  ]);
}

/** What a command prints as JSON for scripts: the API's answer, two-space indented. */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
