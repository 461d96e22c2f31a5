import { beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../../../shared/domain/campaign';
import type { CampaignStore } from '../../../shared/ports';
import { useEmulators } from '../../support/emulators';
import { type ApiHandler, call } from '../audiences/api';

let api: ApiHandler;
let campaigns: CampaignStore;

interface Refusal {
  message: string;
  issues?: { field: string; message: string }[];
}
interface TemplateView {
  id: string;
  name: string;
  channel: string;
  version: number;
  variants: Record<string, unknown>;
}

const UNKNOWN_ID = '01JDV00000000000000000000Z';
const SMS_TEMPLATE = {
  name: 'Yalda SMS',
  channel: 'sms',
  variants: { fa: { text: 'یلدا مبارک {{name}}' }, en: { text: 'Happy Yalda {{name}}' } },
};
const EMAIL_TEMPLATE = {
  name: 'Yalda email',
  channel: 'email',
  variants: { fa: { subject: 'یلدا', html: '<p>سلام {{name}}</p>' } },
};
const inTwoDays = () => new Date(Date.now() + 2 * 86_400_000).toISOString();

beforeAll(async () => {
  const emulators = await useEmulators();
  ({ handler: api } = (await import('../../../functions/http-api/handler')) as unknown as {
    handler: ApiHandler;
  });
  const factory = await import('../../../shared/adapters/factory');
  campaigns = factory.campaignStore(emulators.names.tables.campaigns);
});

async function created(body: unknown): Promise<TemplateView> {
  const reply = await call<TemplateView>(api, 'POST /v1/templates', { json: body });
  expect(reply.status).toBe(201);
  return reply.body;
}

describe('templates over the API', () => {
  it('creates, reads, versions, lists and renders a template', async () => {
    // Prepare
    const template = await created(SMS_TEMPLATE);

    // Act
    const put = await call<TemplateView>(api, 'PUT /v1/templates/{templateId}', {
      path: { templateId: template.id },
      json: { name: 'Yalda SMS 2', variants: { fa: { text: 'شب یلدا مبارک {{name}}' } } },
    });
    const latest = await call<TemplateView>(api, 'GET /v1/templates/{templateId}', {
      path: { templateId: template.id },
    });
    const listed = await call<{ items: { id: string; version: number }[] }>(api, 'GET /v1/templates', {
      query: { limit: '1000' },
    });
    const rendered = await call<{ sms: { text: string; segments: number }; locale: string }>(
      api,
      'POST /v1/templates/{templateId}/render',
      { path: { templateId: template.id }, json: { sample: { name: 'سارا' } } },
    );

    // Assess
    expect(template).toMatchObject({ version: 1, channel: 'sms', variants: SMS_TEMPLATE.variants });
    expect(put.status).toBe(200);
    expect(latest.body).toMatchObject({ version: 2, name: 'Yalda SMS 2' });
    expect(listed.body.items.find((item) => item.id === template.id)?.version).toBe(2);
    expect(rendered.status).toBe(200);
    expect(rendered.body.locale).toBe('fa');
    expect(rendered.body.sms.text).toMatch(/^شب یلدا مبارک سارا\nhttp.*\/s\/\w{10} لغو۱۱$/);
  });

  it.each<{ route: string; path: Record<string, string>; json?: unknown; status: number }>([
    { route: 'POST /v1/templates', path: {}, json: { ...SMS_TEMPLATE, variants: {} }, status: 400 },
    { route: 'POST /v1/templates', path: {}, json: { ...SMS_TEMPLATE, channel: 'fax' }, status: 400 },
    { route: 'POST /v1/templates', path: {}, json: [1, 2], status: 400 },
    {
      route: 'POST /v1/templates',
      path: {},
      json: { ...SMS_TEMPLATE, variants: { fa: { text: '{{order.id}}' } } },
      status: 400,
    },
    { route: 'GET /v1/templates/{templateId}', path: { templateId: UNKNOWN_ID }, status: 404 },
    { route: 'GET /v1/templates/{templateId}', path: { templateId: 'not-an-id' }, status: 404 },
    {
      route: 'PUT /v1/templates/{templateId}',
      path: { templateId: UNKNOWN_ID },
      json: SMS_TEMPLATE,
      status: 404,
    },
    { route: 'DELETE /v1/templates/{templateId}', path: { templateId: UNKNOWN_ID }, status: 404 },
    {
      route: 'POST /v1/templates/{templateId}/render',
      path: { templateId: UNKNOWN_ID },
      json: {},
      status: 404,
    },
  ])('answers $route with bad input by $status and a message', async ({ route, path, json, status }) => {
    // Prepare: the case's request

    // Act
    const reply = await call<Refusal>(api, route, { path, ...(json === undefined ? {} : { json }) });

    // Assess
    expect(reply.status).toBe(status);
    expect(reply.body.message.length).toBeGreaterThan(0);
  });

  it('refuses a render of an unknown contact and a list with a bad limit with 400s', async () => {
    // Prepare
    const template = await created(SMS_TEMPLATE);

    // Act
    const unknownContact = await call<Refusal>(api, 'POST /v1/templates/{templateId}/render', {
      path: { templateId: template.id },
      json: { contactId: 'nobody-here' },
    });
    const badLimit = await call<Refusal>(api, 'GET /v1/templates', { query: { limit: '0' } });

    // Assess
    expect(unknownContact.status).toBe(400);
    expect(unknownContact.body.issues).toEqual([{ field: 'contactId', message: 'names no contact' }]);
    expect(badLimit.status).toBe(400);
  });
});

describe('campaigns from templates over the API', () => {
  it('stores the version the campaign was created with and refuses the delete until it is cancelled', async () => {
    // Prepare
    const sms = await created(SMS_TEMPLATE);
    const email = await created(EMAIL_TEMPLATE);
    const made = await call<{ id: string }>(api, 'POST /v1/campaigns', {
      json: {
        name: 'Yalda',
        topic: 'promotions',
        channels: ['sms', 'email'],
        audience: { contactIds: ['nobody-1'] },
        sms: { templateId: sms.id },
        email: { templateId: email.id },
        sendAt: inTwoDays(),
      },
    });
    expect(made.status).toBe(201);

    // Act
    await call(api, 'PUT /v1/templates/{templateId}', {
      path: { templateId: sms.id },
      json: { name: 'changed', variants: { en: { text: 'changed' } } },
    });
    const stored = (await campaigns.get(made.body.id)) as Campaign;
    const refused = await call<Refusal>(api, 'DELETE /v1/templates/{templateId}', {
      path: { templateId: sms.id },
    });
    const cancelled = await call(api, 'POST /v1/campaigns/{campaignId}/cancel', {
      path: { campaignId: made.body.id },
    });
    const deleted = await call(api, 'DELETE /v1/templates/{templateId}', { path: { templateId: sms.id } });
    const gone = await call(api, 'GET /v1/templates/{templateId}', { path: { templateId: sms.id } });

    // Assess
    expect(stored.sms).toEqual({
      text: SMS_TEMPLATE.variants.fa.text,
      template: { id: sms.id, version: 1, variants: SMS_TEMPLATE.variants },
    });
    expect(stored.email?.template?.id).toBe(email.id);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain(made.body.id);
    expect(cancelled.status).toBe(200);
    expect(deleted.status).toBe(204);
    expect(gone.status).toBe(404);
  });

  it('refuses a campaign naming a template of the other channel, an unknown one, or a template plus text', async () => {
    // Prepare
    const email = await created(EMAIL_TEMPLATE);
    const body = (sms: unknown) => ({
      name: 'Bad',
      topic: 'promotions',
      channels: ['sms'],
      audience: { all: true },
      sms,
    });

    // Act
    const replies = await Promise.all(
      [{ templateId: email.id }, { templateId: UNKNOWN_ID }, { templateId: email.id, text: 'x' }].map((sms) =>
        call<Refusal>(api, 'POST /v1/campaigns', { json: body(sms) }),
      ),
    );
    const preview = await call<Refusal>(api, 'POST /v1/campaigns/preview', {
      json: body({ templateId: UNKNOWN_ID }),
    });

    // Assess
    expect(replies.map((reply) => reply.status)).toEqual([400, 400, 400]);
    expect(replies.map((reply) => reply.body.issues?.[0]?.field)).toEqual([
      'sms.templateId',
      'sms.templateId',
      'sms.templateId',
    ]);
    expect(preview.status).toBe(400);
  });

  it("warns in the preview of each placeholder some of the audience's contacts lack", async () => {
    // Prepare
    for (const [contactId, contact] of Object.entries({
      'prev-fa': { phone: '0912 777 0001', name: 'سارا', attributes: { city: 'Tehran' } },
      'prev-en': { phone: '0912 777 0002', locale: 'en' },
    })) {
      expect(
        (await call(api, 'PUT /v1/contacts/{contactId}', { path: { contactId }, json: contact })).status,
      ).toBe(200);
    }
    const template = await created({
      ...SMS_TEMPLATE,
      variants: { fa: { text: '{{name}} از {{city}}' }, en: { text: 'Hi {{name}}' } },
    });

    // Act
    const preview = await call<{ warnings?: { placeholder: string; channel: string; contacts: number }[] }>(
      api,
      'POST /v1/campaigns/preview',
      {
        json: {
          name: 'Preview',
          topic: 'promotions',
          channels: ['sms'],
          audience: { contactIds: ['prev-fa', 'prev-en'] },
          sms: { templateId: template.id },
        },
      },
    );

    // Assess
    expect(preview.status).toBe(200);
    expect(
      preview.body.warnings?.map(({ placeholder, channel, contacts }) => ({
        placeholder,
        channel,
        contacts,
      })),
    ).toEqual([{ placeholder: 'name', channel: 'sms', contacts: 1 }]);
  });
});
