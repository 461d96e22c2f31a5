/**
 * The figures of one measured campaign: requests by service and command, DynamoDB units,
 * Lambda, API Gateway and logs, and what they cost per 1 M messages at list prices.
 */
import { type FunctionName, functions } from '../shared/definitions';
import type { Capacity } from './meter/dynamo-units';
import type { FunctionUsage } from './meter/lambda-meter';
import {
  LOG_EVENT_OVERHEAD_BYTES,
  PLATFORM_LOG_BYTES_PER_INVOCATION,
  PLATFORM_LOG_EVENTS_PER_INVOCATION,
  PRICES_DATE,
  prices,
} from './meter/prices';
import { PLATFORM_SCOPE } from './meter/scope';
import type { SdkRequest } from './meter/sdk-counter';

/** What was measured over one campaign. */
export interface Measured {
  readonly channel: 'sms' | 'email';
  /** Messages the campaign sent (its `sent` stat). */
  readonly messages: number;
  readonly requests: readonly SdkRequest[];
  readonly capacity: ReadonlyMap<string, Capacity>;
  readonly usage: ReadonlyMap<string, FunctionUsage>;
  /** DynamoDB write units by `<function> <table>`. */
  readonly tableWrites?: ReadonlyMap<string, number>;
}

const CHUNK = 64 * 1024;

/**
 * Schedules whose runs do not grow with the messages: in the cloud they run every minute
 * whatever is sent (locally every second or two), so they are a fixed monthly cost, printed
 * apart. schedule-poll-sms-status stays in: its work follows the SMS in flight.
 */
const FIXED_COST_FUNCTIONS: ReadonlySet<string> = new Set(['schedule-dispatch', 'schedule-abuse-digest']);
const isFunction = (scope: string): boolean => scope in functions && !FIXED_COST_FUNCTIONS.has(scope);

/** SQS and SNS bill every 64 KB of payload as one request. */
function chunks(request: SdkRequest): number {
  if (request.command === 'ReceiveMessage') {
    const bodies = (request.output?.Messages as { Body?: string }[] | undefined) ?? [];
    const bytes = bodies.reduce((sum, message) => sum + Buffer.byteLength(message.Body ?? ''), 0);
    return Math.max(1, Math.ceil(bytes / CHUNK));
  }
  return Math.max(1, Math.ceil(request.bodyBytes / CHUNK));
}

/** What Lambda's event source mappings do for the functions: receives that got messages, deletes. */
function isEventSourceMapping(request: SdkRequest): boolean {
  if (request.scope !== PLATFORM_SCOPE || request.service !== 'SQS') return false;
  if (request.command !== 'ReceiveMessage') return true;
  return ((request.output?.Messages as unknown[] | undefined) ?? []).length > 0;
}

function idleReceive(request: SdkRequest): boolean {
  return (
    request.scope === PLATFORM_SCOPE && request.command === 'ReceiveMessage' && !isEventSourceMapping(request)
  );
}

interface LineItem {
  readonly name: string;
  readonly quantity: number;
  readonly unit: string;
  readonly unitPrice: number;
}

/** Prints the figures of a measured campaign. */
export function printCost(run: Measured): void {
  const { messages } = run;
  const perMessage = (n: number): string => (n / messages).toFixed(3);
  const billed = run.requests.filter(
    (r) =>
      isFunction(r.scope) || isEventSourceMapping(r) || (r.scope === PLATFORM_SCOPE && r.service === 'SNS'),
  );
  console.log(`\n${run.channel.toUpperCase()} campaign: ${messages} messages sent`);

  console.log('\n  AWS SDK requests by service and command (functions; ESM = the event source mappings)');
  const byCommand = new Map<string, number>();
  for (const request of billed) {
    const who = isFunction(request.scope) ? '' : request.service === 'SNS' ? ' (SES events)' : ' (ESM)';
    const key = `${request.service} ${request.command}${who}${request.failed ? ' [failed]' : ''}`;
    byCommand.set(key, (byCommand.get(key) ?? 0) + 1);
  }
  for (const [key, count] of [...byCommand].sort((a, b) => b[1] - a[1]))
    console.log(`    ${key.padEnd(48)} ${String(count).padStart(7)}  ${perMessage(count)} per message`);
  const failedBy = new Map<string, number>();
  for (const request of billed.filter((r) => r.failed && isFunction(r.scope))) {
    const key = `${request.scope} ${request.service} ${request.command}`;
    failedBy.set(key, (failedBy.get(key) ?? 0) + 1);
  }
  for (const [key, count] of failedBy)
    console.log(`    failed: ${key.padEnd(40)} ${String(count).padStart(7)}`);
  const idle = run.requests.filter(idleReceive).length;
  console.log(`    (not counted: ${idle} empty long-poll receives, a fixed cost of idle pollers)`);

  for (const name of FIXED_COST_FUNCTIONS) {
    const usage = run.usage.get(name);
    const made = run.requests.filter((r) => r.scope === name).length;
    if (usage !== undefined)
      console.log(
        `    (not counted: ${name}, ${usage.invocations} runs on the local clock, ${made} requests: a fixed cost per run)`,
      );
  }

  console.log('\n  by function');
  for (const [name, usage] of run.usage) {
    if (!isFunction(name)) continue;
    const own = usage.invocations - usage.benchInvocations;
    // Invocations for the bench's own requests are no message's cost.
    if (own === 0) continue;
    const dynamo = billed.filter((r) => r.scope === name && r.service === 'DynamoDB').length;
    const secretReads = billed.filter((r) => r.scope === name && r.service === 'SecretsManager').length;
    const units = run.capacity.get(name) ?? { writeUnits: 0, readUnits: 0 };
    console.log(
      `    ${name.padEnd(24)} ${String(own).padStart(6)} invocations  ${String(Math.round(usage.billedMs)).padStart(7)} ms  ` +
        `${String(dynamo).padStart(6)} DynamoDB requests  ${units.writeUnits.toFixed(0).padStart(6)} WRU  ${units.readUnits.toFixed(1).padStart(7)} RRU  ${secretReads} secret reads  ${usage.logBytes} log bytes`,
    );
  }

  if (run.tableWrites && run.tableWrites.size > 0) {
    console.log('\n  DynamoDB write units by function and table (indexes included)');
    const rows = [...run.tableWrites.entries()]
      .filter(([key]) => isFunction(key.slice(0, key.indexOf(' '))))
      .sort(([a], [b]) => a.localeCompare(b));
    for (const [key, units] of rows)
      console.log(
        `    ${key.padEnd(48)} ${units.toFixed(0).padStart(7)} WRU  ${perMessage(units)} per message`,
      );
  }

  const functionScopes = [...run.usage.keys()].filter(isFunction) as FunctionName[];
  const dynamoRequests = billed.filter((r) => r.service === 'DynamoDB').length;
  let writeUnits = 0;
  let readUnits = 0;
  for (const [scope, units] of run.capacity) {
    if (!isFunction(scope)) continue;
    writeUnits += units.writeUnits;
    readUnits += units.readUnits;
  }
  const sqs = billed.filter((r) => r.service === 'SQS').reduce((sum, r) => sum + chunks(r), 0);
  const sns = billed.filter((r) => r.service === 'SNS').reduce((sum, r) => sum + chunks(r), 0);
  const secrets = billed.filter((r) => r.service === 'SecretsManager').length;
  const ses = billed.filter((r) => r.service === 'SESv2' && /^Send/.test(r.command) && !r.failed).length;
  let invocations = 0;
  let gbSeconds = 0;
  let apiRequests = 0;
  let logBytes = 0;
  for (const name of functionScopes) {
    const usage = run.usage.get(name);
    if (usage === undefined) continue;
    const own = usage.invocations - usage.benchInvocations;
    const share = usage.invocations === 0 ? 0 : own / usage.invocations;
    invocations += own;
    gbSeconds += ((usage.billedMs * share) / 1000) * (functions[name].memoryMb / 1024);
    if (name.startsWith('http-')) apiRequests += own;
    logBytes +=
      usage.logBytes +
      usage.logLines * LOG_EVENT_OVERHEAD_BYTES +
      own *
        (PLATFORM_LOG_BYTES_PER_INVOCATION + PLATFORM_LOG_EVENTS_PER_INVOCATION * LOG_EVENT_OVERHEAD_BYTES);
  }

  const items: LineItem[] = [
    { name: 'DynamoDB write units', quantity: writeUnits, unit: 'WRU', unitPrice: prices.dynamodbWriteUnit },
    { name: 'DynamoDB read units', quantity: readUnits, unit: 'RRU', unitPrice: prices.dynamodbReadUnit },
    { name: 'SQS requests (64 KB chunks)', quantity: sqs, unit: 'requests', unitPrice: prices.sqsRequest },
    { name: 'SNS publishes', quantity: sns, unit: 'publishes', unitPrice: prices.snsPublish },
    { name: 'Lambda requests', quantity: invocations, unit: 'invocations', unitPrice: prices.lambdaRequest },
    { name: 'Lambda duration', quantity: gbSeconds, unit: 'GB-s', unitPrice: prices.lambdaGbSecond },
    {
      name: 'API Gateway HTTP API',
      quantity: apiRequests,
      unit: 'requests',
      unitPrice: prices.httpApiRequest,
    },
    {
      name: 'CloudWatch Logs ingestion',
      quantity: logBytes / 1024 ** 3,
      unit: 'GB',
      unitPrice: prices.logsIngestedGb,
    },
    { name: 'Secrets Manager', quantity: secrets, unit: 'calls', unitPrice: prices.secretsManagerCall },
  ];
  console.log(`\n  cost per 1 M messages, us-east-1 list prices as known on ${PRICES_DATE}`);
  let total = 0;
  for (const item of items) {
    const per1M = (item.quantity * item.unitPrice * 1e6) / messages;
    total += per1M;
    const quantity =
      item.unit === 'GB'
        ? item.quantity.toExponential(2)
        : item.quantity.toFixed(item.unit === 'GB-s' || item.unit === 'RRU' ? 1 : 0);
    console.log(
      `    ${item.name.padEnd(30)} ${quantity.padStart(10)} ${item.unit.padEnd(11)} ${(item.quantity / messages).toPrecision(3).padStart(9)}/msg  $${per1M.toFixed(3).padStart(8)}`,
    );
  }
  console.log(`    ${'AWS overhead total'.padEnd(30)} ${''.padStart(33)}  $${total.toFixed(3).padStart(8)}`);
  if (run.channel === 'email')
    console.log(
      `    (excluded: SES itself, ${ses} sends = $${((ses * prices.sesEmail * 1e6) / messages).toFixed(2)} per 1 M)`,
    );
  else console.log("    (excluded: Kavenegar's own price per SMS)");
  console.log(
    `    (noted, not in the total: X-Ray traces at $${prices.xrayTrace * 1e6}/M under the default sampling, custom metrics per month)`,
  );

  console.log('\n  per message');
  console.log(`    DynamoDB requests           ${perMessage(dynamoRequests)}`);
  console.log(`    DynamoDB write units        ${perMessage(writeUnits)}`);
  console.log(`    DynamoDB read units         ${perMessage(readUnits)}`);
  console.log(`    Lambda invocations          ${perMessage(invocations)}`);
  console.log(`    API Gateway requests        ${perMessage(apiRequests)}`);
  console.log(`    bytes logged                ${(logBytes / messages).toFixed(0)}`);
}
