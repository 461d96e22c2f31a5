import { describe, expect, it } from 'vitest';
import {
  audienceSummary,
  campaignWaiting,
  MAX_CAMPAIGN_PAGE_LIMIT,
  parseCampaignListQuery,
} from '../../../shared/domain/campaign-view';
import { ValidationError } from '../../../shared/domain/errors';
import { describeQuietHours, parseQuietHours } from '../../../shared/domain/quiet-hours';

const QUIET = parseQuietHours('22:00-08:00');
// 23:30 Tehran time (20:00 UTC): inside the window, which ends at 04:30 UTC.
const NIGHT = new Date('2026-12-02T20:00:00.000Z');
const DAY = new Date('2026-12-02T09:00:00.000Z');

describe('audienceSummary', () => {
  it.each([
    [{ all: true as const }, { kind: 'all' }],
    [{ contactIds: ['c1', 'c2', 'c3'] }, { kind: 'contacts', contacts: 3 }],
    [
      { listIds: ['01JDV0000000000000000000A1'], exclude: { listIds: ['01JDV0000000000000000000B1'] } },
      {
        kind: 'lists',
        listIds: ['01JDV0000000000000000000A1'],
        excludeListIds: ['01JDV0000000000000000000B1'],
      },
    ],
    [
      { segmentId: '01JDV0000000000000000000S1' },
      { kind: 'segment', segmentId: '01JDV0000000000000000000S1' },
    ],
  ])('summarises %j without naming a contact', (audience, summary) => {
    expect(audienceSummary(audience)).toEqual(summary);
  });
});

describe('campaignWaiting', () => {
  const sending = { status: 'sending' as const, channels: ['sms', 'email'] as const };

  it('says a sending campaign with SMS still queued waits for quiet hours, until the window ends', () => {
    expect(campaignWaiting(sending, { queued: 5 }, QUIET, NIGHT)).toEqual({
      reason: 'quiet_hours',
      until: '2026-12-03T04:30:00.000Z',
    });
  });

  it.each([
    ['by day', sending, { queued: 5 }, DAY],
    ['with nothing queued', sending, { queued: 0 }, NIGHT],
    ['for email only', { status: 'sending' as const, channels: ['email'] as const }, { queued: 5 }, NIGHT],
    ['when scheduled', { status: 'scheduled' as const, channels: ['sms'] as const }, { queued: 0 }, NIGHT],
  ])('says nothing %s', (_what, campaign, stats, now) => {
    expect(campaignWaiting(campaign, stats, QUIET, now)).toBeUndefined();
  });

  it('says nothing when quiet hours are off', () => {
    expect(campaignWaiting(sending, { queued: 5 }, parseQuietHours(''), NIGHT)).toBeUndefined();
  });
});

describe('parseCampaignListQuery', () => {
  it('reads status, cursor and limit, with a default limit', () => {
    expect(parseCampaignListQuery({ status: 'paused', cursor: 'abc', limit: '5' })).toEqual({
      status: 'paused',
      cursor: 'abc',
      limit: 5,
    });
    expect(parseCampaignListQuery(undefined)).toEqual({ limit: 20 });
  });

  it.each([
    [{ status: 'draft' }, 'status'],
    [{ limit: '0' }, 'limit'],
    [{ limit: String(MAX_CAMPAIGN_PAGE_LIMIT + 1) }, 'limit'],
    [{ limit: 'ten' }, 'limit'],
    [{ colour: 'red' }, '(body)'],
  ])('refuses %j naming the parameter', (query, field) => {
    try {
      parseCampaignListQuery(query);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues.map((issue) => issue.field)).toContain(field);
    }
  });
  it('says what is wrong with a cursor or a limit, as every listing does', () => {
    const messages = (query: Record<string, string>) => {
      try {
        parseCampaignListQuery(query);
        return expect.unreachable();
      } catch (error) {
        return (error as ValidationError).issues.map((issue) => `${issue.field}: ${issue.message}`);
      }
    };
    expect(messages({ cursor: 'x'.repeat(2049) })).toEqual(['cursor: must be at most 2048 characters']);
    expect(messages({ cursor: '' })).toEqual(['cursor: must not be empty']);
    expect(messages({ limit: '1000' })).toEqual([
      `limit: must be a whole number from 1 to ${MAX_CAMPAIGN_PAGE_LIMIT}`,
    ]);
  });
});

describe('describeQuietHours', () => {
  it('prints the window, whether it is in force now and how to turn it off', () => {
    expect(describeQuietHours(QUIET, NIGHT)).toBe(
      'Quiet hours: 22:00-08:00 Tehran time, in force now: marketing SMS wait until ' +
        '2026-12-03T04:30:00.000Z. Turn them off locally with CHAPAR_QUIET_HOURS= npm start',
    );
    expect(describeQuietHours(QUIET, DAY)).toContain('not in force now');
    expect(describeQuietHours(parseQuietHours(''), DAY)).toContain('off');
  });
});
