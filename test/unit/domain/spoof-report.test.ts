import { describe, expect, it } from 'vitest';
import {
  isSameSender,
  normaliseSmsText,
  spoofVerdict,
  textsMatch,
} from '../../../shared/domain/spoof-report';

const ZWNJ = '\u200c';
const LRM = '\u200e';
const RLM = '\u200f';

/** The brand's verified line in every form a handset may show it. */
const LINE = '500010001234';
const LINE_FORMS = [
  '500010001234',
  '+98500010001234',
  '98500010001234',
  '0098500010001234',
  '۵۰۰۰۱۰۰۰۱۲۳۴',
  '+۹۸۵۰۰۰۱۰۰۰۱۲۳۴',
  '٠٠٩٨٥٠٠٠١٠٠٠١٢٣٤',
  '5000 1000 1234',
  '+98 5000 1000 1234',
  '0098-5000-1000-1234',
  `${LRM}+98500010001234${RLM}`,
];

const SENT = 'علی عزیز، تخفیف ۳۰٪ ویژه\u200cی شما تا جمعه. کد: SPRING30 لغو۱۱';

describe('isSameSender', () => {
  describe('recognises one line in all its forms', () => {
    const pairs = LINE_FORMS.flatMap((a) => LINE_FORMS.map((b) => ({ a, b })));

    it.each(pairs)('$a and $b', ({ a, b }) => {
      // Prepare: the pair comes from the table

      // Act
      const same = isSameSender(a, b);

      // Assess
      expect(same).toBe(true);
    });
  });

  it.each([
    { a: '50004001', b: '+9850004001' },
    { a: '50004001', b: '9850004001' },
    { a: '50004001', b: '009850004001' },
    { a: '10008663', b: '+98 1000 8663' },
    { a: '3000505', b: '+983000505' },
    { a: '2000500666', b: '+982000500666' },
  ])('recognises a short line $a written as $b', ({ a, b }) => {
    // Prepare: the pair comes from the table

    // Act
    const forward = isSameSender(a, b);
    const backward = isSameSender(b, a);

    // Assess
    expect(forward).toBe(true);
    expect(backward).toBe(true);
  });

  it.each([
    { label: 'one digit different', other: '500010001235' },
    { label: 'one digit missing', other: '50001000123' },
    { label: 'one digit more', other: '5000100012345' },
    { label: 'a prefix of the line', other: '+985000' },
    { label: 'a mobile', other: '+989121234567' },
    { label: 'another 5000 line', other: '+98500010009999' },
    { label: 'an alphanumeric sender', other: 'MyBrand' },
    { label: 'an empty sender', other: '' },
    { label: 'only a plus', other: '+' },
  ])('tells the line from $label', ({ other }) => {
    // Prepare: the sender comes from the table

    // Act
    const forward = isSameSender(other, LINE);
    const backward = isSameSender(LINE, other);

    // Assess
    expect(forward).toBe(false);
    expect(backward).toBe(false);
  });

  it('never calls two senders without digits the same', () => {
    // Prepare
    const a = 'MyBrand';
    const b = 'OtherBrand';

    // Act
    const same = isSameSender(a, b);

    // Assess
    expect(same).toBe(false);
  });
});

describe('normaliseSmsText', () => {
  it('turns digits Latin, drops ZWNJ and bidi marks, folds whitespace', () => {
    // Prepare
    const text = `  ${RLM}کد   ۱۲۳\n\t٤٥${ZWNJ}ی\u00a0\u00a0پایان${LRM}  `;

    // Act
    const normalised = normaliseSmsText(text);

    // Assess
    expect(normalised).toBe('کد 123 45ی پایان');
  });
});

describe('textsMatch', () => {
  it('matches the same text', () => {
    // Prepare
    const reported = SENT;

    // Act
    const match = textsMatch(reported, SENT);

    // Assess
    expect(match).toBe(true);
  });

  it.each([
    { label: 'without the ZWNJ', reported: SENT.replace(ZWNJ, '') },
    { label: 'with line breaks for spaces', reported: SENT.replaceAll(' ', '\n') },
    { label: 'with doubled and non-breaking spaces', reported: SENT.replaceAll(' ', ' \u00a0') },
    { label: 'with a ZWNJ added between words', reported: SENT.replace('تخفیف', `تخ${ZWNJ}فیف`) },
    { label: 'with bidi marks around it', reported: `${RLM}${SENT}${LRM}` },
    { label: 'with Latin digits', reported: SENT.replace('۳۰', '30').replace('۱۱', '11') },
    { label: 'with Arabic-Indic digits', reported: SENT.replace('۳۰', '٣٠') },
    { label: 'with surrounding whitespace', reported: `\n  ${SENT}  \n` },
  ])('matches Persian text $label', ({ reported }) => {
    // Prepare: the reported text comes from the table

    // Act
    const match = textsMatch(reported, SENT);

    // Assess
    expect(match).toBe(true);
  });

  it('matches a pasted part of at least 20 characters, either way round', () => {
    // Prepare
    const part = 'تخفیف ۳۰٪ ویژه\u200cی شما تا جمعه';

    // Act
    const reportedPart = textsMatch(part, SENT);
    const reportedMore = textsMatch(`Forwarded: ${SENT} (received yesterday)`, SENT);

    // Assess
    expect(normaliseSmsText(part).length).toBeGreaterThanOrEqual(20);
    expect(reportedPart).toBe(true);
    expect(reportedMore).toBe(true);
  });

  it('matches a part of exactly 20 characters but not of 19', () => {
    // Prepare
    const sent = 'Your code is 482913. Valid for ten minutes. Chapar';
    const twenty = sent.slice(0, 20);
    const nineteen = sent.slice(0, 19);

    // Act
    const atThreshold = textsMatch(twenty, sent);
    const belowThreshold = textsMatch(nineteen, sent);

    // Assess
    expect(twenty).toHaveLength(20);
    expect(atThreshold).toBe(true);
    expect(belowThreshold).toBe(false);
  });

  it('counts the threshold after normalising, so marks and spaces do not pad a short part', () => {
    // Prepare
    const sent = 'Your code is 482913. Valid for ten minutes. Chapar';
    const padded = `${RLM}${ZWNJ}  ${sent.slice(0, 19)}  ${ZWNJ}${LRM}`;

    // Act
    const match = textsMatch(padded, sent);

    // Assess
    expect(padded.length).toBeGreaterThan(20);
    expect(match).toBe(false);
  });

  it.each([
    { label: 'a different text', reported: 'برنده\u200cی ۵۰ میلیون تومان شدید! روی لینک بزنید' },
    { label: 'a short common word', reported: 'تخفیف' },
    { label: 'an empty text', reported: '' },
    { label: 'only whitespace and marks', reported: ` ${ZWNJ}${RLM} ` },
    { label: 'a long text with one word changed', reported: SENT.replace('جمعه', 'شنبه') },
  ])('does not match $label', ({ reported }) => {
    // Prepare: the reported text comes from the table

    // Act
    const match = textsMatch(reported, SENT);

    // Assess
    expect(match).toBe(false);
  });

  it('does not match two empty texts', () => {
    // Prepare
    const empty = '';

    // Act
    const match = textsMatch(empty, empty);

    // Assess
    expect(match).toBe(false);
  });
});

describe('spoofVerdict', () => {
  it('calls a text from another sender spoofed, even when the text matches', () => {
    // Prepare
    const report = {
      sender: '+98500010009999',
      text: SENT,
      verifiedSender: LINE,
      textsSentToReporter: [SENT],
    };

    // Act
    const verdict = spoofVerdict(report);

    // Assess
    expect(verdict).toBe('spoofed');
  });

  it('calls a text from a mobile number spoofed', () => {
    // Prepare
    const report = { sender: '09121234567', text: SENT, verifiedSender: LINE, textsSentToReporter: [] };

    // Act
    const verdict = spoofVerdict(report);

    // Assess
    expect(verdict).toBe('spoofed');
  });

  it.each(LINE_FORMS)('calls a matching text from the line shown as %s genuine', (sender) => {
    // Prepare
    const report = {
      sender,
      text: SENT.replace(ZWNJ, '').replaceAll(' ', '  '),
      verifiedSender: LINE,
      textsSentToReporter: ['An older message we sent to this number, long enough', SENT],
    };

    // Act
    const verdict = spoofVerdict(report);

    // Assess
    expect(verdict).toBe('genuine');
  });

  it('calls a text from the line unverified when nothing we sent matches', () => {
    // Prepare
    const report = {
      sender: '+98500010001234',
      text: 'برنده\u200cی ۵۰ میلیون تومان شدید! روی لینک بزنید',
      verifiedSender: LINE,
      textsSentToReporter: [SENT],
    };

    // Act
    const verdict = spoofVerdict(report);

    // Assess
    expect(verdict).toBe('unverified');
  });

  it('calls a text from the line unverified when we know of nothing sent to the reporter', () => {
    // Prepare
    const report = { sender: LINE, text: SENT, verifiedSender: LINE, textsSentToReporter: [] };

    // Act
    const verdict = spoofVerdict(report);

    // Assess
    expect(verdict).toBe('unverified');
  });
});

describe('senderKey and reportMeaning', () => {
  it('names one line the same in every written form', async () => {
    const { senderKey } = await import('../../../shared/domain/spoof-report');
    const forms = ['9120001111', '+98 912 000 1111', '00989120001111', '۹۸۹۱۲۰۰۰۱۱۱۱', '(+98) 912-000-1111'];
    expect(new Set(forms.map(senderKey))).toEqual(new Set(['9120001111']));
    expect(senderKey('50004001051233')).toBe('50004001051233');
    expect(senderKey(' Digi\u200fKala ')).toBe(senderKey('digikala'));
    expect(senderKey('Digikala')).not.toBe(senderKey('Digikal4'));
  });

  it('reduces a report to its meaning: spacing, digits and time zones do not make a new report', async () => {
    const { reportMeaning } = await import('../../../shared/domain/spoof-report');
    const a = reportMeaning({
      sender: '+98 912 000 1111',
      text: 'برنده   جایزه ۱۰ میلیونی\n شدید',
      receivedAt: '2026-12-01T13:30:00+03:30',
      reporterPhone: '+989121234567',
    });
    const b = reportMeaning({
      sender: '09120001111'.slice(1),
      text: ' برنده جایزه 10 میلیونی شدید ',
      receivedAt: '2026-12-01T10:00:00.000Z',
      reporterPhone: '+989121234567',
    });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(
      reportMeaning({
        sender: '9120001111',
        text: 'برنده جایزه 11 میلیونی شدید',
        reporterPhone: '+989121234567',
      }),
    ).not.toEqual(a);
    expect(reportMeaning({ sender: 'x', text: 't', receivedAt: 'not a date' }).receivedAt).toBeNull();
  });
});
