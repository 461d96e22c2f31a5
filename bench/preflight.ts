/**
 * Pre-flight cost and test sends over the local platform: what the cost check adds to a
 * campaign's creation (it reads the audience's SMS reach, up to 10 pages of 1,000 contacts, and
 * Kavenegar's credit, cached 30 s), and how long a test send of 10 targets takes end to end.
 *
 *   npx tsx bench/preflight.ts
 *
 * Settings (environment): BENCH_CONTACTS (10000), BENCH_RUNS (5).
 */
import { type Platform, readLocalSettings, startPlatform } from '../local/platform';
import { apiClient, documentClient, positiveInt, writeContacts } from './support';

const contacts = positiveInt('BENCH_CONTACTS', 10_000);
const runs = positiveInt('BENCH_RUNS', 5);
const later = () => new Date(Date.now() + 3_600_000).toISOString();

const body = (channels: string[]) => ({
  name: 'Bench',
  topic: 'promotions',
  channels,
  audience: { all: true },
  ...(channels.includes('sms') ? { sms: { text: 'حراج {{name}}' } } : {}),
  ...(channels.includes('email') ? { email: { subject: 'حراج', html: '<p>سلام {{name}}</p>' } } : {}),
  sendAt: later(),
});

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function timed(
  what: () => Promise<{ status: number; text: string }>,
  expected: number,
): Promise<number> {
  const started = performance.now();
  const answer = await what();
  const ms = performance.now() - started;
  if (answer.status !== expected) throw new Error(`answered ${answer.status}: ${answer.text}`);
  return ms;
}

async function main(): Promise<void> {
  let platform: Platform | undefined;
  try {
    platform = await startPlatform({
      apiPort: 0,
      sesPort: 0,
      kavenegarPort: 0,
      dynamodbPort: 0,
      sqsPort: 0,
      secretsPort: 0,
      quiet: true,
      env: { CHAPAR_QUIET_HOURS: '', POWERTOOLS_LOG_LEVEL: 'ERROR' },
    });
    const api = apiClient(platform.apiUrl, readLocalSettings().CHAPAR_API_KEY);
    const dynamo = documentClient(platform);
    const phones = await writeContacts(dynamo, platform.env.CONTACTS_TABLE ?? '', contacts, { email: true });
    dynamo.destroy();
    console.log(`Pre-flight benchmark: ${contacts} contacts, ${runs} runs each (medians)`);

    const firstPreview = await timed(() => api('POST', '/v1/campaigns/preview', body(['sms'])), 200);
    const previews: number[] = [];
    for (let run = 0; run < runs; run++)
      previews.push(await timed(() => api('POST', '/v1/campaigns/preview', body(['sms'])), 200));
    const withCost: number[] = [];
    const withoutCost: number[] = [];
    for (let run = 0; run < runs; run++) {
      withCost.push(await timed(() => api('POST', '/v1/campaigns', body(['sms'])), 201));
      withoutCost.push(await timed(() => api('POST', '/v1/campaigns', body(['email'])), 201));
    }
    const tests: number[] = [];
    for (let run = 0; run < runs; run++) {
      const created = await api('POST', '/v1/campaigns', body(['sms', 'email']));
      const id = (created.body as { id: string }).id;
      // 5 contacts on both channels: 10 copies, one Kavenegar call and 5 SES calls.
      const contactIds = Array.from({ length: 5 }, (_, i) => `bench-${i + run * 5}`);
      tests.push(await timed(() => api('POST', `/v1/campaigns/${id}/test`, { contactIds }), 202));
    }
    const ms = (value: number) => `${value.toFixed(0)} ms`;
    console.log(`  preview, first (credit read)        ${ms(firstPreview)}`);
    console.log(`  preview, credit cached               ${ms(median(previews))}`);
    console.log(`  create, SMS (cost checked)           ${ms(median(withCost))}`);
    console.log(`  create, email only (no cost check)   ${ms(median(withoutCost))}`);
    console.log(`  test send, 10 copies                 ${ms(median(tests))}`);
    console.log(`  (phones from ${phones[0]} on)`);
  } catch (error) {
    process.exitCode = 1;
    console.error('bench failed:', error instanceof Error ? error.message : error);
  } finally {
    await platform?.end();
  }
}

await main();
