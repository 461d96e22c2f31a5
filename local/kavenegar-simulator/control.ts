import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiContext } from './context';
import { faultsInputSchema } from './faults';
import { readBody, sendJson } from './http-io';

/**
 * The simulator's own routes under /_sim: what it received and accepted, and the faults
 * tests steer it with. Not part of Kavenegar's API.
 */
export async function handleControl(
  request: IncomingMessage,
  response: ServerResponse,
  pathname: string,
  context: ApiContext,
): Promise<void> {
  const { state, faults, lifecycle } = context;
  const route = `${request.method ?? 'GET'} ${pathname}`;
  switch (route) {
    case 'GET /_sim/messages':
      return sendJson(response, 200, JSON.stringify(state.messages));
    case 'GET /_sim/requests':
      return sendJson(response, 200, JSON.stringify(state.requests));
    case 'GET /_sim/faults':
      return sendJson(response, 200, JSON.stringify(describe(context)));
    case 'POST /_sim/faults':
      return mergeFaults(request, response, context);
    case 'DELETE /_sim/faults':
      faults.reset();
      state.restoreCredit();
      return sendJson(response, 200, JSON.stringify(describe(context)));
    case 'PUT /_sim/callback':
      return setCallback(request, response, context);
    case 'POST /_sim/reset':
      lifecycle.clear();
      state.reset();
      faults.reset();
      return sendJson(response, 200, '{}');
    default:
      return sendJson(response, 404, JSON.stringify({ error: `no route ${route}` }));
  }
}

async function mergeFaults(
  request: IncomingMessage,
  response: ServerResponse,
  context: ApiContext,
): Promise<void> {
  let body: unknown;
  try {
    body = JSON.parse(await readBody(request));
  } catch {
    return sendJson(response, 400, JSON.stringify({ error: 'body must be JSON' }));
  }
  const parsed = faultsInputSchema.safeParse(body);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    return sendJson(response, 400, JSON.stringify({ error: 'invalid faults', issues }));
  }
  const invalid = context.faults.merge(parsed.data);
  if (invalid.length > 0) {
    return sendJson(
      response,
      400,
      JSON.stringify({ error: 'statusFor keys must be Iranian mobiles', invalid }),
    );
  }
  if (parsed.data.credit !== undefined) context.state.credit = parsed.data.credit;
  if (parsed.data.costPerPart !== undefined) context.state.costPerPart = parsed.data.costPerPart;
  return sendJson(response, 200, JSON.stringify(describe(context)));
}

/** The faults in force, the credit and the price per part, as GET /_sim/faults shows them. */
function describe({ faults, state }: ApiContext) {
  return { ...faults.describe(), credit: state.credit, costPerPart: state.costPerPart };
}

/** PUT /_sim/callback `{"url": "http://…" | null}`: the delivery-report URL of the account's panel. */
async function setCallback(
  request: IncomingMessage,
  response: ServerResponse,
  context: ApiContext,
): Promise<void> {
  let body: { url?: unknown };
  try {
    body = JSON.parse(await readBody(request)) as { url?: unknown };
  } catch {
    return sendJson(response, 400, JSON.stringify({ error: 'body must be JSON' }));
  }
  const url = body.url;
  if (url !== null && (typeof url !== 'string' || !URL.canParse(url))) {
    return sendJson(response, 400, JSON.stringify({ error: 'url must be an absolute URL or null' }));
  }
  context.lifecycle.setCallbackUrl(url ?? undefined);
  return sendJson(response, 200, JSON.stringify({ callbackUrl: url }));
}
