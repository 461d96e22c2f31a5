import { ALL_TOPICS, type Channel } from './types';

/** Where a consent change came from. */
export const CONSENT_SOURCES = [
  'link',
  'one-click',
  'preference-centre',
  'api',
  'kavenegar_status_14',
  'ses_bounce',
  'ses_complaint',
  'erasure',
  'import',
] as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[number];

export type ConsentStatus = 'opted_out' | 'subscribed';
export type ConsentAction = 'opt_out' | 'opt_in' | 'resubscribe';
/**
 * What a ledger event records: a change of state, or `imported`, a note that changes no state
 * (a contact came in through an import, with the basis the marketer relies on).
 */
export type LedgerAction = ConsentAction | 'imported';

/** Request evidence kept with a change: never a full IP address. */
export interface ConsentEvidence {
  readonly userAgent?: string;
  /** IPv4 /24 or IPv6 /48 prefix. */
  readonly ipPrefix?: string;
  /** The short SMS link the change came through (one per contact × topic: it names no campaign). */
  readonly linkCode?: string;
}

/** Current consent of one contact for one channel and topic (`*` = every topic). */
export interface ConsentState {
  readonly channel: Channel;
  readonly topic: string;
  readonly status: ConsentStatus;
  readonly source: ConsentSource;
  readonly at: string;
  readonly campaignId?: string;
}

/** One append-only ledger entry. */
export interface ConsentEvent {
  readonly id: string;
  readonly contactId: string;
  readonly action: LedgerAction;
  readonly channel: Channel;
  readonly topic: string;
  readonly source: ConsentSource;
  readonly at: string;
  readonly campaignId?: string;
  readonly evidence: ConsentEvidence;
}

/** The evidence an import leaves in each imported contact's ledger. */
export interface ImportConsentEvidence extends ConsentEvidence {
  readonly importId: string;
  /** The marketer's legal ground, e.g. `implied` (customers, until they opt out). */
  readonly basis: string;
  readonly reference?: string;
}

/** The state an event leaves behind, or undefined for a note (`imported`) that changes none. */
export function stateAfter(event: ConsentEvent): ConsentState | undefined {
  if (event.action === 'imported') return undefined;
  return {
    channel: event.channel,
    topic: event.topic,
    status: statusAfter(event.action),
    source: event.source,
    at: event.at,
    ...(event.campaignId ? { campaignId: event.campaignId } : {}),
  };
}

export function statusAfter(action: ConsentAction): ConsentStatus {
  return action === 'opt_out' ? 'opted_out' : 'subscribed';
}

/**
 * Whether a contact must not receive marketing on `topic` over the channel the states are for.
 * The topic's own state and the all-topics switch are compared by time, and the later one
 * decides: "unsubscribe from everything" then "resubscribe to the newsletter" lets the
 * newsletter through, and the reverse order does not. No state at all means subscribed.
 */
export function isSuppressed(states: readonly ConsentState[], topic: string): boolean {
  const own = states.find((state) => state.topic === topic);
  const all = states.find((state) => state.topic === ALL_TOPICS);
  const decisive = !own ? all : !all ? own : own.at >= all.at ? own : all;
  return decisive?.status === 'opted_out';
}

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** Reduces an IP address to the prefix kept as evidence (IPv4 /24, IPv6 /48); undefined for anything else. */
export function ipPrefix(ip: string | undefined): string | undefined {
  if (!ip) return undefined;
  // An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is an IPv4 client: keep its /24, never the whole address.
  const v4 = /^::ffff:/i.test(ip) ? ip.slice(7) : ip;
  if (IPV4.test(v4)) return `${v4.split('.').slice(0, 3).join('.')}.0/24`;
  const groups = ipv6Groups(ip);
  return groups ? `${groups.slice(0, 3).join(':')}::/48` : undefined;
}

/** The eight groups of an IPv6 address with `::` expanded, or undefined when it is not one. */
function ipv6Groups(ip: string): string[] | undefined {
  const halves = ip.split('::');
  if (halves.length > 2) return undefined;
  const [head = [], tail = []] = halves.map((half) => (half === '' ? [] : half.split(':')));
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(missing).fill('0'), ...tail];
  return groups.every((group) => /^[0-9a-f]{1,4}$/i.test(group)) ? groups : undefined;
}
