/** The template routes: reusable SMS and email content in Persian and English, with versions. */
import * as z from 'zod/mini';
import { templateInputSchema } from '../../domain/template';
import { CHANNELS, LOCALES } from '../../domain/types';
import { renderRequestSchema } from '../../use-cases/render-template';
import type { OperationDoc } from '../types';

const isoTime = z.iso.datetime();
const smsVariant = z.object({ text: z.string() });
const emailVariant = z.object({ subject: z.string(), html: z.string(), text: z.optional(z.string()) });
const base = {
  id: z.string(),
  name: z.string(),
  version: z.number().check(z.int(), z.minimum(1)),
  createdAt: isoTime,
  updatedAt: isoTime,
};

/** A template version as the API answers it. */
export const templateSchema = z.union([
  z.object({
    ...base,
    channel: z.literal('sms'),
    variants: z.object({ fa: z.optional(smsVariant), en: z.optional(smsVariant) }),
  }),
  z.object({
    ...base,
    channel: z.literal('email'),
    variants: z.object({ fa: z.optional(emailVariant), en: z.optional(emailVariant) }),
  }),
]);

const summarySchema = z.object({ ...base, channel: z.enum(CHANNELS), locales: z.array(z.enum(LOCALES)) });
const pageSchema = z.object({ items: z.array(summarySchema), cursor: z.optional(z.string()) });
const pageQuery = z.object({ cursor: z.optional(z.string()), limit: z.optional(z.string()) });

const warningSchema = z.object({ placeholder: z.string(), message: z.string() });
const renderBase = {
  templateId: z.string(),
  version: z.number(),
  locale: z.enum(LOCALES),
  warnings: z.array(warningSchema),
};
/** The final message as a recipient gets it. */
export const renderedSchema = z.union([
  z.object({
    ...renderBase,
    channel: z.literal('sms'),
    sms: z.object({
      text: z.string(),
      encoding: z.enum(['GSM-7', 'UCS-2']),
      characters: z.number(),
      segments: z.number(),
      perSegment: z.number(),
    }),
  }),
  z.object({
    ...renderBase,
    channel: z.literal('email'),
    email: z.object({ subject: z.string(), html: z.string(), text: z.string() }),
  }),
]);

const smsTemplate = {
  id: '01JEC1A2B3C4D5E6F7G8H9J0KM',
  name: 'خوش‌آمد',
  channel: 'sms',
  version: 1,
  variants: {
    fa: { text: '{{name}} عزیز، به باشگاه مشتریان خوش آمدید' },
    en: { text: 'Welcome to the club, {{name}}' },
  },
  createdAt: '2026-11-20T08:00:00.000Z',
  updatedAt: '2026-11-20T08:00:00.000Z',
} as const;
const emailBody = {
  name: 'خبرنامه پاییز',
  channel: 'email',
  variants: {
    fa: {
      subject: 'خبرنامه پاییز برای {{name}}',
      html: '<p>سلام {{name}}، <a href="https://shop.example.ir">فروشگاه</a></p>',
    },
    en: {
      subject: 'Autumn news for {{name}}',
      html: '<p>Hi {{name}}, <a href="https://shop.example.ir">our shop</a></p>',
    },
  },
} as const;
const putBody = { name: smsTemplate.name, variants: { fa: { text: '{{name}} عزیز، خوش آمدید' } } };

const NOT_FOUND = { description: 'No such template (or version).' };

export const templateOperations: readonly OperationDoc[] = [
  {
    method: 'POST',
    path: '/v1/templates',
    operationId: 'createTemplate',
    summary: 'Create a template',
    description:
      'An SMS variant is `{text}`, an email variant `{subject, html, text?}` (a missing text part is generated from the HTML, links kept); at least one of fa and en. Placeholders are `{{name}}`, `{{locale}}`, `{{unsubscribe_url}}`, `{{attributes.<key>}}` or `{{<key>}}`; a dotted one other than `attributes.` is a 400.',
    tags: ['templates'],
    auth: 'bearer',
    request: { schema: templateInputSchema, example: emailBody, required: true },
    responses: {
      201: {
        description: 'The template at version 1.',
        schema: templateSchema,
        example: {
          ...emailBody,
          id: '01JEC1A2B3C4D5E6F7G8H9J0KN',
          version: 1,
          createdAt: '2026-11-20T08:00:00.000Z',
          updatedAt: '2026-11-20T08:00:00.000Z',
        },
      },
    },
  },
  {
    method: 'GET',
    path: '/v1/templates',
    operationId: 'listTemplates',
    summary: 'Page through templates, newest first',
    tags: ['templates'],
    auth: 'bearer',
    query: pageQuery,
    responses: {
      200: {
        description:
          'A page of templates without their content: the latest version and the locales each has.',
        schema: pageSchema,
        example: {
          items: [
            {
              id: smsTemplate.id,
              name: smsTemplate.name,
              channel: 'sms',
              version: 1,
              locales: ['fa', 'en'],
              createdAt: smsTemplate.createdAt,
              updatedAt: smsTemplate.updatedAt,
            },
          ],
        },
      },
    },
  },
  {
    method: 'GET',
    path: '/v1/templates/{templateId}',
    operationId: 'getTemplate',
    summary: 'The latest version of a template',
    tags: ['templates'],
    auth: 'bearer',
    responses: {
      200: { description: 'The template.', schema: templateSchema, example: smsTemplate },
      404: NOT_FOUND,
    },
  },
  {
    method: 'PUT',
    path: '/v1/templates/{templateId}',
    operationId: 'updateTemplate',
    summary: 'Write a new version of a template',
    description:
      'The body is the whole template (`channel` may be left out and cannot change). Campaigns created earlier keep the version they were created with; older versions stay readable.',
    tags: ['templates'],
    auth: 'bearer',
    request: { schema: templateInputSchema, example: { ...putBody, channel: 'sms' }, required: true },
    responses: {
      200: {
        description: 'The new version.',
        schema: templateSchema,
        example: { ...smsTemplate, ...putBody, version: 2, updatedAt: '2026-11-21T08:00:00.000Z' },
      },
      404: NOT_FOUND,
      409: { description: 'Another version was written meanwhile: read it again and retry.' },
    },
  },
  {
    method: 'DELETE',
    path: '/v1/templates/{templateId}',
    operationId: 'deleteTemplate',
    summary: 'Delete a template and every version',
    tags: ['templates'],
    auth: 'bearer',
    responses: {
      204: { description: 'Deleted.' },
      404: NOT_FOUND,
      409: {
        description: 'A scheduled, sending or paused campaign was made from it (the message names them).',
      },
    },
  },
  {
    method: 'POST',
    path: '/v1/templates/{templateId}/render',
    operationId: 'renderTemplate',
    summary: 'The final message as a recipient gets it',
    description:
      'For a stored contact (`contactId`) or a `sample` contact, in `locale` (default the contact’s; the other variant when that one is missing): the SMS with its unsubscribe link (a sample code of the real length) and opt-out keyword, its encoding and segments, or the email’s subject, HTML in the layout of its language and text part. `warnings` lists placeholders that rendered empty.',
    tags: ['templates'],
    auth: 'bearer',
    request: {
      schema: renderRequestSchema,
      example: { sample: { name: 'سارا', attributes: { city: 'تهران' } }, locale: 'fa' },
      required: true,
    },
    responses: {
      200: {
        description: 'The rendered message.',
        schema: renderedSchema,
        example: {
          templateId: smsTemplate.id,
          version: 1,
          locale: 'fa',
          channel: 'sms',
          sms: {
            text: 'سارا عزیز، به باشگاه مشتریان خوش آمدید\nhttps://go.chapar.ir/s/a1B2c3D4e5 لغو۱۱',
            encoding: 'UCS-2',
            characters: 78,
            segments: 2,
            perSegment: 67,
          },
          warnings: [],
        },
      },
      404: NOT_FOUND,
    },
  },
];
