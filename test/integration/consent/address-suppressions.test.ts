import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../../../shared/domain/campaign';
import { newId } from '../../../shared/domain/ids';
import type { CampaignStore } from '../../../shared/ports';
import { sendingCampaign, sqsEvent } from '../../fixtures/campaigns';
import { type TestEmulators, useEmulators } from '../../support/emulators';
import { type ApiHandler, callApi } from './api';

let emulators: TestEmulators;
let api: ApiHandler;
let sendEmail: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
let campaigns: CampaignStore;
const context = { getRemainingTimeInMillis: () => 60_000, awsRequestId: 'test' } as Context;

beforeAll(async () => {
  emulators = await useEmulators();
  const factory = await import('../../../shared/adapters/factory');
  campaigns = factory.campaignStore(emulators.names.tables.campaigns);
  ({ handler: api } = (await import('../../../functions/http-api/handler')) as unknown as {
    handler: ApiHandler;
  });
  ({ handler: sendEmail } = (await import('../../../functions/queue-send-email/handler')) as unknown as {
    handler: typeof sendEmail;
  });
});

/** Sends a fresh email campaign to `contactId` through queue-send-email; its stats and the mail received. */
async function campaignTo(contactId: string) {
  const subject = `News ${newId()}`;
  const campaign: Campaign = await sendingCampaign(campaigns, 1, {
    channels: ['email'],
    topic: 'newsletter',
    email: { subject, html: '<p>Hello</p>' },
  });
  const reply = await sendEmail(
    sqsEvent({ v: 1, campaignId: campaign.id, channel: 'email', contactIds: [contactId] }),
    context,
  );
  const mail = (await emulators.sentEmails()).filter((email) => email.subject === subject);
  return { reply, stats: (await campaigns.getWithStats(campaign.id))?.stats, mail };
}

describe('opt-outs bound to the address, through the API and queue-send-email', () => {
  it('suppresses a re-import in mixed case under a new id of an address opted out of all email, until a resubscribe', async () => {
    // Prepare: contact A opts out of every email topic.
    const run = newId().slice(-8).toLowerCase();
    const a = `person-a-${run}`;
    const b = `person-b-${run}`;
    const put = (contactId: string, email: string) =>
      callApi(api, 'PUT /v1/contacts/{contactId}', { contactId }, { json: { email, locale: 'en' } });
    expect((await put(a, `sara.${run}@example.com`)).status).toBeLessThan(300);
    const optOut = await callApi(
      api,
      'POST /v1/contacts/{contactId}/consent',
      { contactId: a },
      { json: { action: 'opt_out', channel: 'email', topic: '*' } },
    );
    expect(optOut.status).toBeLessThan(300);

    // Act: the same address comes back in mixed case under B and a campaign goes to B.
    expect((await put(b, `Sara.${run.toUpperCase()}@Example.COM`)).status).toBeLessThan(300);
    const suppressed = await campaignTo(b);
    const resubscribe = await callApi(
      api,
      'POST /v1/contacts/{contactId}/consent',
      { contactId: b },
      { json: { action: 'resubscribe', channel: 'email', topic: '*' } },
    );
    const lifted = await campaignTo(b);

    // Assess
    expect(suppressed.reply.batchItemFailures).toEqual([]);
    expect(suppressed.stats).toMatchObject({ sent: 0, suppressed: 1 });
    expect(suppressed.mail).toHaveLength(0);
    expect(resubscribe.status).toBeLessThan(300);
    expect(lifted.stats).toMatchObject({ sent: 1, suppressed: 0 });
    expect(lifted.mail).toHaveLength(1);
  });
});
