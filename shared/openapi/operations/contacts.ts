/** The contact routes: profile, search, consent, export and erasure. */
import * as z from 'zod/mini';
import { contactInputSchema } from '../../domain/contact';
import { consentChangeSchema } from '../../use-cases/contact-consent';
import { described, pageQuery } from '../schemas/common';
import {
  consentRecordedSchema,
  consentViewSchema,
  contactExportSchema,
  contactPageSchema,
  contactSchema,
  contactWithListsSchema,
} from '../schemas/contacts';
import type { OperationDoc } from '../types';

const CONTACT_ID =
  'Your opaque id of the contact (1-128 of A-Z a-z 0-9 . _ : @ + -; never a phone or an email).';
const NOT_FOUND = { description: 'No such contact.' };

const contact = {
  id: 'c1',
  phone: '+989123456789',
  email: 'sara@example.com',
  locale: 'fa',
  name: 'سارا',
  attributes: { city: 'تهران' },
  createdAt: '2026-12-01T09:30:00.000Z',
  updatedAt: '2026-12-02T08:00:00.000Z',
} as const;

const optOut = {
  id: '01JEC0Z4Q8N6S1M2K3R4T5V6W7',
  contactId: 'c1',
  action: 'opt_out',
  channel: 'sms',
  topic: 'promotions',
  source: 'api',
  at: '2026-12-02T10:00:00.000Z',
  evidence: { method: 'call-centre', reference: 'ticket-8812' },
} as const;

const optedOutState = {
  channel: 'sms',
  topic: 'promotions',
  status: 'opted_out',
  source: 'api',
  at: '2026-12-02T10:00:00.000Z',
} as const;

export const contactOperations: readonly OperationDoc[] = [
  {
    method: 'GET',
    path: '/v1/contacts',
    operationId: 'listContacts',
    summary: 'Page through contacts, or find the ones a query names',
    description:
      'With `q`: the contacts it names, an id, a phone in any written form (normalised as PUT does) or an exact email (case-blind), in one answer.',
    tags: ['contacts'],
    auth: 'bearer',
    query: z.object({
      ...pageQuery.shape,
      q: z.optional(described(z.string(), 'A contact id, a phone (any Iranian form) or an exact email.')),
    }),
    responses: {
      200: { description: 'A page of contacts.', schema: contactPageSchema, example: { items: [contact] } },
    },
  },
  {
    method: 'PUT',
    path: '/v1/contacts/{contactId}',
    operationId: 'putContact',
    summary: 'Create or replace a contact',
    description:
      'Phones in any common Iranian form (Persian or Arabic-Indic digits, spaces, dashes, +98, 0098) are stored as E.164. A phone or email of an erased person is stored but stays unreachable by marketing.',
    tags: ['contacts'],
    auth: 'bearer',
    pathParameters: { contactId: CONTACT_ID },
    request: {
      schema: contactInputSchema,
      example: {
        phone: '۰۹۱۲ ۳۴۵ ۶۷۸۹',
        email: 'Sara@Example.com',
        name: 'سارا',
        attributes: { city: 'تهران' },
      },
    },
    responses: { 200: { description: 'The contact as stored.', schema: contactSchema, example: contact } },
  },
  {
    method: 'GET',
    path: '/v1/contacts/{contactId}',
    operationId: 'getContact',
    summary: 'A contact, with the lists it is on',
    tags: ['contacts'],
    auth: 'bearer',
    pathParameters: { contactId: CONTACT_ID },
    responses: {
      200: {
        description: 'The stored contact and its lists.',
        schema: contactWithListsSchema,
        example: { ...contact, lists: [{ id: '01JEC0Y7B3D5F7H9K1M3P5R7T9', name: 'مشتریان وفادار' }] },
      },
      404: NOT_FOUND,
    },
  },
  {
    method: 'DELETE',
    path: '/v1/contacts/{contactId}',
    operationId: 'eraseContact',
    summary: 'Erase a contact',
    description:
      'Profile, phones, emails and texts are removed everywhere; only a keyed HMAC of the phone and email stays as a do-not-contact tombstone, and message records keep campaign, channel, status and times. 204, and 204 again.',
    tags: ['contacts'],
    auth: 'bearer',
    pathParameters: { contactId: CONTACT_ID },
    responses: { 204: { description: 'Erased (or nothing was held).' } },
  },
  {
    method: 'GET',
    path: '/v1/contacts/{contactId}/consent',
    operationId: 'getContactConsent',
    summary: 'Current consent per channel and topic, and the ledger',
    tags: ['contacts'],
    auth: 'bearer',
    pathParameters: { contactId: CONTACT_ID },
    responses: {
      200: {
        description: 'The state per channel and topic, and the append-only ledger oldest first.',
        schema: consentViewSchema,
        example: { contactId: 'c1', state: [optedOutState], history: [optOut] },
      },
      404: { description: 'Neither a contact nor any consent history.' },
    },
  },
  {
    method: 'POST',
    path: '/v1/contacts/{contactId}/consent',
    operationId: 'recordContactConsent',
    summary: 'Record an explicit opt-in, opt-out or resubscribe, with its evidence',
    description:
      'Evidence is required for opt_in; an IP is kept only as a prefix. An erased person becomes reachable again only through an opt_in with evidence.',
    tags: ['contacts'],
    auth: 'bearer',
    pathParameters: { contactId: CONTACT_ID },
    request: {
      schema: consentChangeSchema,
      example: {
        action: 'opt_out',
        channel: 'sms',
        topic: 'promotions',
        evidence: { method: 'call-centre', reference: 'ticket-8812' },
      },
    },
    responses: {
      201: {
        description: 'The event recorded and the state it leaves.',
        schema: consentRecordedSchema,
        example: { contactId: 'c1', event: optOut, state: [optedOutState] },
      },
      404: NOT_FOUND,
      409: { description: 'The change cannot be made now (e.g. resubscribing an erased address).' },
    },
  },
  {
    method: 'GET',
    path: '/v1/contacts/{contactId}/export',
    operationId: 'exportContact',
    summary: 'Everything Chapar holds about a contact',
    description:
      'Profile, consent history, messages sent and spoof reports filed; after erasure, exactly what is kept.',
    tags: ['contacts'],
    auth: 'bearer',
    pathParameters: { contactId: CONTACT_ID },
    responses: {
      200: {
        description: 'The export (profile null once erased).',
        schema: contactExportSchema,
        example: {
          contactId: 'c1',
          exportedAt: '2026-12-02T11:00:00.000Z',
          profile: contact,
          consent: { state: [optedOutState], history: [optOut] },
          messages: [
            {
              campaignId: '01JEC10000000000000000CAMP',
              channel: 'sms',
              status: 'sent',
              recipient: '+989123456789',
              content: 'سارا عزیز، خبرنامه پاییز منتشر شد',
              sentAt: '2026-12-01T10:00:00.000Z',
              deliveryStatus: 'delivered',
            },
          ],
          spoofReports: [],
        },
      },
      404: { description: 'Neither a contact nor any consent history.' },
    },
  },
];
