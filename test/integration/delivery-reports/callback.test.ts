import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../../local/lambda/context';
import type { SmsStatusReport } from '../../../shared/domain/sms';
import type { CampaignStore, DeliveryReportInbox, SmsStatusPolls } from '../../../shared/ports';
import type { PollDeps } from '../../../shared/use-cases/delivery-status';
import { sendingCampaign, sqsRecord } from '../../fixtures/campaigns';
import { type TestEmulators, testSecretValues, useEmulators } from '../../support/emulators';

const MINUTE_MS = 60_000;

let emulators: TestEmulators;
let campaigns: CampaignStore;
let polls: SmsStatusPolls;
let inbox: DeliveryReportInbox;
let consume: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
let useCase: typeof import('../../../shared/use-cases/delivery-status');
let deps: Omit<PollDeps, 'provider'>;
let nextId = 880_000_000;

beforeAll(async () => {
  emulators = await useEmulators({ env: { CHAPAR_QUIET_HOURS: '' } });
  const { names } = emulators;
  const factory = await import('../../../shared/adapters/factory');
  campaigns = factory.campaignStore(names.tables.campaigns);
  polls = factory.smsPollStore({
    polls: names.tables.smsPolls,
    deliveries: names.tables.deliveries,
    campaigns: names.tables.campaigns,
  });
  inbox = factory.deliveryReportInbox(names.tables.smsPolls);
  useCase = await import('../../../shared/use-cases/delivery-status');
  deps = {
    polls,
    reports: inbox,
    consent: factory.consentStore(names.tables.consent),
    now: () => new Date(),
  };
  ({ handler: consume } = (await import('../../../functions/queue-delivery-reports/handler')) as unknown as {
    handler: typeof consume;
  });
});

/** A report as API Gateway's SQS-SendMessage integration queues it: the raw body, the path secret. */
function queued(body: string, secret = testSecretValues.deliveryCallbackSecret): SQSRecord {
  return {
    ...sqsRecord(null),
    body,
    messageAttributes: {
      secret: { dataType: 'String', stringValue: secret, stringListValues: [], binaryListValues: [] },
    },
  };
}

function deliver(...records: SQSRecord[]) {
  return consume(
    { Records: records },
    createContext('queue-delivery-reports', {
      region: emulators.endpoints.region,
      deadline: Date.now() + 30_000,
    }),
  );
}

function freshId(): string {
  nextId += 1;
  return String(nextId);
}

/** A provider that records what it is asked and knows every SMS as still with the operator. */
function askedProvider() {
  const asked: string[] = [];
  return {
    asked,
    provider: {
      status: async (ids: readonly string[]): Promise<SmsStatusReport[]> => {
        asked.push(...ids);
        return ids.map((messageId) => ({ messageId, status: 'pending', optOut: false, providerStatus: 4 }));
      },
    },
  };
}

async function stats(campaignId: string) {
  const found = await campaigns.getWithStats(campaignId);
  if (!found) throw new Error('campaign vanished');
  return found.stats;
}

describe('queue-delivery-reports', () => {
  it('keeps a report that beats its send, and the first poll of its batch applies it once', async () => {
    // Prepare: the report arrives before the SMS is recorded for polling
    const campaign = await sendingCampaign(campaigns, 1, { channels: ['sms'] });
    const messageId = freshId();
    expect(await deliver(queued(`messageid=${messageId}&status=10`))).toEqual({ batchItemFailures: [] });
    const sentAt = new Date(Date.now() - 2 * MINUTE_MS);
    await polls.record(campaign.id, sentAt, [{ messageId, contactId: 'c-early' }]);
    const { asked, provider } = askedProvider();

    // Act
    const first = await useCase.pollSmsStatuses({ ...deps, provider });
    await deliver(queued(`messageid=${messageId}&status=10`));
    await polls.record(campaign.id, sentAt, [{ messageId, contactId: 'c-early' }]);
    const again = await useCase.pollSmsStatuses({ ...deps, provider });

    // Assess
    expect(first).toMatchObject({ reported: 1, applied: { delivered: 1 } });
    expect(asked).not.toContain(messageId);
    expect(again.applied.delivered).toBe(0);
    expect(await stats(campaign.id)).toMatchObject({ delivered: 1, undelivered: 0 });
  });

  it('reads form and JSON bodies, and asks Kavenegar only about the SMS no report answered', async () => {
    // Prepare
    const campaign = await sendingCampaign(campaigns, 3, { channels: ['sms'] });
    const [formId, jsonId, silentId] = [freshId(), freshId(), freshId()];
    await deliver(
      queued(`messageid=${formId}&status=11`),
      queued(JSON.stringify({ messageid: Number(jsonId), status: 10 })),
    );
    await polls.record(campaign.id, new Date(Date.now() - 2 * MINUTE_MS), [
      { messageId: formId, contactId: 'c-form' },
      { messageId: jsonId, contactId: 'c-json' },
      { messageId: silentId, contactId: 'c-silent' },
    ]);
    const { asked, provider } = askedProvider();

    // Act
    await useCase.pollSmsStatuses({ ...deps, provider });

    // Assess
    expect(asked).toContain(silentId);
    expect(asked).not.toContain(formId);
    expect(asked).not.toContain(jsonId);
    expect(await stats(campaign.id)).toMatchObject({ delivered: 1, undelivered: 1 });
  });

  it('drops reports under a wrong secret or with unreadable fields, and keeps none of them', async () => {
    // Prepare
    const [wrongId, pendingId] = [freshId(), freshId()];

    // Act
    const answer = await deliver(
      queued(`messageid=${wrongId}&status=10`, 'not-the-secret'),
      queued('messageid=abc&status=10'),
      queued('{not json'),
      queued(`messageid=${pendingId}&status=4`),
    );

    // Assess: nothing to retry, nothing kept
    expect(answer).toEqual({ batchItemFailures: [] });
    expect(await inbox.find([wrongId, pendingId])).toEqual(new Map());
  });
});
