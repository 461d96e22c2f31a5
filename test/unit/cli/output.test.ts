import { describe, expect, it } from 'vitest';
import { cellText, displayWidth, fields, table, truncate } from '../../../cli/output';

const FSI = '\u2068';
const PDI = '\u2069';
const LRM = '\u200e';
const ZWNJ = '\u200c';

/** The cell (in terminal columns) at which `needle` starts on `line`. */
function columnOf(line: string, needle: string): number {
  return displayWidth(line.slice(0, line.indexOf(needle)));
}

describe('displayWidth', () => {
  it('counts a Persian letter as one cell and a zero-width non-joiner as none', () => {
    // Prepare: «می‌خواهم» is 7 letters with a ZWNJ after the first two
    const word = `می${ZWNJ}خواهم`;

    // Act
    const width = displayWidth(word);

    // Assess
    expect(word.length).toBe(8);
    expect(width).toBe(7);
  });

  it('counts diacritics, joiners and isolates as nothing, wide CJK letters as two cells', () => {
    expect(displayWidth('سَلام')).toBe(4);
    expect(displayWidth(`${FSI}abc${PDI}${LRM}`)).toBe(3);
    expect(displayWidth('👩\u200d💻')).toBe(2);
    expect(displayWidth('漢字')).toBe(4);
  });
});

describe('cellText', () => {
  it('wraps right-to-left text in a first-strong isolate and leaves Latin text alone', () => {
    expect(cellText('سارا')).toBe(`${FSI}سارا${PDI}`);
    expect(cellText('Sara')).toBe('Sara');
    expect(cellText(1500)).toBe('1500');
    expect(cellText(undefined)).toBe('');
  });

  it("drops the data's own bidi controls and shows terminal controls as ?", () => {
    // Prepare: an override that would reverse the row, and an escape sequence that clears the screen
    const name = `\u202eevil\u2069 \u001b[2Jname\nnext`;

    // Act
    const cell = cellText(name);

    // Assess
    expect(cell).toBe('evil ?[2Jname next');
  });
});

describe('truncate', () => {
  it('cuts at whole letters and keeps an isolate closed', () => {
    const cut = truncate(cellText('خبرنامهٔ پاییز ۱۴۰۵'), 8);
    expect(cut.startsWith(FSI)).toBe(true);
    expect(cut.endsWith(`…${PDI}`)).toBe(true);
    expect(displayWidth(cut)).toBe(8);
    expect(truncate('short', 8)).toBe('short');
  });
});

describe('table', () => {
  it('aligns columns by what the terminal draws, with Persian names, ZWNJ and numbers', () => {
    // Prepare
    const rows = [
      { id: 'c1', name: `می${ZWNJ}خواهم`, sent: 7 },
      { id: 'c22', name: 'Sara', sent: 1234 },
      { id: 'c333', name: 'سَلام', sent: 56 },
    ];

    // Act
    const lines = table(rows, [
      { header: 'id', value: (row) => row.id },
      { header: 'name', value: (row) => row.name },
      { header: 'sent', value: (row) => row.sent, align: 'right' },
    ])
      .trimEnd()
      .split('\n');

    // Assess: every line's columns start at the same terminal cell, numbers end together
    expect(lines).toHaveLength(4);
    const nameColumns = lines.map((line, index) => columnOf(line, ['name', FSI, 'Sara', FSI][index] ?? ''));
    expect(new Set(nameColumns).size).toBe(1);
    expect(new Set(lines.map((line) => displayWidth(line))).size).toBe(1);
    expect(lines[2]?.endsWith('1234')).toBe(true);
    expect(lines[1]?.endsWith('   7')).toBe(true);
  });

  it('starts a line holding right-to-left text with a left-to-right mark, and only such a line', () => {
    const text = table(
      [{ name: 'سارا' }, { name: 'Sara' }],
      [{ header: 'name', value: (row: { name: string }) => row.name }],
    );
    const [header, persian, latin] = text.split('\n');
    expect(header?.startsWith(LRM)).toBe(false);
    expect(persian?.startsWith(`${LRM}${FSI}سارا${PDI}`)).toBe(true);
    expect(latin).toBe('Sara');
  });
});

describe('fields', () => {
  it('lists the given fields and skips the undefined ones', () => {
    const lines = fields({ id: 'c1', name: 'سارا', email: undefined, lists: ['VIP', 'مشتریان'] })
      .trimEnd()
      .split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toContain(`${FSI}VIP, مشتریان${PDI}`);
  });
});
