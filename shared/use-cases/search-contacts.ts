import { CONTACT_ID } from '../domain/campaign';
import { normaliseEmail } from '../domain/email';
import { ValidationError } from '../domain/errors';
import { contactIdProblem } from '../domain/ids';
import type { PageRequest } from '../domain/paging';
import { normaliseIranianMobile } from '../domain/phone';
import type { Contact } from '../domain/types';
import type { ContactSearch, ContactStore } from '../ports';

export interface SearchContactsDeps {
  readonly contacts: ContactStore;
  readonly search: ContactSearch;
}

const MAX_QUERY = 320;

/**
 * A page of contacts, or with `q` the contacts it names: an id, a phone in any written form
 * (normalised as PUT /v1/contacts does) or an exact email. A search answers one page.
 */
export async function searchContacts(
  deps: SearchContactsDeps,
  request: PageRequest & { readonly q?: string },
): Promise<{ items: Contact[]; cursor?: string }> {
  if (request.q === undefined) {
    const page = await deps.contacts.scan({
      limit: request.limit,
      ...(request.cursor ? { cursor: request.cursor } : {}),
    });
    return { items: page.contacts, ...(page.cursor ? { cursor: page.cursor } : {}) };
  }
  const q = request.q.trim();
  if (q.length === 0 || q.length > MAX_QUERY)
    throw new ValidationError(`Invalid query: q must be 1-${MAX_QUERY} characters`, [
      { field: 'q', message: `must be 1-${MAX_QUERY} characters` },
    ]);
  const found = new Map<string, Contact>();
  // An id that reads as a phone or email is never stored: only then is q tried as an id.
  if (CONTACT_ID.test(q) && contactIdProblem(q) === undefined) {
    const contact = await deps.contacts.get(q);
    if (contact) found.set(contact.id, contact);
  }
  const phone = normaliseIranianMobile(q);
  if (phone.ok) for (const contact of await deps.search.byPhone(phone.e164)) found.set(contact.id, contact);
  if (q.includes('@')) {
    const email = normaliseEmail(q);
    if (email.ok)
      for (const contact of await deps.search.byEmail(email.email)) found.set(contact.id, contact);
  }
  return { items: [...found.values()] };
}
