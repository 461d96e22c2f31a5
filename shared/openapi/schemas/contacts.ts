/** What the contact routes answer: the contact, its consent and ledger, its export. */
import * as z from 'zod/mini';
import { CONSENT_SOURCES } from '../../domain/consent';
import { CHANNELS, LOCALES } from '../../domain/types';
import { isoTime, named, pageOf } from './common';

const attributeValue = z.union([z.string(), z.number(), z.boolean()]);

/** A stored contact as the API shows it (its token ref stays internal). */
export const contactSchema = named(
  z.object({
    id: z.string(),
    phone: z.optional(z.string()),
    email: z.optional(z.string()),
    locale: z.enum(LOCALES),
    name: z.optional(z.string()),
    attributes: z.record(z.string(), attributeValue),
    createdAt: isoTime,
    updatedAt: isoTime,
  }),
  'Contact',
  'A contact: the phone in E.164, the email lower-cased, the locale (fa by default).',
);

export const contactPageSchema = named(pageOf(contactSchema), 'ContactPage');

/** GET /v1/contacts/{contactId}: the contact and the lists it is on. */
export const contactWithListsSchema = named(
  z.object({
    ...contactSchema.shape,
    lists: z.array(z.object({ id: z.string(), name: z.string() })),
  }),
  'ContactWithLists',
);

const channel = z.enum(CHANNELS);
const source = z.enum(CONSENT_SOURCES);

export const consentStateSchema = named(
  z.object({
    channel,
    topic: z.string(),
    status: z.enum(['opted_out', 'subscribed']),
    source,
    at: isoTime,
    campaignId: z.optional(z.string()),
  }),
  'ConsentState',
  'Current consent for one channel and topic (`*`: every topic of the channel).',
);

/** Evidence kept with a ledger event: never a full IP address. */
const evidence = z.looseObject({
  method: z.optional(z.string()),
  reference: z.optional(z.string()),
  userAgent: z.optional(z.string()),
  ipPrefix: z.optional(z.string()),
  linkCode: z.optional(z.string()),
  importId: z.optional(z.string()),
  basis: z.optional(z.string()),
});

export const consentEventSchema = named(
  z.object({
    id: z.string(),
    contactId: z.string(),
    action: z.enum(['opt_out', 'opt_in', 'resubscribe', 'imported']),
    channel,
    topic: z.string(),
    source,
    at: isoTime,
    campaignId: z.optional(z.string()),
    evidence,
  }),
  'ConsentEvent',
  'One entry of the append-only consent ledger.',
);

export const consentViewSchema = named(
  z.object({
    contactId: z.string(),
    state: z.array(consentStateSchema),
    history: z.array(consentEventSchema),
  }),
  'ConsentView',
);

/** POST /v1/contacts/{contactId}/consent: the event recorded and the state it leaves. */
export const consentRecordedSchema = z.object({
  contactId: z.string(),
  event: consentEventSchema,
  state: z.array(consentStateSchema),
});

const deliveryRecord = z.object({
  campaignId: z.string(),
  channel,
  status: z.string(),
  recipient: z.optional(z.string()),
  content: z.optional(z.string()),
  sentAt: z.optional(z.string()),
  deliveryStatus: z.optional(z.string()),
});

const spoofReport = z.object({
  id: z.string(),
  sender: z.string(),
  text: z.string(),
  receivedAt: z.optional(z.string()),
  reporterPhone: z.optional(z.string()),
  reporterEmail: z.optional(z.string()),
  verdict: z.enum(['spoofed', 'genuine', 'unverified']),
  createdAt: isoTime,
});

/** GET /v1/contacts/{contactId}/export: everything held about the contact (profile null once erased). */
export const contactExportSchema = named(
  z.object({
    contactId: z.string(),
    exportedAt: isoTime,
    profile: z.nullable(contactSchema),
    consent: z.object({ state: z.array(consentStateSchema), history: z.array(consentEventSchema) }),
    messages: z.array(deliveryRecord),
    spoofReports: z.array(spoofReport),
  }),
  'ContactExport',
);
