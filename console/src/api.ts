/** The console's only way to the platform: the public HTTP API, with the signed-in user's token. */

/** A refusal or failure the API answered, with its message in words. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
    readonly body?: unknown,
  ) {
    super(message);
  }
}

export interface ApiClient {
  get<T>(path: string, query?: Readonly<Record<string, string | number | undefined>>): Promise<T>;
  send<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T>;
  /** The raw answer of a GET (CSV and other downloads). */
  download(path: string): Promise<Blob>;
}

/** A client of the API at `base`, authorised by `token()` (refreshed by the session as needed). */
export function apiClient(
  base: string,
  token: () => Promise<string | undefined>,
  onUnauthorised: () => void,
): ApiClient {
  async function request(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const bearer = await token();
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let answer: Response;
    try {
      answer = await fetch(`${base}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new ApiError(0, 'network');
    }
    if (answer.status === 401) onUnauthorised();
    if (!answer.ok) {
      const parsed = (await answer.json().catch(() => undefined)) as { message?: string } | undefined;
      throw new ApiError(answer.status, parsed?.message ?? answer.statusText, parsed);
    }
    return answer;
  }
  return {
    async get<T>(path: string, query?: Readonly<Record<string, string | number | undefined>>) {
      const search = new URLSearchParams();
      for (const [name, value] of Object.entries(query ?? {})) {
        if (value !== undefined && value !== '') search.set(name, String(value));
      }
      const suffix = search.size > 0 ? `?${search}` : '';
      return (await (await request('GET', `${path}${suffix}`)).json()) as T;
    },
    async send<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown) {
      const answer = await request(method, path, body);
      if (answer.status === 204) return undefined as T;
      return (await answer.json()) as T;
    },
    async download(path: string) {
      return (await request('GET', path)).blob();
    },
  };
}
