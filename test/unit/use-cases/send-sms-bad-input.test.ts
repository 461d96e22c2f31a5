import { describe, expect, it } from 'vitest';
import type { Campaign } from '../../../shared/domain/campaign';
import type { Recipient } from '../../../shared/domain/delivery';
import type { SmsMessage } from '../../../shared/domain/sms';
import { smsLayout } from '../../../shared/domain/sms-text';
import type { Contact } from '../../../shared/domain/types';
import { SmsChannel } from '../../../shared/use-cases/send-sms';

const campaign: Campaign = {
  id: '01JABCDEFGHJKMNPQRSTVWXYZ0',
  name: 'spring',
  topic: 'newsletter',
  channels: ['sms'],
  audience: { all: true },
  sms: { text: 'Hi {{name}}' },
  sendAt: '2025-03-01T10:00:00.000Z',
  status: 'sending',
  createdAt: '2025-03-01T10:00:00.000Z',
  updatedAt: '2025-03-01T10:00:00.000Z',
};

function recipient(name: string): Recipient {
  const contact: Contact = {
    id: 'c1',
    ref: 'ref-c1',
    phone: '+989121234567',
    locale: 'en',
    name,
    attributes: {},
    createdAt: '2025-03-01T10:00:00.000Z',
    updatedAt: '2025-03-01T10:00:00.000Z',
  };
  return {
    key: { campaignId: campaign.id, contactId: contact.id, channel: 'sms' },
    claimId: 'claim-1',
    contact,
    address: '+989121234567',
    takeover: false,
  };
}

function channelSending(sent: SmsMessage[]): SmsChannel {
  return new SmsChannel({
    sms: {
      sendDetailed: async (messages) => {
        sent.push(...messages);
        return {
          receipts: messages.map((message, index) => ({
            receptor: message.receptor,
            localId: message.localId,
            messageId: String(index + 1),
            status: 1,
            cost: 0,
          })),
          failures: [],
        };
      },
    },
    lookup: { findByLocalIds: async () => new Map() },
    links: {
      linkFor: async (claims) => ({ ...claims, code: 'Ab3dE5gH7k' }),
      find: async () => undefined,
    },
    // A Latin suffix keeps a Latin text in GSM-7, where an extension character takes two septets.
    layout: smsLayout({ publicBaseUrl: 'https://chapar.test', optOutSuffix: 'STOP' }),
  });
}

describe('SmsChannel: the length check', () => {
  it('fails a GSM-7 text over 900 septets without sending it, though it has under 900 UTF-16 units', async () => {
    // Prepare: 440 € are 880 septets; with the link line the SMS takes 918 (478 UTF-16 units)
    const sent: SmsMessage[] = [];
    const channel = channelSending(sent);

    // Act
    const results = await channel.send(campaign, [recipient('€'.repeat(440))]);

    // Assess
    expect(results).toEqual([{ kind: 'failed', reason: 'sms_too_long' }]);
    expect(sent).toEqual([]);
  });

  it('sends a text that fits 900 as SMS count it', async () => {
    // Prepare
    const sent: SmsMessage[] = [];
    const channel = channelSending(sent);

    // Act
    const results = await channel.send(campaign, [recipient('€'.repeat(400))]);

    // Assess
    expect(results).toMatchObject([{ kind: 'sent', providerMessageId: '1' }]);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.text.endsWith('https://chapar.test/s/Ab3dE5gH7k STOP')).toBe(true);
  });
});
