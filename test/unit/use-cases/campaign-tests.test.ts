import { describe, expect, it } from 'vitest';
import type { Campaign } from '../../../shared/domain/campaign';
import { ProviderError } from '../../../shared/domain/errors';
import { deliveryLocalId } from '../../../shared/domain/ids';
import type { SmsMessage, SmsSendOutcome } from '../../../shared/domain/sms';
import { smsLayout } from '../../../shared/domain/sms-text';
import type { ContactSearch, SmsBatchProvider, TestSendGuard } from '../../../shared/ports';
import { type CampaignTestDeps, sendCampaignTest } from '../../../shared/use-cases/campaign-tests';
import { campaignFixture } from '../../fixtures/campaigns';
import { MemoryCampaignStore } from '../../support/fakes/campaign-store';
import { MemoryConsentStore } from '../../support/fakes/consent-store';
import { MemoryContactStore } from '../../support/fakes/contact-store';
import { FakeEmailProvider } from '../../support/fakes/email-provider';
import { MemoryLinkStore } from '../../support/fakes/link-store';
import { FakeSmsProvider } from '../../support/fakes/sms';
import { MemorySuppressionStore } from '../../support/fakes/suppression-store';

const NOW = new Date('2025-06-01T10:00:00.000Z');

class MemoryGuard implements TestSendGuard {
  readonly held = new Map<string, number>();
  async claim(key: string, now: Date, until: Date): Promise<boolean> {
    const held = this.held.get(key);
    if (held !== undefined && held > now.getTime()) return false;
    this.held.set(key, until.getTime());
    return true;
  }
  async release(key: string): Promise<void> {
    this.held.delete(key);
  }
}

/** Fails every message with `error`. */
class FailingSms implements SmsBatchProvider {
  calls = 0;
  constructor(private readonly error: ProviderError) {}
  async sendDetailed(messages: readonly SmsMessage[]): Promise<SmsSendOutcome> {
    this.calls += 1;
    return {
      receipts: [],
      failures: messages.map((message) => ({ localId: message.localId, error: this.error })),
    };
  }
}

const noSearch: ContactSearch = { byPhone: async () => [], byEmail: async () => [] };

async function world(campaign: Campaign, sms: SmsBatchProvider = new FakeSmsProvider()) {
  const campaigns = new MemoryCampaignStore();
  await campaigns.create(campaign);
  const contacts = new MemoryContactStore();
  await contacts.upsert(
    'c1',
    { phone: '+989125550001', email: 'c1@example.com', locale: 'fa', name: 'سارا', attributes: {} },
    NOW,
  );
  const email = new FakeEmailProvider();
  const guard = new MemoryGuard();
  const deps: CampaignTestDeps = {
    campaigns,
    contacts,
    search: noSearch,
    consent: new MemoryConsentStore(),
    suppressions: new MemorySuppressionStore(),
    erasureKey: async () => 'erasure-key',
    sms,
    email,
    links: new MemoryLinkStore(),
    layout: smsLayout({ publicBaseUrl: 'https://chapar.test', optOutSuffix: 'لغو۱۱' }),
    keyring: async () => ({ current: 'k1', keys: { k1: { secret: 'token-key' } } }) as never,
    publicBaseUrl: 'https://chapar.test',
    templates: (name) =>
      name === 'campaign.email.html' ? '<html><!--content--><!--footer--></html>' : '<p>{{footer}}</p>',
    guard,
    now: () => NOW,
  };
  return { deps, email, guard };
}

describe('sendCampaignTest', () => {
  it('gives the test SMS a local id of its own, never the campaign delivery’s', async () => {
    // Prepare
    const campaign = campaignFixture({ channels: ['sms'] });
    const sms = new FakeSmsProvider();
    const { deps } = await world(campaign, sms);
    // Act
    const results = await sendCampaignTest(deps, campaign.id, { contactIds: ['c1'] });
    // Assess
    expect(results).toEqual([{ target: 'c1', channel: 'sms', to: '+98912***01', status: 'sent' }]);
    expect(sms.sent[0]?.localId).not.toBe(deliveryLocalId(campaign.id, 'c1', 'sms'));
    expect(sms.sent[0]?.text).toMatch(/^\[آزمایشی\] سارا عزیز/);
  });

  it('frees the target again when Kavenegar surely refused, so a retry may send', async () => {
    // Prepare
    const campaign = campaignFixture({ channels: ['sms'] });
    const sms = new FailingSms(new ProviderError('kavenegar', '418', 'campaign', 'credit insufficient'));
    const { deps, guard } = await world(campaign, sms);
    // Act
    const results = await sendCampaignTest(deps, campaign.id, { phones: ['09125550001'] });
    // Assess
    expect(results[0]).toMatchObject({ status: 'failed', reason: 'kavenegar:418' });
    expect(guard.held.size).toBe(0);
  });

  it('keeps the target held when the SMS may have gone out (a timeout)', async () => {
    // Prepare
    const campaign = campaignFixture({ channels: ['sms'] });
    const timeout = new ProviderError('kavenegar', 'timeout', 'retryable', 'timed out', {
      outcomeUnknown: true,
    });
    const { deps, guard } = await world(campaign, new FailingSms(timeout));
    // Act
    const first = await sendCampaignTest(deps, campaign.id, { phones: ['09125550001'] });
    const retried = await sendCampaignTest(deps, campaign.id, { phones: ['09125550001'] });
    // Assess
    expect(first[0]).toMatchObject({ status: 'failed', reason: 'kavenegar:timeout' });
    expect(retried[0]).toMatchObject({ status: 'skipped', reason: 'sent_within_window' });
    expect(guard.held.size).toBe(1);
  });

  it('sends each recipient the variant of their locale when the campaign was made from a template', async () => {
    // Prepare
    const variants = { fa: { text: 'حراج برای {{name}}' }, en: { text: 'Sale for {{name}}' } };
    const campaign = campaignFixture({
      channels: ['sms'],
      sms: { text: variants.fa.text, template: { id: 'T1', version: 1, variants } },
    });
    const sms = new FakeSmsProvider();
    const { deps } = await world(campaign, sms);
    await (deps.contacts as MemoryContactStore).upsert(
      'c2',
      { phone: '+989125550002', locale: 'en', name: 'Ann', attributes: {} },
      NOW,
    );
    // Act
    await sendCampaignTest(deps, campaign.id, { contactIds: ['c1', 'c2'] });
    // Assess
    expect(sms.sent.map((message) => message.text.split('\n')[0])).toEqual([
      '[آزمایشی] حراج برای سارا',
      '[test] Sale for Ann',
    ]);
  });

  it('skips the SMS in quiet hours and still sends the email', async () => {
    // Prepare
    const campaign = campaignFixture({ channels: ['sms', 'email'] });
    const sms = new FakeSmsProvider();
    const { deps, email } = await world(campaign, sms);
    const quiet = { ...deps, quietUntil: () => new Date('2025-06-02T04:30:00.000Z') };
    // Act
    const results = await sendCampaignTest(quiet, campaign.id, { contactIds: ['c1'] });
    // Assess
    expect(results).toEqual([
      { target: 'c1', channel: 'sms', to: '+98912***01', status: 'skipped', reason: 'quiet_hours' },
      { target: 'c1', channel: 'email', to: 'c***@e***.com', status: 'sent' },
    ]);
    expect(sms.calls).toHaveLength(0);
    expect(email.sent).toHaveLength(1);
  });

  it('sends the email in the campaign frame with one-click headers and no campaign tag', async () => {
    // Prepare
    const campaign = campaignFixture({ channels: ['email'] });
    const { deps, email } = await world(campaign);
    // Act
    await sendCampaignTest(deps, campaign.id, { contactIds: ['c1'] });
    // Assess
    const sent = email.sent[0];
    expect(sent?.subject).toBe('[آزمایشی] News for سارا');
    expect(sent?.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(sent?.tags).toEqual({ kind: 'campaign-test' });
  });

  it('skips a phone for an email-only campaign, and fails an SMS too long to send without sending it', async () => {
    // Prepare
    const emailOnly = campaignFixture({ channels: ['email'] });
    const long = campaignFixture({ channels: ['sms'], sms: { text: `{{name}}${'x'.repeat(770)}` } });
    const sms = new FakeSmsProvider();
    const { deps } = await world(emailOnly, sms);
    await (deps.campaigns as MemoryCampaignStore).create(long);
    await (deps.contacts as MemoryContactStore).upsert(
      'c2',
      { phone: '+989125550002', locale: 'en', name: 'N'.repeat(200), attributes: {} },
      NOW,
    );
    // Act
    const skipped = await sendCampaignTest(deps, emailOnly.id, { phones: ['09125550001'] });
    const tooLong = await sendCampaignTest(deps, long.id, { contactIds: ['c2'] });
    // Assess
    expect(skipped[0]).toMatchObject({ status: 'skipped', reason: 'channel_not_in_campaign' });
    expect(tooLong[0]).toMatchObject({ status: 'failed', reason: 'sms_too_long' });
    expect(sms.calls).toHaveLength(0);
  });
});
