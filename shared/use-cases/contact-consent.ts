import { createHmac } from 'node:crypto';
import * as z from 'zod/mini';
import { CONTACT_ID, TOPIC } from '../domain/campaign';
import { type ConsentEvent, type ConsentEvidence, type ConsentState, ipPrefix } from '../domain/consent';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors';
import { newId } from '../domain/ids';
import type { ContactFields } from '../domain/types';
import { ALL_TOPICS, CHANNELS, type Channel } from '../domain/types';
import { parseWith } from '../domain/validation';
import type { ConsentRecordResult, ConsentStore, ContactStore, SuppressionStore } from '../ports';
import {
  type AddressSuppressionKind,
  liftAddressSuppressions,
  suppressAddress,
} from './address-suppressions';

/** @throws ValidationError when `contactId` cannot name a contact. */
export function assertContactId(contactId: string): void {
  if (!CONTACT_ID.test(contactId)) {
    throw new ValidationError('Invalid contactId: use 1-128 letters, digits or . _ : @ + -', [
      { field: 'contactId', message: 'must be 1-128 letters, digits or . _ : @ + -' },
    ]);
  }
}

/** The ledger's record that erasure put a contact out of reach on a channel, every topic. */
export function recordErasureOptOut(
  consent: ConsentStore,
  contactId: string,
  channel: Channel,
  now: Date,
): Promise<ConsentRecordResult> {
  return consent.record({
    id: newId(now.getTime()),
    contactId,
    action: 'opt_out',
    channel,
    topic: ALL_TOPICS,
    source: 'erasure',
    at: now.toISOString(),
    evidence: {},
  });
}

/** What turns an address into its do-not-contact tombstone, and honours one. */
export interface TombstoneDeps {
  readonly consent: ConsentStore;
  readonly suppressions: SuppressionStore;
  /** The `erasureKey` secret: the HMAC key of the tombstones. */
  readonly erasureKey: () => Promise<string>;
  readonly now: () => Date;
}

/**
 * Keyed hashes (HMAC-SHA256) of normalised addresses (E.164 phone, lower-cased email), by the
 * channel each reaches. Without the key a hash cannot be tested against a list of numbers.
 */
export function tombstoneHashes(
  key: string,
  addresses: Pick<ContactFields, 'phone' | 'email'>,
): Partial<Record<Channel, string>> {
  const hash = (kind: string, value: string) =>
    createHmac('sha256', key).update(`${kind}:${value}`).digest('base64url');
  return {
    ...(addresses.phone ? { sms: hash('phone', addresses.phone) } : {}),
    ...(addresses.email ? { email: hash('email', addresses.email) } : {}),
  };
}

/** The channels whose address among these belongs to an erased person. */
async function tombstonedChannels(
  deps: Pick<TombstoneDeps, 'suppressions' | 'erasureKey'>,
  addresses: Pick<ContactFields, 'phone' | 'email'>,
): Promise<Map<Channel, string>> {
  if (!addresses.phone && !addresses.email) return new Map();
  const hashes = Object.entries(tombstoneHashes(await deps.erasureKey(), addresses)) as [Channel, string][];
  const found = await deps.suppressions.find(hashes.map(([, hash]) => hash));
  return new Map(hashes.filter(([, hash]) => found.has(hash)));
}

/** Whether every topic of a channel is opted out already (the all-topics switch decides). */
function unreachable(states: readonly ConsentState[]): boolean {
  const all = states.find((state) => state.topic === ALL_TOPICS);
  if (all?.status !== 'opted_out') return false;
  // isSuppressed lets a topic's own state win a tie with the switch.
  return !states.some(
    (state) => state.topic !== ALL_TOPICS && state.status === 'subscribed' && state.at >= all.at,
  );
}

/**
 * Keeps an erased person unreachable when a contact with their phone or email is imported
 * again: records an opt-out from every topic, source `erasure`, on each tombstoned channel
 * (unless one already holds). Runs before the contact is stored, so no campaign can see it
 * reachable in between.
 * @returns the channels found tombstoned.
 */
export async function honourTombstones(
  deps: TombstoneDeps,
  contactId: string,
  addresses: Pick<ContactFields, 'phone' | 'email'>,
): Promise<Channel[]> {
  const tombstoned = [...(await tombstonedChannels(deps, addresses)).keys()];
  for (const channel of tombstoned) {
    if (unreachable(await deps.consent.states(contactId, channel))) continue;
    await recordErasureOptOut(deps.consent, contactId, channel, deps.now());
  }
  return tombstoned;
}

/** A contact's consent: current state per channel and topic, and the ledger oldest first. */
export interface ConsentView {
  readonly contactId: string;
  readonly state: ConsentState[];
  readonly history: ConsentEvent[];
}

async function allStates(consent: ConsentStore, contactId: string): Promise<ConsentState[]> {
  const perChannel = await Promise.all(CHANNELS.map((channel) => consent.states(contactId, channel)));
  return perChannel.flat().sort((a, b) => `${a.channel}#${a.topic}`.localeCompare(`${b.channel}#${b.topic}`));
}

/**
 * What a contact agreed to and how it got there. An erased contact keeps its history (with
 * evidence scrubbed), so it is found after its profile is gone.
 * @throws NotFoundError when there is neither a contact nor any history.
 */
export async function getContactConsent(
  deps: { contacts: ContactStore; consent: ConsentStore },
  contactId: string,
): Promise<ConsentView> {
  assertContactId(contactId);
  const [contact, state, history] = await Promise.all([
    deps.contacts.get(contactId),
    allStates(deps.consent, contactId),
    deps.consent.history(contactId),
  ]);
  if (!contact && history.length === 0) throw new NotFoundError(`Contact ${contactId} not found`);
  const oldestFirst = history.toSorted((a, b) => `${a.at}#${a.id}`.localeCompare(`${b.at}#${b.id}`));
  return { contactId, state, history: oldestFirst };
}

/** Evidence of a change made through the API: how the person agreed, never a full IP address. */
export interface ApiConsentEvidence extends ConsentEvidence {
  /** How consent was obtained, e.g. `double-opt-in` or `signed-form`. */
  readonly method?: string;
  /** Where the proof is kept: a form id, a confirmation message id ... */
  readonly reference?: string;
}

/** The body of POST /v1/contacts/{contactId}/consent. */
export const consentChangeSchema = z
  .strictObject({
    action: z.enum(['opt_in', 'opt_out', 'resubscribe'], 'must be "opt_in", "opt_out" or "resubscribe"'),
    channel: z.enum(CHANNELS, 'must be "sms" or "email"'),
    topic: z
      .string()
      .check(
        z.refine(
          (topic) => topic === ALL_TOPICS || TOPIC.test(topic),
          'must be "*" (every topic) or a lower-case slug such as newsletter',
        ),
      ),
    evidence: z.optional(
      z.strictObject({
        method: z
          .string()
          .check(
            z.trim(),
            z.minLength(1, 'must not be empty'),
            z.maxLength(64, 'must be at most 64 characters'),
          ),
        reference: z.optional(
          z
            .string()
            .check(
              z.trim(),
              z.minLength(1, 'must not be empty'),
              z.maxLength(256, 'must be at most 256 characters'),
            ),
        ),
        userAgent: z.optional(z.string().check(z.maxLength(512, 'must be at most 512 characters'))),
        ip: z.optional(z.string().check(z.maxLength(64, 'must be at most 64 characters'))),
      }),
    ),
  })
  .check(
    z.superRefine((input, ctx) => {
      if (input.action === 'opt_in' && !input.evidence) {
        ctx.addIssue({
          code: 'custom',
          path: ['evidence'],
          message: 'is required for opt_in: give at least its method, e.g. double-opt-in or signed-form',
        });
      }
      if (input.evidence?.ip !== undefined && !ipPrefix(input.evidence.ip)) {
        ctx.addIssue({
          code: 'custom',
          path: ['evidence', 'ip'],
          message: 'must be an IPv4 or IPv6 address',
        });
      }
    }),
  );

/** A hard bounce is lifted only by an explicit opt-in with evidence (or a new address). */
const LIFTED_BY: Record<'opt_in' | 'resubscribe', readonly AddressSuppressionKind[]> = {
  opt_in: ['opted_out', 'hard_bounce'],
  resubscribe: ['opted_out'],
};

export interface ContactConsentDeps extends TombstoneDeps {
  readonly contacts: ContactStore;
}

/**
 * Records an explicit opt-in, opt-out or resubscribe made through the API, with its evidence,
 * state and ledger event in one transaction. An erased person (a tombstoned address, or an
 * erasure opt-out on the channel) becomes reachable only through an `opt_in` with evidence,
 * which also lifts the tombstone of that address. An opt-out of every topic binds to the
 * address too (any contact holding it); an opt_in on the channel lifts that and a hard bounce,
 * a resubscribe only the opt-out.
 * @throws ValidationError for a malformed change, NotFoundError for an unknown contact,
 * ConflictError for a resubscribe of an erased person.
 */
export async function recordContactConsent(
  deps: ContactConsentDeps,
  contactId: string,
  body: unknown,
): Promise<{ event: ConsentEvent; state: ConsentState[] }> {
  assertContactId(contactId);
  const change = parseWith(consentChangeSchema, body, 'consent change');
  const contact = await deps.contacts.get(contactId);
  if (!contact) throw new NotFoundError(`Contact ${contactId} not found`);

  const address = change.channel === 'sms' ? { phone: contact.phone } : { email: contact.email };
  const tombstone = (await tombstonedChannels(deps, address)).get(change.channel);
  if (change.action === 'resubscribe') {
    const states = await deps.consent.states(contactId, change.channel);
    const erased = states.some(
      (state) => state.topic === ALL_TOPICS && state.status === 'opted_out' && state.source === 'erasure',
    );
    if (tombstone || erased) {
      throw new ConflictError(
        `Contact ${contactId} belongs to an erased person on ${change.channel}: only an opt_in with evidence makes it reachable again`,
      );
    }
  }

  const prefix = ipPrefix(change.evidence?.ip);
  const evidence: ApiConsentEvidence = change.evidence
    ? {
        method: change.evidence.method,
        ...(change.evidence.reference ? { reference: change.evidence.reference } : {}),
        ...(change.evidence.userAgent ? { userAgent: change.evidence.userAgent.slice(0, 256) } : {}),
        ...(prefix ? { ipPrefix: prefix } : {}),
      }
    : {};
  const now = deps.now();
  const event: ConsentEvent = {
    id: newId(now.getTime()),
    contactId,
    action: change.action,
    channel: change.channel,
    topic: change.topic,
    source: 'api',
    at: now.toISOString(),
    evidence,
  };
  await deps.consent.record(event);
  if (tombstone && change.action === 'opt_in') await deps.suppressions.remove([tombstone]);
  const addressOnChannel = change.channel === 'sms' ? contact.phone : contact.email;
  if (change.action === 'opt_out') {
    if (change.topic === ALL_TOPICS)
      await suppressAddress(deps, change.channel, addressOnChannel, 'opted_out');
  } else {
    await liftAddressSuppressions(deps, change.channel, addressOnChannel, LIFTED_BY[change.action]);
  }
  return { event, state: await allStates(deps.consent, contactId) };
}
