import { beforeAll, describe, expect, it } from 'vitest';
import type { ConsentEvent, ConsentState } from '../../../shared/domain/consent';
import { useEmulators } from '../../support/emulators';
import { type ApiHandler, callApi } from './api';

let handler: ApiHandler;

interface ConsentView {
  contactId: string;
  state: ConsentState[];
  history: ConsentEvent[];
}

interface Refusal {
  message: string;
  issues?: { field: string; message: string }[];
}

const CONSENT = 'POST /v1/contacts/{contactId}/consent';
const READ = 'GET /v1/contacts/{contactId}/consent';

beforeAll(async () => {
  await useEmulators();
  ({ handler } = (await import('../../../functions/http-api/handler')) as unknown as { handler: ApiHandler });
  const stored = await callApi(
    handler,
    'PUT /v1/contacts/{contactId}',
    { contactId: 'leila' },
    { json: { phone: '0912 111 2233', email: 'leila@example.com', name: 'لیلا' } },
  );
  expect(stored.status).toBe(200);
});

describe('consent through the API', () => {
  it('answers 404 for a contact that does not exist and has no history', async () => {
    // Act
    const read = await callApi<Refusal>(handler, READ, { contactId: 'nobody' });
    const change = await callApi<Refusal>(
      handler,
      CONSENT,
      { contactId: 'nobody' },
      { json: { action: 'opt_out', channel: 'sms', topic: '*' } },
    );
    // Assess
    expect(read.status).toBe(404);
    expect(change.status).toBe(404);
  });

  it('records an opt-in with its evidence, IP reduced to a prefix, and shows state and history oldest first', async () => {
    // Prepare
    const optIn = {
      action: 'opt_in',
      channel: 'email',
      topic: 'newsletter',
      evidence: {
        method: 'double-opt-in',
        reference: 'confirmation-8841',
        userAgent: 'Mozilla/5.0 (Android 14)',
        ip: '203.0.113.77',
      },
    };
    // Act
    const first = await callApi<{ event: ConsentEvent }>(
      handler,
      CONSENT,
      { contactId: 'leila' },
      { json: optIn },
    );
    const second = await callApi<{ event: ConsentEvent; state: ConsentState[] }>(
      handler,
      CONSENT,
      { contactId: 'leila' },
      { json: { action: 'opt_out', channel: 'sms', topic: '*' } },
    );
    const view = await callApi<ConsentView>(handler, READ, { contactId: 'leila' });
    // Assess
    expect(first.status).toBe(201);
    expect(first.body.event).toMatchObject({ action: 'opt_in', source: 'api', channel: 'email' });
    expect(first.body.event.evidence).toEqual({
      method: 'double-opt-in',
      reference: 'confirmation-8841',
      userAgent: 'Mozilla/5.0 (Android 14)',
      ipPrefix: '203.0.113.0/24',
    });
    expect(second.status).toBe(201);
    expect(second.body.state).toHaveLength(2);
    expect(view.status).toBe(200);
    expect(view.body.contactId).toBe('leila');
    expect(view.body.state).toEqual([
      { channel: 'email', topic: 'newsletter', status: 'subscribed', source: 'api', at: first.body.event.at },
      { channel: 'sms', topic: '*', status: 'opted_out', source: 'api', at: second.body.event.at },
    ]);
    expect(view.body.history.map((event) => event.id)).toEqual([first.body.event.id, second.body.event.id]);
    expect(view.body.history[0]).toEqual(first.body.event);
    expect(JSON.stringify(view.body)).not.toContain('203.0.113.77');
  });

  it('refuses malformed changes with a 400 naming the field, and records nothing', async () => {
    // Prepare
    const before = await callApi<ConsentView>(handler, READ, { contactId: 'leila' });
    const cases: [body: unknown, field: string][] = [
      [{ action: 'opt_in', channel: 'email', topic: 'newsletter' }, 'evidence'],
      [{ action: 'maybe', channel: 'email', topic: '*' }, 'action'],
      [{ action: 'opt_out', channel: 'fax', topic: '*' }, 'channel'],
      [{ action: 'opt_out', channel: 'sms', topic: 'News!' }, 'topic'],
      [{ action: 'opt_out', channel: 'sms' }, 'topic'],
      [
        {
          action: 'opt_in',
          channel: 'sms',
          topic: '*',
          evidence: { method: 'signed-form', ip: 'not-an-ip' },
        },
        'evidence.ip',
      ],
      [{ action: 'opt_in', channel: 'sms', topic: '*', evidence: { reference: 'x' } }, 'evidence.method'],
      [{ action: 'opt_in', channel: 'sms', topic: '*', evidence: { method: '' } }, 'evidence.method'],
      [{ action: 'opt_out', channel: 'sms', topic: '*', source: 'link' }, '(body)'],
    ];
    // Act
    const replies = await Promise.all(
      cases.map(([json]) => callApi<Refusal>(handler, CONSENT, { contactId: 'leila' }, { json })),
    );
    const badId = await callApi<Refusal>(
      handler,
      CONSENT,
      { contactId: 'bad#id' },
      { json: { action: 'opt_out', channel: 'sms', topic: '*' } },
    );
    const after = await callApi<ConsentView>(handler, READ, { contactId: 'leila' });
    // Assess
    replies.forEach((reply, index) => {
      expect(reply.status, JSON.stringify(cases[index])).toBe(400);
      expect(reply.body.issues?.map((issue) => issue.field)).toContain(cases[index]?.[1]);
    });
    expect(replies[0]?.body.message).toContain('evidence is required for opt_in');
    expect(badId.status).toBe(400);
    expect(after.body).toEqual(before.body);
  });
});
