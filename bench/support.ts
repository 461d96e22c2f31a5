/** What the benchmarks share: the local API and simulator over HTTP, DynamoDB set-up, settings. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Platform } from '../local/platform';
import { newRef } from '../shared/domain/ids';

const WRITE_BATCH = 25;
const WRITE_CONCURRENCY = 16;

/**
 * Writes contacts `from` to `count - 1` as DynamoContactStore stores them (with an email too
 * when asked); answers their phones, national form.
 */
export async function writeContacts(
  client: DynamoDBDocumentClient,
  table: string,
  count: number,
  options: { readonly from?: number; readonly email?: boolean } = {},
): Promise<string[]> {
  const now = new Date().toISOString();
  const from = options.from ?? 0;
  const items = Array.from({ length: count - from }, (_, offset) => from + offset).map((i) => ({
    pk: `bench-${i}`,
    ref: newRef(),
    phone: `+98912${String(i).padStart(7, '0')}`,
    ...(options.email ? { email: `bench-${i}@example.com` } : {}),
    name: `مشتری ${i}`,
    locale: 'fa',
    attributes: {},
    createdAt: now,
    updatedAt: now,
  }));
  const batches: (typeof items)[] = [];
  for (let i = 0; i < items.length; i += WRITE_BATCH) batches.push(items.slice(i, i + WRITE_BATCH));
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let batch = batches[next++]; batch !== undefined; batch = batches[next++]) {
      let requests = batch.map((item) => ({ PutRequest: { Item: item } }));
      while (requests.length > 0) {
        const answer = await client.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
        requests = (answer.UnprocessedItems?.[table] ?? []) as typeof requests;
      }
    }
  };
  await Promise.all(Array.from({ length: WRITE_CONCURRENCY }, worker));
  return items.map((item) => `0${item.phone.slice(3)}`);
}

export function documentClient(platform: Platform): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: platform.endpoints.dynamodb,
      region: platform.endpoints.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
}

export type Api = (
  method: string,
  path: string,
  json?: unknown,
) => Promise<{ status: number; body: unknown; text: string }>;

export function apiClient(base: string, key: string): Api {
  return async (method, path, json) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(json === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: response.status, body, text };
  };
}

export async function simControl(
  base: string,
  method: string,
  path: string,
  json?: unknown,
): Promise<unknown> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: json === undefined ? {} : { 'content-type': 'application/json' },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  if (!response.ok)
    throw new Error(`simulator ${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

export function positiveInt(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer, got "${text}"`);
  return value;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** One API call as the simulator's GET /_sim/requests lists it. */
export interface SimRequest {
  readonly path: string;
  readonly code: number;
  readonly params: Readonly<Record<string, string>>;
  /** Arrival at the simulator, epoch milliseconds. */
  readonly at: number;
}

/** Receptors of one send call: a comma-separated list (send) or a JSON array (sendarray). */
export function receptorsOf(request: SimRequest): number {
  const receptor = request.params.receptor ?? '';
  if (receptor.trim().startsWith('[')) return (JSON.parse(receptor) as unknown[]).length;
  return receptor === '' ? 0 : receptor.split(',').length;
}

/** The most SMS the simulator accepted within any 1,000 ms, as Kavenegar would count them. */
export function busiestSlidingSecond(sends: readonly SimRequest[]): number {
  const accepted = sends.filter((send) => send.code === 200).sort((a, b) => a.at - b.at);
  let busiest = 0;
  let units = 0;
  let first = 0;
  for (const send of accepted) {
    units += receptorsOf(send);
    while ((accepted[first]?.at ?? send.at) <= send.at - 1000) {
      units -= receptorsOf(accepted[first] as SimRequest);
      first += 1;
    }
    busiest = Math.max(busiest, units);
  }
  return busiest;
}

/** A campaign as GET /v1/campaigns/{id} answers it. */
export interface CampaignView {
  readonly id: string;
  readonly status: string;
  readonly pausedReason?: string;
  readonly stats: Record<string, number>;
}

const POLL_MS = 1_000;
const PROGRESS_EVERY_MS = 15_000;

/**
 * Polls a campaign until it is sent, printing its progress every 15 s; stops early on a status
 * it cannot leave by itself, and after `withinMs`.
 */
export async function waitUntilSent(
  api: Api,
  id: string,
  startedAt: number,
  withinMs: number,
): Promise<CampaignView> {
  const deadline = Date.now() + withinMs;
  let nextProgress = Date.now() + PROGRESS_EVERY_MS;
  for (;;) {
    const reply = await api('GET', `/v1/campaigns/${id}`);
    const view = reply.body as CampaignView;
    if (view.status === 'sent') return view;
    if (view.status === 'paused' || view.status === 'cancelled') {
      throw new Error(`campaign ${view.status}: ${view.pausedReason ?? ''} ${JSON.stringify(view.stats)}`);
    }
    if (Date.now() > deadline)
      throw new Error(`campaign still ${view.status}: ${JSON.stringify(view.stats)}`);
    if (Date.now() >= nextProgress) {
      nextProgress += PROGRESS_EVERY_MS;
      console.log(
        `  ${seconds(performance.now() - startedAt)}: ${view.status}, sent ${view.stats.sent ?? 0}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
