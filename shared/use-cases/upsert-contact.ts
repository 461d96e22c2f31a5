import { CONTACT_ID } from '../domain/campaign';
import { contactInputSchema } from '../domain/contact';
import { ValidationError } from '../domain/errors';
import type { Contact } from '../domain/types';
import { parseWith } from '../domain/validation';
import type { ContactStore } from '../ports';

/** Stores a contact as the marketer describes it, normalising phone and email. */
export async function upsertContact(
  deps: { contacts: ContactStore; now: () => Date },
  contactId: string,
  body: unknown,
): Promise<Contact> {
  if (!CONTACT_ID.test(contactId)) {
    throw new ValidationError('Invalid contactId: use 1-128 letters, digits or . _ : @ + -', [
      { field: 'contactId', message: 'must be 1-128 letters, digits or . _ : @ + -' },
    ]);
  }
  const fields = parseWith(contactInputSchema, body, 'contact');
  return deps.contacts.upsert(contactId, fields, deps.now());
}
