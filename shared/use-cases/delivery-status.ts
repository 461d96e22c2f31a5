import type { ConsentSource } from '../domain/consent';
import { ProviderError } from '../domain/errors';
import { newId } from '../domain/ids';
import type { AppliedStatus, DeliveryStatus, PolledSms, SmsPollBatch, SmsStatusReport } from '../domain/sms';
import { MAX_STATUS_IDS, nextPollAt, pastStatusWindow } from '../domain/sms-polling';
import { ALL_TOPICS } from '../domain/types';
import type {
  ConsentStore,
  ContactStore,
  DeliveryReportInbox,
  SmsStatusPolls,
  SmsStatusSource,
} from '../ports';
import { type AddressSuppressionDeps, suppressAddress } from './address-suppressions';

/** The campaign counter a final status adds to: only a delivery counts as delivered. */
export function counterFor(status: DeliveryStatus): 'delivered' | 'undelivered' {
  return status === 'delivered' ? 'delivered' : 'undelivered';
}

export interface DeliveryStatusDeps {
  readonly polls: SmsStatusPolls;
  readonly consent: ConsentStore;
  readonly now: () => Date;
  /** Binds a status-14 refusal to the phone too (any contact id holding it). */
  readonly addressSuppressions?: AddressSuppressionDeps & { readonly contacts: ContactStore };
}

export interface PollDeps extends DeliveryStatusDeps {
  readonly provider: SmsStatusSource;
  /** With the callback on: reports kept for the SMS polled answer for them instead of the provider. */
  readonly reports?: DeliveryReportInbox;
}

export interface PollOptions {
  /** Ids per sms/status call, at most {@link MAX_STATUS_IDS}. Default 500. */
  readonly idsPerCall?: number;
  /** Batches read from the store at a time. Default 25 (about 5,000 SMS: ten calls). */
  readonly batchesPerPage?: number;
  /** Most sms/status calls in one run. Default 200. */
  readonly maxCalls?: number;
  /** False once no new page should start (the function's time is running out). */
  readonly hasTime?: () => boolean;
}

export interface PollSummary {
  /** SMS asked about, and sms/status calls made. */
  polled: number;
  /** SMS answered by a kept delivery report instead (the callback). */
  reported: number;
  calls: number;
  /** Batches whose poll was applied. */
  batches: number;
  /** Final statuses applied, by status. */
  applied: Record<DeliveryStatus, number>;
  /** SMS given up: the status window closed with no final status. */
  unknown: number;
  /** Status-14 opt-outs recorded after a crash had left them unfinished. */
  optOutsFinished: number;
  /** Every due batch was polled (false: a bound or a provider error stopped the run). */
  complete: boolean;
  /** The provider failure that stopped this run; the next run tries again. */
  error?: ProviderError;
}

/**
 * One run of status polling: reads the batches due now, asks Kavenegar (the source of truth)
 * about their pending SMS with up to 500 ids per sms/status call, and applies each batch's
 * answers at once: finals with their counters, SMS past the status window as unknown, and the
 * batch's next due time from its age. A batch another poll applied meanwhile is left alone,
 * so repeated or concurrent runs count nothing twice. A provider failure ends the run.
 */
export async function pollSmsStatuses(deps: PollDeps, options: PollOptions = {}): Promise<PollSummary> {
  const idsPerCall = Math.min(options.idsPerCall ?? MAX_STATUS_IDS, MAX_STATUS_IDS);
  const perPage = options.batchesPerPage ?? 25;
  const maxCalls = options.maxCalls ?? 200;
  const hasTime = options.hasTime ?? (() => true);
  const summary: PollSummary = {
    polled: 0,
    reported: 0,
    calls: 0,
    batches: 0,
    applied: { delivered: 0, undelivered: 0, failed: 0, blocked: 0 },
    unknown: 0,
    optOutsFinished: 0,
    complete: false,
  };
  // A batch whose apply lost a race may still look due in this run: each is handled once a run.
  const seen = new Set<string>();
  for (;;) {
    if (summary.calls >= maxCalls || !hasTime()) return summary;
    const now = deps.now();
    const page = (await deps.polls.due(now, perPage)).filter((batch) => !seen.has(batch.id));
    if (page.length === 0) break;
    for (const batch of page) seen.add(batch.id);
    try {
      await pollPage(deps, page, idsPerCall, summary);
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      summary.error = error;
      return summary;
    }
  }
  summary.complete = true;
  return summary;
}

async function pollPage(
  deps: PollDeps,
  page: readonly SmsPollBatch[],
  idsPerCall: number,
  summary: PollSummary,
): Promise<void> {
  for (const batch of page) {
    for (const sms of batch.optOutsPending) {
      await finishPendingOptOut(deps, batch, sms);
      summary.optOutsFinished += 1;
    }
  }
  const now = deps.now();
  const pending = page
    .filter((batch) => !pastStatusWindow(new Date(batch.sentAt), now))
    .flatMap((batch) => batch.pending.map((sms) => sms.messageId));
  const answers = new Map<string, SmsStatusReport>(deps.reports ? await deps.reports.find(pending) : []);
  summary.reported += answers.size;
  const asked = pending.filter((messageId) => !answers.has(messageId));
  for (let start = 0; start < asked.length; start += idsPerCall) {
    const ids = asked.slice(start, start + idsPerCall);
    for (const answer of await deps.provider.status(ids)) answers.set(answer.messageId, answer);
    summary.calls += 1;
    summary.polled += ids.length;
  }
  for (const batch of page) await applyAnswers(deps, batch, answers, summary);
}

/** One batch's answers, applied at once; then its status-14 opt-outs. */
async function applyAnswers(
  deps: DeliveryStatusDeps,
  batch: SmsPollBatch,
  answers: ReadonlyMap<string, SmsStatusReport>,
  summary: PollSummary,
): Promise<void> {
  const now = deps.now();
  const sentAt = new Date(batch.sentAt);
  const finals: AppliedStatus[] = [];
  const open: PolledSms[] = [];
  for (const sms of batch.pending) {
    const answer = answers.get(sms.messageId);
    const status = answer?.status;
    if (answer && status && status !== 'pending' && status !== 'unknown')
      finals.push({ sms, status, providerStatus: answer.providerStatus, optOut: answer.optOut });
    else open.push(sms);
  }
  const next = open.length > 0 ? nextPollAt(sentAt, now) : undefined;
  const unknown = next === undefined ? open : [];
  const change = { finals, unknown, ...(next ? { nextPollAt: next } : {}) };
  // Nothing new and nothing left: a batch that only held opt-outs is finished once they are.
  if (finals.length === 0 && unknown.length === 0 && next === undefined && batch.pending.length === 0) {
    await deps.polls.apply(batch, change, now);
    return;
  }
  if (!(await deps.polls.apply(batch, change, now))) return;
  summary.batches += 1;
  summary.unknown += unknown.length;
  for (const final of finals) summary.applied[final.status] += 1;
  for (const final of finals) {
    if (final.optOut) await recordOptOut(deps, batch, final.sms, now.toISOString());
  }
}

/**
 * The consent source of a provider opt-out. It stays here rather than in the report: finishing
 * a crashed opt-out records it again with no report at hand.
 */
const OPT_OUT_SOURCE: ConsentSource = 'kavenegar_status_14';

/**
 * A provider opt-out as a consent event: no SMS marketing on any topic, recorded once per
 * campaign and contact (a retry after a crash writes nothing twice); then the batch lets it go.
 */
async function recordOptOut(
  deps: DeliveryStatusDeps,
  batch: SmsPollBatch,
  sms: PolledSms,
  at: string,
): Promise<void> {
  await deps.consent.record(
    {
      id: newId(Date.parse(at)),
      contactId: sms.contactId,
      action: 'opt_out',
      channel: 'sms',
      topic: ALL_TOPICS,
      source: OPT_OUT_SOURCE,
      at,
      campaignId: batch.campaignId,
      evidence: {},
    },
    { once: `${OPT_OUT_SOURCE}#${batch.campaignId}` },
  );
  if (deps.addressSuppressions) {
    const contact = await deps.addressSuppressions.contacts.get(sms.contactId);
    await suppressAddress(deps.addressSuppressions, 'sms', contact?.phone, 'opted_out');
  }
  await deps.polls.settleOptOut(batch, sms);
}

/**
 * Finishes an opt-out that a crash left between the status and the consent record, dated when
 * the status was applied; skipped when the contact chose again for every SMS topic since (a
 * later choice wins).
 */
async function finishPendingOptOut(deps: DeliveryStatusDeps, batch: SmsPollBatch, sms: PolledSms) {
  const at = batch.optOutAt ?? deps.now().toISOString();
  const later = (await deps.consent.states(sms.contactId, 'sms')).some(
    (state) => state.topic === ALL_TOPICS && state.at > at,
  );
  if (later) await deps.polls.settleOptOut(batch, sms);
  else await recordOptOut(deps, batch, sms, at);
}

/** What became of one queue message of delivery reports. */
export type ReportOutcome = 'kept' | 'not_final' | 'wrong_secret' | 'malformed';

/** One delivery report as the queue carries it: the path secret it came with, and its fields. */
export interface QueuedReport {
  readonly secretMatches: boolean;
  /** The report, or undefined when its fields could not be read. */
  readonly report?: SmsStatusReport;
}

/**
 * Keeps a batch of delivery reports for status polling, in one pass: a report under a wrong
 * secret or with unreadable fields is dropped (retrying cannot fix it), a final one is kept
 * until the poll of its SMS's batch uses it, and a pending one is not needed (polling asks).
 */
export async function keepDeliveryReports(
  inbox: DeliveryReportInbox,
  queued: readonly QueuedReport[],
  now: Date,
): Promise<ReportOutcome[]> {
  const outcomes = queued.map((item): ReportOutcome => {
    if (!item.secretMatches) return 'wrong_secret';
    if (!item.report) return 'malformed';
    const { status } = item.report;
    return status === 'pending' || status === 'unknown' ? 'not_final' : 'kept';
  });
  const kept = queued.flatMap((item, index) =>
    outcomes[index] === 'kept' && item.report ? [item.report] : [],
  );
  if (kept.length > 0) await inbox.keep(kept, now);
  return outcomes;
}
