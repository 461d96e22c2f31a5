import { describe, expect, it } from 'vitest';
import { ConflictError, ProviderError, ValidationError } from '../../../shared/domain/errors';
import { smsLayout } from '../../../shared/domain/sms-text';
import type { ListStore, ProviderAccount, SegmentStore } from '../../../shared/ports';
import {
  type CampaignCostDeps,
  CREDIT_UNAVAILABLE,
  checkCampaignCost,
  smsCost,
  takeAllowPartial,
} from '../../../shared/use-cases/campaign-cost';
import { type CampaignDeps, createCampaign, previewCampaign } from '../../../shared/use-cases/campaigns';
import { MemoryCampaignStore } from '../../support/fakes/campaign-store';
import { MemoryConsentStore } from '../../support/fakes/consent-store';
import { MemoryContactStore } from '../../support/fakes/contact-store';
import { RecordingWorkQueue } from '../../support/fakes/work-queue';

const NOW = new Date('2025-06-01T10:00:00.000Z');
const layout = smsLayout({ publicBaseUrl: 'https://chapar.test', optOutSuffix: 'لغو۱۱' });
const PRICE = 1_200;
/** One UCS-2 part once the link and «لغو۱۱» are added. */
const BODY = {
  name: 'Autumn sale',
  topic: 'promotions',
  channels: ['sms'],
  audience: { contactIds: ['c1', 'c2', 'c3'] },
  sms: { text: 'حراج پاییزه' },
};

function account(rial: number | Error): ProviderAccount & { calls: number } {
  return {
    calls: 0,
    async smsCredit() {
      this.calls += 1;
      if (rial instanceof Error) throw rial;
      return { rial, expiresAt: '2027-01-01T00:00:00.000Z', accountType: 'Master' };
    },
  };
}

async function world(credit: number | Error) {
  const contacts = new MemoryContactStore();
  for (const id of ['c1', 'c2', 'c3'])
    await contacts.upsert(id, { phone: `+98912555000${id.slice(1)}`, locale: 'fa', attributes: {} }, NOW);
  const consent = new MemoryConsentStore();
  const reach = {
    contacts,
    consent,
    lists: {} as ListStore,
    segments: {} as SegmentStore,
  };
  const cost: CampaignCostDeps = { account: account(credit), priceRial: PRICE, smsLayout: layout, reach };
  const campaigns = new MemoryCampaignStore();
  const deps: CampaignDeps = { campaigns, queue: new RecordingWorkQueue(), now: () => NOW, cost };
  return { deps, cost, campaigns, consent };
}

/** A contact store whose audience reads fail the test. */
function throwingContacts(cost: CampaignCostDeps) {
  return {
    ...cost.reach.contacts,
    getMany: async () => {
      throw new Error('the audience was read');
    },
  };
}

describe('smsCost', () => {
  it('is segments × the price per part, rounded up to a whole Rial', () => {
    // Act
    const cost = smsCost(1_150.25, 3, 2);
    // Assess
    expect(cost).toEqual({ recipients: 3, segments: 6, rial: 6_902 });
  });
});

describe('takeAllowPartial', () => {
  it('takes allowPartial out of the body and refuses one that is not a boolean', () => {
    // Act
    const taken = takeAllowPartial({ ...BODY, allowPartial: true });
    const absent = takeAllowPartial(BODY);
    // Assess
    expect(taken).toEqual({ body: BODY, allowPartial: true });
    expect(absent).toEqual({ body: BODY, allowPartial: false });
    expect(() => takeAllowPartial({ ...BODY, allowPartial: 'yes' })).toThrow(ValidationError);
  });
});

describe('previewCampaign with cost', () => {
  it('gives the SMS recipients, segments and Rial against the credit', async () => {
    // Prepare
    const { cost } = await world(10_000);
    // Act
    const preview = await previewCampaign(
      { now: () => NOW, smsLayout: layout, reach: cost.reach, cost },
      { ...BODY, allowPartial: false },
    );
    // Assess
    expect(preview.cost).toEqual({
      sms: { recipients: 3, segments: 3, rial: 3_600 },
      creditRial: 10_000,
      enough: true,
    });
  });

  it('counts only the contacts not opted out, and says when the credit falls short', async () => {
    // Prepare
    const { cost, consent } = await world(2_000);
    await consent.record({
      id: 'e1',
      contactId: 'c2',
      channel: 'sms',
      topic: 'promotions',
      action: 'opt_out',
      source: 'link',
      at: NOW.toISOString(),
      evidence: {},
    });
    // Act
    const preview = await previewCampaign(
      { now: () => NOW, smsLayout: layout, reach: cost.reach, cost },
      BODY,
    );
    // Assess
    expect(preview.cost).toEqual({
      sms: { recipients: 2, segments: 2, rial: 2_400 },
      creditRial: 2_000,
      enough: false,
    });
  });

  it('still previews when the credit cannot be read, with the credit unknown and a warning', async () => {
    // Prepare
    const { cost } = await world(new ProviderError('kavenegar', 'timeout', 'retryable', 'timed out'));
    // Act
    const preview = await previewCampaign(
      { now: () => NOW, smsLayout: layout, reach: cost.reach, cost },
      BODY,
    );
    // Assess
    expect(preview.cost).toEqual({
      sms: { recipients: 3, segments: 3, rial: 3_600 },
      creditRial: null,
      enough: null,
      warning: CREDIT_UNAVAILABLE,
    });
  });
});

describe('createCampaign with cost', () => {
  it('refuses with 409 and both figures a campaign that costs more than the credit', async () => {
    // Prepare
    const { deps, campaigns } = await world(3_599);
    // Act
    const error = await createCampaign(deps, BODY).catch((caught: unknown) => caught);
    // Assess
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).message).toMatch(/3600 Rial.*3599 Rial/);
    expect((error as ConflictError).context.details).toEqual({
      cost: { recipients: 3, segments: 3, rial: 3_600 },
      creditRial: 3_599,
    });
    expect(await campaigns.listDue(NOW, 10)).toEqual([]);
  });

  it('creates it with a warning when allowPartial is true', async () => {
    // Prepare
    const { deps, campaigns } = await world(100);
    // Act
    const campaign = await createCampaign(deps, { ...BODY, allowPartial: true });
    // Assess
    expect(campaign.warnings?.[0]).toMatch(/pauses when the credit runs out/);
    expect(await campaigns.get(campaign.id)).not.toHaveProperty('warnings');
  });

  it('creates one the credit covers exactly, without a warning', async () => {
    // Prepare
    const { deps } = await world(3_600);
    // Act
    const campaign = await createCampaign(deps, BODY);
    // Assess
    expect(campaign.status).toBe('scheduled');
    expect(campaign).not.toHaveProperty('warnings');
  });

  it('creates it with a warning when Kavenegar cannot be asked', async () => {
    // Prepare
    const { deps } = await world(new ProviderError('kavenegar', 'network', 'retryable', 'refused'));
    // Act
    const campaign = await createCampaign(deps, BODY);
    // Assess
    expect(campaign.warnings).toEqual([CREDIT_UNAVAILABLE]);
  });

  it('reads no audience when the credit pays for every contact id it names', async () => {
    // Prepare
    const { cost } = await world(3 * PRICE);
    const unread = { ...cost, reach: { ...cost.reach, contacts: throwingContacts(cost) } };
    // Act
    const warnings = await checkCampaignCost(unread, BODY as never, false);
    // Assess
    expect(warnings).toEqual([]);
  });

  it('reads no audience when the credit is unreadable', async () => {
    // Prepare
    const { cost } = await world(new ProviderError('kavenegar', 'timeout', 'retryable', 'timed out'));
    const unreadable = {
      ...cost,
      reach: {
        ...cost.reach,
        contacts: {
          ...cost.reach.contacts,
          getMany: async () => {
            throw new Error('the audience was read');
          },
        },
      },
    };
    // Act
    const warnings = await checkCampaignCost(unreadable, BODY as never, false);
    // Assess
    expect(warnings).toEqual([CREDIT_UNAVAILABLE]);
  });

  it('asks for no credit for an email-only campaign', async () => {
    // Prepare
    const { deps, cost } = await world(0);
    const body = {
      ...BODY,
      channels: ['email'],
      sms: undefined,
      email: { subject: 'خبر', html: '<p>سلام</p>' },
    };
    // Act
    const campaign = await createCampaign(deps, JSON.parse(JSON.stringify(body)));
    // Assess
    expect(campaign.status).toBe('scheduled');
    expect((cost.account as ReturnType<typeof account>).calls).toBe(0);
  });

  it('is checked by checkCampaignCost alone too, with no campaign stored', async () => {
    // Prepare
    const { cost } = await world(0);
    // Act
    const refused = checkCampaignCost(cost, { ...BODY, channels: ['sms'] } as never, false);
    // Assess
    await expect(refused).rejects.toBeInstanceOf(ConflictError);
  });
});
