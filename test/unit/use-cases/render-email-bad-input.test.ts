import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Campaign } from '../../../shared/domain/campaign';
import type { Contact } from '../../../shared/domain/types';
import { renderCampaignEmail } from '../../../shared/use-cases/render-email';

const templates = (name: string) => readFileSync(join(__dirname, '../../../templates', name), 'utf8');
const UNSUBSCRIBE = 'https://chapar.test/u/token';

function campaignWith(email: { subject: string; html: string }): Campaign {
  return {
    id: '01JABCDEFGHJKMNPQRSTVWXYZ0',
    name: 'spring',
    topic: 'newsletter',
    channels: ['email'],
    audience: { all: true },
    email: { ...email, text: 'Hi' },
    sendAt: '2025-03-01T10:00:00.000Z',
    status: 'sending',
    createdAt: '2025-03-01T10:00:00.000Z',
    updatedAt: '2025-03-01T10:00:00.000Z',
  };
}

function contactWith(attributes: Contact['attributes'], name = 'Sara'): Contact {
  return {
    id: 'c1',
    ref: 'ref-c1',
    email: 'sara@example.com',
    locale: 'fa',
    name,
    attributes,
    createdAt: '2025-03-01T10:00:00.000Z',
    updatedAt: '2025-03-01T10:00:00.000Z',
  };
}

describe('renderCampaignEmail: the subject', () => {
  it('strips CR/LF, NUL and bidi controls a contact value brings, keeping ZWNJ', () => {
    // Prepare
    const campaign = campaignWith({ subject: 'می\u200Cخواهید، {{name}}؟ {{city}}', html: '<p>Hi</p>' });
    const contact = contactWith({ city: 'Tehran\r\nBcc: all@victim.test\u0000\u2066x\u2069' }, '\u202Earas');

    // Act
    const email = renderCampaignEmail(campaign, contact, UNSUBSCRIBE, templates);

    // Assess
    expect(email.subject).toBe('می\u200Cخواهید، aras؟ Tehran Bcc: all@victim.testx');
  });
});
