import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signatureHeader } from '../../shared/domain/webhook-signature';
import { linesWithPersonalData, personalDataPatterns } from '../integration/consent/pii';
import { API_KEY, call, eventually, WEBHOOK_SECRET } from '../support/http';
import { startTestPlatform } from '../support/platform';

type Platform = Awaited<ReturnType<typeof startTestPlatform>>;
let platform: Platform;
let api: string;

/** What the people look like once stored: E.164 phones, lower-cased emails. */
const people = [
  { id: 'parisa', phone: '+989121234321', email: 'parisa.k@example.com' },
  { id: 'omid', phone: '+989351112233', email: 'omid@mail.example.ir' },
  { id: 'nora', phone: '+989901230000', email: 'nora+news@example.org' },
];
/** How the marketer sends them: every common form. */
const written: Record<string, Record<string, unknown>> = {
  parisa: { phone: '۰۹۱۲ ۱۲۳ ۴۳۲۱', email: 'Parisa.K@Example.com', name: 'پریسا' },
  omid: { phone: '+98 935 111 2233', email: 'omid@mail.example.ir', name: 'Omid', locale: 'en' },
  nora: { phone: '0098-990-123-0000', email: 'NORA+news@example.org', name: 'Nora' },
};
const reporter = { phone: '+989127776655', email: 'reporter@example.net' };

/** Everything written to stdout and stderr while `act` runs, as lines. */
async function captureOutput(act: () => Promise<void>): Promise<string[]> {
  const chunks: string[] = [];
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((stream) => stream.write);
  for (const stream of streams) {
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const callback = rest.find((argument) => typeof argument === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    }) as typeof stream.write;
  }
  try {
    await act();
  } finally {
    streams.forEach((stream, index) => {
      stream.write = originals[index] as typeof stream.write;
    });
  }
  return chunks
    .join('')
    .split('\n')
    .filter((line) => line.trim() !== '');
}

function signed(body: Record<string, unknown>) {
  const raw = JSON.stringify(body);
  return {
    body: raw,
    headers: {
      'content-type': 'application/json',
      'x-chapar-signature': signatureHeader(WEBHOOK_SECRET, Math.floor(Date.now() / 1000), raw),
    },
    auth: false,
  };
}

beforeAll(async () => {
  platform = await startTestPlatform({
    quiet: false,
    // Every invocation's event is logged too: what an engineer turns on to debug must stay masked.
    env: { POWERTOOLS_LOG_LEVEL: 'DEBUG', POWERTOOLS_LOGGER_LOG_EVENT: 'true' },
  });
  api = platform.apiUrl;
});

afterAll(async () => {
  await platform?.end();
});

describe('logs of a full campaign', () => {
  it('hold no phone number or email address in clear, nor the API key', async () => {
    // Prepare
    const patterns = personalDataPatterns([...people, reporter]);
    let campaignId = '';
    // Act
    const lines = await captureOutput(async () => {
      for (const [id, contact] of Object.entries(written)) {
        expect((await call(api, 'PUT', `/v1/contacts/${id}`, { json: contact })).status).toBe(200);
      }
      const refused = await call(api, 'PUT', '/v1/contacts/omid', {
        json: { phone: '+98 935 111 2233', email: 'omid@@mail.example.ir' },
      });
      expect(refused.status).toBe(400);
      const created = await call<{ id: string }>(api, 'POST', '/v1/campaigns', {
        json: {
          name: 'Privacy',
          topic: 'newsletter',
          channels: ['sms', 'email'],
          audience: { all: true },
          sms: { text: '{{name}} عزیز، خبرنامه منتشر شد' },
          email: { subject: 'News for {{name}}', html: '<p>Hello {{name}}</p>' },
        },
      });
      expect(created.status).toBe(201);
      campaignId = created.body.id;
      await eventually(async () => {
        const reply = await call<{ status: string }>(api, 'GET', `/v1/campaigns/${campaignId}`);
        return reply.body.status === 'sent' ? reply.body : undefined;
      }, 'the campaign to be sent');
      const report = await call(api, 'POST', '/v1/reports/spoofed-sms', {
        ...signed({
          sender: '+989121110000',
          text: `Prize for ${people[0]?.phone}! Reply to ${people[0]?.email}`,
          reporter: { phone: '0912 777 6655', email: 'Reporter@Example.net' },
        }),
      });
      expect(report.status).toBe(202);
      const optIn = await call(api, 'POST', '/v1/contacts/omid/consent', {
        json: {
          action: 'opt_in',
          channel: 'email',
          topic: '*',
          evidence: { method: 'double-opt-in', reference: 'omid@mail.example.ir', ip: '203.0.113.9' },
        },
      });
      expect(optIn.status).toBe(201);
      expect((await call(api, 'GET', '/v1/contacts/parisa/export')).status).toBe(200);
      expect((await call(api, 'DELETE', '/v1/contacts/nora')).status).toBe(204);
      expect((await call(api, 'PUT', '/v1/contacts/nora-again', { json: written.nora })).status).toBe(200);
    });
    // Assess
    const logs = lines.filter((line) => line.startsWith('{'));
    expect(logs.some((line) => line.includes('"level":"DEBUG"') || line.includes('"level":"INFO"'))).toBe(
      true,
    );
    expect(logs.some((line) => line.includes(campaignId))).toBe(true);
    expect(linesWithPersonalData(lines, patterns)).toEqual([]);
    expect(lines.filter((line) => line.includes(API_KEY))).toEqual([]);
  });
});
