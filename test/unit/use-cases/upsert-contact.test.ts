import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../shared/domain/errors';
import { tombstoneHashes } from '../../../shared/use-cases/contact-consent';
import { upsertContact } from '../../../shared/use-cases/upsert-contact';
import { MemoryConsentStore } from '../../support/fakes/consent-store';
import { MemoryContactStore } from '../../support/fakes/contact-store';
import { MemorySuppressionStore } from '../../support/fakes/suppression-store';

const NOW = new Date('2025-06-01T10:00:00.000Z');
const ERASURE_KEY = 'test-erasure-key';

function world() {
  const contacts = new MemoryContactStore();
  const consent = new MemoryConsentStore();
  const suppressions = new MemorySuppressionStore();
  const deps = { contacts, consent, suppressions, erasureKey: async () => ERASURE_KEY, now: () => NOW };
  return { contacts, consent, suppressions, deps };
}

describe('upsertContact', () => {
  it('stores the phone as E.164 and the email lower-cased, with the default locale', async () => {
    // Prepare
    const { contacts, consent, deps } = world();

    // Act
    const contact = await upsertContact(deps, 'c1', {
      phone: '۰۹۱۲ ۳۴۵ ۶۷۸۹',
      email: 'Sara@Example.com',
      name: 'سارا',
    });

    // Assess
    expect(contact).toMatchObject({
      id: 'c1',
      phone: '+989123456789',
      email: 'sara@example.com',
      locale: 'fa',
      name: 'سارا',
    });
    expect(await contacts.get('c1')).toEqual(contact);
    expect(consent.events).toEqual([]);
  });

  it('keeps the ref of a contact written again', async () => {
    // Prepare
    const { deps } = world();
    const first = await upsertContact(deps, 'c1', { email: 'sara@example.com' });

    // Act
    const second = await upsertContact(deps, 'c1', { email: 'new@example.com', locale: 'en' });

    // Assess
    expect(second.ref).toBe(first.ref);
    expect(second).toMatchObject({ email: 'new@example.com', locale: 'en' });
  });

  it.each([
    ['a phone number as the id', '09123456789', {}, 'contactId'],
    ['an email address as the id', 'sara@example.com', {}, 'contactId'],
    ['an id with a space', 'c 1', {}, 'contactId'],
    ['a phone that is not an Iranian mobile', 'c1', { phone: '12345' }, 'phone'],
    ['an unknown locale', 'c1', { locale: 'de' }, 'locale'],
  ])(
    'refuses %s with a ValidationError naming the field and stores nothing',
    async (_what, id, body, field) => {
      // Prepare
      const { contacts, deps } = world();

      // Act
      const writing = upsertContact(deps, id, body);

      // Assess
      const error = await writing.catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues.map((issue) => issue.field)).toContain(field);
      expect(await contacts.get(id)).toBeUndefined();
    },
  );

  it('stores an erased person’s phone opted out of every SMS topic, once', async () => {
    // Prepare
    const { consent, suppressions, deps } = world();
    const hashes = tombstoneHashes(ERASURE_KEY, { phone: '+989123456789' });
    await suppressions.add(Object.values(hashes), NOW);

    // Act
    await upsertContact(deps, 'c2', { phone: '09123456789', email: 'fresh@example.com' });
    await upsertContact(deps, 'c2', { phone: '09123456789', email: 'fresh@example.com' });

    // Assess
    expect(consent.events).toEqual([
      expect.objectContaining({
        contactId: 'c2',
        action: 'opt_out',
        channel: 'sms',
        topic: '*',
        source: 'erasure',
      }),
    ]);
  });
});
