import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ConsentEvent } from '../../../shared/domain/consent';
import { newId } from '../../../shared/domain/ids';
import type { ConsentStore } from '../../../shared/ports';
import { type TestEmulators, useEmulators } from '../../support/emulators';

let emulators: TestEmulators;
let consent: ConsentStore;

beforeAll(async () => {
  emulators = await useEmulators();
  const { names } = emulators;
  const factory = await import('../../../shared/adapters/factory');
  consent = factory.consentStore(names.tables.consent);
});

function event(contactId: string, topic: string, action: ConsentEvent['action']): ConsentEvent {
  return {
    id: newId(),
    contactId,
    action,
    channel: 'sms',
    topic,
    source: 'api',
    at: new Date().toISOString(),
    evidence: {},
  };
}

describe('ConsentStore.statesForMany', () => {
  it("reads, for every contact, only the states that decide the topic: the topic's own and the all-topics switch", async () => {
    // Prepare: 150 contacts (two BatchGetItem calls' worth of keys), a few with states
    const run = randomUUID().slice(0, 8);
    const ids = Array.from({ length: 150 }, (_, i) => `many-${run}-${i}`);
    const [first = '', second = '', third = ''] = ids;
    await consent.record(event(first, 'promotions', 'opt_out'));
    await consent.record(event(first, 'newsletter', 'opt_out'));
    await consent.record(event(second, '*', 'opt_out'));
    await consent.record(event(third, 'newsletter', 'opt_out'));
    await consent.record(event(third, 'promotions', 'resubscribe'));

    // Act
    const states = await consent.statesForMany(ids, 'sms', 'promotions');

    // Assess
    expect(states.size).toBe(150);
    const summary = (id: string) => (states.get(id) ?? []).map((state) => [state.topic, state.status]).sort();
    expect(summary(first)).toEqual([['promotions', 'opted_out']]);
    expect(summary(second)).toEqual([['*', 'opted_out']]);
    expect(summary(third)).toEqual([['promotions', 'subscribed']]);
    expect(ids.slice(3).every((id) => states.get(id)?.length === 0)).toBe(true);
  });
});
