/**
 * TEMPORARY OpenAPI document, written by hand on the `cli` branch so the CLI can be built before
 * the generator (which gathers shared/openapi/operations/*) lands. The lead replaces this file with
 * the generated one at merge; only its signature, `openApiDocument()`, is meant to stay.
 */

type Schema = Record<string, unknown>;

const str: Schema = { type: 'string' };
const int: Schema = { type: 'integer' };
const num: Schema = { type: 'number' };
const bool: Schema = { type: 'boolean' };
const any: Schema = {};
const arrayOf = (items: Schema): Schema => ({ type: 'array', items });
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const obj = (required: Record<string, Schema>, optional: Record<string, Schema> = {}): Schema => ({
  type: 'object',
  properties: { ...required, ...optional },
  required: Object.keys(required),
});
const page = (item: Schema): Schema => obj({ items: arrayOf(item) }, { cursor: str });

const schemas: Record<string, Schema> = {
  Error: obj({ message: str }, { issues: arrayOf(obj({ field: str, message: str })) }),
  Contact: obj(
    {
      id: str,
      locale: { enum: ['fa', 'en'] },
      attributes: { type: 'object', additionalProperties: true },
      createdAt: str,
      updatedAt: str,
    },
    { phone: str, email: str, name: str, lists: arrayOf(obj({ id: str, name: str })) },
  ),
  List: obj({ id: str, name: str, members: int, createdAt: str }, { description: str }),
  Import: obj(
    {
      id: str,
      format: { enum: ['csv', 'xlsx'] },
      status: { enum: ['waiting_upload', 'processing', 'done', 'failed'] },
      rows: int,
      created: int,
      updated: int,
      unchanged: int,
      invalid: int,
      duplicatesInFile: int,
      progress: num,
      startedAt: { type: ['string', 'null'] },
      finishedAt: { type: ['string', 'null'] },
    },
    { listId: str, reason: str },
  ),
  CampaignStats: obj(
    {
      total: int,
      queued: int,
      cancelled: int,
      sent: int,
      failed: int,
      suppressed: int,
      delivered: int,
      undelivered: int,
      bounced: int,
      complained: int,
    },
    { expectedSegments: int },
  ),
  Campaign: obj(
    {
      id: str,
      name: str,
      topic: str,
      channels: arrayOf({ enum: ['sms', 'email'] }),
      status: { enum: ['scheduled', 'sending', 'paused', 'sent', 'cancelled'] },
      sendAt: str,
      createdAt: str,
      updatedAt: str,
    },
    {
      pausedReason: str,
      sms: obj({ encoding: str, characters: int, segments: int }),
      stats: ref('CampaignStats'),
      waiting: obj({ reason: str, until: str }),
    },
  ),
  CampaignInput: obj(
    { name: str, topic: str, channels: arrayOf({ enum: ['sms', 'email'] }), audience: any },
    {
      sms: obj({ text: str }),
      email: obj({ subject: str, html: str }, { text: str }),
      templateId: str,
      sendAt: str,
      allowPartial: bool,
    },
  ),
  CampaignState: obj({ id: str, status: str }, { pausedReason: str }),
  Template: obj({
    id: str,
    name: str,
    channel: { enum: ['sms', 'email'] },
    version: int,
    createdAt: str,
    updatedAt: str,
    variants: { type: 'object', additionalProperties: true },
  }),
  TemplateSummary: obj({
    id: str,
    name: str,
    channel: { enum: ['sms', 'email'] },
    version: int,
    createdAt: str,
    updatedAt: str,
    locales: arrayOf({ enum: ['fa', 'en'] }),
  }),
  Rendered: obj(
    {
      templateId: str,
      version: int,
      locale: { enum: ['fa', 'en'] },
      channel: { enum: ['sms', 'email'] },
      warnings: arrayOf(obj({ placeholder: str, message: str })),
    },
    {
      sms: obj({ text: str, encoding: str, characters: int, segments: int }),
      email: obj({ subject: str, html: str, text: str }),
    },
  ),
  Message: obj(
    { id: str, status: str },
    { channel: str, createdAt: str, updatedAt: str, sentAt: str, reason: str, templateId: str },
  ),
  Report: obj(
    {
      id: str,
      verdict: str,
      sender: str,
      createdAt: str,
      reporter: { anyOf: [obj({}, { phone: str, email: str }), { type: 'null' }] },
    },
    { receivedAt: str, erased: bool },
  ),
};

const jsonBody = (schema: Schema) => ({ content: { 'application/json': { schema } } });
const answer = (description: string, schema?: Schema) =>
  schema ? { description, ...jsonBody(schema) } : { description };
const pathParam = (name: string) => ({ name, in: 'path', required: true, schema: str });
const queryParam = (name: string) => ({ name, in: 'query', required: false, schema: str });
const errors = {
  400: answer('Bad input', ref('Error')),
  401: answer('No or wrong API key', ref('Error')),
  404: answer('Not found', ref('Error')),
  409: answer('Conflict with the current state', ref('Error')),
};

interface Op {
  readonly id: string;
  readonly params?: readonly string[];
  readonly query?: readonly string[];
  readonly headers?: readonly string[];
  readonly body?: Schema;
  readonly status?: number;
  readonly answer?: Schema;
  readonly csv?: boolean;
}

function operation(op: Op) {
  const parameters = [
    ...(op.params ?? []).map(pathParam),
    ...(op.query ?? []).map(queryParam),
    ...(op.headers ?? []).map((name) => ({ name, in: 'header', required: true, schema: str })),
  ];
  const success = op.csv
    ? { description: 'CSV', content: { 'text/csv': { schema: str } } }
    : answer('OK', op.answer);
  return {
    operationId: op.id,
    ...(parameters.length ? { parameters } : {}),
    ...(op.body ? { requestBody: { required: true, ...jsonBody(op.body) } } : {}),
    responses: { [op.status ?? 200]: success, ...errors },
    security: [{ bearer: [] }],
  };
}

const contact = ['contactId'];
const campaign = ['campaignId'];
const list = ['listId'];
const template = ['templateId'];
const paging = ['cursor', 'limit'];

const paths = {
  '/v1/contacts': {
    get: operation({ id: 'searchContacts', query: [...paging, 'q'], answer: page(ref('Contact')) }),
  },
  '/v1/contacts/{contactId}': {
    get: operation({ id: 'getContact', params: contact, answer: ref('Contact') }),
    delete: operation({ id: 'eraseContact', params: contact, status: 204 }),
  },
  '/v1/imports': {
    post: operation({
      id: 'createImport',
      body: obj(
        {
          format: { enum: ['csv', 'xlsx'] },
          consent: obj({ basis: { enum: ['implied', 'explicit'] } }, { reference: str }),
        },
        { listId: str, updateExisting: bool, mapping: { type: 'object', additionalProperties: true } },
      ),
      status: 201,
      answer: obj({ id: str, uploadUrl: str, expiresAt: str }),
    }),
  },
  '/v1/imports/{importId}': {
    get: operation({ id: 'getImport', params: ['importId'], answer: ref('Import') }),
  },
  '/v1/imports/{importId}/errors': {
    get: operation({ id: 'getImportErrors', params: ['importId'], query: ['cursor'], csv: true }),
  },
  '/v1/campaigns': {
    get: operation({ id: 'listCampaigns', query: [...paging, 'status'], answer: page(ref('Campaign')) }),
    post: operation({
      id: 'createCampaign',
      body: ref('CampaignInput'),
      status: 201,
      answer: obj({ id: str, status: str }, { sendAt: str }),
    }),
  },
  '/v1/campaigns/{campaignId}': {
    get: operation({ id: 'getCampaign', params: campaign, answer: ref('Campaign') }),
  },
  '/v1/campaigns/{campaignId}/pause': {
    post: operation({ id: 'pauseCampaign', params: campaign, answer: ref('CampaignState') }),
  },
  '/v1/campaigns/{campaignId}/resume': {
    post: operation({ id: 'resumeCampaign', params: campaign, answer: ref('CampaignState') }),
  },
  '/v1/campaigns/{campaignId}/cancel': {
    post: operation({ id: 'cancelCampaign', params: campaign, answer: ref('CampaignState') }),
  },
  '/v1/campaigns/{campaignId}/test': {
    post: operation({
      id: 'testCampaign',
      params: campaign,
      body: obj({}, { contactIds: arrayOf(str), phones: arrayOf(str), emails: arrayOf(str) }),
      status: 202,
      answer: obj({
        results: arrayOf(
          obj(
            { target: str, channel: str, status: { enum: ['sent', 'skipped', 'failed'] } },
            { to: str, reason: str },
          ),
        ),
      }),
    }),
  },
  '/v1/lists': {
    get: operation({ id: 'listLists', query: paging, answer: page(ref('List')) }),
    post: operation({
      id: 'createList',
      body: obj({ name: str }, { description: str }),
      status: 201,
      answer: ref('List'),
    }),
  },
  '/v1/lists/{listId}/members': {
    get: operation({ id: 'listMembers', params: list, query: paging, answer: page(str) }),
    post: operation({
      id: 'changeMembers',
      params: list,
      body: obj({}, { add: arrayOf(str), remove: arrayOf(str) }),
      answer: obj({ added: int, removed: int, members: int, unknownContacts: arrayOf(str) }),
    }),
  },
  '/v1/segments/preview': {
    post: operation({
      id: 'previewSegment',
      body: obj({ filter: any }),
      answer: obj({ count: int, sample: arrayOf(ref('Contact')), scanned: int, complete: bool }),
    }),
  },
  '/v1/templates': {
    get: operation({ id: 'listTemplates', query: paging, answer: page(ref('TemplateSummary')) }),
    post: operation({
      id: 'createTemplate',
      body: obj({
        name: str,
        channel: { enum: ['sms', 'email'] },
        variants: { type: 'object', additionalProperties: true },
      }),
      status: 201,
      answer: ref('Template'),
    }),
  },
  '/v1/templates/{templateId}': {
    get: operation({ id: 'getTemplate', params: template, answer: ref('Template') }),
  },
  '/v1/templates/{templateId}/render': {
    post: operation({
      id: 'renderTemplate',
      params: template,
      body: obj(
        {},
        {
          contactId: str,
          sample: obj(
            {},
            {
              name: str,
              locale: { enum: ['fa', 'en'] },
              attributes: { type: 'object', additionalProperties: true },
            },
          ),
          locale: { enum: ['fa', 'en'] },
          version: int,
          topic: str,
        },
      ),
      answer: ref('Rendered'),
    }),
  },
  '/v1/messages': {
    post: operation({
      id: 'sendMessage',
      headers: ['Idempotency-Key'],
      body: obj(
        {
          channel: { enum: ['sms', 'email'] },
          to: { type: 'object', additionalProperties: true },
          category: { enum: ['transactional'] },
        },
        {
          templateId: str,
          content: { type: 'object', additionalProperties: true },
          data: { type: 'object', additionalProperties: true },
          locale: { enum: ['fa', 'en'] },
        },
      ),
      status: 202,
      answer: ref('Message'),
    }),
  },
  '/v1/messages/{messageId}': {
    get: operation({ id: 'getMessage', params: ['messageId'], answer: ref('Message') }),
  },
  '/v1/reports': {
    get: operation({ id: 'listReports', query: [...paging, 'verdict'], answer: page(ref('Report')) }),
  },
};

/** The API's OpenAPI 3.1 document. */
export function openApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: { title: 'Chapar API', version: '0.1.0' },
    paths,
    components: { schemas, securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
  };
}
