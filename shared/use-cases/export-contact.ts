import type { DeliveryRecord } from '../domain/delivery';
import type { SpoofReport } from '../domain/spoof-report';
import type { TransactionalMessage } from '../domain/transactional-message';
import type { Contact } from '../domain/types';
import type { ConsentStore, ContactStore, MessageStore, PersonalDataStore } from '../ports';
import { type ConsentView, getContactConsent } from './contact-consent';

/** Everything Chapar holds about one contact. */
export interface ContactExport {
  readonly contactId: string;
  readonly exportedAt: string;
  /** Undefined once the contact was erased. */
  readonly profile?: Contact;
  readonly consent: Omit<ConsentView, 'contactId'>;
  /** Messages sent to the contact's phone and email, oldest first. */
  readonly messages: DeliveryRecord[];
  /** Spoofed-SMS reports filed from the contact's phone or email. */
  readonly spoofReports: SpoofReport[];
  /** Transactional messages sent to the contact's phone and email and still kept, oldest first. */
  readonly transactionalMessages: TransactionalMessageExport[];
}

/** A transactional message as an export shows it: what was sent, where, and what became of it. */
export type TransactionalMessageExport = Pick<
  TransactionalMessage,
  'id' | 'channel' | 'address' | 'content' | 'status' | 'createdAt' | 'sentAt' | 'reason'
>;

export interface ExportDeps {
  readonly contacts: ContactStore;
  readonly consent: ConsentStore;
  readonly personalData: PersonalDataStore;
  readonly now: () => Date;
  readonly messages?: Pick<MessageStore, 'sentTo'>;
}

/**
 * Gathers a contact's profile, consent state and history, the messages sent to it and the
 * reports it filed (a data subject's access request).
 * @throws NotFoundError when there is neither a contact nor any consent history.
 */
export async function exportContact(deps: ExportDeps, contactId: string): Promise<ContactExport> {
  const [consent, contact] = await Promise.all([
    getContactConsent(deps, contactId),
    deps.contacts.get(contactId),
  ]);
  const addresses = [contact?.phone, contact?.email].filter((address): address is string => !!address);
  const [messages, spoofReports, transactional] = await Promise.all([
    deps.personalData.deliveriesOf(contactId, addresses),
    contact ? deps.personalData.reportsBy({ phone: contact.phone, email: contact.email }) : [],
    Promise.all(addresses.map(async (address) => (await deps.messages?.sentTo(address)) ?? [])),
  ]);
  const transactionalMessages = transactional
    .flat()
    .map(({ id, channel, address, content, status, createdAt, sentAt, reason }) => ({
      id,
      channel,
      address,
      content,
      status,
      createdAt,
      ...(sentAt ? { sentAt } : {}),
      ...(reason ? { reason } : {}),
    }));
  return {
    contactId,
    exportedAt: deps.now().toISOString(),
    ...(contact ? { profile: contact } : {}),
    consent: { state: consent.state, history: consent.history },
    messages,
    spoofReports,
    transactionalMessages,
  };
}
