import { NotFoundError } from '../../../shared/domain/errors';
import type { Contact } from '../../../shared/domain/types';
import { json, jsonBody, pathParameter } from '../../../shared/http/respond';
import type { ContactStore } from '../../../shared/ports';
import { upsertContact } from '../../../shared/use-cases/upsert-contact';
import type { Routes } from './types';

export interface ContactRouteDeps {
  readonly contacts: ContactStore;
  readonly now: () => Date;
}

/** The contact as the API shows it: the token ref stays internal. */
export function contactView({ ref: _ref, ...contact }: Contact) {
  return contact;
}

/** Marketer routes about contacts. */
export function contactRoutes(deps: ContactRouteDeps): Routes {
  return {
    'PUT /v1/contacts/{contactId}': async (event) =>
      json(200, contactView(await upsertContact(deps, pathParameter(event, 'contactId'), jsonBody(event)))),
    'GET /v1/contacts/{contactId}': async (event) => {
      const id = pathParameter(event, 'contactId');
      const contact = await deps.contacts.get(id);
      if (!contact) throw new NotFoundError(`Contact ${id} not found`);
      return json(200, contactView(contact));
    },
  };
}
