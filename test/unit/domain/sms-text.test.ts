import { describe, expect, it } from 'vitest';
import { campaignInputSchema } from '../../../shared/domain/campaign';
import { ConfigError } from '../../../shared/domain/errors';
import { analyseSms, smsLength } from '../../../shared/domain/sms-segments';
import {
  composeSms,
  LONGEST_SMS_LAYOUT,
  MAX_OPT_OUT_SUFFIX_LENGTH,
  MAX_SHORT_LINK_LENGTH,
  MAX_SMS_BODY_LENGTH,
  MAX_SMS_LENGTH,
  SAMPLE_LINK_CODE,
  SHORT_LINK_CODE_LENGTH,
  sampleSms,
  shortLinkUrl,
  smsLayout,
} from '../../../shared/domain/sms-text';

const layout = smsLayout({ publicBaseUrl: 'https://chapar.test', optOutSuffix: 'لغو۱۱' });
const CODE = 'Ab3dE5gH7k';

describe('composeSms', () => {
  it('puts the short link and «لغو۱۱» on a last line of their own', () => {
    // Prepare
    const text = 'سارا عزیز، خبرنامه پاییز منتشر شد';

    // Act
    const sms = composeSms(layout, text, CODE);

    // Assess
    expect(sms).toBe('سارا عزیز، خبرنامه پاییز منتشر شد\nhttps://chapar.test/s/Ab3dE5gH7k لغو۱۱');
    expect(sms.endsWith('لغو۱۱')).toBe(true);
  });

  it('drops trailing whitespace so the link sits right under the text', () => {
    // Prepare
    const text = 'Autumn news \n\n';

    // Act
    const sms = composeSms(layout, text, CODE);

    // Assess
    expect(sms).toBe('Autumn news\nhttps://chapar.test/s/Ab3dE5gH7k لغو۱۱');
  });

  it('ends with the link alone when the suffix is configured empty', () => {
    // Prepare
    const noSuffix = smsLayout({ publicBaseUrl: 'https://chapar.test', optOutSuffix: '' });

    // Act
    const sms = composeSms(noSuffix, 'Hi', CODE);

    // Assess
    expect(sms).toBe('Hi\nhttps://chapar.test/s/Ab3dE5gH7k');
  });
});

describe('smsLayout', () => {
  it('drops a trailing slash of the base URL and trims the suffix', () => {
    // Prepare
    const options = { publicBaseUrl: 'https://go.chapar.ir/', optOutSuffix: ' لغو۱۱ ' };

    // Act
    const result = smsLayout(options);

    // Assess
    expect(result).toEqual({ publicBaseUrl: 'https://go.chapar.ir', optOutSuffix: 'لغو۱۱' });
    expect(shortLinkUrl(result, CODE)).toBe('https://go.chapar.ir/s/Ab3dE5gH7k');
  });

  it('accepts an API Gateway endpoint in the longest region name', () => {
    // Prepare
    const publicBaseUrl = 'https://a1b2c3d4e5.execute-api.ap-southeast-2.amazonaws.com';

    // Act
    const result = smsLayout({ publicBaseUrl, optOutSuffix: 'لغو۱۱' });

    // Assess
    expect(shortLinkUrl(result, CODE).length).toBeLessThanOrEqual(MAX_SHORT_LINK_LENGTH);
  });

  it.each([
    {
      label: 'a base URL whose links would not fit',
      options: { publicBaseUrl: `https://${'x'.repeat(60)}.example`, optOutSuffix: 'لغو۱۱' },
    },
    {
      label: 'a suffix over 40 characters',
      options: {
        publicBaseUrl: 'https://chapar.test',
        optOutSuffix: 'x'.repeat(MAX_OPT_OUT_SUFFIX_LENGTH + 1),
      },
    },
    {
      label: 'a Latin suffix over 40 characters as SMS count them (each ~ takes two septets)',
      options: { publicBaseUrl: 'https://chapar.test', optOutSuffix: `STOP${'~'.repeat(19)}` },
    },
    {
      label: 'a suffix of two lines',
      options: { publicBaseUrl: 'https://chapar.test', optOutSuffix: 'لغو\n۱۱' },
    },
  ])('refuses $label at cold start', ({ options }) => {
    // Prepare: the options come from the table

    // Act
    const build = () => smsLayout(options);

    // Assess
    expect(build).toThrow(ConfigError);
  });
});

describe('sampleSms', () => {
  it('renders placeholders empty and stands in a link code of the real length', () => {
    // Prepare
    const template = '{{name}} عزیز، تخفیف {{city}}';

    // Act
    const sms = sampleSms(layout, template);

    // Assess
    expect(SAMPLE_LINK_CODE).toHaveLength(SHORT_LINK_CODE_LENGTH);
    expect(sms).toBe(` عزیز، تخفیف\nhttps://chapar.test/s/${SAMPLE_LINK_CODE} لغو۱۱`);
  });

  it('renders a contact’s own values when given', () => {
    // Prepare
    const template = '{{name}} عزیز';

    // Act
    const sms = sampleSms(layout, template, { name: 'نیما' });

    // Assess
    expect(sms.startsWith('نیما عزیز\n')).toBe(true);
  });
});

describe('the 900-character limit', () => {
  const base = { name: 'x', topic: 'newsletter', channels: ['sms'], audience: { all: true } };

  it('leaves room for the longest link and suffix after the longest campaign text', () => {
    // Prepare
    const longest = smsLayout({
      publicBaseUrl: LONGEST_SMS_LAYOUT.publicBaseUrl,
      optOutSuffix: 'ن'.repeat(MAX_OPT_OUT_SUFFIX_LENGTH),
    });
    const text = 'س'.repeat(MAX_SMS_BODY_LENGTH);

    // Act
    const sms = composeSms(longest, text, CODE);

    // Assess
    expect(sms.length).toBe(MAX_SMS_LENGTH);
    expect(analyseSms(sms).segments).toBe(14);
  });

  it('lets a campaign have the longest text that still fits', () => {
    // Prepare
    const input = { ...base, sms: { text: 'x'.repeat(MAX_SMS_BODY_LENGTH) } };

    // Act
    const result = campaignInputSchema.safeParse(input);

    // Assess
    expect(result.success).toBe(true);
  });

  it.each([
    { label: '500 emoji (1,000 UTF-16 units, 500 code points)', text: '😀'.repeat(500), length: 1000 },
    { label: '390 emoji (780 units)', text: '😀'.repeat(390), length: 780 },
    { label: 'a Latin text whose € count two septets each', text: '€'.repeat(390), length: 780 },
    { label: 'a Latin text one extension character too long', text: `${'x'.repeat(777)}{`, length: 779 },
  ])('refuses $label: it would fail every recipient at 900', ({ text, length }) => {
    // Prepare
    const input = { ...base, sms: { text } };

    // Act
    const result = campaignInputSchema.safeParse(input);

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues).toHaveLength(1);
    expect(result.error?.issues[0]).toMatchObject({
      path: ['sms', 'text'],
      message: expect.stringContaining(
        `at most ${MAX_SMS_BODY_LENGTH} characters as SMS count them (this one is ${length}`,
      ),
    });
  });

  it.each([
    { label: '389 emoji (778 units)', text: '😀'.repeat(389) },
    {
      label: 'a Persian text with 778 characters, € among them (one unit in UCS-2)',
      text: `${'س'.repeat(777)}€`,
    },
    { label: 'a Latin text of 389 €', text: '€'.repeat(389) },
  ])('accepts $label: the final SMS still fits 900', ({ text }) => {
    // Prepare
    const input = { ...base, sms: { text } };
    const longest = smsLayout({
      publicBaseUrl: LONGEST_SMS_LAYOUT.publicBaseUrl,
      optOutSuffix: 'ن'.repeat(MAX_OPT_OUT_SUFFIX_LENGTH),
    });

    // Act
    const result = campaignInputSchema.safeParse(input);

    // Assess
    expect(result.success).toBe(true);
    expect(smsLength(composeSms(longest, text, CODE))).toBeLessThanOrEqual(MAX_SMS_LENGTH);
  });

  it('refuses a campaign text that could not fit once the link and suffix are added', () => {
    // Prepare
    const input = { ...base, sms: { text: 'x'.repeat(MAX_SMS_BODY_LENGTH + 1) } };

    // Act
    const result = campaignInputSchema.safeParse(input);

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({
      path: ['sms', 'text'],
      message: expect.stringContaining(`at most ${MAX_SMS_BODY_LENGTH} characters`),
    });
  });
});
