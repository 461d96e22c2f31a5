import { contactIdProblem, contactInputSchema } from '../domain/contact';
import { ValidationError } from '../domain/errors';
import type { Contact } from '../domain/types';
import { parseWith } from '../domain/validation';
import type { ContactStore } from '../ports';
import { assertContactId, honourTombstones, type TombstoneDeps } from './contact-consent';

/**
 * Stores a contact as the marketer describes it, normalising phone and email. Its id may not
 * be a phone or email (ids outlive erasure). A phone or email of an erased person is stored
 * opted out of every topic on its channel.
 */
export async function upsertContact(
  deps: TombstoneDeps & { contacts: ContactStore },
  contactId: string,
  body: unknown,
): Promise<Contact> {
  assertContactId(contactId);
  const problem = contactIdProblem(contactId);
  if (problem)
    throw new ValidationError(`Invalid contactId: ${problem}`, [{ field: 'contactId', message: problem }]);
  const fields = parseWith(contactInputSchema, body, 'contact');
  await honourTombstones(deps, contactId, fields);
  return deps.contacts.upsert(contactId, fields, deps.now());
}
