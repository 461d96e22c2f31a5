import { describe, expect, it } from 'vitest';
import { type ConsentState, ipPrefix, isSuppressed, statusAfter } from '../../../shared/domain/consent';
import { ALL_TOPICS } from '../../../shared/domain/types';

const T1 = '2025-03-01T10:00:00.000Z';
const T2 = '2025-03-02T10:00:00.000Z';

function state(topic: string, status: ConsentState['status'], at: string): ConsentState {
  return { channel: 'email', topic, status, source: 'link', at };
}

describe('statusAfter', () => {
  it.each([
    { action: 'opt_out', status: 'opted_out' },
    { action: 'opt_in', status: 'subscribed' },
    { action: 'resubscribe', status: 'subscribed' },
  ] as const)('$action leaves the contact $status', ({ action, status }) => {
    // Prepare: the action comes from the table

    // Act
    const after = statusAfter(action);

    // Assess
    expect(after).toBe(status);
  });
});

describe('isSuppressed', () => {
  it('lets marketing through when there is no state at all', () => {
    // Prepare
    const states: ConsentState[] = [];

    // Act
    const suppressed = isSuppressed(states, 'newsletter');

    // Assess
    expect(suppressed).toBe(false);
  });

  it('suppresses the topic a contact opted out of, and only that topic', () => {
    // Prepare
    const states = [state('promotions', 'opted_out', T1)];

    // Act
    const promotions = isSuppressed(states, 'promotions');
    const newsletter = isSuppressed(states, 'newsletter');

    // Assess
    expect(promotions).toBe(true);
    expect(newsletter).toBe(false);
  });

  it('suppresses every topic after an all-topics opt-out', () => {
    // Prepare
    const states = [state(ALL_TOPICS, 'opted_out', T1)];

    // Act
    const results = ['newsletter', 'promotions', 'events', 'surveys', 'any-new-topic'].map((topic) =>
      isSuppressed(states, topic),
    );

    // Assess
    expect(results).toEqual([true, true, true, true, true]);
  });

  it('lets a topic through that was resubscribed after an all-topics opt-out, and keeps the rest out', () => {
    // Prepare
    const states = [state(ALL_TOPICS, 'opted_out', T1), state('newsletter', 'subscribed', T2)];

    // Act
    const newsletter = isSuppressed(states, 'newsletter');
    const promotions = isSuppressed(states, 'promotions');

    // Assess
    expect(newsletter).toBe(false);
    expect(promotions).toBe(true);
  });

  it('suppresses a topic that was resubscribed before a later all-topics opt-out', () => {
    // Prepare
    const states = [state('newsletter', 'subscribed', T1), state(ALL_TOPICS, 'opted_out', T2)];

    // Act
    const suppressed = isSuppressed(states, 'newsletter');

    // Assess
    expect(suppressed).toBe(true);
  });

  it('lets a topic through when an all-topics resubscribe came after its opt-out', () => {
    // Prepare
    const states = [state('promotions', 'opted_out', T1), state(ALL_TOPICS, 'subscribed', T2)];

    // Act
    const suppressed = isSuppressed(states, 'promotions');

    // Assess
    expect(suppressed).toBe(false);
  });

  it('keeps a topic out when its opt-out came after an all-topics resubscribe', () => {
    // Prepare
    const states = [state(ALL_TOPICS, 'subscribed', T1), state('promotions', 'opted_out', T2)];

    // Act
    const suppressed = isSuppressed(states, 'promotions');

    // Assess
    expect(suppressed).toBe(true);
  });

  it('decides by time, not by the order the states are listed in', () => {
    // Prepare
    const allOutThenTopicIn = [state(ALL_TOPICS, 'opted_out', T1), state('newsletter', 'subscribed', T2)];
    const topicInThenAllOut = [state('newsletter', 'subscribed', T1), state(ALL_TOPICS, 'opted_out', T2)];

    // Act
    const results = [
      isSuppressed(allOutThenTopicIn, 'newsletter'),
      isSuppressed([...allOutThenTopicIn].reverse(), 'newsletter'),
      isSuppressed(topicInThenAllOut, 'newsletter'),
      isSuppressed([...topicInThenAllOut].reverse(), 'newsletter'),
    ];

    // Assess
    expect(results).toEqual([false, false, true, true]);
  });

  it('lets a subscribed topic through', () => {
    // Prepare
    const states = [state('newsletter', 'subscribed', T1)];

    // Act
    const suppressed = isSuppressed(states, 'newsletter');

    // Assess
    expect(suppressed).toBe(false);
  });
});

describe('ipPrefix', () => {
  it.each([
    { ip: '203.0.113.7', prefix: '203.0.113.0/24' },
    { ip: '10.0.0.255', prefix: '10.0.0.0/24' },
    { ip: '255.255.255.255', prefix: '255.255.255.0/24' },
    { ip: '0.0.0.0', prefix: '0.0.0.0/24' },
  ])('keeps the /24 of IPv4 $ip', ({ ip, prefix }) => {
    // Prepare: the address comes from the table

    // Act
    const kept = ipPrefix(ip);

    // Assess
    expect(kept).toBe(prefix);
  });

  it.each([
    { ip: '2001:db8:abcd:12:1:2:3:4', prefix: '2001:db8:abcd::/48' },
    { ip: '2a01:5ec0:1000:4d2::1', prefix: '2a01:5ec0:1000::/48' },
    { ip: '2001:db8::1', prefix: '2001:db8:0::/48' },
    { ip: '2606:4700::6810:84e5', prefix: '2606:4700:0::/48' },
    { ip: 'fe80::1', prefix: 'fe80:0:0::/48' },
    { ip: '::1', prefix: '0:0:0::/48' },
    { ip: '::', prefix: '0:0:0::/48' },
    { ip: '2001:DB8:ABCD::', prefix: '2001:DB8:ABCD::/48' },
  ])('keeps the /48 of IPv6 $ip', ({ ip, prefix }) => {
    // Prepare: the address comes from the table

    // Act
    const kept = ipPrefix(ip);

    // Assess
    expect(kept).toBe(prefix);
  });

  it.each([
    { ip: '::ffff:203.0.113.7', prefix: '203.0.113.0/24' },
    { ip: '::FFFF:198.51.100.23', prefix: '198.51.100.0/24' },
  ])('keeps the IPv4 /24 of the IPv4-mapped address $ip', ({ ip, prefix }) => {
    // Prepare: the address comes from the table

    // Act
    const kept = ipPrefix(ip);

    // Assess
    expect(kept).toBe(prefix);
  });

  it.each(['203.0.113.7', '::ffff:203.0.113.7', '2001:db8:abcd:12:1:2:3:4', '2606:4700::6810:84e5'])(
    'never keeps the host part of %s',
    (ip) => {
      // Prepare: the address comes from the table

      // Act
      const kept = ipPrefix(ip) ?? '';

      // Assess
      expect(kept).not.toBe('');
      expect(kept).not.toContain(ip);
      expect(kept).not.toMatch(/\.7\b|6810|84e5|:1:2:3:4/);
    },
  );

  it.each([
    undefined,
    '',
    'not-an-ip',
    'localhost',
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '999.999.999.999',
    '1.2.3.04x',
    ' 203.0.113.7',
    'hello:world',
    ':',
    '1::2::3',
    '2001:db8:1:2:3:4:5:6:7',
    '2001:db8:1:2:3:4:5',
    '12345::1',
    'fe80::1%eth0',
    '203.0.113.7:443',
  ])('gives nothing for %j', (ip) => {
    // Prepare: the value comes from the table

    // Act
    const kept = ipPrefix(ip);

    // Assess
    expect(kept).toBeUndefined();
  });
});
