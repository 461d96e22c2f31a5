import { describe, expect, it } from 'vitest';
import { templateFile } from '../../../shared/adapters/templates/template-files';
import { ConflictError, NotFoundError, ValidationError } from '../../../shared/domain/errors';
import { SAMPLE_LINK_CODE, smsLayout } from '../../../shared/domain/sms-text';
import type { Contact } from '../../../shared/domain/types';
import { createCampaign } from '../../../shared/use-cases/campaigns';
import { renderTemplateFor, renderTemplateVariant } from '../../../shared/use-cases/render-template';
import {
  createTemplate,
  deleteTemplate,
  listTemplates,
  resolveCampaignContent,
  resolveTemplate,
  updateTemplate,
} from '../../../shared/use-cases/templates';
import { MemoryCampaignStore } from '../../support/fakes/campaign-store';
import { MemoryContactStore } from '../../support/fakes/contact-store';
import { MemoryTemplateStore } from '../../support/fakes/template-store';
import { RecordingWorkQueue } from '../../support/fakes/work-queue';

const NOW = new Date('2026-06-01T10:00:00.000Z');
const SMS_BODY = {
  name: 'Welcome',
  channel: 'sms',
  variants: { fa: { text: '{{name}} عزیز، خوش آمدید' }, en: { text: 'Welcome {{name}} to {{city}}' } },
};
const EMAIL_BODY = {
  name: 'News',
  channel: 'email',
  variants: {
    fa: {
      subject: 'خبرنامه {{name}}',
      html: '<p>سلام {{name}}، <a href="https://shop.example.ir">فروشگاه</a></p>',
    },
    en: { subject: 'News for {{name}}', html: '<p>Hi {{name}}</p>', text: 'Hi {{name}} (text)' },
  },
};

function world() {
  const templates = new MemoryTemplateStore();
  const campaigns = new MemoryCampaignStore();
  const contacts = new MemoryContactStore();
  const deps = { templates, campaigns, contacts, now: () => NOW };
  return { ...deps, deps };
}

const campaignBody = (sms: unknown, email?: unknown) => ({
  name: 'From templates',
  topic: 'newsletter',
  channels: email ? ['sms', 'email'] : ['sms'],
  audience: { all: true },
  sms,
  ...(email ? { email } : {}),
  sendAt: '2026-06-02T10:00:00.000Z',
});

describe('templates', () => {
  it('creates version 1, writes a new version on update and keeps the old one readable', async () => {
    // Prepare
    const { deps, templates } = world();
    const created = await createTemplate(deps, SMS_BODY);

    // Act
    const updated = await updateTemplate(deps, created.id, {
      name: 'Welcome 2',
      variants: { en: { text: 'Hello' } },
    });
    const old = await resolveTemplate(templates, created.id, 1);
    const latest = await resolveTemplate(templates, created.id);

    // Assess
    expect(created).toMatchObject({ version: 1, channel: 'sms', createdAt: NOW.toISOString() });
    expect(updated).toMatchObject({ id: created.id, version: 2, name: 'Welcome 2', channel: 'sms' });
    expect(old.variants).toEqual(SMS_BODY.variants);
    expect(latest.variants).toEqual({ en: { text: 'Hello' } });
    await expect(resolveTemplate(templates, created.id, 3)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses to change a template channel and a bad body with 400s, an unknown id with 404', async () => {
    // Prepare
    const { deps } = world();
    const created = await createTemplate(deps, SMS_BODY);

    // Act
    const changed = updateTemplate(deps, created.id, EMAIL_BODY);
    const empty = createTemplate(deps, { ...SMS_BODY, variants: {} });
    const unknown = updateTemplate(deps, '01JDV00000000000000000000Z', SMS_BODY);
    const notAnId = resolveTemplate(deps.templates, 'nope');

    // Assess
    await expect(changed).rejects.toThrow(/channel is sms and cannot change/);
    await expect(empty).rejects.toBeInstanceOf(ValidationError);
    await expect(unknown).rejects.toBeInstanceOf(NotFoundError);
    await expect(notAnId).rejects.toBeInstanceOf(NotFoundError);
  });

  it('lists summaries without content', async () => {
    // Prepare
    const { deps } = world();
    await createTemplate(deps, SMS_BODY);
    await createTemplate(deps, EMAIL_BODY);

    // Act
    const page = await listTemplates(deps, { limit: 10 });

    // Assess
    expect(page.items.map((item) => [item.name, item.locales])).toHaveLength(2);
    expect(page.items.every((item) => !('variants' in item))).toBe(true);
  });
});

describe('deleteTemplate', () => {
  it('is a 409 while a campaign made from it may still send, and succeeds once it is cancelled', async () => {
    // Prepare
    const { deps, campaigns } = world();
    const template = await createTemplate(deps, SMS_BODY);
    const campaign = await createCampaign(
      { campaigns, queue: new RecordingWorkQueue(), now: () => NOW, templates: deps.templates },
      campaignBody({ templateId: template.id }),
    );

    // Act
    const refused = deleteTemplate(deps, template.id);
    await refused.catch(() => undefined);
    await campaigns.transition(campaign.id, 'cancelled', ['scheduled'], NOW);
    await deleteTemplate(deps, template.id);

    // Assess
    await expect(refused).rejects.toBeInstanceOf(ConflictError);
    await expect(refused).rejects.toThrow(campaign.id);
    await expect(resolveTemplate(deps.templates, template.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('ignores a recorded use whose campaign was never stored', async () => {
    // Prepare
    const { deps, templates } = world();
    const template = await createTemplate(deps, SMS_BODY);
    await templates.recordUse(template.id, '01JDV00000000000000000000C');

    // Act
    await deleteTemplate(deps, template.id);

    // Assess
    expect(await templates.get(template.id)).toBeUndefined();
  });
});

describe('resolveCampaignContent', () => {
  it('copies the latest version of each template into the campaign, fa variant in place', async () => {
    // Prepare
    const { deps, templates } = world();
    const sms = await createTemplate(deps, SMS_BODY);
    const email = await createTemplate(deps, EMAIL_BODY);

    // Act
    const { content, used } = await resolveCampaignContent(templates, {
      sms: { templateId: sms.id },
      email: { templateId: email.id },
    });

    // Assess
    expect(used).toEqual([sms.id, email.id]);
    expect(content.sms).toEqual({
      text: SMS_BODY.variants.fa.text,
      template: { id: sms.id, version: 1, variants: SMS_BODY.variants },
    });
    expect(content.email?.subject).toBe(EMAIL_BODY.variants.fa.subject);
    expect(content.email?.template?.variants).toEqual(EMAIL_BODY.variants);
  });

  it('refuses a template of the other channel and one that does not exist with 400s', async () => {
    // Prepare
    const { deps, templates } = world();
    const email = await createTemplate(deps, EMAIL_BODY);

    // Act
    const wrongChannel = resolveCampaignContent(templates, { sms: { templateId: email.id } });
    const missing = resolveCampaignContent(templates, { sms: { templateId: '01JDV00000000000000000000Z' } });

    // Assess
    await expect(wrongChannel).rejects.toThrow(/sms.templateId names an email template/);
    await expect(missing).rejects.toThrow(/names no template/);
    await expect(missing).rejects.toBeInstanceOf(ValidationError);
  });

  it('keeps the version a campaign was created with after the template changes', async () => {
    // Prepare
    const { deps, campaigns } = world();
    const template = await createTemplate(deps, SMS_BODY);
    const created = await createCampaign(
      { campaigns, queue: new RecordingWorkQueue(), now: () => NOW, templates: deps.templates },
      campaignBody({ templateId: template.id }),
    );

    // Act
    await updateTemplate(deps, template.id, { name: 'v2', variants: { fa: { text: 'نسخه دو' } } });
    const stored = await campaigns.get(created.id);

    // Assess
    expect(stored?.sms?.template?.version).toBe(1);
    expect(stored?.sms?.template?.variants).toEqual(SMS_BODY.variants);
  });
});

describe('campaign input with templates', () => {
  it.each([
    {
      label: 'both a template and a text',
      sms: { templateId: '01JDV00000000000000000000Z', text: 'x' },
      issue: 'sms.templateId',
    },
    { label: 'neither', sms: {}, issue: 'sms.text is required' },
    {
      label: 'a template id that is not one',
      sms: { templateId: 'x' },
      issue: 'sms.templateId must be a template id',
    },
  ])('refuses $label with a 400', async ({ sms, issue }) => {
    // Prepare
    const { campaigns, templates } = world();

    // Act
    const created = createCampaign(
      { campaigns, queue: new RecordingWorkQueue(), now: () => NOW, templates },
      campaignBody(sms),
    );

    // Assess
    await expect(created).rejects.toBeInstanceOf(ValidationError);
    await expect(created).rejects.toThrow(issue);
  });
});

const sara: Contact = {
  id: 'sara',
  ref: 'ref-sara-0001',
  phone: '+989121234567',
  email: 'sara@example.ir',
  locale: 'fa',
  name: 'سارا',
  attributes: {},
  createdAt: NOW.toISOString(),
  updatedAt: NOW.toISOString(),
};

describe('renderTemplateFor', () => {
  const layout = smsLayout({ publicBaseUrl: 'https://go.chapar.ir', optOutSuffix: 'لغو۱۱' });
  const renderDeps = (world_: ReturnType<typeof world>) => ({
    templates: world_.templates,
    contacts: world_.contacts,
    smsLayout: layout,
    files: templateFile,
    publicBaseUrl: 'https://go.chapar.ir',
  });

  it('answers the final SMS of a contact: link, opt-out keyword, encoding, segments and empty fields', async () => {
    // Prepare
    const w = world();
    await w.contacts.upsert('sara', { ...sara }, NOW);
    const template = await createTemplate(w.deps, SMS_BODY);

    // Act
    const fa = await renderTemplateFor(renderDeps(w), template.id, { contactId: 'sara' });
    const en = await renderTemplateFor(renderDeps(w), template.id, { contactId: 'sara', locale: 'en' });

    // Assess
    expect(fa).toMatchObject({
      channel: 'sms',
      locale: 'fa',
      version: 1,
      sms: {
        text: `سارا عزیز، خوش آمدید\nhttps://go.chapar.ir/s/${SAMPLE_LINK_CODE} لغو۱۱`,
        encoding: 'UCS-2',
        segments: 1,
      },
      warnings: [],
    });
    expect(en).toMatchObject({ channel: 'sms' });
    if (en.channel !== 'sms') throw new Error('sms');
    expect(en.sms).toMatchObject({ text: expect.stringMatching(/^Welcome سارا to\n/), encoding: 'UCS-2' });
    expect(en.warnings).toEqual([
      { placeholder: 'city', message: expect.stringContaining('{{city}} rendered empty') },
    ]);
  });

  it('renders an email in the layout of its variant: fa right to left, en left to right, a text part from the HTML', async () => {
    // Prepare
    const w = world();
    const template = await createTemplate(w.deps, EMAIL_BODY);
    const faOnly = await createTemplate(w.deps, { ...EMAIL_BODY, variants: { fa: EMAIL_BODY.variants.fa } });

    // Act
    const fa = await renderTemplateFor(renderDeps(w), template.id, {
      sample: { name: 'سارا', locale: 'fa' },
    });
    const en = await renderTemplateFor(renderDeps(w), template.id, {
      sample: { name: 'John', locale: 'en' },
    });
    const fallback = await renderTemplateFor(renderDeps(w), faOnly.id, {
      sample: { name: 'John' },
      locale: 'en',
    });

    // Assess
    if (fa.channel !== 'email' || en.channel !== 'email' || fallback.channel !== 'email')
      throw new Error('email');
    expect(fa.email.subject).toBe('خبرنامه سارا');
    expect(fa.email.html).toContain('dir="rtl"');
    expect(fa.email.text).toContain('فروشگاه [https://shop.example.ir]');
    expect(fa.email.text).toContain('https://go.chapar.ir/u/preview');
    expect(en.email.html).toContain('dir="ltr"');
    expect(en.email.text).toMatch(/^Hi John \(text\)/);
    expect(fallback.locale).toBe('fa');
    expect(fallback.email.html).toContain('dir="rtl"');
  });

  it('refuses a contact that does not exist and a body naming both a contact and a sample with 400s', async () => {
    // Prepare
    const w = world();
    const template = await createTemplate(w.deps, SMS_BODY);

    // Act
    const unknown = renderTemplateFor(renderDeps(w), template.id, { contactId: 'nobody' });
    const both = renderTemplateFor(renderDeps(w), template.id, { contactId: 'sara', sample: {} });
    const badLocale = renderTemplateFor(renderDeps(w), template.id, { locale: 'de' });

    // Assess
    await expect(unknown).rejects.toThrow(/contactId names no contact/);
    await expect(both).rejects.toBeInstanceOf(ValidationError);
    await expect(badLocale).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('renderTemplateVariant', () => {
  it('fills a variant with data and adds no link, keyword or footer', async () => {
    // Prepare
    const w = world();
    const sms = await createTemplate(w.deps, SMS_BODY);
    const email = await createTemplate(w.deps, EMAIL_BODY);

    // Act
    const text = renderTemplateVariant(sms, 'en', { name: 'John', city: 'Shiraz' });
    const mail = renderTemplateVariant(email, 'fa', { name: 'سارا' }, templateFile);

    // Assess
    expect(text).toEqual({ channel: 'sms', locale: 'en', sms: { text: 'Welcome John to Shiraz' } });
    if (mail.channel !== 'email') throw new Error('email');
    expect(mail.email.subject).toBe('خبرنامه سارا');
    expect(mail.email.html).toContain('dir="rtl"');
    expect(mail.email.html).not.toContain('/u/');
    if (text.channel !== 'sms') throw new Error('sms');
    expect(text.sms.text).not.toMatch(/\/s\/|لغو/);
  });
});
