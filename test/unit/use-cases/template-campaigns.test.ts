import { describe, expect, it } from 'vitest';
import { templateFile } from '../../../shared/adapters/templates/template-files';
import type { Recipient } from '../../../shared/domain/delivery';
import type { SmsLayout } from '../../../shared/domain/sms-text';
import type { Contact, Locale } from '../../../shared/domain/types';
import { expectedSegments } from '../../../shared/use-cases/dispatch-campaign';
import { renderCampaignEmail } from '../../../shared/use-cases/render-email';
import { smsFor } from '../../../shared/use-cases/send-sms';
import { campaignFixture } from '../../fixtures/campaigns';

/** The senders' rendering of a campaign made from templates: each recipient their locale's variant. */

const LAYOUT: SmsLayout = { publicBaseUrl: 'https://go.chapar.test', optOutSuffix: 'لغو۱۱' };

function contactIn(locale: Locale, name: string): Contact {
  return {
    id: `c-${locale}-${name}`,
    ref: `ref-${name}`,
    phone: '+989120000001',
    email: `${name}@example.ir`,
    locale,
    name,
    attributes: {},
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
}

function recipientOf(contact: Contact, campaignId: string): Recipient {
  return {
    key: { campaignId, contactId: contact.id, channel: 'sms' },
    claimId: 'claim',
    contact,
    address: contact.phone ?? '',
    takeover: false,
  };
}

const smsVariants = { fa: { text: '{{name}} عزیز، خوش آمدید' }, en: { text: 'Welcome {{name}}' } };
const campaign = campaignFixture({
  sms: { text: smsVariants.fa.text, template: { id: 'T1', version: 2, variants: smsVariants } },
  email: {
    subject: 'خبرنامه',
    html: '<p>سلام {{name}}</p>',
    template: {
      id: 'T2',
      version: 1,
      variants: {
        fa: { subject: 'خبرنامه', html: '<p>سلام {{name}}</p>' },
        en: { subject: 'News', html: '<p>Hi {{name}}</p>' },
      },
    },
  },
});
const faOnlyCampaign = campaignFixture({
  email: {
    subject: 'خبرنامه',
    html: '<p>سلام {{name}}</p>',
    template: {
      id: 'T3',
      version: 1,
      variants: { fa: { subject: 'خبرنامه', html: '<p>سلام {{name}}</p>' } },
    },
  },
});

describe('a campaign made from templates', () => {
  it("sends each SMS recipient their locale's variant with the link and the keyword", () => {
    // Prepare
    const sara = contactIn('fa', 'سارا');
    const john = contactIn('en', 'John');

    // Act
    const toSara = smsFor(campaign, recipientOf(sara, campaign.id), LAYOUT, 'abcdefghij');
    const toJohn = smsFor(campaign, recipientOf(john, campaign.id), LAYOUT, 'abcdefghij');

    // Assess
    expect(toSara.text).toBe('سارا عزیز، خوش آمدید\nhttps://go.chapar.test/s/abcdefghij لغو۱۱');
    expect(toJohn.text).toBe('Welcome John\nhttps://go.chapar.test/s/abcdefghij لغو۱۱');
  });

  it('mails fa right to left and en left to right in the same layout, and falls back to the variant there is', () => {
    // Prepare
    const sara = contactIn('fa', 'سارا');
    const john = contactIn('en', 'John');

    // Act
    const toSara = renderCampaignEmail(campaign, sara, 'https://chapar.test/u/t', templateFile);
    const toJohn = renderCampaignEmail(campaign, john, 'https://chapar.test/u/t', templateFile);
    const fallback = renderCampaignEmail(faOnlyCampaign, john, 'https://chapar.test/u/t', templateFile);

    // Assess
    expect(toSara.subject).toBe('خبرنامه');
    expect(toSara.html).toMatch(/<html lang="fa" dir="rtl">/);
    expect(toJohn.subject).toBe('News');
    expect(toJohn.html).toMatch(/<html lang="en" dir="ltr">/);
    expect(toJohn.text).toMatch(/^Hi John\n/);
    // The template has Persian only: John gets it, laid out right to left with a Persian footer.
    expect(fallback.subject).toBe('خبرنامه');
    expect(fallback.html).toMatch(/<html lang="fa" dir="rtl">/);
    expect(fallback.text).toContain('لغو اشتراک: https://chapar.test/u/t');
  });

  it("counts each SMS recipient's segments on their own variant", () => {
    // Prepare
    const long = { fa: { text: 'س'.repeat(200) }, en: { text: 'short' } };
    const counted = campaignFixture({
      channels: ['sms'],
      sms: { text: long.fa.text, template: { id: 'T4', version: 1, variants: long } },
    });

    // Act
    const segments = expectedSegments(counted, [contactIn('fa', 'a'), contactIn('en', 'b')], LAYOUT);

    // Assess: 200 Persian letters + the link line are 4 UCS-2 segments; the English one is 1.
    expect(segments).toBe(5);
  });
});
