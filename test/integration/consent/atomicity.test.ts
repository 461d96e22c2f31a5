import { beforeAll, describe, expect, it } from 'vitest';
import type { ConsentEvent } from '../../../shared/domain/consent';
import { newId } from '../../../shared/domain/ids';
import type { ConsentStore } from '../../../shared/ports';
import { useEmulators } from '../../support/emulators';

let consent: ConsentStore;

beforeAll(async () => {
  const { names } = await useEmulators();
  const factory = await import('../../../shared/adapters/factory');
  consent = factory.consentStore(names.tables.consent);
});

describe('consent state and ledger', () => {
  it('are written together: when the ledger write fails, the state does not change either', async () => {
    // Prepare
    const at = new Date().toISOString();
    const first: ConsentEvent = {
      id: newId(),
      contactId: 'atomic',
      action: 'opt_out',
      channel: 'sms',
      topic: '*',
      source: 'link',
      at,
      campaignId: 'c-1',
      evidence: { userAgent: 'Mozilla/5.0', ipPrefix: '203.0.113.0/24' },
    };
    await consent.record(first);
    // Same id and time: the ledger item exists, so its conditional put fails.
    const duplicate: ConsentEvent = {
      ...first,
      action: 'opt_in',
      source: 'api',
      evidence: { userAgent: 'forged' },
    };
    const otherChannel: ConsentEvent = { ...duplicate, channel: 'email', topic: 'newsletter' };
    // Act: both writes race; allSettled observes each rejection as it happens
    const [overwrite, newState] = await Promise.allSettled([
      consent.record(duplicate),
      consent.record(otherChannel),
    ]);
    // Assess
    expect(overwrite).toMatchObject({ status: 'rejected', reason: { name: 'TransactionCanceledException' } });
    expect(newState).toMatchObject({ status: 'rejected', reason: { name: 'TransactionCanceledException' } });
    expect(await consent.states('atomic', 'sms')).toEqual([
      { channel: 'sms', topic: '*', status: 'opted_out', source: 'link', at, campaignId: 'c-1' },
    ]);
    expect(await consent.states('atomic', 'email')).toEqual([]);
    expect(await consent.history('atomic')).toEqual([first]);
  });

  it('write at most once per cause: a second write with the same once-key changes nothing', async () => {
    // Prepare
    const event = (at: string): ConsentEvent => ({
      id: newId(),
      contactId: 'once',
      action: 'opt_out',
      channel: 'email',
      topic: '*',
      source: 'ses_complaint',
      at,
      campaignId: 'c-2',
      evidence: {},
    });
    const first = event(new Date(Date.now() - 1000).toISOString());
    const retry = event(new Date().toISOString());

    // Act
    const results = [
      await consent.record(first, { once: 'ses#complaint#c-2' }),
      await consent.record(retry, { once: 'ses#complaint#c-2' }),
      await consent.record(event(new Date().toISOString()), { once: 'ses#complaint#c-3' }),
    ];

    // Assess
    expect(results).toEqual(['recorded', 'duplicate', 'recorded']);
    const history = await consent.history('once');
    expect(history).toHaveLength(2);
    expect(history[0]).toEqual(first);
  });
});
