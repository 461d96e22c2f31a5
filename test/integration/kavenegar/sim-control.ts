/** Test helpers for the Kavenegar simulator's /_sim routes. */

/** One accepted SMS as GET /_sim/messages lists it. */
export interface SimMessageRecord {
  readonly messageid: number;
  readonly sender: string;
  readonly receptor: string;
  readonly message: string;
  readonly status: number;
  readonly date: number;
  readonly localid?: string;
  readonly cost: number;
}

/** One API call as GET /_sim/requests lists it. */
export interface SimRequestRecord {
  readonly method: string;
  readonly path: string;
  readonly params: Record<string, string>;
  readonly code: number;
  /** Arrival, epoch milliseconds. */
  readonly at: number;
}

async function control(url: string, method: string, path: string, body?: unknown): Promise<Response> {
  const response = await fetch(`${url}${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  if (!response.ok)
    throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  return response;
}

export async function simMessages(url: string): Promise<SimMessageRecord[]> {
  return (await control(url, 'GET', '/_sim/messages')).json() as Promise<SimMessageRecord[]>;
}

export async function simRequests(url: string): Promise<SimRequestRecord[]> {
  return (await control(url, 'GET', '/_sim/requests')).json() as Promise<SimRequestRecord[]>;
}

/** The raw /_sim/requests text, to search for what must never be in it. */
export async function simRequestsText(url: string): Promise<string> {
  return (await control(url, 'GET', '/_sim/requests')).text();
}

export async function setFaults(url: string, faults: Record<string, unknown>): Promise<void> {
  await control(url, 'POST', '/_sim/faults', faults);
}

export async function clearFaults(url: string): Promise<void> {
  await control(url, 'DELETE', '/_sim/faults');
}

export async function resetSim(url: string): Promise<void> {
  await control(url, 'POST', '/_sim/reset');
}

/** A unique, valid Iranian mobile in E.164 for index `n`. */
export function mobile(n: number): string {
  return `+98912${String(n).padStart(7, '0')}`;
}
