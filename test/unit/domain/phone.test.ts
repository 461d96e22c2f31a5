import { describe, expect, it } from 'vitest';
import { normaliseIranianMobile, toLatinDigits, toNationalMobile } from '../../../shared/domain/phone';

const ZWNJ = '\u200c';
const ZWJ = '\u200d';
const LRM = '\u200e';
const RLM = '\u200f';
const NBSP = '\u00a0';
const E164 = '+989121234567';

/** Rewrites Latin digits in another script; written out here so the test does not reuse the code under test. */
function inDigits(text: string, zero: number): string {
  return text.replace(/[0-9]/g, (digit) => String.fromCharCode(zero + Number(digit)));
}
const persian = (text: string) => inDigits(text, 0x06f0);
const arabicIndic = (text: string) => inDigits(text, 0x0660);

const FORMS = ['09121234567', '9121234567', '+989121234567', '989121234567', '00989121234567'];

describe('toLatinDigits', () => {
  it('turns Persian digits into Latin ones', () => {
    // Prepare
    const input = '۰۱۲۳۴۵۶۷۸۹';

    // Act
    const output = toLatinDigits(input);

    // Assess
    expect(output).toBe('0123456789');
  });

  it('turns Arabic-Indic digits into Latin ones', () => {
    // Prepare
    const input = '٠١٢٣٤٥٦٧٨٩';

    // Act
    const output = toLatinDigits(input);

    // Assess
    expect(output).toBe('0123456789');
  });

  it('leaves letters, Latin digits and punctuation alone', () => {
    // Prepare
    const input = 'سلام abc 123 +-()';

    // Act
    const output = toLatinDigits(input);

    // Assess
    expect(output).toBe(input);
  });
});

describe('normaliseIranianMobile', () => {
  describe('accepts every written form', () => {
    const cases = FORMS.flatMap((form) => [
      { label: `${form} in Latin digits`, input: form },
      { label: `${form} in Persian digits`, input: persian(form) },
      { label: `${form} in Arabic-Indic digits`, input: arabicIndic(form) },
    ]);

    it.each(cases)('$label', ({ input }) => {
      // Prepare: the input comes from the table

      // Act
      const result = normaliseIranianMobile(input);

      // Assess
      expect(result).toEqual({ ok: true, e164: E164 });
    });
  });

  it('accepts literal Persian and Arabic-Indic numbers as typed on a phone', () => {
    // Prepare
    const inputs = ['۰۹۱۲۱۲۳۴۵۶۷', '٠٩١٢١٢٣٤٥٦٧', '+۹۸۹۱۲۱۲۳۴۵۶۷', '۰۰۹۸۹۱۲۱۲۳۴۵۶۷'];

    // Act
    const results = inputs.map(normaliseIranianMobile);

    // Assess
    for (const result of results) expect(result).toEqual({ ok: true, e164: E164 });
  });

  describe('ignores separators and invisible marks', () => {
    it.each([
      { label: 'spaces', input: '0912 123 4567' },
      { label: 'surrounding whitespace and a newline', input: '  09121234567\n' },
      { label: 'a tab', input: '0912\t1234567' },
      { label: 'dashes', input: '0912-123-4567' },
      { label: 'Unicode dashes', input: '0912\u2013123\u20124567' },
      { label: 'dots', input: '0912.123.4567' },
      { label: 'parentheses', input: '(0912) 123-4567' },
      { label: 'parentheses in the international form', input: '+98 (912) 123 4567' },
      { label: 'spaced 00 form', input: '0098 912 123 4567' },
      { label: 'non-breaking spaces', input: `0912${NBSP}123${NBSP}4567` },
      { label: 'ZWNJ', input: `0912${ZWNJ}123${ZWNJ}4567` },
      { label: 'ZWJ', input: `0912${ZWJ}1234567` },
      { label: 'LRM and RLM around the number', input: `${LRM}+989121234567${RLM}` },
      { label: 'RLM inside the number', input: `09${RLM}12${RLM}1234567` },
      { label: 'bidi embedding marks', input: '\u202a+98 912 123 4567\u202c' },
      { label: 'bidi isolate marks', input: '\u2066۰۹۱۲ ۱۲۳ ۴۵۶۷\u2069' },
      { label: 'Persian digits with dashes and ZWNJ', input: `۰۹۱۲-۱۲۳${ZWNJ}۴۵۶۷` },
      { label: 'Arabic-Indic digits with parentheses', input: '(٠٩١٢) ١٢٣ ٤٥٦٧' },
      { label: 'a mix of digit systems', input: '۰۹۱۲ 123 ٤٥٦٧' },
    ])('$label', ({ input }) => {
      // Prepare: the input comes from the table

      // Act
      const result = normaliseIranianMobile(input);

      // Assess
      expect(result).toEqual({ ok: true, e164: E164 });
    });
  });

  it('keeps the subscriber number it was given', () => {
    // Prepare
    const inputs = ['09901234567', '9351112233', '+989989876543'];

    // Act
    const results = inputs.map(normaliseIranianMobile);

    // Assess
    expect(results).toEqual([
      { ok: true, e164: '+989901234567' },
      { ok: true, e164: '+989351112233' },
      { ok: true, e164: '+989989876543' },
    ]);
  });

  describe('rejects what is not an Iranian mobile, with a reason', () => {
    const NOT_MOBILE = 'is not an Iranian mobile number';
    const BAD_CHARACTERS = 'may contain only digits';

    it.each([
      { label: 'an empty string', input: '', reason: 'is empty' },
      { label: 'only whitespace', input: '   ', reason: 'is empty' },
      { label: 'only invisible marks', input: `${ZWNJ}${LRM}${RLM}`, reason: 'is empty' },
      { label: 'a Tehran landline', input: '02112345678', reason: NOT_MOBILE },
      { label: 'a written Tehran landline', input: '021-1234 5678', reason: NOT_MOBILE },
      { label: 'a landline in international form', input: '+98 21 1234 5678', reason: NOT_MOBILE },
      { label: 'a landline in Persian digits', input: '۰۲۱۱۲۳۴۵۶۷۸', reason: NOT_MOBILE },
      { label: 'a national number one digit short', input: '0912123456', reason: NOT_MOBILE },
      { label: 'a national number one digit long', input: '091212345678', reason: NOT_MOBILE },
      { label: 'an international number one digit short', input: '+98912123456', reason: NOT_MOBILE },
      { label: 'an international number one digit long', input: '+9891212345678', reason: NOT_MOBILE },
      { label: 'a 00 number one digit long', input: '009891212345678', reason: NOT_MOBILE },
      { label: 'ten digits not starting with 9', input: '8121234567', reason: NOT_MOBILE },
      { label: 'a British mobile', input: '+44 7700 900123', reason: NOT_MOBILE },
      { label: 'a British mobile in 00 form', input: '0044 7700 900123', reason: NOT_MOBILE },
      { label: 'a US number', input: '+1 (212) 555-0123', reason: NOT_MOBILE },
      { label: 'a +0 prefix', input: '+09121234567', reason: NOT_MOBILE },
      { label: 'letters', input: '0912abc4567', reason: BAD_CHARACTERS },
      { label: 'a letter O for a zero', input: 'O9121234567', reason: BAD_CHARACTERS },
      { label: 'a plus in the middle', input: '0912+1234567', reason: BAD_CHARACTERS },
      { label: 'two leading pluses', input: '++989121234567', reason: BAD_CHARACTERS },
      { label: 'a trailing plus', input: '09121234567+', reason: BAD_CHARACTERS },
      { label: 'a slash', input: '0912/1234567', reason: BAD_CHARACTERS },
      { label: 'an extension', input: '09121234567 ext 12', reason: BAD_CHARACTERS },
    ])('$label', ({ input, reason }) => {
      // Prepare: the input comes from the table

      // Act
      const result = normaliseIranianMobile(input);

      // Assess
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.reason).toContain(reason);
    });
  });
});

describe('toNationalMobile', () => {
  it("gives Kavenegar's 09 form of an E.164 Iranian mobile", () => {
    // Prepare
    const e164 = E164;

    // Act
    const national = toNationalMobile(e164);

    // Assess
    expect(national).toBe('09121234567');
  });

  it('gives the 09 form for every accepted input after normalising', () => {
    // Prepare
    const inputs = [...FORMS, ...FORMS.map(persian), ...FORMS.map(arabicIndic)];

    // Act
    const nationals = inputs.map((input) => {
      const result = normaliseIranianMobile(input);
      return result.ok ? toNationalMobile(result.e164) : result.reason;
    });

    // Assess
    for (const national of nationals) expect(national).toBe('09121234567');
  });

  it('leaves a number that is not +98 unchanged', () => {
    // Prepare
    const foreign = '+447700900123';

    // Act
    const output = toNationalMobile(foreign);

    // Assess
    expect(output).toBe(foreign);
  });
});
