import { CHANNELS } from '../domain/types';
import type { ContactStore, ListStore, MessageStore, PersonalDataStore } from '../ports';
import { assertContactId, recordErasureOptOut, type TombstoneDeps, tombstoneHashes } from './contact-consent';

export interface ErasureDeps extends TombstoneDeps {
  readonly contacts: ContactStore;
  readonly personalData: PersonalDataStore;
  /** The lists the contact is on: it leaves every one of them (counts included). */
  readonly lists: Pick<ListStore, 'removeEverywhere'>;
  /** Transactional messages sent to its addresses lose address and content. */
  readonly messages?: Pick<MessageStore, 'scrubAddress'>;
}

/**
 * Erases a contact's personal data everywhere Chapar keeps it: phone, email and texts in its
 * deliveries (statuses and counts stay, so campaign stats stay true) and in the spoof reports
 * it filed, the evidence of its consent events (the events stay, with an `erasure` opt-out
 * from every topic on each channel), its memberships of lists, and the contact itself. Only keyed hashes of its phone
 * and email remain, as do-not-contact tombstones.
 *
 * The tombstones are written first and the contact deleted last, so a retry after a failure
 * part-way finds the contact and finishes the job. Erasing an unknown contact does nothing.
 * @returns whether there was a contact to erase.
 */
export async function eraseContact(deps: ErasureDeps, contactId: string): Promise<{ erased: boolean }> {
  assertContactId(contactId);
  const contact = await deps.contacts.get(contactId);
  if (!contact) return { erased: false };
  const now = deps.now();
  const hashes = tombstoneHashes(await deps.erasureKey(), contact);
  await deps.suppressions.add(Object.values(hashes), now);

  const addresses = [contact.phone, contact.email].filter((address): address is string => !!address);
  await Promise.all([
    deps.personalData.scrubDeliveries(contactId, addresses, now),
    deps.personalData.scrubReports({ phone: contact.phone, email: contact.email }, now),
    ...addresses.map((address) => deps.messages?.scrubAddress(address, now)),
  ]);
  for (const channel of CHANNELS) await recordErasureOptOut(deps.consent, contactId, channel, now);
  await deps.personalData.scrubConsentEvidence(contactId);
  await deps.lists.removeEverywhere(contactId);
  await deps.personalData.deleteContact(contactId);
  return { erased: true };
}
