import type { ConsentSource, ConsentState } from '../domain/consent';
import { type ConsentEvidence, ipPrefix, isSuppressed } from '../domain/consent';
import { NotFoundError, ValidationError } from '../domain/errors';
import { newId } from '../domain/ids';
import { ALL_TOPICS, type Channel, type Contact, DEFAULT_TOPICS } from '../domain/types';
import { type TokenClaims, type TokenKeyring, verifyUnsubscribeToken } from '../domain/unsubscribe-token';
import type { ConsentStore, ContactStore, LinkStore } from '../ports';

import {
  type AddressSuppressionDeps,
  liftAddressSuppressions,
  suppressAddress,
} from './address-suppressions';

export interface UnsubscribeDeps {
  readonly contacts: ContactStore;
  readonly consent: ConsentStore;
  readonly links: LinkStore;
  readonly keyring: () => Promise<TokenKeyring>;
  readonly now: () => Date;
  /** Binds an opt-out of every topic to the address too (any contact id holding it). */
  readonly addressSuppressions?: AddressSuppressionDeps;
}

/** How a person reached the preference centre: a signed email token or a short SMS code. */
export type UnsubscribeLink = { readonly token: string } | { readonly code: string };

/** What an opened link claims: a short SMS link names no campaign (one link serves a topic). */
export type LinkClaims = Omit<TokenClaims, 'campaignId'> & { readonly campaignId?: string };

/** A link that checked out: what it claims and the contact it names. */
export interface OpenedLink {
  readonly claims: LinkClaims;
  readonly contact: Contact;
  /** The short link's code, recorded as the evidence of a change made through it. */
  readonly code?: string;
}

/** Verifies a token and finds its contact; any doubt is a 4xx and nothing is written. */
export async function resolveToken(
  deps: Pick<UnsubscribeDeps, 'contacts' | 'keyring'>,
  token: string,
): Promise<OpenedLink> {
  const result = verifyUnsubscribeToken(token, await deps.keyring());
  if (!result.ok) throw new ValidationError(`Invalid unsubscribe link (${result.reason})`);
  return { claims: result.claims, contact: await contactByRef(deps, result.claims.ref) };
}

/** Finds a short SMS link's claims and contact; an unknown code is a 404. */
export async function resolveShortLink(
  deps: Pick<UnsubscribeDeps, 'contacts' | 'links'>,
  code: string,
): Promise<OpenedLink> {
  const link = await deps.links.find(code);
  if (!link) throw new NotFoundError('Unknown short unsubscribe link');
  const { code: _code, ...claims } = link;
  return { claims, contact: await contactByRef(deps, claims.ref), code };
}

export function openLink(deps: UnsubscribeDeps, link: UnsubscribeLink): Promise<OpenedLink> {
  return 'token' in link ? resolveToken(deps, link.token) : resolveShortLink(deps, link.code);
}

async function contactByRef(deps: Pick<UnsubscribeDeps, 'contacts'>, ref: string): Promise<Contact> {
  const contact = await deps.contacts.getByRef(ref);
  if (!contact) throw new NotFoundError('This unsubscribe link no longer names a contact');
  return contact;
}

/** One topic as the preference centre shows it. */
export interface TopicPreference {
  readonly topic: string;
  /** Whether marketing on this topic reaches the person now (the all-topics switch included). */
  readonly receiving: boolean;
  /** When this topic's consent last changed, by its own state or the all-topics switch. */
  readonly since?: string;
}

/** What a person receives on the link's channel. */
export interface Preferences {
  readonly channel: Channel;
  /** The topic of the message the link came in. */
  readonly linkTopic: string;
  /** The default topics, the link's topic, then every other topic the person has a state for. */
  readonly topics: readonly TopicPreference[];
  /** The all-topics switch: false once the person left everything on this channel. */
  readonly everything: TopicPreference;
}

/** The preference centre's view of a contact's states; pure. */
export function preferencesFrom(claims: LinkClaims, states: readonly ConsentState[]): Preferences {
  const all = states.find((state) => state.topic === ALL_TOPICS);
  const known = states.map((state) => state.topic).filter((topic) => topic !== ALL_TOPICS);
  const linkTopic = claims.topic === ALL_TOPICS ? [] : [claims.topic];
  const topics = [...new Set<string>([...DEFAULT_TOPICS, ...linkTopic, ...known.sort()])];
  return {
    channel: claims.channel,
    linkTopic: claims.topic,
    topics: topics.map((topic) => {
      const own = states.find((state) => state.topic === topic);
      const since = [own?.at, all?.at]
        .filter((at) => at !== undefined)
        .sort()
        .at(-1);
      return { topic, receiving: !isSuppressed(states, topic), ...(since ? { since } : {}) };
    }),
    everything: {
      topic: ALL_TOPICS,
      receiving: all?.status !== 'opted_out',
      ...(all ? { since: all.at } : {}),
    },
  };
}

/** Whether the preference centre offers a change to `topic` (`*` = everything on the channel). */
export function offers(preferences: Preferences, topic: string): boolean {
  return topic === ALL_TOPICS || preferences.topics.some((candidate) => candidate.topic === topic);
}

export async function readPreferences(
  deps: Pick<UnsubscribeDeps, 'consent'>,
  link: OpenedLink,
): Promise<Preferences> {
  return preferencesFrom(link.claims, await deps.consent.states(link.contact.id, link.claims.channel));
}

/** A change the person asked for. */
export interface ConsentChoice {
  readonly action: 'opt_out' | 'resubscribe';
  /** A topic slug, or `*` for every topic on the link's channel. */
  readonly topic: string;
  readonly source: Extract<ConsentSource, 'link' | 'one-click' | 'preference-centre'>;
}

/**
 * Reads a POST's already-parsed form fields (shared/http/body.ts): RFC 8058's `List-Unsubscribe=One-Click`, the preference centre's
 * `action` + `topic` (+ `via=link` from the confirm button), or the older `scope=topic|all`
 * form. A body naming none of them confirms the link's own topic, as the first page did.
 * Undefined when a field holds something the centre never sends.
 */
export function readChoice(form: URLSearchParams, linkTopic: string): ConsentChoice | undefined {
  if (form.get('List-Unsubscribe') === 'One-Click') {
    return { action: 'opt_out', topic: linkTopic, source: 'one-click' };
  }
  const action = form.get('action');
  if (action === null) {
    const scope = form.get('scope') ?? 'topic';
    if (scope !== 'topic' && scope !== 'all') return undefined;
    return { action: 'opt_out', topic: scope === 'all' ? ALL_TOPICS : linkTopic, source: 'link' };
  }
  const topic = form.get('topic');
  if ((action !== 'opt_out' && action !== 'resubscribe') || !topic) return undefined;
  return { action, topic, source: form.get('via') === 'link' ? 'link' : 'preference-centre' };
}

/** What a change came to: recorded with the preferences after it, or refused with those before. */
export type ConsentChange =
  | { readonly recorded: true; readonly choice: ConsentChoice; readonly preferences: Preferences }
  | { readonly recorded: false; readonly preferences: Preferences };

/**
 * Records a change asked for through a link, if the preference centre offers it. Idempotent:
 * the same change twice leaves the same state and one more ledger entry.
 */
export async function changeConsent(
  deps: UnsubscribeDeps,
  link: OpenedLink,
  choice: ConsentChoice | undefined,
  request: { userAgent?: string; sourceIp?: string },
): Promise<ConsentChange> {
  const before = await readPreferences(deps, link);
  if (!choice || !offers(before, choice.topic)) return { recorded: false, preferences: before };
  const prefix = ipPrefix(request.sourceIp);
  const evidence: ConsentEvidence = {
    ...(request.userAgent ? { userAgent: request.userAgent.slice(0, 256) } : {}),
    ...(prefix ? { ipPrefix: prefix } : {}),
    ...(link.code ? { linkCode: link.code } : {}),
  };
  const now = deps.now();
  await deps.consent.record({
    id: newId(now.getTime()),
    contactId: link.contact.id,
    action: choice.action,
    channel: link.claims.channel,
    topic: choice.topic,
    source: choice.source,
    at: now.toISOString(),
    ...(link.claims.campaignId ? { campaignId: link.claims.campaignId } : {}),
    evidence,
  });
  if (deps.addressSuppressions) {
    const channel = link.claims.channel;
    const address = channel === 'sms' ? link.contact.phone : link.contact.email;
    if (choice.action === 'resubscribe') {
      await liftAddressSuppressions(deps.addressSuppressions, channel, address, ['opted_out']);
    } else if (choice.topic === ALL_TOPICS) {
      await suppressAddress(deps.addressSuppressions, channel, address, 'opted_out');
    }
  }
  return { recorded: true, choice, preferences: await readPreferences(deps, link) };
}
