import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpGateway, startHttpGateway } from '../../../local/lambda/http-gateway';
import { queueRoutes } from '../../../shared/definitions';

describe('local HTTP gateway: routes API Gateway sends to a queue (SQS-SendMessage)', () => {
  let gateway: HttpGateway;
  const sent: { body: string; attributes: Readonly<Record<string, string>> }[] = [];

  beforeAll(async () => {
    gateway = await startHttpGateway({
      port: 0,
      region: 'us-east-1',
      handlers: {},
      queueRoutes: queueRoutes.map((definition) => ({
        definition,
        send: async (body, attributes) => {
          sent.push({ body, attributes });
        },
      })),
    });
  });
  afterAll(() => gateway.end());

  it('queues the raw body with the path secret as an attribute, runs no function, answers 200', async () => {
    // Act
    const answer = await fetch(`${gateway.url}/v1/callbacks/kavenegar/s%C3%A9cret-1`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'messageid=123456&status=10',
    });

    // Assess
    expect(answer.status).toBe(200);
    expect(sent.at(-1)).toEqual({ body: 'messageid=123456&status=10', attributes: { secret: 'sécret-1' } });
  });

  it('refuses an empty body as SQS does, and queues nothing', async () => {
    // Prepare
    const before = sent.length;

    // Act
    const answer = await fetch(`${gateway.url}/v1/callbacks/kavenegar/x`, { method: 'POST' });

    // Assess
    expect(answer.status).toBe(400);
    expect(sent).toHaveLength(before);
  });

  it('answers 404 on the path when no queue route is on (the callback is off by default)', async () => {
    // Prepare
    const off = await startHttpGateway({ port: 0, region: 'us-east-1', handlers: {} });

    // Act
    const answer = await fetch(`${off.url}/v1/callbacks/kavenegar/x`, { method: 'POST', body: 'a=1' });
    await off.end();

    // Assess
    expect(answer.status).toBe(404);
  });
});
