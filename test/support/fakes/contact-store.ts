import { newRef } from '../../../shared/domain/ids';
import type { Contact, ContactFields } from '../../../shared/domain/types';
import type { ContactStore } from '../../../shared/ports';

/**
 * ContactStore in memory, like shared/adapters/dynamodb/contact-store.ts: an upsert keeps the
 * ref and createdAt and drops optional fields it was not given; scan pages in insertion order.
 */
export class MemoryContactStore implements ContactStore {
  private readonly contacts = new Map<string, Contact>();

  /** @param seed contacts stored as they are. */
  constructor(seed: readonly Contact[] = []) {
    for (const contact of seed) this.contacts.set(contact.id, contact);
  }

  async upsert(id: string, fields: ContactFields, now: Date): Promise<Contact> {
    const previous = this.contacts.get(id);
    const contact: Contact = {
      id,
      ref: previous?.ref ?? newRef(),
      locale: fields.locale,
      attributes: fields.attributes,
      ...(fields.phone === undefined ? {} : { phone: fields.phone }),
      ...(fields.email === undefined ? {} : { email: fields.email }),
      ...(fields.name === undefined ? {} : { name: fields.name }),
      createdAt: previous?.createdAt ?? now.toISOString(),
      updatedAt: now.toISOString(),
    };
    this.contacts.set(id, contact);
    return contact;
  }

  async get(id: string): Promise<Contact | undefined> {
    return this.contacts.get(id);
  }

  async getMany(ids: readonly string[]): Promise<Contact[]> {
    return [...new Set(ids)].flatMap((id) => this.contacts.get(id) ?? []);
  }

  async getByRef(ref: string): Promise<Contact | undefined> {
    return [...this.contacts.values()].find((contact) => contact.ref === ref);
  }

  async scan(page: { cursor?: string; limit: number }): Promise<{ contacts: Contact[]; cursor?: string }> {
    const all = [...this.contacts.values()];
    const start = page.cursor ? Number(page.cursor) : 0;
    const end = start + page.limit;
    return { contacts: all.slice(start, end), ...(end < all.length ? { cursor: String(end) } : {}) };
  }

  /** Segment k holds the contacts at positions k, k + of, k + 2·of … in insertion order. */
  async scanSegment(
    segment: { readonly index: number; readonly of: number },
    page: { cursor?: string; limit: number },
  ): Promise<{ contacts: Contact[]; cursor?: string }> {
    const part = [...this.contacts.values()].filter((_, position) => position % segment.of === segment.index);
    const start = page.cursor ? Number(page.cursor) : 0;
    const end = start + page.limit;
    return { contacts: part.slice(start, end), ...(end < part.length ? { cursor: String(end) } : {}) };
  }

  /** Removes a contact, as an erasure's deleteContact does. */
  delete(id: string): void {
    this.contacts.delete(id);
  }
}
