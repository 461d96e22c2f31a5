/**
 * Test sends: a campaign's real rendering, sent now to a few named targets, marked as a test,
 * from the same line and the same email frame, outside the delivery ledger (so never in the
 * campaign's stats) and never to an erased or opted-out address.
 */
import { createHmac } from 'node:crypto';
import type { Campaign } from '../domain/campaign';
import {
  markedAsTest,
  parseTestTargets,
  type TestSendResult,
  type TestSkipReason,
  type TestTarget,
} from '../domain/campaign-test';
import { isSuppressed } from '../domain/consent';
import { NotFoundError, ProviderError } from '../domain/errors';
import { deliveryLocalId, newRef } from '../domain/ids';
import { maskEmail, maskPhone } from '../domain/mask';
import { contactValues, renderTemplate } from '../domain/placeholders';
import type { SmsMessage } from '../domain/sms';
import { smsLength } from '../domain/sms-segments';
import { composeSms, MAX_SMS_LENGTH, type SmsLayout } from '../domain/sms-text';
import type { Channel, Contact } from '../domain/types';
import { signUnsubscribeToken, type TokenKeyring } from '../domain/unsubscribe-token';
import type {
  CampaignStore,
  ConsentStore,
  ContactSearch,
  ContactStore,
  EmailProvider,
  LinkStore,
  SmsBatchProvider,
  SuppressionStore,
  TemplateSource,
  TestSendGuard,
} from '../ports';
import { suppressedAddresses } from './address-suppressions';
import { tombstoneHashes } from './contact-consent';
import { renderCampaignEmail } from './render-email';

/** How long a target's test copy on a channel keeps a retried call from sending it again. */
export const TEST_SEND_WINDOW_MS = 60_000;

export interface CampaignTestDeps {
  readonly campaigns: Pick<CampaignStore, 'get'>;
  readonly contacts: Pick<ContactStore, 'getMany'>;
  /** Finds the contact a phone or email given directly belongs to (its name, locale, consent). */
  readonly search: ContactSearch;
  readonly consent: Pick<ConsentStore, 'statesForMany'>;
  /** Erasure tombstones and address suppressions. */
  readonly suppressions: SuppressionStore;
  readonly erasureKey: () => Promise<string>;
  /** The senders' provider behind the shared SMS rate, from the one verified line. */
  readonly sms: SmsBatchProvider;
  readonly email: EmailProvider;
  readonly links: LinkStore;
  readonly layout: SmsLayout;
  readonly keyring: () => Promise<TokenKeyring>;
  readonly publicBaseUrl: string;
  readonly templates: TemplateSource;
  readonly guard: TestSendGuard;
  readonly now: () => Date;
}

/** One copy to send: a target, a channel, the address and who it is rendered for. */
interface Copy {
  readonly target: string;
  readonly channel: Channel;
  readonly address: string;
  readonly contact: Contact;
  /** A contact of ours: its consent for the topic applies. */
  readonly known: boolean;
}

type Outcome = Omit<TestSendResult, 'target' | 'channel' | 'to'>;

const masked = (channel: Channel, address: string) =>
  channel === 'sms' ? maskPhone(address) : maskEmail(address);

/**
 * Sends campaign `id`'s test copies to the targets `body` names (1 to 10 contact ids, phones,
 * emails). A contact gets a copy on each of the campaign's channels it has an address for; a
 * phone or email given directly is rendered for the contact holding it, or as for a contact
 * with no name (locale fa) when none does. Each copy is skipped, with its reason, when the
 * address is erased (a tombstone), suppressed or opted out of the campaign's topic, or when
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
  const toSend: { copy: Copy; guardKey: string }[] = [];
  for (const [index, copy] of copies.entries()) {
    const skip = checked[index];
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
  const outcomes = await Promise.all([
    sendSms(
      deps,
      campaign,
      toSend.filter(({ copy }) => copy.channel === 'sms'),
      now,
    ),
    ...toSend
      .filter(({ copy }) => copy.channel === 'email')
      .map(async (item) => [[item, await sendEmail(deps, campaign, item.copy)] as const]),
  ]);
  for (const [item, outcome] of outcomes.flat()) {
    // A copy that surely did not go out may be tried again at once.
    if (outcome.status === 'failed' && !(outcome as { maybeSent?: boolean }).maybeSent)
      await deps.guard.release(item.guardKey);
    const { maybeSent: _maybe, ...shown } = outcome as Outcome & { maybeSent?: boolean };
    results.push(resultOf(item.copy, shown));
  }
  return results;
}

function resultOf(copy: Copy, outcome: Outcome): TestSendResult {
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

type Sent = readonly (readonly [{ copy: Copy; guardKey: string }, Outcome & { maybeSent?: boolean }])[];

/** The SMS copies in one call through the shared rate, each with its own link and a test local id. */
async function sendSms(
  deps: CampaignTestDeps,
  campaign: Campaign,
  items: readonly { copy: Copy; guardKey: string }[],
  now: Date,
): Promise<Sent> {
  const text = campaign.sms?.text;
  if (items.length === 0 || !text) return [];
  const messages: (SmsMessage | undefined)[] = await Promise.all(
    items.map(async ({ copy }) => {
      const link = await deps.links.linkFor({ ref: copy.contact.ref, channel: 'sms', topic: campaign.topic });
      const body = markedAsTest(renderTemplate(text, contactValues(copy.contact)), copy.contact.locale);
      const message = {
        receptor: copy.address,
        text: composeSms(deps.layout, body, link.code),
        // Never the campaign's own local id: a lookup for the real SMS must not find the test.
        localId: deliveryLocalId(campaign.id, `test:${now.getTime()}:${copy.address}`, 'sms'),
      };
      return smsLength(message.text) > MAX_SMS_LENGTH ? undefined : message;
    }),
  );
  const sendable = messages.filter((message): message is SmsMessage => message !== undefined);
  const outcome =
    sendable.length > 0 ? await deps.sms.sendDetailed(sendable) : { receipts: [], failures: [] };
  const receipts = new Set(outcome.receipts.map((receipt) => receipt.localId));
  const failures = new Map(outcome.failures.map((failure) => [failure.localId, failure.error]));
  return items.map((item, index) => {
    const message = messages[index];
    if (!message) return [item, { status: 'failed', reason: 'sms_too_long' }] as const;
    if (receipts.has(message.localId)) return [item, { status: 'sent' }] as const;
    const error = failures.get(message.localId);
    return [
      item,
      {
        status: 'failed',
        reason: error ? `${error.provider}:${error.code}` : 'no answer for this message',
        maybeSent: error ? error.outcomeUnknown : true,
      },
    ] as const;
  });
}

/** One email copy in the campaign's frame, with its unsubscribe link and one-click headers. */
async function sendEmail(
  deps: CampaignTestDeps,
  campaign: Campaign,
  copy: Copy,
): Promise<Outcome & { maybeSent?: boolean }> {
  const email = campaign.email;
  if (!email) return { status: 'failed', reason: 'no email content' };
  const token = signUnsubscribeToken(
    { ref: copy.contact.ref, channel: 'email', topic: campaign.topic, campaignId: campaign.id },
    await deps.keyring(),
  );
  const url = `${deps.publicBaseUrl.replace(/\/+$/, '')}/u/${token}`;
  const marked = {
    ...campaign,
    email: { ...email, subject: markedAsTest(email.subject, copy.contact.locale) },
  };
  const rendered = renderCampaignEmail(marked, copy.contact, url, deps.templates);
  try {
    await deps.email.send({
      to: copy.address,
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      headers: { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      // No campaign or ref tag: SES feedback on a test copy never counts in the campaign's stats.
      tags: { kind: 'campaign-test' },
    });
    return { status: 'sent' };
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    return { status: 'failed', reason: `${error.provider}:${error.code}`, maybeSent: error.outcomeUnknown };
  }
}
