import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoTemplateStore } from '../../../shared/adapters/dynamodb/template-store';
import { ConflictError } from '../../../shared/domain/errors';
import { newId } from '../../../shared/domain/ids';
import type { SmsTemplate } from '../../../shared/domain/template';
import { useEmulators } from '../../support/emulators';

let templates: DynamoTemplateStore;
const now = '2026-11-20T08:00:00.000Z';

beforeAll(async () => {
  const emulators = await useEmulators();
  const { dynamoDocumentClient } = await import('../../../shared/adapters/dynamodb/client');
  templates = new DynamoTemplateStore(dynamoDocumentClient(), emulators.names.tables.templates);
});

function smsTemplate(overrides: Partial<SmsTemplate> = {}): SmsTemplate {
  return {
    id: newId(),
    name: 'Welcome',
    channel: 'sms',
    version: 1,
    variants: { fa: { text: 'سلام {{name}}' }, en: { text: 'Hi {{name}}' } },
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

describe('DynamoTemplateStore', () => {
  it('keeps every version readable by (id, version) and answers the latest without one', async () => {
    // Prepare
    const first = smsTemplate();
    await templates.create(first);
    const second = { ...first, version: 2, name: 'Welcome 2', variants: { en: { text: 'Hello' } } };

    // Act
    await templates.putVersion(second);

    // Assess
    expect(await templates.get(first.id)).toEqual(second);
    expect(await templates.get(first.id, 1)).toEqual(first);
    expect(await templates.get(first.id, 3)).toBeUndefined();
    expect(await templates.get(newId())).toBeUndefined();
  });

  it('lets only one of two writers of the same next version win, and refuses a second create', async () => {
    // Prepare
    const first = smsTemplate();
    await templates.create(first);
    const a = { ...first, version: 2, name: 'A' };
    const b = { ...first, version: 2, name: 'B' };

    // Act
    const results = await Promise.allSettled([templates.putVersion(a), templates.putVersion(b)]);
    const again = templates.create(first);

    // Assess
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((result) => result.status === 'rejected');
    expect(refused?.status === 'rejected' && refused.reason).toBeInstanceOf(ConflictError);
    await expect(again).rejects.toBeInstanceOf(ConflictError);
    expect((await templates.get(first.id))?.version).toBe(2);
  });

  it('lists heads newest first, page by page, without content', async () => {
    // Prepare
    // Ids a millisecond apart: two ULIDs of one millisecond have no order between them.
    const t0 = Date.now();
    const made = [1, 2, 3].map((n) => smsTemplate({ id: newId(t0 + n), name: `L${n}` }));
    for (const template of made) await templates.create(template);

    // Act
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await templates.list({ limit: 2, ...(cursor ? { cursor } : {}) });
      expect(page.items.every((item) => !('variants' in item) && item.locales.length > 0)).toBe(true);
      seen.push(...page.items.map((item) => item.id));
      cursor = page.cursor;
    } while (cursor);

    // Assess
    const ours = seen.filter((id) => made.some((template) => template.id === id));
    expect(ours).toEqual(made.map((template) => template.id).reverse());
  });

  it('records uses once each and deletes the template with its versions and uses', async () => {
    // Prepare
    const template = smsTemplate();
    await templates.create(template);
    await templates.putVersion({ ...template, version: 2 });
    const campaignA = newId();
    const campaignB = newId();
    await templates.recordUse(template.id, campaignA);
    await templates.recordUse(template.id, campaignA);
    await templates.recordUse(template.id, campaignB);
    const uses = await templates.uses(template.id);

    // Act
    const deleted = await templates.delete(template.id);
    const again = await templates.delete(template.id);

    // Assess
    expect(uses.sort()).toEqual([campaignA, campaignB].sort());
    expect([deleted, again]).toEqual([true, false]);
    expect(await templates.get(template.id)).toBeUndefined();
    expect(await templates.get(template.id, 1)).toBeUndefined();
    expect(await templates.uses(template.id)).toEqual([]);
  });
});
