import { describe, expect, it } from 'vitest';
import { statsKey, statsKeys } from '../../../../shared/adapters/dynamodb/counters';
import {
  attemptRecordKey,
  deliveryItemKey,
  parseDeliveryItemKey,
} from '../../../../shared/adapters/dynamodb/delivery-keys';
import { STATS_SHARDS } from '../../../../shared/definitions';

describe('delivery keys', () => {
  it("puts a delivery in its contact's partition and reads the same delivery back", () => {
    // Prepare
    const key = { campaignId: '01JCAMPAIGN', contactId: 'shop:42@x+y.z-1', channel: 'email' as const };

    // Act
    const item = deliveryItemKey(key);

    // Assess
    expect(item).toEqual({ pk: 'shop:42@x+y.z-1', sk: '01JCAMPAIGN#email' });
    expect(parseDeliveryItemKey(item)).toEqual(key);
  });

  it('keeps attempt records out of every contact partition (contact ids hold no #)', () => {
    expect(attemptRecordKey('run-1', 7)).toEqual({ pk: 'attempt#run-1', sk: '000007' });
  });
});

describe('stats keys', () => {
  it("spreads a campaign's counters over distinct partition keys, one per shard", () => {
    // Act
    const keys = statsKeys('01JCAMPAIGN');

    // Assess
    expect(new Set(keys.map((key) => key.pk)).size).toBe(STATS_SHARDS);
    expect(keys.every((key) => key.pk !== '01JCAMPAIGN')).toBe(true);
    expect(keys).toContainEqual(statsKey('01JCAMPAIGN', 'some message id'));
  });
});
