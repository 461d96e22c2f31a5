import {
  type Campaign,
  type CampaignStats,
  type CampaignStatus,
  type Counter,
  campaignStats,
} from '../../../shared/domain/campaign';
import { type DispatchUnitState, dispatchTotals, roundDispatched } from '../../../shared/domain/dispatch';
import { ConflictError, ValidationError } from '../../../shared/domain/errors';
import type { Channel } from '../../../shared/domain/types';
import type { CampaignStore, IdPage, SendingCampaigns, TransitionExtra } from '../../../shared/ports';

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
 * a transition only from an allowed status, dispatch units whose pages are taken and saved
 * once per cursor, the due index kept by sendAt and the dispatch lease, and counters beside
 * the campaign.
 */
export class MemoryCampaignStore implements CampaignStore, SendingCampaigns {
  private readonly items = new Map<string, StoredCampaign>();
  /** Dispatch units by `<campaign>#<round>#<unit>`, with the lease a page run holds. */
  private readonly units = new Map<string, DispatchUnitState & { leaseId?: string }>();

  async create(campaign: Campaign): Promise<void> {
    if (this.items.has(campaign.id)) throw new ConflictError(`Campaign ${campaign.id} already exists`);
    this.items.set(campaign.id, {
      campaign: { ...campaign },
      total: 0,
      segments: 0,
      ...(campaign.status === 'scheduled' && campaign.sendAt ? { dueAt: campaign.sendAt } : {}),
      counters: {},
    });
  }

  async update(campaign: Campaign, expectedUpdatedAt: string): Promise<boolean> {
    const item = this.items.get(campaign.id);
    if (item?.campaign.status !== 'scheduled' || item.campaign.updatedAt !== expectedUpdatedAt) return false;
    item.campaign = { ...campaign, status: 'scheduled' };
    if (campaign.sendAt) item.dueAt = campaign.sendAt;
    else delete item.dueAt;
    return true;
  }

  async list(query: { status?: CampaignStatus; cursor?: string; limit: number }): Promise<IdPage> {
    const after = query.cursor ? this.cursorKey(query.cursor, query.status) : undefined;
    const ids = [...this.items.values()]
      .map(({ campaign }) => campaign)
      .filter((campaign) => !query.status || campaign.status === query.status)
      .map((campaign) => campaign.id)
      .sort()
      .reverse()
      .filter((id) => after === undefined || id < after);
    const page = ids.slice(0, query.limit);
    const more = ids.length > page.length && page.length > 0;
    return {
      ids: page,
      ...(more ? { cursor: Buffer.from(`${query.status ?? ''}|${page.at(-1)}`).toString('base64url') } : {}),
    };
  }

  private cursorKey(cursor: string, status: CampaignStatus | undefined): string {
    const [forStatus, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
    if (forStatus !== (status ?? '') || !id) {
      throw new ValidationError('Invalid cursor: it is not one this listing gave (with this status)', [
        { field: 'cursor', message: 'is not one this listing gave, with this status' },
      ]);
    }
    return id;
  }

  async get(id: string): Promise<Campaign | undefined> {
    const item = this.items.get(id);
    return item ? { ...item.campaign } : undefined;
  }

  async getWithStats(id: string): Promise<{ campaign: Campaign; stats: CampaignStats } | undefined> {
    const item = this.items.get(id);
    if (!item) return undefined;
    const units = [...this.units.entries()]
      .filter(([key]) => key.startsWith(`${id}#`))
      .map(([key, unit]) => ({ ...unit, round: Number(key.split('#')[1]) }));
    const dispatched = dispatchTotals(units);
    const totals =
      item.total > dispatched.total ? { total: item.total, segments: item.segments } : dispatched;
    return { campaign: { ...item.campaign }, stats: campaignStats({ ...totals, ...item.counters }) };
  }

  async transition(
    id: string,
    to: CampaignStatus,
    from: readonly CampaignStatus[],
    now: Date,
    extra: TransitionExtra = {},
  ): Promise<Campaign | undefined> {
    const item = this.items.get(id);
    if (!item || !from.includes(item.campaign.status)) return undefined;
    const sendAt = item.campaign.sendAt;
    if (extra.dueBy && (sendAt === undefined || sendAt > extra.dueBy.toISOString())) return undefined;
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

  async planDispatch(
    id: string,
    round: number,
    units: number,
    leaseUntil: Date,
  ): Promise<number | undefined> {
    const item = this.items.get(id);
    if (!item || !this.dispatching(item, round)) return undefined;
    const dispatchUnits = item.campaign.dispatchUnits ?? units;
    item.campaign = { ...item.campaign, dispatchUnits };
    item.dueAt = leaseUntil.toISOString();
    return dispatchUnits;
  }

  async dispatchUnits(id: string, round: number): Promise<DispatchUnitState[]> {
    return [...this.units.entries()]
      .filter(([key]) => key.startsWith(`${id}#${round}#`))
      .map(([, unit]) => ({ ...unit }));
  }

  async takeDispatchPage(
    id: string,
    page: { round: number; unit: number; expected: string | null; leaseId: string; leaseUntil: Date },
    now: Date,
  ): Promise<boolean> {
    const key = `${id}#${page.round}#${page.unit}`;
    const unit = this.units.get(key);
    if (unit && (unit.done || unit.cursor !== page.expected)) return false;
    if (!unit && page.expected !== null) return false;
    if (unit?.leaseId !== undefined && (unit.leaseUntil ?? '') >= now.toISOString()) return false;
    this.units.set(key, {
      ...(unit ?? { unit: page.unit, cursor: null, done: false, added: 0, segments: 0 }),
      leaseId: page.leaseId,
      leaseUntil: page.leaseUntil.toISOString(),
    });
    return true;
  }

  async saveDispatchPage(
    id: string,
    page: {
      round?: number;
      unit?: number;
      leaseId?: string;
      expected: string | null;
      next: string | null;
      added: number;
      segments?: number;
      leaseUntil: Date;
    },
    now: Date,
  ): Promise<boolean> {
    const round = page.round ?? 1;
    const key = `${id}#${round}#${page.unit ?? 0}`;
    const unit = this.units.get(key) ?? {
      unit: page.unit ?? 0,
      cursor: null,
      done: false,
      added: 0,
      segments: 0,
    };
    // The adapter's condition: unit unfinished, still at the expected cursor, and its lease held.
    if (unit.done || unit.cursor !== page.expected) return false;
    if (page.leaseId !== undefined && unit.leaseId !== page.leaseId) return false;
    this.units.set(key, {
      unit: unit.unit,
      cursor: page.next,
      done: page.next === null,
      leaseUntil: page.leaseUntil.toISOString(),
      added: unit.added + page.added,
      segments: unit.segments + (page.segments ?? 0),
    });
    if (page.next === null) await this.finishDispatch(id, round, now);
    return true;
  }

  async listSending(channel: Channel): Promise<Campaign[]> {
    return [...this.items.values()]
      .filter(({ campaign }) => campaign.status === 'sending' && campaign.channels.includes(channel))
      .map(({ campaign }) => ({ ...campaign }));
  }

  async finishDispatch(id: string, round: number, now: Date): Promise<boolean> {
    const item = this.items.get(id);
    if (!item || !this.dispatching(item, round) || item.campaign.status !== 'sending') return false;
    if (!roundDispatched(item.campaign.dispatchUnits ?? 1, await this.dispatchUnits(id, round))) return false;
    const { dispatchCursor: _cursor, ...rest } = item.campaign;
    item.campaign = { ...rest, updatedAt: now.toISOString(), dispatchedAt: now.toISOString() };
    delete item.dueAt;
    return true;
  }

  /** Whether a campaign is still dispatching `round` (sending, that round, not dispatched yet). */
  private dispatching(item: StoredCampaign, round: number): boolean {
    const { campaign } = item;
    return campaign.status === 'sending' && !campaign.dispatchedAt && (campaign.round ?? 1) === round;
  }

  /** Adds one to a campaign's counter, as the delivery and feedback transactions do. */
  addCount(campaignId: string, counter: Counter): void {
    const item = this.items.get(campaignId);
    if (!item) return;
    item.counters[counter] = (item.counters[counter] ?? 0) + 1;
  }
}
