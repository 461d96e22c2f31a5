/**
 * Test sends: a campaign's real rendering, sent now to a few named targets, marked as a test,
 * from the same line and the same email frame, outside the delivery ledger (so never in the
 * campaign's stats) and never to an erased or opted-out address.
 */
import { createHmac } from 'node:crypto';
import type { Campaign } from '../domain/campaign';
import {
  parseTestTargets,
  type TestSendResult,
  type TestSkipReason,
  type TestTarget,
} from '../domain/campaign-test';
import { isSuppressed } from '../domain/consent';
import { NotFoundError } from '../domain/errors';
import { newRef } from '../domain/ids';
import { maskEmail, maskPhone } from '../domain/mask';
import type { Channel, Contact } from '../domain/types';
import type {
  CampaignStore,
  ConsentStore,
  ContactSearch,
  ContactStore,
  SuppressionStore,
  TestSendGuard,
} from '../ports';
import { suppressedAddresses } from './address-suppressions';
import { type Copy, type CopyDeps, sendTestEmail, sendTestSms } from './campaign-test-copies';
import { tombstoneHashes } from './contact-consent';

/** How long a target's test copy on a channel keeps a retried call from sending it again. */
export const TEST_SEND_WINDOW_MS = 60_000;

export interface CampaignTestDeps extends CopyDeps {
  readonly campaigns: Pick<CampaignStore, 'get'>;
  readonly contacts: Pick<ContactStore, 'getMany'>;
  /** Finds the contact a phone or email given directly belongs to (its name, locale, consent). */
  readonly search: ContactSearch;
  readonly consent: Pick<ConsentStore, 'statesForMany'>;
  /** Erasure tombstones and address suppressions. */
  readonly suppressions: SuppressionStore;
  readonly erasureKey: () => Promise<string>;
  readonly guard: TestSendGuard;
  /** When marketing SMS may go again, while quiet hours hold at `now` (test SMS wait for nobody: they are skipped). */
  readonly quietUntil?: (now: Date) => Date | undefined;
  readonly now: () => Date;
}

const masked = (channel: Channel, address: string) =>
  channel === 'sms' ? maskPhone(address) : maskEmail(address);

/**
 * Sends campaign `id`'s test copies to the targets `body` names (1 to 10 contact ids, phones,
 * emails). A contact gets a copy on each of the campaign's channels it has an address for; a
 * phone or email given directly is rendered for the contact holding it, or as for a contact
 * with no name (locale fa) when none does. Each copy is skipped, with its reason, when the
 * address is erased (a tombstone), suppressed or opted out of the campaign's topic, an SMS in
 * quiet hours (`quiet_hours`: test SMS are not deferred), or when
 * the same target had a copy on that channel within {@link TEST_SEND_WINDOW_MS}.
 * @throws NotFoundError for an unknown campaign; ValidationError for a bad body.
 */
export async function sendCampaignTest(
  deps: CampaignTestDeps,
  id: string,
  body: unknown,
): Promise<TestSendResult[]> {
  const targets = parseTestTargets(body);
  const campaign = /^[0-9A-HJKMNP-TV-Z]{26}$/.test(id) ? await deps.campaigns.get(id) : undefined;
  if (!campaign) throw new NotFoundError(`Campaign ${id.slice(0, 40)} not found`);
  const results: TestSendResult[] = [];
  const copies: Copy[] = [];
  for (const planned of await plan(deps, campaign, targets)) {
    if ('status' in planned) results.push(planned);
    else copies.push(planned);
  }
  const checked = await screen(deps, campaign, copies);
  const now = deps.now();
  const key = await deps.erasureKey();
  const quiet = deps.quietUntil?.(now) !== undefined;
  const toSend: { copy: Copy; guardKey: string }[] = [];
  for (const [index, copy] of copies.entries()) {
    // A test SMS is still a marketing SMS to a phone: quiet hours hold for it too.
    const skip = checked[index] ?? (quiet && copy.channel === 'sms' ? 'quiet_hours' : undefined);
    if (skip) {
      results.push(resultOf(copy, { status: 'skipped', reason: skip }));
      continue;
    }
    const guardKey = `campaign-test#${campaign.id}#${copy.channel}#${addressHash(key, copy)}`;
    if (!(await deps.guard.claim(guardKey, now, new Date(now.getTime() + TEST_SEND_WINDOW_MS)))) {
      results.push(resultOf(copy, { status: 'skipped', reason: 'sent_within_window' }));
      continue;
    }
    toSend.push({ copy, guardKey });
  }
  const sms = toSend.filter(({ copy }) => copy.channel === 'sms');
  const emails = toSend.filter(({ copy }) => copy.channel === 'email');
  const [smsOutcomes, emailOutcomes] = await Promise.all([
    sendTestSms(
      deps,
      campaign,
      sms.map(({ copy }) => copy),
      now,
    ),
    Promise.all(emails.map(({ copy }) => sendTestEmail(deps, campaign, copy))),
  ]);
  const sent = [...sms, ...emails];
  for (const [index, { maybeSent, ...outcome }] of [...smsOutcomes, ...emailOutcomes].entries()) {
    const item = sent[index];
    if (!item) continue;
    // A copy that surely did not go out may be tried again at once.
    if (outcome.status === 'failed' && !maybeSent) await deps.guard.release(item.guardKey);
    results.push(resultOf(item.copy, outcome));
  }
  return results;
}

function resultOf(copy: Copy, outcome: Pick<TestSendResult, 'status' | 'reason'>): TestSendResult {
  return { target: copy.target, channel: copy.channel, to: masked(copy.channel, copy.address), ...outcome };
}

/** A keyed hash of the copy's address: the guard's key must not hold the address itself. */
function addressHash(key: string, copy: Copy): string {
  return createHmac('sha256', key).update(`test:${copy.channel}:${copy.address}`).digest('base64url');
}

/** A stand-in for an address no contact holds: no name, no attributes, Persian. */
function standIn(now: Date): Contact {
  const at = now.toISOString();
  return { id: 'test', ref: newRef(), locale: 'fa', attributes: {}, createdAt: at, updatedAt: at };
}

/** The copies each target gets, or why it gets none. */
async function plan(
  deps: CampaignTestDeps,
  campaign: Campaign,
  targets: readonly TestTarget[],
): Promise<(Copy | TestSendResult)[]> {
  const ids = targets.flatMap((target) => (target.kind === 'contact' ? [target.contactId] : []));
  const found = new Map((await deps.contacts.getMany(ids)).map((contact) => [contact.id, contact]));
  const planned: (Copy | TestSendResult)[] = [];
  for (const target of targets) {
    if (target.kind === 'contact') {
      const contact = found.get(target.contactId);
      if (!contact) {
        planned.push({
          target: target.contactId,
          channel: campaign.channels[0] ?? 'sms',
          status: 'skipped',
          reason: 'not_found',
        });
        continue;
      }
      for (const channel of campaign.channels) {
        const address = channel === 'sms' ? contact.phone : contact.email;
        planned.push(
          address
            ? { target: contact.id, channel, address, contact, known: true }
            : { target: contact.id, channel, status: 'skipped', reason: 'no_address' },
        );
      }
      continue;
    }
    const channel: Channel = target.kind === 'phone' ? 'sms' : 'email';
    const address = target.kind === 'phone' ? target.phone : target.email;
    if (!campaign.channels.includes(channel)) {
      planned.push({
        target: masked(channel, address),
        channel,
        status: 'skipped',
        reason: 'channel_not_in_campaign',
      });
      continue;
    }
    const holders = await (channel === 'sms' ? deps.search.byPhone(address) : deps.search.byEmail(address));
    const holder = holders[0];
    planned.push({
      target: masked(channel, address),
      channel,
      address,
      contact: holder ?? standIn(deps.now()),
      known: holder !== undefined,
    });
  }
  return planned;
}

/** Why each copy may not go out (erased, suppressed, opted out), or undefined when it may. */
async function screen(
  deps: CampaignTestDeps,
  campaign: Campaign,
  copies: readonly Copy[],
): Promise<(TestSkipReason | undefined)[]> {
  if (copies.length === 0) return [];
  const key = await deps.erasureKey();
  const tombstones = copies.map(
    (copy) =>
      tombstoneHashes(key, copy.channel === 'sms' ? { phone: copy.address } : { email: copy.address })[
        copy.channel
      ] ?? '',
  );
  const byChannel = async (channel: Channel) => {
    const mine = copies.filter((copy) => copy.channel === channel);
    const known = [...new Set(mine.filter((copy) => copy.known).map((copy) => copy.contact.id))];
    const [suppressed, states] = await Promise.all([
      suppressedAddresses(
        deps,
        channel,
        mine.map((copy) => copy.address),
      ),
      known.length > 0 ? deps.consent.statesForMany(known, channel, campaign.topic) : new Map(),
    ]);
    return { suppressed, states };
  };
  const [erased, sms, email] = await Promise.all([
    deps.suppressions.find(tombstones),
    byChannel('sms'),
    byChannel('email'),
  ]);
  return copies.map((copy, index): TestSkipReason | undefined => {
    if (erased.has(tombstones[index] ?? '')) return 'erased';
    const { suppressed, states } = copy.channel === 'sms' ? sms : email;
    if (suppressed.has(copy.address)) return 'opted_out';
    if (copy.known && isSuppressed(states.get(copy.contact.id) ?? [], campaign.topic)) return 'opted_out';
    return undefined;
  });
}
