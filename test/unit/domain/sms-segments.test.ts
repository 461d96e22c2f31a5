import { describe, expect, it } from 'vitest';
import { analyseSms, smsLength } from '../../../shared/domain/sms-segments';

const PERSIAN = 'س';
const EMOJI = '😀';

describe('analyseSms: GSM-7 (Latin) texts', () => {
  it.each([
    {
      label: '160 characters: one segment',
      text: 'a'.repeat(160),
      characters: 160,
      segments: 1,
      perSegment: 160,
    },
    {
      label: '161 characters: two of 153',
      text: 'a'.repeat(161),
      characters: 161,
      segments: 2,
      perSegment: 153,
    },
    {
      label: '306 characters: still two',
      text: 'a'.repeat(306),
      characters: 306,
      segments: 2,
      perSegment: 153,
    },
    { label: '307 characters: three', text: 'a'.repeat(307), characters: 307, segments: 3, perSegment: 153 },
  ])('counts $label', ({ text, characters, segments, perSegment }) => {
    // Prepare: the text comes from the table

    // Act
    const analysis = analyseSms(text);

    // Assess
    expect(analysis).toEqual({ encoding: 'GSM-7', characters, segments, perSegment });
  });

  it('keeps the whole GSM basic set, accents and line breaks included, in GSM-7', () => {
    // Prepare
    const text = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./09:;<=>?¡AZÄÖÑÜ§¿azäöñüà';

    // Act
    const analysis = analyseSms(text);

    // Assess
    expect(analysis.encoding).toBe('GSM-7');
    expect(analysis.characters).toBe([...text].length);
  });

  it('counts each extension character (€ [ ] { } | ^ ~ \\ and form feed) as two', () => {
    // Prepare
    const text = '€[]{}|^~\\\f';

    // Act
    const analysis = analyseSms(text);

    // Assess
    expect(analysis).toEqual({ encoding: 'GSM-7', characters: 20, segments: 1, perSegment: 160 });
  });

  it('splits at 160 septets when extension characters fill the text', () => {
    // Prepare
    const fits = '€'.repeat(80);
    const over = '€'.repeat(81);

    // Act
    const [one, two] = [analyseSms(fits), analyseSms(over)];

    // Assess
    expect(one).toMatchObject({ characters: 160, segments: 1 });
    expect(two).toMatchObject({ characters: 162, segments: 2, perSegment: 153 });
  });

  it('never cuts an escape pair across two segments', () => {
    // Prepare: 306 septets, but the € cannot start at the 153rd septet of the first part
    const text = `${'a'.repeat(152)}€${'a'.repeat(152)}`;

    // Act
    const analysis = analyseSms(text);

    // Assess
    expect(analysis).toMatchObject({ characters: 306, segments: 3 });
  });

  it('has no segment for an empty text', () => {
    // Prepare
    const text = '';

    // Act
    const analysis = analyseSms(text);

    // Assess
    expect(analysis).toEqual({ encoding: 'GSM-7', characters: 0, segments: 0, perSegment: 160 });
  });
});

describe('analyseSms: UCS-2 texts', () => {
  it.each([
    {
      label: '70 characters: one segment',
      text: PERSIAN.repeat(70),
      characters: 70,
      segments: 1,
      perSegment: 70,
    },
    {
      label: '71 characters: two of 67',
      text: PERSIAN.repeat(71),
      characters: 71,
      segments: 2,
      perSegment: 67,
    },
    {
      label: '134 characters: still two',
      text: PERSIAN.repeat(134),
      characters: 134,
      segments: 2,
      perSegment: 67,
    },
    {
      label: '135 characters: three',
      text: PERSIAN.repeat(135),
      characters: 135,
      segments: 3,
      perSegment: 67,
    },
  ])('counts Persian $label', ({ text, characters, segments, perSegment }) => {
    // Prepare: the text comes from the table

    // Act
    const analysis = analyseSms(text);

    // Assess
    expect(analysis).toEqual({ encoding: 'UCS-2', characters, segments, perSegment });
  });

  it('counts a real Persian campaign text with Persian digits', () => {
    // Prepare
    const text = 'سارا عزیز، تخفیف نوروزی ۳۰٪ تا پایان هفته';

    // Act
    const analysis = analyseSms(text);

    // Assess
    expect(analysis).toEqual({ encoding: 'UCS-2', characters: text.length, segments: 1, perSegment: 70 });
  });

  it('switches a whole Latin text to UCS-2 for one character outside GSM', () => {
    // Prepare: 100 Latin characters would be one GSM-7 segment; the opt-out keyword is Persian
    const text = `${'a'.repeat(100)} لغو۱۱`;

    // Act
    const analysis = analyseSms(text);

    // Assess
    expect(analysis).toEqual({ encoding: 'UCS-2', characters: 106, segments: 2, perSegment: 67 });
  });

  it('counts an emoji as two UTF-16 code units', () => {
    // Prepare
    const fits = EMOJI.repeat(35);
    const over = EMOJI.repeat(36);

    // Act
    const [one, two] = [analyseSms(fits), analyseSms(over)];

    // Assess
    expect(analyseSms(EMOJI)).toMatchObject({ encoding: 'UCS-2', characters: 2 });
    expect(one).toMatchObject({ characters: 70, segments: 1 });
    expect(two).toMatchObject({ characters: 72, segments: 2 });
  });

  it('never cuts a surrogate pair across two segments', () => {
    // Prepare: 134 code units, but the emoji cannot straddle the end of the first part
    const text = `${PERSIAN.repeat(66)}${EMOJI}${PERSIAN.repeat(66)}`;

    // Act
    const analysis = analyseSms(text);

    // Assess
    expect(analysis).toMatchObject({ encoding: 'UCS-2', characters: 134, segments: 3 });
  });

  it('treats a character that only looks Latin (a backtick) as outside GSM', () => {
    // Prepare
    const text = 'use `code`';

    // Act
    const analysis = analyseSms(text);

    // Assess
    expect(analysis.encoding).toBe('UCS-2');
  });
});

describe('smsLength', () => {
  it.each([
    { label: 'a Latin text in septets', text: 'Hello', length: 5 },
    { label: 'a GSM extension character as two septets', text: 'Price 5€ [x]', length: 15 },
    { label: 'a Persian text in UCS-2 code units', text: 'سلام', length: 4 },
    { label: 'an emoji as two code units (a surrogate pair)', text: `${EMOJI}!`, length: 3 },
    { label: 'an extension character as one unit once the text is UCS-2', text: `${PERSIAN}€`, length: 2 },
    { label: 'an empty text as nothing', text: '', length: 0 },
  ])('counts $label', ({ text, length }) => {
    // Act
    const counted = smsLength(text);

    // Assess
    expect(counted).toBe(length);
  });

  it('agrees with the characters analyseSms reports, for 500 emoji too', () => {
    // Prepare
    const texts = [EMOJI.repeat(500), '€'.repeat(500), `${PERSIAN.repeat(10)}{}`, 'plain'];

    // Act
    const lengths = texts.map(smsLength);

    // Assess
    expect(lengths).toEqual(texts.map((text) => analyseSms(text).characters));
    expect(lengths[0]).toBe(1000);
  });
});
