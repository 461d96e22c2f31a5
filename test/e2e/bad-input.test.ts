import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../support/http';
import { startTestPlatform, type TestPlatform } from '../support/platform';

let platform: TestPlatform;
let api: string;

beforeAll(async () => {
  platform = await startTestPlatform();
  api = platform.apiUrl;
});

afterAll(async () => {
  await platform?.end();
});

const long = 'A'.repeat(3000);

describe('bad input on every route gets a 4xx with a message, never a 5xx', () => {
  const cases: {
    what: string;
    method: string;
    path: string;
    body?: unknown;
    raw?: string;
    auth?: boolean;
    status: number;
  }[] = [
    {
      what: 'a campaign id past DynamoDB key limits',
      method: 'GET',
      path: `/v1/campaigns/${long}`,
      status: 404,
    },
    { what: 'cancel of such an id', method: 'POST', path: `/v1/campaigns/${long}/cancel`, status: 404 },
    { what: 'resume of such an id', method: 'POST', path: `/v1/campaigns/${long}/resume`, status: 404 },
    { what: 'a contact id past the limits', method: 'GET', path: `/v1/contacts/${long}`, status: 400 },
    { what: 'its consent', method: 'GET', path: `/v1/contacts/${long}/consent`, status: 400 },
    { what: 'its export', method: 'GET', path: `/v1/contacts/${long}/export`, status: 400 },
    { what: 'its erasure', method: 'DELETE', path: `/v1/contacts/${long}`, status: 400 },
    { what: 'malformed percent-encoding', method: 'GET', path: '/v1/contacts/%E0%A4%A', status: 400 },
    {
      what: 'an emoji contact id',
      method: 'PUT',
      path: '/v1/contacts/%F0%9F%98%80',
      body: { phone: '09121234567' },
      status: 400,
    },
    {
      what: 'a phone number as a contact id (it would outlive an erasure)',
      method: 'PUT',
      path: '/v1/contacts/%2B989121234567',
      body: { phone: '09121234567' },
      status: 400,
    },
    {
      what: 'an email address as a contact id',
      method: 'PUT',
      path: '/v1/contacts/ali%40example.ir',
      body: { email: 'ali@example.ir' },
      status: 400,
    },
    { what: 'a JSON array as a campaign', method: 'POST', path: '/v1/campaigns', body: [1, 2], status: 400 },
    { what: 'null as a contact', method: 'PUT', path: '/v1/contacts/x', body: null, status: 400 },
    {
      what: 'a preview of nothing',
      method: 'POST',
      path: '/v1/campaigns/preview',
      body: { a: 1 },
      status: 400,
    },
    {
      what: 'a campaign larger than one DynamoDB item',
      method: 'POST',
      path: '/v1/campaigns',
      body: {
        name: 'big',
        topic: 'newsletter',
        channels: ['email'],
        audience: { all: true },
        email: { subject: 's', html: 'س'.repeat(240_000) },
      },
      status: 400,
    },
    {
      what: 'an opt-in without evidence',
      method: 'POST',
      path: '/v1/contacts/x/consent',
      body: { action: 'opt_in' },
      status: 400,
    },
    { what: 'an overlong unsubscribe token', method: 'GET', path: `/u/${long}`, auth: false, status: 400 },
    { what: 'an overlong short code', method: 'GET', path: `/s/${long}`, auth: false, status: 404 },
    {
      what: 'a delivery report while the optional callback is off (the default)',
      method: 'POST',
      path: `/v1/callbacks/kavenegar/${long}`,
      raw: 'messageid=1&status=10',
      auth: false,
      status: 404,
    },
    ...[1, 5, 9.9].map((megabytes) => ({
      what: `a ${megabytes} MB spoof report (the webhook reads 64 KiB, before any signature check)`,
      method: 'POST',
      path: '/v1/reports/spoofed-sms',
      body: { sender: '1000', text: 'x'.repeat(Math.round(megabytes * 1024 * 1024)) },
      auth: false,
      status: 413,
    })),
    {
      what: 'a campaign past the marketer API cap of 1 MiB',
      method: 'POST',
      path: '/v1/campaigns',
      body: { name: 'huge', email: { subject: 's', html: 'x'.repeat(1024 * 1024) } },
      status: 413,
    },
    {
      what: 'an unsubscribe form past 16 KiB',
      method: 'POST',
      path: '/u/some.link.token',
      raw: `List-Unsubscribe=One-Click&pad=${'x'.repeat(16 * 1024)}`,
      auth: false,
      status: 413,
    },
  ];

  for (const item of cases) {
    it(`answers ${item.status} to ${item.what}`, async () => {
      // Act
      const reply = await call<{ message?: string }>(api, item.method, item.path, {
        ...(item.body !== undefined ? { json: item.body } : {}),
        ...(item.raw !== undefined
          ? { body: item.raw, headers: { 'content-type': 'application/x-www-form-urlencoded' } }
          : {}),
        auth: item.auth ?? true,
      });
      // Assess
      expect(reply.status, reply.text.slice(0, 300)).toBe(item.status);
      expect(reply.text).not.toMatch(/\bat .+\.(ts|js):\d+/);
      if (reply.headers.get('content-type')?.includes('json')) expect(reply.body.message).toBeTruthy();
    });
  }
});

describe('path parameters are percent-decoded once, as API Gateway does', () => {
  it('hands %252B to the handler as %2B, not +', async () => {
    // Act
    const reply = await call<{ message?: string }>(api, 'GET', '/v1/campaigns/x%252By');

    // Assess
    expect(reply.status).toBe(404);
    expect(reply.body.message).toBe('Campaign x%2By not found');
  });
});
