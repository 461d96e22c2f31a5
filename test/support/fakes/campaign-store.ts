import {
  type Campaign,
  type CampaignStats,
  type CampaignStatus,
  type Counter,
  campaignStats,
} from '../../../shared/domain/campaign';
import { ConflictError } from '../../../shared/domain/errors';
import type { Channel } from '../../../shared/domain/types';
import type { CampaignStore, SendingCampaigns } from '../../../shared/ports';

interface StoredCampaign {
  campaign: Campaign;
  total: number;
  segments: number;
  /** Set while the campaign is in the `due` index (scheduled, or dispatching under a lease). */
  dueAt?: string;
  counters: Partial<Record<Counter, number>>;
}

/**
 * CampaignStore in memory, with the conditions of shared/adapters/dynamodb/campaign-store.ts:
 * a transition only from an allowed status, a dispatch page saved once per cursor, the due
 * index kept by sendAt and the dispatch lease, and counters beside the campaign.
 */
export class MemoryCampaignStore implements CampaignStore, SendingCampaigns {
  private readonly items = new Map<string, StoredCampaign>();

  async create(campaign: Campaign): Promise<void> {
    if (this.items.has(campaign.id)) throw new ConflictError(`Campaign ${campaign.id} already exists`);
    this.items.set(campaign.id, {
      campaign: { ...campaign },
      total: 0,
      segments: 0,
      ...(campaign.status === 'scheduled' ? { dueAt: campaign.sendAt } : {}),
      counters: {},
    });
  }

  async get(id: string): Promise<Campaign | undefined> {
    const item = this.items.get(id);
    return item ? { ...item.campaign } : undefined;
  }

  async getWithStats(id: string): Promise<{ campaign: Campaign; stats: CampaignStats } | undefined> {
    const item = this.items.get(id);
    if (!item) return undefined;
    return {
      campaign: { ...item.campaign },
      stats: campaignStats({ total: item.total, segments: item.segments, ...item.counters }),
    };
  }

  async transition(
    id: string,
    to: CampaignStatus,
    from: readonly CampaignStatus[],
    now: Date,
    extra: { pausedReason?: string; leaseUntil?: Date; newRound?: boolean; resumeAfter?: Date } = {},
  ): Promise<Campaign | undefined> {
    const item = this.items.get(id);
    if (!item || !from.includes(item.campaign.status)) return undefined;
    const { pausedReason: _reason, resumeAfter: _after, ...rest } = item.campaign;
    let next: Campaign = { ...rest, status: to, updatedAt: now.toISOString() };
    const resumeAfter = to === 'paused' ? extra.resumeAfter?.toISOString() : undefined;
    if (extra.leaseUntil) item.dueAt = extra.leaseUntil.toISOString();
    else if (resumeAfter) item.dueAt = resumeAfter;
    else if (to !== 'scheduled') delete item.dueAt;
    if (resumeAfter) next = { ...next, resumeAfter };
    if (extra.newRound) {
      const { dispatchCursor: _cursor, dispatchedAt: _at, ...kept } = next;
      next = { ...kept, round: (next.round ?? 1) + 1 };
    }
    if (to === 'paused') next = { ...next, pausedReason: extra.pausedReason ?? 'paused' };
    item.campaign = next;
    return { ...next };
  }

  async listDue(
    now: Date,
    limit: number,
  ): Promise<{ campaignId: string; cursor: string | null; round: number; resume?: boolean }[]> {
    return [...this.items.values()]
      .filter((item) => item.dueAt !== undefined && item.dueAt <= now.toISOString())
      .sort((a, b) => (a.dueAt ?? '').localeCompare(b.dueAt ?? ''))
      .slice(0, limit)
      .map(({ campaign }) => ({
        campaignId: campaign.id,
        cursor: campaign.dispatchCursor ?? null,
        round: campaign.round ?? 1,
        ...(campaign.status === 'paused' ? { resume: true } : {}),
      }));
  }

  async saveDispatchPage(
    id: string,
    page: {
      expected: string | null;
      next: string | null;
      added: number;
      segments?: number;
      leaseUntil: Date;
    },
    now: Date,
  ): Promise<boolean> {
    const item = this.items.get(id);
    // The adapter's condition: dispatch not finished, and the cursor is still the expected one.
    if (!item || item.campaign.dispatchedAt !== undefined) return false;
    if ((item.campaign.dispatchCursor ?? null) !== page.expected) return false;
    item.total += page.added;
    item.segments += page.segments ?? 0;
    const { dispatchCursor: _cursor, ...rest } = item.campaign;
    if (page.next === null) {
      item.campaign = { ...rest, updatedAt: now.toISOString(), dispatchedAt: now.toISOString() };
      delete item.dueAt;
    } else {
      item.campaign = { ...rest, updatedAt: now.toISOString(), dispatchCursor: page.next };
      item.dueAt = page.leaseUntil.toISOString();
    }
    return true;
  }

  async listSending(channel: Channel): Promise<Campaign[]> {
    return [...this.items.values()]
      .filter(({ campaign }) => campaign.status === 'sending' && campaign.channels.includes(channel))
      .map(({ campaign }) => ({ ...campaign }));
  }

  /** Adds one to a campaign's counter, as the delivery and feedback transactions do. */
  addCount(campaignId: string, counter: Counter): void {
    const item = this.items.get(campaignId);
    if (!item) return;
    item.counters[counter] = (item.counters[counter] ?? 0) + 1;
  }
}
