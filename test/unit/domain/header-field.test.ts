import { describe, expect, it } from 'vitest';
import { sanitiseHeaderField } from '../../../shared/domain/header-field';

describe('sanitiseHeaderField', () => {
  it.each([
    {
      label: 'CR/LF that would start a Bcc header',
      value: 'Hi\r\nBcc: all@example.com',
      safe: 'Hi Bcc: all@example.com',
    },
    { label: 'a lone LF and a tab', value: 'a\nb\tc', safe: 'a b c' },
    { label: 'NUL, DEL and a C1 control', value: 'a\u0000b\u007fc\u0085d\u009be', safe: 'abc de' },
    { label: 'a right-to-left override', value: 'invoice\u202Efdp.exe', safe: 'invoicefdp.exe' },
    { label: 'embeddings and isolates', value: '\u202Aa\u202C \u2066b\u2069 \u2067c\u2068', safe: 'a b c' },
    { label: 'LRM, RLM and ALM', value: '\u200Ea\u200Fb\u061Cc', safe: 'abc' },
    { label: 'breaks at both ends', value: '\r\n  Sale \r\n', safe: 'Sale' },
  ])('removes $label', ({ value, safe }) => {
    // Act
    const result = sanitiseHeaderField(value);

    // Assess
    expect(result).toBe(safe);
  });

  it('keeps ZWNJ, which Persian words need, and ZWJ', () => {
    // Prepare
    const subject = 'می\u200Cخواهید تخفیف بگیرید؟ 👨\u200D👩';

    // Act
    const result = sanitiseHeaderField(subject);

    // Assess
    expect(result).toBe(subject);
  });
});
