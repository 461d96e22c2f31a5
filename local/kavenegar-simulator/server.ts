import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { answerApi, maskPath } from './api';
import type { ApiContext } from './context';
import { handleControl } from './control';
import type { Delays } from './delays';
import { readParams, sendJson } from './http-io';
import { envelope, fail } from './reply';

/** What the HTTP server needs. */
export interface ServerDependencies {
  readonly apiKey: string;
  readonly context: ApiContext;
  readonly delays: Delays;
}

/**
 * The simulator's HTTP server: `/_sim/*` control routes, everything else answered as
 * Kavenegar's API would, with the envelope, HTTP status = return.status. Each API call is
 * recorded (key masked), takes effect, and is answered after the latencyMs fault.
 */
export function createSimulatorServer(dependencies: ServerDependencies): Server {
  return createServer((request, response) => {
    handle(request, response, dependencies).catch(() => {
      sendJson(response, 500, envelope(fail(500)));
    });
  });
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  { apiKey, context, delays }: ServerDependencies,
): Promise<void> {
  const at = Date.now();
  const url = new URL(request.url ?? '/', 'http://simulator');
  if (url.pathname.startsWith('/_sim/')) return handleControl(request, response, url.pathname, context);
  const params = await readParams(request, url);
  const verb = request.method ?? 'GET';
  const result = answerApi({ verb, pathname: url.pathname, params }, apiKey, context);
  context.state.requests.push({
    method: verb,
    path: maskPath(url.pathname),
    params,
    code: result.status,
    at,
  });
  await delays.wait(context.faults.latencyMs);
  sendJson(response, result.status, envelope(result));
}
