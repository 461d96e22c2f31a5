import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './api-types';

/** The typed client of the Chapar HTTP API: the only thing in cli/ that talks to the API. */
export type ApiClient = Client<paths>;

/** Where the CLI finds the API: flags first, then CHAPAR_API_URL and CHAPAR_API_KEY. */
export interface ApiConfig {
  readonly url: string;
  readonly key: string;
}

export const DEFAULT_API_URL = 'http://127.0.0.1:3000';

/** Bad use of the command line (a missing key, a flag that makes no sense): exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The API refused the request (4xx) or failed (5xx, unreachable): exit code 1. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export function apiConfig(
  flags: { apiUrl?: string | undefined; apiKey?: string | undefined },
  env: Readonly<Record<string, string | undefined>>,
): ApiConfig {
  const url = flags.apiUrl ?? env.CHAPAR_API_URL ?? DEFAULT_API_URL;
  const key = flags.apiKey ?? env.CHAPAR_API_KEY;
  if (!key) throw new UsageError('no API key: set CHAPAR_API_KEY or pass --api-key');
  try {
    new URL(url);
  } catch {
    throw new UsageError(`--api-url (or CHAPAR_API_URL) is not a URL: ${url}`);
  }
  return { url: url.replace(/\/+$/, ''), key };
}

export function apiClient(config: ApiConfig, fetchImpl: typeof fetch = globalThis.fetch): ApiClient {
  return createClient<paths>({
    baseUrl: config.url,
    headers: { authorization: `Bearer ${config.key}` },
    fetch: (request) => fetchImpl(request),
  });
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.trim() || undefined };
  }
}

/** The API's error body's message, or the HTTP status in words. */
function refusal(error: unknown, response: Response): ApiError {
  const body = (typeof error === 'string' ? parsed(error) : error) as
    | { message?: unknown; issues?: { field: string; message: string }[] }
    | undefined;
  const message =
    typeof body?.message === 'string' ? body.message : `${response.status} ${response.statusText}`;
  const issues = Array.isArray(body?.issues)
    ? body.issues.map((issue) => `\n  ${issue.field}: ${issue.message}`).join('')
    : '';
  return new ApiError(`${message} (HTTP ${response.status})${issues}`, response.status);
}

/**
 * The data of a call's answer, or an ApiError with the API's own message: every command's calls
 * go through here, so a refusal always reaches the user the same way.
 */
export async function answer<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<NonNullable<T>> {
  return (await answered(call)).data;
}

/** As `answer`, with the HTTP response too (for its headers). */
export async function answered<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<{ data: NonNullable<T>; response: Response }> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (cause) {
    const reason =
      cause instanceof Error
        ? cause.cause instanceof Error
          ? cause.cause.message
          : cause.message
        : String(cause);
    throw new ApiError(`cannot reach the API: ${reason}`);
  }
  if (!result.response.ok) throw refusal(result.error, result.response);
  return { data: (result.data ?? {}) as NonNullable<T>, response: result.response };
}
