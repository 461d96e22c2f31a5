import { z } from 'zod';
import { ProviderError } from '../domain/errors';
import { newId } from '../domain/ids';
import type { DeliveryStatus, FinalStatus, TrackedSms } from '../domain/sms';
import { ALL_TOPICS } from '../domain/types';
import type { ConsentStore, DeliveryStatusStore, SmsStatusSource } from '../ports';
import { mapWithConcurrency } from './concurrency';

/** What a Kavenegar status means for a sent SMS. */
export type StatusMove =
  | { readonly kind: 'final'; readonly status: DeliveryStatus; readonly counter: FinalStatus['counter'] }
  | { readonly kind: 'in_flight' }
  | { readonly kind: 'unknown' };

const FINAL = new Map<number, Extract<StatusMove, { kind: 'final' }>>([
  [10, { kind: 'final', status: 'delivered', counter: 'delivered' }],
  [11, { kind: 'final', status: 'undelivered', counter: 'undelivered' }],
  // Cancelled and refunded: it never reached the phone.
  [13, { kind: 'final', status: 'undelivered', counter: 'undelivered' }],
  [6, { kind: 'final', status: 'failed', counter: 'undelivered' }],
  // The recipient refuses SMS from advertising lines: also an opt-out.
  [14, { kind: 'final', status: 'blocked', counter: 'undelivered' }],
]);
/** Queued, scheduled, with the operator: a final status is still to come. */
const IN_FLIGHT = new Set([1, 2, 4, 5]);

/**
 * Maps a Kavenegar status to a move. 100 (unknown id) and any code Chapar does not know are
 * `unknown`: ignored, so a wrong guess never counts anything.
 */
export function statusMoveFor(providerStatus: number): StatusMove {
  const final = FINAL.get(providerStatus);
  if (final) return final;
  return IN_FLIGHT.has(providerStatus) ? { kind: 'in_flight' } : { kind: 'unknown' };
}

/** A field as a form (string) or JSON (number or string) carries it; missing reads 'is required'. */
const field = (expected: string) =>
  z.union([z.string(), z.number()], {
    error: (issue) => (issue.input === undefined ? 'is required' : `must be ${expected}`),
  });
const messageId = field('a Kavenegar message id (digits)')
  .transform((value) => String(value).trim())
  .pipe(z.string().regex(/^\d{1,20}$/, 'must be a Kavenegar message id (digits)'));
const STATUS_CODE = 'must be a status code (an integer from 0 to 999)';
const providerStatus = field('a status code (an integer)')
  .transform((value) => (typeof value === 'number' ? value : Number(value.trim() || Number.NaN)))
  .pipe(z.number({ error: STATUS_CODE }).int(STATUS_CODE).min(0, STATUS_CODE).max(999, STATUS_CODE));

/** A delivery report's fields, as Kavenegar sends them (form, query or JSON; strings or numbers). */
export const deliveryReportSchema = z.object({ messageid: messageId, status: providerStatus });

export interface DeliveryReport {
  readonly messageId: string;
  readonly status: number;
}

/** What became of one status for one SMS. */
export type StatusOutcome = 'applied' | 'already_final' | 'in_flight' | 'ignored';
export type ReportOutcome = StatusOutcome | 'unknown_message';

export interface DeliveryStatusDeps {
  readonly statuses: DeliveryStatusStore;
  readonly consent: ConsentStore;
  readonly now: () => Date;
}

/**
 * Applies one delivery report. Idempotent: a report seen before changes nothing. A report
 * for a message Chapar does not know (or not yet: the index is eventually consistent) is
 * `unknown_message`; reconciliation catches up with the latter.
 */
export async function applyDeliveryReport(
  deps: DeliveryStatusDeps,
  report: DeliveryReport,
): Promise<ReportOutcome> {
  const sms = await deps.statuses.findByProviderMessage(report.messageId);
  if (!sms) return 'unknown_message';
  return settleStatus(deps, sms, report.status);
}

/** Applies a provider status to one SMS: a final status once, with its counter and opt-out. */
export async function settleStatus(
  deps: DeliveryStatusDeps,
  sms: TrackedSms,
  status: number,
): Promise<StatusOutcome> {
  if (sms.deliveryStatus) {
    await finishPendingOptOut(deps, sms);
    return 'already_final';
  }
  const move = statusMoveFor(status);
  if (move.kind !== 'final') return move.kind === 'in_flight' ? 'in_flight' : 'ignored';
  const now = deps.now();
  const optOut = move.status === 'blocked';
  const applied = await deps.statuses.applyFinal(
    sms,
    { status: move.status, counter: move.counter, providerStatus: status, optOut },
    now,
  );
  if (!applied) return 'already_final';
  if (optOut) await recordOptOut(deps, sms, now.toISOString());
  return 'applied';
}

const OPT_OUT_SOURCE = 'kavenegar_status_14';

/** Status 14 as a consent event: no SMS marketing on any topic; then the SMS leaves the index. */
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
    const statusOf = new Map(answers.map((answer) => [answer.messageId, answer.status]));
    await mapWithConcurrency(batch, WRITE_CONCURRENCY, async (sms) => {
      const status = statusOf.get(sms.providerMessageId);
      if (status === undefined) return;
      if ((await settleStatus(deps, sms, status)) !== 'applied') return;
      const move = statusMoveFor(status);
      if (move.kind === 'final') summary.applied[move.status] += 1;
    });
  }
}
