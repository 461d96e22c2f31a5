import { expect } from 'vitest';
import { call, eventually } from './http';

/** A campaign as `GET /v1/campaigns/{id}` shows it. */
export interface CampaignView {
  id: string;
  status: string;
  stats: { total: number; sent: number; failed: number; suppressed: number };
}

/** Creates a campaign through the API and waits until it is sent. */
export async function runCampaign(api: string, body: Record<string, unknown>): Promise<CampaignView> {
  const created = await call<{ id: string }>(api, 'POST', '/v1/campaigns', { json: body });
  expect(created.status, created.text).toBe(201);
  return eventually(async () => {
    const reply = await call<CampaignView>(api, 'GET', `/v1/campaigns/${created.body.id}`);
    return reply.body.status === 'sent' ? reply.body : undefined;
  }, `campaign ${created.body.id} to be sent`);
}
