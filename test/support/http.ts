/** Small HTTP helpers for tests that drive the local platform. */

export const API_KEY = 'local-dev-key';
export const WEBHOOK_SECRET = 'local-webhook-secret';
export const SMS_SENDER = '50004001051233';

export interface Reply<T = unknown> {
  readonly status: number;
  readonly body: T;
  readonly text: string;
  readonly headers: Headers;
}

/** Calls the API with the marketer key (unless `auth: false`) and parses JSON when it can. */
export async function call<T = Record<string, unknown>>(
  base: string,
  method: string,
  path: string,
  options: { json?: unknown; body?: string; headers?: Record<string, string>; auth?: boolean } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.auth !== false) headers.authorization = `Bearer ${API_KEY}`;
  let body = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(`${base}${path}`, { method, headers, body, redirect: 'manual' });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: pages and plain text
  }
  return { status: response.status, body: parsed as T, text, headers: response.headers };
}

/** Polls until `probe` returns a value (not undefined), or fails with the last value seen. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 30_000,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export interface StoredEmail {
  readonly messageId: string;
  readonly from: string;
  readonly destination: { to: string[] };
  readonly subject: string;
  readonly body: { html?: string; text?: string };
  readonly headers?: { name: string; value: string }[];
}

export async function sesEmails(sesUrl: string): Promise<StoredEmail[]> {
  const response = await fetch(`${sesUrl}/store`);
  return ((await response.json()) as { emails: StoredEmail[] }).emails;
}

export interface SimulatedSms {
  readonly messageid: number | string;
  readonly sender: string;
  readonly receptor: string;
  readonly message: string;
  readonly status: number;
}

export async function simMessages(kavenegarUrl: string): Promise<SimulatedSms[]> {
  const response = await fetch(`${kavenegarUrl}/_sim/messages`);
  return (await response.json()) as SimulatedSms[];
}

export function headerOf(email: StoredEmail, name: string): string | undefined {
  return email.headers?.find((header) => header.name.toLowerCase() === name.toLowerCase())?.value;
}
