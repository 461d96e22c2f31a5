import type { IncomingMessage, ServerResponse } from 'node:http';
import { readAll, sendJson } from '../http-proxy';
import { type FaultBook, faultsInputSchema } from './faults';
import type { SendLog } from './send-log';

/** Where the front's own routes live; nothing of SES's API starts with it. */
export const CONTROL_PREFIX = '/_ses/';

/**
 * The front's own routes under /_ses: the faults tests steer SES with, and what it measured.
 * Not part of SES's API. /_ses/faults: GET shows the faults, POST merges some in, DELETE lifts
 * them all. /_ses/stats: GET the SendEmail figures since the last DELETE (accepted, refused by
 * error, the busiest sliding second, duplicate addresses); /_ses/sent: accepted mail per address.
 */
export async function handleControl(
  request: IncomingMessage,
  response: ServerResponse,
  pathname: string,
  faults: FaultBook,
  log: SendLog,
): Promise<void> {
  const route = `${request.method ?? 'GET'} ${pathname}`;
  switch (route) {
    case 'GET /_ses/faults':
      return sendJson(response, 200, faults.describe());
    case 'POST /_ses/faults':
      return mergeFaults(request, response, faults);
    case 'DELETE /_ses/faults':
      faults.reset();
      return sendJson(response, 200, faults.describe());
    case 'GET /_ses/stats':
      return sendJson(response, 200, log.stats());
    case 'DELETE /_ses/stats':
      log.clear();
      return sendJson(response, 200, log.stats());
    case 'GET /_ses/sent':
      return sendJson(response, 200, log.sent());
    default:
      return sendJson(response, 404, { error: `no route ${route}` });
  }
}

async function mergeFaults(
  request: IncomingMessage,
  response: ServerResponse,
  faults: FaultBook,
): Promise<void> {
  let body: unknown;
  try {
    body = JSON.parse((await readAll(request)).toString('utf8'));
  } catch {
    return sendJson(response, 400, { error: 'body must be JSON' });
  }
  const parsed = faultsInputSchema.safeParse(body);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`,
    );
    return sendJson(response, 400, { error: 'invalid faults', issues });
  }
  faults.merge(parsed.data);
  return sendJson(response, 200, faults.describe());
}
