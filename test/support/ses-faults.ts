/**
 * Test helpers for the SES front's /_ses/faults (local/ses-front). Faults are global to one
 * front: a test that sets account-wide faults (a rate, a pause, failNext) on the shared
 * emulators would steer every other file's mail too, so such tests start their own SES with
 * `start({ port: 0 })` from local/ses.ts; rejectAddresses only touch the addresses named.
 */

/** The body of POST /_ses/faults. */
export interface SesFaultsInput {
  readonly maxSendRate?: number;
  readonly sendingPaused?: boolean;
  readonly accountSuspended?: boolean;
  readonly dailyQuotaExceeded?: boolean;
  readonly rejectAddresses?: readonly string[];
  readonly failNext?: { readonly error: string; readonly count: number };
  readonly failAfterAccept?: number;
}

/** What the front measured at SendEmail's arrival (GET /_ses/stats). */
export interface SesSendStats {
  readonly acceptedCalls: number;
  readonly acceptedRecipients: number;
  readonly refused: Readonly<Record<string, number>>;
  readonly throttled: number;
  readonly busiestSlidingSecond: number;
  readonly duplicateAddresses: number;
  /** Arrival to answer of the accepted calls, ms (null when none). */
  readonly answerMs: { readonly median: number | null; readonly p90: number | null };
  readonly firstAcceptedAt: number | null;
  readonly lastAcceptedAt: number | null;
}

/** Steers the SES front at `endpoint` (the SES address, e.g. endpoints.ses). */
export function sesFaults(endpoint: string) {
  const request = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${endpoint}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    if (!response.ok)
      throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
    return response.json();
  };
  const control = async (method: string, body?: unknown) =>
    (await request(method, '/_ses/faults', body)) as Record<string, unknown>;
  return {
    /** Merges faults into those in force; returns them all. */
    set: (faults: SesFaultsInput) => control('POST', faults),
    /** Lifts every fault. */
    clear: () => control('DELETE'),
    /** The faults in force. */
    get: () => control('GET'),
    /** The SendEmail figures since the last clearStats. */
    stats: async () => (await request('GET', '/_ses/stats')) as SesSendStats,
    clearStats: async () => (await request('DELETE', '/_ses/stats')) as SesSendStats,
    /** Accepted mail per address (lower-cased). */
    sent: async () => (await request('GET', '/_ses/sent')) as Record<string, number>,
  };
}
