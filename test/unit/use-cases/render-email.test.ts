import { describe, expect, it } from 'vitest';
import { templateFile } from '../../../shared/adapters/templates/template-files';
import type { Contact } from '../../../shared/domain/types';
import { htmlToText, renderCampaignEmail } from '../../../shared/use-cases/render-email';
import { campaignFixture } from '../../fixtures/campaigns';

const contact: Contact = {
  id: 'c-1',
  ref: 'ref-abcdefgh',
  email: 'sara@example.ir',
  locale: 'fa',
  name: 'سارا',
  attributes: {},
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

const PERSIAN_HTML = [
  '<div dir="rtl">',
  '<h2>خبرنامه پاییز</h2>',
  '<img src="https://cdn.example.ir/banner.png" alt="بنر تبلیغاتی">',
  '<p>{{name}} عزیز، <a href="https://shop.example.ir/fall?c=1&amp;d=2">تخفیف پاییزه</a> را ببینید.</p>',
  '<p>پرسش دارید؟ <a href="mailto:help@example.ir">با ما بنویسید</a></p>',
  '<p><a href="https://shop.example.ir">https://shop.example.ir</a></p>',
  '<style>p { color: red }</style>',
  '</div>',
].join('');

describe('htmlToText', () => {
  it('keeps every link as text [url], the Persian text as it is, and no image noise', () => {
    // Prepare: the fixture above

    // Act
    const text = htmlToText(PERSIAN_HTML);

    // Assess
    expect(text).toContain('خبرنامه پاییز');
    expect(text).toContain('{{name}} عزیز، تخفیف پاییزه [https://shop.example.ir/fall?c=1&d=2] را ببینید.');
    expect(text).toContain('با ما بنویسید [help@example.ir]');
    // A link whose text is its address appears once.
    expect(text).toContain('https://shop.example.ir');
    expect(text).not.toContain('[https://shop.example.ir]');
    expect(text).not.toMatch(/banner|بنر|<|color: red/);
  });
});

describe('renderCampaignEmail', () => {
  it('fills the placeholders in the text part derived from the HTML, links kept', () => {
    // Prepare
    const campaign = campaignFixture({
      email: {
        subject: 'خبرنامه {{name}}',
        html: `${PERSIAN_HTML}<p><a href="{{unsubscribe_url}}">لغو اشتراک</a></p>`,
      },
    });

    // Act
    const email = renderCampaignEmail(campaign, contact, 'https://chapar.test/u/tok', templateFile);

    // Assess
    expect(email.text).toContain('سارا عزیز، تخفیف پاییزه [https://shop.example.ir/fall?c=1&d=2] را ببینید.');
    expect(email.text).toContain('لغو اشتراک [https://chapar.test/u/tok]');
    expect(email.text).toMatch(/https:\/\/chapar\.test\/u\/tok$/);
    expect(email.html).toContain('href="https://shop.example.ir/fall?c=1&amp;d=2"');
  });

  it("uses the marketer's own text part when there is one", () => {
    // Prepare
    const campaign = campaignFixture({
      email: { subject: 's', html: '<p><a href="https://x.example">x</a></p>', text: 'سلام {{name}}' },
    });

    // Act
    const email = renderCampaignEmail(campaign, contact, 'https://chapar.test/u/tok', templateFile);

    // Assess
    expect(email.text.startsWith('سلام سارا\n\n')).toBe(true);
    expect(email.text).not.toContain('x.example');
  });
});
