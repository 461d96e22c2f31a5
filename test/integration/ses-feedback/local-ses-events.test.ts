import { randomUUID } from 'node:crypto';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Message } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CONFIGURATION_SET, type SesEvents, start } from '../../../local/ses-events';
import { sesNotificationSchema } from '../../../shared/adapters/ses/feedback-event';
import { type TestEmulators, useEmulators } from '../../support/emulators';

let emulators: TestEmulators;
let sesEvents: SesEvents;
let ses: SESv2Client;
const run = randomUUID().slice(0, 8);
const tags = { campaign: `c${run}`, topic: 'newsletter', channel: 'email', ref: `r${run}` };

beforeAll(async () => {
  emulators = await useEmulators();
  const { endpoints, names } = emulators;
  sesEvents = await start({
    sesUrl: endpoints.ses,
    snsEndpoint: endpoints.sqs,
    region: endpoints.region,
    topicArn: names.topics.sesEvents.arn,
  });
  ses = new SESv2Client({
    endpoint: sesEvents.url,
    region: endpoints.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  ses?.destroy();
  await sesEvents?.end();
});

async function send(to: string, { configurationSet = true } = {}) {
  return ses.send(
    new SendEmailCommand({
      FromEmailAddress: 'news@chapar.test',
      Destination: { ToAddresses: [to] },
      ConfigurationSetName: configurationSet ? LOCAL_CONFIGURATION_SET : undefined,
      Content: {
        Simple: {
          Subject: { Data: `Subject ${run}` },
          Body: { Text: { Data: 'Hello' } },
          Headers: [{ Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' }],
        },
      },
      EmailTags: Object.entries(tags).map(([Name, Value]) => ({ Name, Value })),
    }),
  );
}

/** SES events that reached the sesFeedback queue, parsed as the function parses them; waits for `count`. */
async function publishedEvents(count: number) {
  const messages: Message[] = [];
  do {
    const batch = await emulators.receiveAll('sesFeedback', { waitSeconds: count === 0 ? 1 : 2 });
    if (batch.length === 0) break;
    messages.push(...batch);
  } while (messages.length < count);
  return messages.map((message) => sesNotificationSchema.parse(JSON.parse(message.Body ?? '')).Message);
}

describe('local SES event publishing (local/ses-events.ts)', () => {
  it('passes mail on to the SES emulator', async () => {
    // Act
    const { MessageId } = await send(`reader-${run}@example.com`);

    // Assess
    const stored = (await emulators.sentEmails()).find((email) => email.messageId === MessageId);
    expect(stored?.destination.to).toEqual([`reader-${run}@example.com`]);
    expect(await publishedEvents(0)).toEqual([]);
  });

  it('publishes a permanent bounce for bounce@simulator.amazonses.com, with the message tags', async () => {
    // Act
    const { MessageId } = await send(`bounce+${run}@simulator.amazonses.com`);

    // Assess
    const events = await publishedEvents(1);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      eventType: 'Bounce',
      bounce: {
        bounceType: 'Permanent',
        bouncedRecipients: [{ emailAddress: `bounce+${run}@simulator.amazonses.com` }],
      },
      mail: {
        messageId: MessageId,
        destination: [`bounce+${run}@simulator.amazonses.com`],
        tags: {
          'ses:configuration-set': [LOCAL_CONFIGURATION_SET],
          campaign: [tags.campaign],
          ref: [tags.ref],
          channel: ['email'],
          topic: ['newsletter'],
        },
      },
    });
  });

  it('publishes a delivery, then a complaint, for complaint@simulator.amazonses.com', async () => {
    // Act
    await send(`complaint@simulator.amazonses.com`);

    // Assess
    const events = await publishedEvents(2);
    expect(events.map((event) => event.eventType)).toEqual(['Delivery', 'Complaint']);
    expect(events[1]).toMatchObject({
      complaint: { complainedRecipients: [{ emailAddress: 'complaint@simulator.amazonses.com' }] },
      mail: { tags: { ref: [tags.ref] } },
    });
  });

  it('publishes only a delivery for success@simulator.amazonses.com', async () => {
    // Act
    await send('success@simulator.amazonses.com');

    // Assess
    expect((await publishedEvents(1)).map((event) => event.eventType)).toEqual(['Delivery']);
  });

  it('publishes nothing for mail sent without the configuration set', async () => {
    // Act
    await send('bounce@simulator.amazonses.com', { configurationSet: false });

    // Assess
    expect(await publishedEvents(0)).toEqual([]);
  });
});
