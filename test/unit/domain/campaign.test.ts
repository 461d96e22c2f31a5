import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  CAMPAIGN_STATUSES,
  type CampaignStatus,
  campaignInputSchema,
  campaignStats,
  canTransition,
  isComplete,
  MAX_AUDIENCE_IDS,
  sendAtProblem,
  statusesAllowing,
} from '../../../shared/domain/campaign';

const validInput = {
  name: 'Nowruz sale',
  topic: 'promotions',
  channels: ['sms', 'email'],
  audience: { contactIds: ['crm-1', 'crm.2', 'user:3', 'shop:42'] },
  sms: { text: '{{name}} عزیز، تخفیف نوروزی ۳۰٪. لغو۱۱' },
  email: {
    subject: 'Nowruz sale for {{ name }}',
    html: '<p>Hi {{name}} in {{attributes.city}}</p><a href="{{unsubscribe_url}}">Unsubscribe</a>',
    text: 'Hi {{name}}',
  },
  sendAt: '2025-03-15T09:00:00+03:30',
};

function issuesOf(input: unknown): z.core.$ZodIssue[] {
  const result = campaignInputSchema.safeParse(input);
  return result.success ? [] : result.error.issues;
}

describe('campaignInputSchema', () => {
  it('accepts a valid sms and email campaign as given', () => {
    // Prepare: the valid input

    // Act
    const result = campaignInputSchema.safeParse(validInput);

    // Assess
    expect(result.success).toBe(true);
    expect(result.data).toEqual(validInput);
  });

  it.each([
    { label: 'an sms-only campaign', input: { ...validInput, channels: ['sms'], email: undefined } },
    { label: 'an email-only campaign', input: { ...validInput, channels: ['email'], sms: undefined } },
    { label: 'the whole audience', input: { ...validInput, audience: { all: true } } },
    { label: 'no sendAt (send now)', input: { ...validInput, sendAt: undefined } },
    { label: 'a UTC sendAt', input: { ...validInput, sendAt: '2025-03-15T05:30:00Z' } },
    {
      label: 'an email without a text part',
      input: { ...validInput, email: { ...validInput.email, text: undefined } },
    },
    { label: 'channels in the other order', input: { ...validInput, channels: ['email', 'sms'] } },
    {
      label: `exactly ${MAX_AUDIENCE_IDS} contacts`,
      input: {
        ...validInput,
        audience: { contactIds: Array.from({ length: MAX_AUDIENCE_IDS }, (_, i) => `c${i}`) },
      },
    },
    {
      label: 'an sms of 778 characters (900 less the link and «لغو۱۱»)',
      input: { ...validInput, sms: { text: 'x'.repeat(778) } },
    },
  ])('accepts $label', ({ input }) => {
    // Prepare: the input comes from the table

    // Act
    const issues = issuesOf(input);

    // Assess
    expect(issues).toEqual([]);
  });

  it('trims the name', () => {
    // Prepare
    const input = { ...validInput, name: '  Nowruz sale  ' };

    // Act
    const result = campaignInputSchema.safeParse(input);

    // Assess
    expect(result.data?.name).toBe('Nowruz sale');
  });

  it('names each contact of the audience once, however often the list repeats it', () => {
    // Act
    const result = campaignInputSchema.safeParse({
      ...validInput,
      audience: { contactIds: ['crm-1', 'crm-2', 'crm-1', 'crm-3', 'crm-2'] },
    });

    // Assess
    expect(result.data?.audience).toEqual({ contactIds: ['crm-1', 'crm-2', 'crm-3'] });
  });

  describe('rejects, naming the field', () => {
    it.each([
      {
        label: 'a missing sms when channels include sms',
        input: { ...validInput, sms: undefined },
        path: ['sms'],
        message: 'is required when channels include sms',
      },
      {
        label: 'a missing email when channels include email',
        input: { ...validInput, email: undefined },
        path: ['email'],
        message: 'is required when channels include email',
      },
      {
        label: 'an sms given without the sms channel',
        input: { ...validInput, channels: ['email'] },
        path: ['sms'],
        message: 'is given but channels do not include sms',
      },
      {
        label: 'an email given without the email channel',
        input: { ...validInput, channels: ['sms'] },
        path: ['email'],
        message: 'is given but channels do not include email',
      },
      {
        label: 'a repeated channel',
        input: { ...validInput, channels: ['sms', 'email', 'sms'] },
        path: ['channels'],
        message: 'must not repeat a channel',
      },
      {
        label: 'an unknown channel',
        input: { ...validInput, channels: ['sms', 'fax'] },
        path: ['channels', 1],
        message: '',
      },
      {
        label: 'a topic in capitals',
        input: { ...validInput, topic: 'Promotions' },
        path: ['topic'],
        message: 'lower-case slug',
      },
      { label: 'a one-letter topic', input: { ...validInput, topic: 'p' }, path: ['topic'], message: 'slug' },
      {
        label: 'a topic with a space',
        input: { ...validInput, topic: 'spring sale' },
        path: ['topic'],
        message: 'slug',
      },
      {
        label: 'a topic starting with a digit',
        input: { ...validInput, topic: '2025-sale' },
        path: ['topic'],
        message: 'slug',
      },
      {
        label: 'the all-topics star as a topic',
        input: { ...validInput, topic: '*' },
        path: ['topic'],
        message: 'slug',
      },
      {
        label: 'a topic over 40 characters',
        input: { ...validInput, topic: `a${'b'.repeat(40)}` },
        path: ['topic'],
        message: 'slug',
      },
      {
        label: 'empty contactIds',
        input: { ...validInput, audience: { contactIds: [] } },
        path: ['audience', 'contactIds'],
        message: 'must name at least one contact',
      },
      {
        label: 'a contact id with a space',
        input: { ...validInput, audience: { contactIds: ['ok', 'not ok'] } },
        path: ['audience', 'contactIds', 1],
        message: 'must be 1-128 letters',
      },
      {
        label: 'a phone number as a contact id',
        input: { ...validInput, audience: { contactIds: ['ok', '09121234567'] } },
        path: ['audience', 'contactIds', 1],
        message: 'must not contain a phone number',
      },
      {
        label: 'an email address as a contact id',
        input: { ...validInput, audience: { contactIds: ['ali@example.ir'] } },
        path: ['audience', 'contactIds', 0],
        message: 'must not contain an email address',
      },
      {
        label: 'unknown extra keys',
        input: { ...validInput, priority: 'high' },
        path: [],
        message: 'priority',
      },
      {
        label: 'an unknown key inside sms',
        input: { ...validInput, sms: { text: 'hi', sender: '5000' } },
        path: ['sms'],
        message: 'sender',
      },
      {
        label: 'a malformed placeholder in the subject',
        input: { ...validInput, email: { ...validInput.email, subject: 'Hi {{name' } },
        path: ['email', 'subject'],
        message: 'malformed placeholder',
      },
      {
        label: 'a malformed placeholder in the html',
        input: { ...validInput, email: { ...validInput.email, html: '<p>{{ }}</p>' } },
        path: ['email', 'html'],
        message: 'malformed placeholder',
      },
      {
        label: 'a malformed placeholder in the sms',
        input: { ...validInput, sms: { text: 'Hi name}}' } },
        path: ['sms', 'text'],
        message: 'malformed placeholder',
      },
      {
        label: 'an sms that cannot fit in 900 characters with its link and suffix',
        input: { ...validInput, sms: { text: 'x'.repeat(779) } },
        path: ['sms', 'text'],
        message: 'at most 778',
      },
      {
        label: 'an empty subject',
        input: { ...validInput, email: { ...validInput.email, subject: '' } },
        path: ['email', 'subject'],
        message: 'must not be empty',
      },
      {
        label: 'a blank name',
        input: { ...validInput, name: '   ' },
        path: ['name'],
        message: 'must not be empty',
      },
      {
        label: 'a sendAt without a time zone',
        input: { ...validInput, sendAt: '2025-03-15T09:00:00' },
        path: ['sendAt'],
        message: 'time zone',
      },
      {
        label: 'a sendAt in words',
        input: { ...validInput, sendAt: 'tomorrow' },
        path: ['sendAt'],
        message: 'ISO-8601',
      },
      {
        label: 'a sendAt that is only a date',
        input: { ...validInput, sendAt: '2025-03-15' },
        path: ['sendAt'],
        message: 'ISO-8601',
      },
      {
        label: 'a sendAt with month 13',
        input: { ...validInput, sendAt: '2025-13-01T09:00:00Z' },
        path: ['sendAt'],
        message: 'ISO-8601',
      },
      {
        label: 'a numeric sendAt',
        input: { ...validInput, sendAt: 1742016600000 },
        path: ['sendAt'],
        message: '',
      },
    ])('$label', ({ input, path, message }) => {
      // Prepare: the input comes from the table

      // Act
      const issues = issuesOf(input);

      // Assess
      const issue = issues.find((candidate) => JSON.stringify(candidate.path) === JSON.stringify(path));
      expect(issue, JSON.stringify(issues)).toBeDefined();
      expect(issue?.message).toContain(message);
    });

    it(`over ${MAX_AUDIENCE_IDS} contactIds, under audience, with the limit in the nested issue`, () => {
      // Prepare
      const contactIds = Array.from({ length: MAX_AUDIENCE_IDS + 1 }, (_, i) => `c${i}`);

      // Act
      const issues = issuesOf({ ...validInput, audience: { contactIds } });

      // Assess
      expect(issues).toHaveLength(1);
      const [issue] = issues;
      expect(issue?.path).toEqual(['audience']);
      const nested = issue?.code === 'invalid_union' ? issue.errors.flat() : [];
      expect(nested).toContainEqual(
        expect.objectContaining({ path: ['contactIds'], message: expect.stringContaining('at most 1000') }),
      );
    });

    it('an audience that is neither all nor contactIds', () => {
      // Prepare
      const audiences = [{ all: false }, { all: true, contactIds: ['c1'] }, {}, 'all'];

      // Act
      const issues = audiences.map((audience) => issuesOf({ ...validInput, audience }));

      // Assess
      for (const list of issues) expect(list.map((issue) => issue.path)).toContainEqual(['audience']);
    });
  });
});

describe('sendAtProblem', () => {
  const now = new Date('2025-03-01T12:00:00.000Z');
  const at = (offsetMs: number) => new Date(now.getTime() + offsetMs).toISOString();
  const MINUTE = 60_000;
  const DAY = 86_400_000;

  it.each([
    { label: 'now', sendAt: at(0) },
    { label: '4 minutes ago (within the grace)', sendAt: at(-4 * MINUTE) },
    { label: 'exactly 5 minutes ago', sendAt: at(-5 * MINUTE) },
    { label: 'tomorrow', sendAt: at(DAY) },
    { label: 'exactly 366 days ahead', sendAt: at(366 * DAY) },
    { label: 'in Tehran time', sendAt: '2025-03-01T15:30:00+03:30' },
  ])('accepts $label', ({ sendAt }) => {
    // Prepare: the sendAt comes from the table

    // Act
    const problem = sendAtProblem(sendAt, now);

    // Assess
    expect(problem).toBeUndefined();
  });

  it.each([
    { label: '5 minutes and 1 ms ago', sendAt: at(-5 * MINUTE - 1), problem: 'is in the past' },
    { label: 'yesterday', sendAt: at(-DAY), problem: 'is in the past' },
    { label: 'an hour ago in Tehran time', sendAt: '2025-03-01T14:30:00+03:30', problem: 'is in the past' },
    { label: '366 days and 1 ms ahead', sendAt: at(366 * DAY + 1), problem: 'is more than a year ahead' },
    { label: 'two years ahead', sendAt: at(730 * DAY), problem: 'is more than a year ahead' },
    { label: 'not a date', sendAt: 'tomorrow morning', problem: 'is not a valid date-time' },
    { label: 'an empty string', sendAt: '', problem: 'is not a valid date-time' },
  ])('refuses $label', ({ sendAt, problem }) => {
    // Prepare: the sendAt comes from the table

    // Act
    const found = sendAtProblem(sendAt, now);

    // Assess
    expect(found).toBe(problem);
  });
});

describe('campaign status machine', () => {
  /** The rules as written in the design: every pair not listed is a conflict. */
  const ALLOWED: Record<CampaignStatus, CampaignStatus[]> = {
    scheduled: ['sending', 'cancelled'],
    sending: ['sent', 'paused', 'cancelled'],
    paused: ['sending', 'cancelled'],
    sent: [],
    cancelled: [],
  };
  const pairs = CAMPAIGN_STATUSES.flatMap((from) =>
    CAMPAIGN_STATUSES.map((to) => ({ from, to, allowed: ALLOWED[from].includes(to) })),
  );

  it('covers all 25 pairs of the five statuses', () => {
    // Prepare, Act: the table

    // Assess
    expect(CAMPAIGN_STATUSES).toEqual(['scheduled', 'sending', 'paused', 'sent', 'cancelled']);
    expect(pairs).toHaveLength(25);
    expect(pairs.filter((pair) => pair.allowed)).toHaveLength(7);
  });

  it.each(pairs)('canTransition($from, $to) is $allowed', ({ from, to, allowed }) => {
    // Prepare: the pair comes from the table

    // Act
    const can = canTransition(from, to);

    // Assess
    expect(can).toBe(allowed);
  });

  it.each([
    { to: 'scheduled', from: [] },
    { to: 'sending', from: ['scheduled', 'paused'] },
    { to: 'paused', from: ['sending'] },
    { to: 'sent', from: ['sending'] },
    { to: 'cancelled', from: ['scheduled', 'sending', 'paused'] },
  ] as const)('statusesAllowing($to) is $from', ({ to, from }) => {
    // Prepare: the target comes from the table

    // Act
    const allowing = statusesAllowing(to);

    // Assess
    expect(allowing).toEqual(from);
  });

  it('never leaves a status for itself', () => {
    // Prepare, Act
    const selfMoves = CAMPAIGN_STATUSES.filter((status) => canTransition(status, status));

    // Assess
    expect(selfMoves).toEqual([]);
  });
});

describe('campaignStats', () => {
  it('counts as queued whatever has not ended yet', () => {
    // Prepare
    const counters = { total: 100, sent: 60, failed: 5, suppressed: 10, delivered: 40, bounced: 2 };

    // Act
    const stats = campaignStats(counters);

    // Assess: delivery reports and bounces come after a send and do not change what is queued
    expect(stats).toEqual({
      total: 100,
      queued: 25,
      cancelled: 0,
      sent: 60,
      failed: 5,
      suppressed: 10,
      delivered: 40,
      undelivered: 0,
      bounced: 2,
      complained: 0,
    });
  });

  it('has nothing queued once everything has ended', () => {
    // Prepare
    const counters = { total: 3, sent: 1, failed: 1, suppressed: 1 };

    // Act
    const stats = campaignStats(counters);

    // Assess
    expect(stats.queued).toBe(0);
  });

  it('never reports a negative queue when outcomes outnumber the total', () => {
    // Prepare
    const counters = { total: 10, sent: 9, failed: 2, suppressed: 1 };

    // Act
    const stats = campaignStats(counters);

    // Assess
    expect(stats.queued).toBe(0);
    expect(stats.sent).toBe(9);
  });

  it('has nothing queued once cancelled: what had not ended counts as cancelled', () => {
    // Prepare: cancelled with 830 of 1,000 not yet ended
    const counters = { total: 1000, sent: 150, failed: 5, suppressed: 15 };

    // Act
    const stats = campaignStats(counters, 'cancelled');

    // Assess
    expect(stats).toMatchObject({ total: 1000, queued: 0, cancelled: 830, sent: 150 });
    expect(stats.cancelled + stats.sent + stats.failed + stats.suppressed).toBe(stats.total);
  });

  it('moves a message still in flight at the cancel from cancelled to sent', () => {
    // Prepare
    const before = campaignStats({ total: 10, sent: 4 }, 'cancelled');

    // Act
    const after = campaignStats({ total: 10, sent: 5 }, 'cancelled');

    // Assess
    expect([before.cancelled, after.cancelled]).toEqual([6, 5]);
    expect(after.queued).toBe(0);
  });

  it.each(['scheduled', 'sending', 'paused', 'sent'] as const)(
    'counts nothing as cancelled while %s',
    (status) => {
      // Prepare
      const counters = { total: 10, sent: 4 };

      // Act
      const stats = campaignStats(counters, status);

      // Assess
      expect(stats).toMatchObject({ queued: 6, cancelled: 0 });
    },
  );

  it('queues everything before any outcome', () => {
    // Prepare
    const counters = { total: 1500, sent: 0, failed: 0, suppressed: 0 };

    // Act
    const stats = campaignStats(counters);

    // Assess
    expect(stats.queued).toBe(1500);
  });
});

describe('isComplete', () => {
  const done = campaignStats({ total: 10, sent: 8, failed: 1, suppressed: 1 });
  const pending = campaignStats({ total: 10, sent: 8, failed: 1, suppressed: 0 });
  const dispatchedAt = '2025-03-01T12:05:00.000Z';

  it.each([
    { label: 'dispatched and nothing queued', campaign: { dispatchedAt }, stats: done, complete: true },
    {
      label: 'dispatched with one still queued',
      campaign: { dispatchedAt },
      stats: pending,
      complete: false,
    },
    { label: 'not yet dispatched though nothing is queued', campaign: {}, stats: done, complete: false },
    {
      label: 'not yet dispatched and nothing counted',
      campaign: {},
      stats: campaignStats({ total: 0, sent: 0, failed: 0, suppressed: 0 }),
      complete: false,
    },
  ])('is $complete when $label', ({ campaign, stats, complete }) => {
    // Prepare: the campaign and stats come from the table

    // Act
    const result = isComplete(campaign, stats);

    // Assess
    expect(result).toBe(complete);
  });
});
