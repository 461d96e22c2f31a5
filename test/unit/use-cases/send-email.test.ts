import { describe, expect, it } from 'vitest';
import type { Campaign } from '../../../shared/domain/campaign';
import type { Recipient } from '../../../shared/domain/delivery';
import { ProviderError } from '../../../shared/domain/errors';
import type { Contact } from '../../../shared/domain/types';
import { type TokenKeyring, verifyUnsubscribeToken } from '../../../shared/domain/unsubscribe-token';
import { EmailChannel, unsubscribeUrl } from '../../../shared/use-cases/send-email';
import { campaignFixture } from '../../fixtures/campaigns';
import { FakeEmailProvider } from '../../support/fakes/email-provider';

const KEYRING: TokenKeyring = { current: 'k1', keys: { k1: { secret: 'a-test-secret' } } };
const CAMPAIGN: Campaign = campaignFixture({
  channels: ['email'],
  topic: 'newsletter',
  email: { subject: 'News for {{name}}', html: '<p>Hello {{name}}</p>' },
});
const TEMPLATES = (name: string) =>
  name === 'footer.email.html'
    ? '<p>{{footer}} <a href="{{unsubscribeUrl}}">{{footerLink}}</a></p>'
    : '<html lang="{{lang}}" dir="{{dir}}"><body><!--content--><!--footer--></body></html>';

function recipient(id: string, takeover = false): Recipient {
  const contact: Contact = {
    id,
    ref: `ref-${id}-0000`,
    email: `${id}@example.com`,
    locale: 'fa',
    name: `name-${id}`,
    attributes: {},
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
  };
  return {
    key: { campaignId: CAMPAIGN.id, contactId: id, channel: 'email' },
    claimId: `claim-${id}`,
    contact,
    address: contact.email ?? '',
    takeover,
  };
}

function channel() {
  const email = new FakeEmailProvider();
  const sender = new EmailChannel({
    email,
    keyring: async () => KEYRING,
    publicBaseUrl: 'https://api.chapar.test/',
    templates: TEMPLATES,
    concurrency: 2,
  });
  return { email, sender };
}

describe('EmailChannel', () => {
  it('sends the rendered email with one-click unsubscribe headers and id-only tags', async () => {
    // Prepare
    const { email, sender } = channel();

    // Act
    const results = await sender.send(CAMPAIGN, [recipient('c1')]);

    // Assess
    const [message] = email.sent;
    expect(message).toMatchObject({
      to: 'c1@example.com',
      subject: 'News for name-c1',
      headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      tags: { campaign: CAMPAIGN.id, topic: 'newsletter', channel: 'email', ref: 'ref-c1-0000' },
    });
    expect(message?.html).toContain('<p>Hello name-c1</p>');
    expect(message?.html).toContain('dir="rtl"');
    const url = /^<(https:\/\/api\.chapar\.test\/u\/([^>]+))>$/.exec(
      message?.headers['List-Unsubscribe'] ?? '',
    );
    expect(url).not.toBeNull();
    expect(message?.html).toContain(url?.[1]);
    expect(message?.text).toContain(url?.[1]);
    expect(verifyUnsubscribeToken(url?.[2] ?? '', KEYRING)).toMatchObject({
      ok: true,
      claims: { ref: 'ref-c1-0000', channel: 'email', topic: 'newsletter', campaignId: CAMPAIGN.id },
    });
    expect(results).toEqual([{ kind: 'sent', content: 'News for name-c1', providerMessageId: 'ses-1' }]);
  });

  it('fails a taken-over recipient as outcome_unknown rather than risk a second copy', async () => {
    // Prepare
    const { email, sender } = channel();

    // Act
    const results = await sender.send(CAMPAIGN, [recipient('c1', true), recipient('c2')]);

    // Assess
    expect(results[0]).toEqual({ kind: 'failed', reason: 'outcome_unknown' });
    expect(results[1]).toMatchObject({ kind: 'sent' });
    expect(email.sent.map((message) => message.to)).toEqual(['c2@example.com']);
  });

  it('maps each recipient provider failure to its result, in the order of the recipients', async () => {
    // Prepare
    const { email, sender } = channel();
    email.failures.set(
      'c1@example.com',
      new ProviderError('ses', 'MessageRejected', 'recipient', 'Rejected'),
    );
    email.failures.set(
      'c2@example.com',
      new ProviderError('ses', 'TooManyRequests', 'retryable', 'Slow down'),
    );
    email.failures.set('c3@example.com', new ProviderError('ses', 'AccountSuspended', 'campaign', 'Paused'));

    // Act
    const results = await sender.send(CAMPAIGN, [
      recipient('c1'),
      recipient('c2'),
      recipient('c3'),
      recipient('c4'),
    ]);

    // Assess
    expect(results).toEqual([
      { kind: 'failed', reason: 'ses:MessageRejected' },
      { kind: 'retry', reason: 'ses:TooManyRequests' },
      { kind: 'stop', reason: 'ses:AccountSuspended Paused' },
      { kind: 'sent', content: 'News for name-c4', providerMessageId: 'ses-1' },
    ]);
  });

  it('fails a recipient as outcome_unknown when SES may have accepted the mail, whatever the class', async () => {
    // Prepare: a 5xx after SES may have stored the mail, and a lost answer
    const { email, sender } = channel();
    const unknown = (code: string) =>
      new ProviderError('ses', code, 'retryable', 'No answer', { outcomeUnknown: true });
    email.failures.set('c1@example.com', unknown('InternalFailure'));
    email.failures.set('c2@example.com', unknown('TimeoutError'));

    // Act
    const results = await sender.send(CAMPAIGN, [recipient('c1'), recipient('c2')]);

    // Assess
    expect(results).toEqual([
      { kind: 'failed', reason: 'outcome_unknown' },
      { kind: 'failed', reason: 'outcome_unknown' },
    ]);
  });

  it('lets an error that is not a provider failure through', async () => {
    // Prepare
    const { email, sender } = channel();
    email.failures.set('c1@example.com', new TypeError('bug'));

    // Act
    const sending = sender.send(CAMPAIGN, [recipient('c1')]);

    // Assess
    await expect(sending).rejects.toThrow(TypeError);
  });
});

describe('unsubscribeUrl', () => {
  it('joins the base without a doubled slash', () => {
    // Act
    const url = unsubscribeUrl('https://api.chapar.test///', KEYRING, CAMPAIGN, recipient('c1'));

    // Assess
    expect(url).toMatch(/^https:\/\/api\.chapar\.test\/u\/k1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });
});
