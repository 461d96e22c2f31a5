import { describe, expect, it } from 'vitest';
import type { ConsentState } from '../../../shared/domain/consent';
import { NotFoundError, ValidationError } from '../../../shared/domain/errors';
import type { ShortLink } from '../../../shared/domain/short-link';
import { ALL_TOPICS, type Contact } from '../../../shared/domain/types';
import { signUnsubscribeToken, type TokenKeyring } from '../../../shared/domain/unsubscribe-token';
import {
  changeConsent,
  openLink,
  preferencesFrom,
  readChoice,
  type UnsubscribeDeps,
} from '../../../shared/use-cases/unsubscribe';
import { MemoryConsentStore } from '../../support/fakes/consent-store';
import { MemoryContactStore } from '../../support/fakes/contact-store';
import { MemoryLinkStore } from '../../support/fakes/link-store';

const KEYRING: TokenKeyring = { current: 'k1', keys: { k1: { secret: 'a-test-secret' } } };
const NOW = new Date('2025-03-21T08:30:00.000Z');
const CONTACT: Contact = {
  id: 'sara',
  ref: 'ref-0123456789',
  locale: 'fa',
  attributes: {},
  createdAt: NOW.toISOString(),
  updatedAt: NOW.toISOString(),
};
const CLAIMS = { ref: CONTACT.ref, channel: 'email', topic: 'newsletter', campaignId: 'camp1' } as const;

function makeDeps(links: ShortLink[] = []) {
  const consent = new MemoryConsentStore();
  let tick = 0;
  const deps: UnsubscribeDeps = {
    contacts: new MemoryContactStore([CONTACT]),
    consent,
    links: new MemoryLinkStore(links),
    keyring: async () => KEYRING,
    // Each change a millisecond later, as a person's clicks are.
    now: () => new Date(NOW.getTime() + tick++),
  };
  return { deps, consent };
}

describe('readChoice', () => {
  it.each([
    ['List-Unsubscribe=One-Click', { action: 'opt_out', topic: 'newsletter', source: 'one-click' }],
    ['action=opt_out&topic=newsletter&via=link', { action: 'opt_out', topic: 'newsletter', source: 'link' }],
    [
      'action=opt_out&topic=events&via=centre',
      { action: 'opt_out', topic: 'events', source: 'preference-centre' },
    ],
    ['action=resubscribe&topic=*', { action: 'resubscribe', topic: '*', source: 'preference-centre' }],
    ['scope=all', { action: 'opt_out', topic: '*', source: 'link' }],
    ['', { action: 'opt_out', topic: 'newsletter', source: 'link' }],
  ])('reads %j', (body, expected) => {
    // Prepare: the body comes from the table

    // Act
    const choice = readChoice(new URLSearchParams(body), 'newsletter');

    // Assess
    expect(choice).toEqual(expected);
  });

  it.each(['action=delete&topic=events', 'action=opt_out', 'scope=everything'])('refuses %j', (body) => {
    // Prepare, Act
    const choice = readChoice(new URLSearchParams(body), 'newsletter');

    // Assess
    expect(choice).toBeUndefined();
  });
});

describe('preferencesFrom', () => {
  it('lists the default topics, the link topic and every topic with a state, once each', () => {
    // Prepare
    const states: ConsentState[] = [
      { channel: 'email', topic: 'yalda-night', status: 'opted_out', source: 'link', at: NOW.toISOString() },
      { channel: 'email', topic: 'events', status: 'subscribed', source: 'api', at: NOW.toISOString() },
    ];

    // Act
    const preferences = preferencesFrom({ ...CLAIMS, topic: 'autumn-sale' }, states);

    // Assess
    expect(preferences.topics.map((topic) => topic.topic)).toEqual([
      'newsletter',
      'events',
      'promotions',
      'surveys',
      'autumn-sale',
      'yalda-night',
    ]);
    expect(preferences.topics.find((topic) => topic.topic === 'yalda-night')?.receiving).toBe(false);
    expect(preferences.everything.receiving).toBe(true);
  });
});

describe('openLink', () => {
  it('refuses a forged token and a token signed by an unknown key before reading anything', async () => {
    // Prepare
    const { deps } = makeDeps();
    const good = signUnsubscribeToken(CLAIMS, KEYRING);
    const forged = `${good.slice(0, -2)}${good.endsWith('A') ? 'B' : 'A'}${good.slice(-1)}`;
    const otherKey = signUnsubscribeToken(CLAIMS, {
      current: 'k9',
      keys: { k9: { secret: 'another-secret' } },
    });

    // Act, Assess
    await expect(openLink(deps, { token: forged })).rejects.toBeInstanceOf(ValidationError);
    await expect(openLink(deps, { token: otherKey })).rejects.toBeInstanceOf(ValidationError);
    await expect(openLink(deps, { token: good })).resolves.toMatchObject({ contact: { id: 'sara' } });
  });

  it('finds a short link by its code, and refuses an unknown one with a 404', async () => {
    // Prepare
    const { deps } = makeDeps([{ code: 'AbCdEfGh12', ...CLAIMS, channel: 'sms' }]);

    // Act
    const opened = await openLink(deps, { code: 'AbCdEfGh12' });

    // Assess
    expect(opened.claims).toEqual({ ...CLAIMS, channel: 'sms' });
    await expect(openLink(deps, { code: 'ZZZZZZZZZZ' })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('changeConsent', () => {
  it('records an opt-out through a short link with its code as evidence, and no campaign', async () => {
    // Prepare: one link per contact × topic, so it names no campaign
    const { deps, consent } = makeDeps([
      { code: 'AbCdEfGh12', ref: CONTACT.ref, channel: 'sms', topic: 'events' },
    ]);
    const link = await openLink(deps, { code: 'AbCdEfGh12' });

    // Act
    const outcome = await changeConsent(
      deps,
      link,
      { action: 'opt_out', topic: 'events', source: 'link' },
      { userAgent: 'phone' },
    );

    // Assess
    expect(outcome.recorded).toBe(true);
    expect(consent.events).toHaveLength(1);
    expect(consent.events[0]).toMatchObject({
      contactId: 'sara',
      action: 'opt_out',
      channel: 'sms',
      topic: 'events',
      source: 'link',
      evidence: { userAgent: 'phone', linkCode: 'AbCdEfGh12' },
    });
    expect(consent.events[0]).not.toHaveProperty('campaignId');
  });

  it('records an opt-out with its source, campaign and evidence, and answers with the new state', async () => {
    // Prepare
    const { deps, consent } = makeDeps();
    const link = await openLink(deps, { token: signUnsubscribeToken(CLAIMS, KEYRING) });

    // Act
    const outcome = await changeConsent(
      deps,
      link,
      { action: 'opt_out', topic: 'events', source: 'preference-centre' },
      { userAgent: 'x'.repeat(400), sourceIp: '203.0.113.77' },
    );

    // Assess
    expect(outcome.recorded).toBe(true);
    expect(outcome.preferences.topics.find((topic) => topic.topic === 'events')?.receiving).toBe(false);
    expect(consent.events).toEqual([
      expect.objectContaining({
        contactId: 'sara',
        action: 'opt_out',
        channel: 'email',
        topic: 'events',
        source: 'preference-centre',
        campaignId: 'camp1',
        evidence: { userAgent: 'x'.repeat(256), ipPrefix: '203.0.113.0/24' },
      }),
    ]);
  });

  it('lets a topic restarted after leaving everything through, and everything restart all', async () => {
    // Prepare
    const { deps } = makeDeps();
    const link = await openLink(deps, { token: signUnsubscribeToken(CLAIMS, KEYRING) });
    const change = (action: 'opt_out' | 'resubscribe', topic: string) =>
      changeConsent(deps, link, { action, topic, source: 'preference-centre' }, {});

    // Act
    await change('opt_out', 'events');
    await change('opt_out', ALL_TOPICS);
    const afterTopic = await change('resubscribe', 'newsletter');
    const afterAll = await change('resubscribe', ALL_TOPICS);

    // Assess
    const receiving = (outcome: typeof afterAll) =>
      outcome.preferences.topics.filter((topic) => topic.receiving).map((topic) => topic.topic);
    expect(receiving(afterTopic)).toEqual(['newsletter']);
    expect(afterTopic.preferences.everything.receiving).toBe(false);
    expect(receiving(afterAll)).toEqual(['newsletter', 'events', 'promotions', 'surveys']);
  });

  it('writes nothing for a topic it does not offer, or for an unreadable form', async () => {
    // Prepare
    const { deps, consent } = makeDeps();
    const link = await openLink(deps, { token: signUnsubscribeToken(CLAIMS, KEYRING) });

    // Act
    const unknown = await changeConsent(
      deps,
      link,
      { action: 'opt_out', topic: 'not-a-topic', source: 'preference-centre' },
      {},
    );
    const unreadable = await changeConsent(deps, link, undefined, {});

    // Assess
    expect(unknown.recorded).toBe(false);
    expect(unreadable.recorded).toBe(false);
    expect(consent.events).toEqual([]);
  });
});
