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
  readonly dailyQuotaExceeded?: boolean;
  readonly rejectAddresses?: readonly string[];
  readonly failNext?: { readonly error: string; readonly count: number };
  readonly failAfterAccept?: number;
}

/** Steers the SES front at `endpoint` (the SES address, e.g. endpoints.ses). */
export function sesFaults(endpoint: string) {
  const control = async (method: string, body?: unknown): Promise<Record<string, unknown>> => {
    const response = await fetch(`${endpoint}/_ses/faults`, {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    if (!response.ok)
      throw new Error(`${method} /_ses/faults answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as Record<string, unknown>;
  };
  return {
    /** Merges faults into those in force; returns them all. */
    set: (faults: SesFaultsInput) => control('POST', faults),
    /** Lifts every fault. */
    clear: () => control('DELETE'),
    /** The faults in force. */
    get: () => control('GET'),
  };
}
