import type { ConsentSource } from '../domain/consent';
import { ProviderError } from '../domain/errors';
import { newId } from '../domain/ids';
import type { DeliveryStatus, FinalStatus, SmsStatusReport, TrackedSms } from '../domain/sms';
import { ALL_TOPICS } from '../domain/types';
import type { ConsentStore, ContactStore, DeliveryStatusStore, SmsStatusSource } from '../ports';
import { mapWithConcurrency } from './concurrency';

/** The campaign counter a final status adds to: only a delivery counts as delivered. */
export function counterFor(status: DeliveryStatus): FinalStatus['counter'] {
  return status === 'delivered' ? 'delivered' : 'undelivered';
}

/** What became of one status for one SMS. */
export type StatusOutcome = 'applied' | 'already_final' | 'in_flight' | 'ignored';
export type ReportOutcome = StatusOutcome | 'unknown_message';

import { type AddressSuppressionDeps, suppressAddress } from './address-suppressions';

export interface DeliveryStatusDeps {
  readonly statuses: DeliveryStatusStore;
  readonly consent: ConsentStore;
  readonly now: () => Date;
  /** Binds a status-14 refusal to the phone too (any contact id holding it). */
  readonly addressSuppressions?: AddressSuppressionDeps & { readonly contacts: ContactStore };
}

/**
 * Applies one delivery report. Idempotent: a report seen before changes nothing. A report
 * for a message Chapar does not know (or not yet: the index is eventually consistent) is
 * `unknown_message`; reconciliation catches up with the latter.
 */
export async function applyDeliveryReport(
  deps: DeliveryStatusDeps,
  report: SmsStatusReport,
): Promise<ReportOutcome> {
  const sms = await deps.statuses.findByProviderMessage(report.messageId);
  if (!sms) return 'unknown_message';
  return settleStatus(deps, sms, report);
}

/** Applies a provider status to one SMS: a final status once, with its counter and opt-out. */
export async function settleStatus(
  deps: DeliveryStatusDeps,
  sms: TrackedSms,
  report: SmsStatusReport,
): Promise<StatusOutcome> {
  if (sms.deliveryStatus) {
    await finishPendingOptOut(deps, sms);
    return 'already_final';
  }
  const { status, optOut, providerStatus } = report;
  if (status === 'pending') return 'in_flight';
  if (status === 'unknown') return 'ignored';
  const now = deps.now();
  const applied = await deps.statuses.applyFinal(
    sms,
    { status, counter: counterFor(status), providerStatus, optOut },
    now,
  );
  if (!applied) return 'already_final';
  if (optOut) await recordOptOut(deps, sms, now.toISOString());
  return 'applied';
}

/**
 * The consent source of a provider opt-out. It stays here rather than in the report: finishing
 * a crashed opt-out looks it up again with no report at hand.
 */
const OPT_OUT_SOURCE: ConsentSource = 'kavenegar_status_14';

/** A provider opt-out as a consent event: no SMS marketing on any topic; then the SMS leaves the index. */
async function recordOptOut(deps: DeliveryStatusDeps, sms: TrackedSms, at: string): Promise<void> {
  await deps.consent.record({
    id: newId(Date.parse(at)),
    contactId: sms.contactId,
    action: 'opt_out',
    channel: 'sms',
    topic: ALL_TOPICS,
    source: OPT_OUT_SOURCE,
    at,
    campaignId: sms.campaignId,
    evidence: {},
  });
  if (deps.addressSuppressions) {
    const contact = await deps.addressSuppressions.contacts.get(sms.contactId);
    await suppressAddress(deps.addressSuppressions, 'sms', contact?.phone, 'opted_out');
  }
  await deps.statuses.settleOptOut(sms);
}

/**
 * Finishes an opt-out that a crash left between the status move and the consent record, dated
 * when the status was applied. Skipped when it is recorded already, or when the contact chose
 * again for every SMS topic since (a later choice wins).
 */
async function finishPendingOptOut(deps: DeliveryStatusDeps, sms: TrackedSms): Promise<void> {
  if (!sms.optOutPending) return;
  const at = sms.deliveryStatusAt ?? deps.now().toISOString();
  const history = await deps.consent.history(sms.contactId);
  const recorded = history.some(
    (event) =>
      event.source === OPT_OUT_SOURCE && event.campaignId === sms.campaignId && event.channel === 'sms',
  );
  const later = (await deps.consent.states(sms.contactId, 'sms')).some(
    (state) => state.topic === ALL_TOPICS && state.at > at,
  );
  if (recorded || later) await deps.statuses.settleOptOut(sms);
  else await recordOptOut(deps, sms, at);
}

/** Kavenegar's sms/status takes at most 500 ids per call. */
export const MAX_STATUS_BATCH = 500;
const MINUTE_MS = 60_000;

export interface ReconcileDeps extends DeliveryStatusDeps {
  readonly provider: SmsStatusSource;
}

export interface ReconcileOptions {
  /** SMS younger than this are left to delivery reports. Default 1 minute. */
  readonly minAgeMs?: number;
  /** Kavenegar answers sms/status for about 48 h; older SMS are given up. Default 48 h. */
  readonly maxAgeMs?: number;
  /** Ids per sms/status call, at most {@link MAX_STATUS_BATCH}. Default 500. */
  readonly batchSize?: number;
  /** Most sms/status calls in one run. Default 200. */
  readonly maxBatches?: number;
  /** False once no new batch should start (the function's time is running out). */
  readonly hasTime?: () => boolean;
}

export interface ReconcileSummary {
  /** SMS asked about, and sms/status calls made. */
  polled: number;
  batches: number;
  /** Final statuses applied, by status. */
  applied: Record<DeliveryStatus, number>;
  /** SMS past Kavenegar's status window, no longer tracked. */
  abandoned: number;
  /** Status-14 opt-outs a crash had left unfinished. */
  optOutsFinished: number;
  /** Every shard was read to its end (false: a bound or an error stopped the run). */
  complete: boolean;
  /** The provider failure that stopped this run; the next run tries again. */
  error?: ProviderError;
}

/**
 * Asks Kavenegar (the source of truth) for the status of SMS still in flight, oldest first,
 * one page of each in-flight shard in turn so no shard starves, and applies final statuses
 * exactly as a delivery report would. Work is bounded by `maxBatches` and `hasTime`; a
 * provider failure ends the run with what was done so far.
 */
export async function reconcileSmsStatuses(
  deps: ReconcileDeps,
  options: ReconcileOptions = {},
): Promise<ReconcileSummary> {
  const batchSize = Math.min(options.batchSize ?? MAX_STATUS_BATCH, MAX_STATUS_BATCH);
  const maxBatches = options.maxBatches ?? 200;
  const hasTime = options.hasTime ?? (() => true);
  const now = deps.now().getTime();
  const sentBefore = new Date(now - (options.minAgeMs ?? MINUTE_MS));
  const staleBefore = now - (options.maxAgeMs ?? 48 * 60 * MINUTE_MS);
  const summary: ReconcileSummary = {
    polled: 0,
    batches: 0,
    applied: { delivered: 0, undelivered: 0, failed: 0, blocked: 0 },
    abandoned: 0,
    optOutsFinished: 0,
    complete: false,
  };
  let readers = deps.statuses.inFlightShards.map((shard) => ({
    shard,
    cursor: undefined as string | undefined,
  }));
  while (readers.length > 0) {
    const next: typeof readers = [];
    for (const reader of readers) {
      if (summary.batches >= maxBatches || !hasTime()) return summary;
      const page = await deps.statuses.inFlight(reader.shard, sentBefore, {
        limit: batchSize,
        ...(reader.cursor ? { cursor: reader.cursor } : {}),
      });
      try {
        await reconcilePage(deps, page.items, { staleBefore, batchSize }, summary);
      } catch (error) {
        if (!(error instanceof ProviderError)) throw error;
        summary.error = error;
        return summary;
      }
      if (page.cursor) next.push({ shard: reader.shard, cursor: page.cursor });
    }
    readers = next;
  }
  summary.complete = true;
  return summary;
}

const WRITE_CONCURRENCY = 10;

async function reconcilePage(
  deps: ReconcileDeps,
  items: readonly TrackedSms[],
  limits: { staleBefore: number; batchSize: number },
  summary: ReconcileSummary,
): Promise<void> {
  const toPoll: TrackedSms[] = [];
  const settled: TrackedSms[] = [];
  const stale: TrackedSms[] = [];
  for (const sms of items) {
    if (sms.deliveryStatus) settled.push(sms);
    else if (!sms.providerMessageId || Date.parse(sms.sentAt) < limits.staleBefore) stale.push(sms);
    else toPoll.push(sms);
  }
  await mapWithConcurrency(settled, WRITE_CONCURRENCY, async (sms) => {
    await finishPendingOptOut(deps, sms);
    if (sms.optOutPending) summary.optOutsFinished += 1;
  });
  await mapWithConcurrency(stale, WRITE_CONCURRENCY, async (sms) => {
    if (await deps.statuses.abandon(sms, deps.now())) summary.abandoned += 1;
  });
  for (let start = 0; start < toPoll.length; start += limits.batchSize) {
    const batch = toPoll.slice(start, start + limits.batchSize);
    const answers = await deps.provider.status(batch.map((sms) => sms.providerMessageId));
    summary.batches += 1;
    summary.polled += batch.length;
    const reportOf = new Map(answers.map((answer) => [answer.messageId, answer]));
    await mapWithConcurrency(batch, WRITE_CONCURRENCY, async (sms) => {
      const report = reportOf.get(sms.providerMessageId);
      if (report === undefined) return;
      if ((await settleStatus(deps, sms, report)) !== 'applied') return;
      if (report.status !== 'pending' && report.status !== 'unknown') summary.applied[report.status] += 1;
    });
  }
}
