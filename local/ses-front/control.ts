import type { IncomingMessage, ServerResponse } from 'node:http';
import { readAll, sendJson } from '../http-proxy';
import { type FaultBook, faultsInputSchema } from './faults';

/** Where the front's own routes live; nothing of SES's API starts with it. */
export const CONTROL_PREFIX = '/_ses/';

/**
 * The front's own routes under /_ses: the faults tests steer SES with. Not part of SES's API.
 * GET shows the faults, POST merges some in, DELETE lifts them all.
 */
export async function handleControl(
  request: IncomingMessage,
  response: ServerResponse,
  pathname: string,
  faults: FaultBook,
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
