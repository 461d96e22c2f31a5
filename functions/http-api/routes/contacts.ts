import { NotFoundError } from '../../../shared/domain/errors';
import { parsePage } from '../../../shared/domain/paging';
import type { Contact } from '../../../shared/domain/types';
import { jsonBody } from '../../../shared/http/body';
import { type HttpResult, json, pathParameter } from '../../../shared/http/respond';
import type {
  ContactSearch,
  ContactStore,
  ListStore,
  MessageStore,
  PersonalDataStore,
} from '../../../shared/ports';
import {
  assertContactId,
  getContactConsent,
  recordContactConsent,
  type TombstoneDeps,
} from '../../../shared/use-cases/contact-consent';
import { eraseContact } from '../../../shared/use-cases/erase-contact';
import { exportContact } from '../../../shared/use-cases/export-contact';
import { listsOfContact } from '../../../shared/use-cases/lists';
import { searchContacts } from '../../../shared/use-cases/search-contacts';
import { upsertContact } from '../../../shared/use-cases/upsert-contact';
import { API_BODY, type Routes } from './types';

export interface ContactRouteDeps extends TombstoneDeps {
  readonly contacts: ContactStore;
  readonly personalData: PersonalDataStore;
  readonly search: ContactSearch;
  readonly lists: ListStore;
  /** Transactional messages, scrubbed by an erasure. */
  readonly messages?: Pick<MessageStore, 'scrubAddress' | 'sentTo'>;
}

/** The contact as the API shows it: the token ref stays internal. */
export function contactView({ ref: _ref, ...contact }: Contact) {
  return contact;
}

const noContent: HttpResult = { statusCode: 204, headers: { 'cache-control': 'no-store' } };

/** Marketer routes about contacts, their consent, export and erasure. */
export function contactRoutes(deps: ContactRouteDeps): Routes {
  return {
    'GET /v1/contacts': async (event) => {
      const query = event.queryStringParameters;
      const page = await searchContacts(deps, {
        ...parsePage(query),
        ...(query?.q === undefined ? {} : { q: query.q }),
      });
      return json(200, { ...page, items: page.items.map(contactView) });
    },
    'PUT /v1/contacts/{contactId}': async (event) =>
      json(
        200,
        contactView(await upsertContact(deps, pathParameter(event, 'contactId'), jsonBody(event, API_BODY))),
      ),
    'GET /v1/contacts/{contactId}': async (event) => {
      const id = pathParameter(event, 'contactId');
      assertContactId(id);
      const contact = await deps.contacts.get(id);
      if (!contact) throw new NotFoundError(`Contact ${id} not found`);
      return json(200, { ...contactView(contact), lists: await listsOfContact(deps, id) });
    },
    'DELETE /v1/contacts/{contactId}': async (event) => {
      await eraseContact(deps, pathParameter(event, 'contactId'));
      return noContent;
    },
    'GET /v1/contacts/{contactId}/consent': async (event) =>
      json(200, await getContactConsent(deps, pathParameter(event, 'contactId'))),
    'POST /v1/contacts/{contactId}/consent': async (event) => {
      const contactId = pathParameter(event, 'contactId');
      const { event: recorded, state } = await recordContactConsent(
        deps,
        contactId,
        jsonBody(event, API_BODY),
      );
      return json(201, { contactId, event: recorded, state });
    },
    'GET /v1/contacts/{contactId}/export': async (event) => {
      const { contactId, exportedAt, profile, ...held } = await exportContact(
        deps,
        pathParameter(event, 'contactId'),
      );
      return json(200, { contactId, exportedAt, profile: profile ? contactView(profile) : null, ...held });
    },
  };
}
