import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, eventually, simMessages } from '../support/http';
import { importThrough } from '../support/imports';
import { startTestPlatform, type TestPlatform } from '../support/platform';

let platform: TestPlatform;
let api: string;

beforeAll(async () => {
  platform = await startTestPlatform();
  api = platform.apiUrl;
});

afterAll(async () => {
  await platform?.end();
});

/** Imports `file` through its presigned URL and waits for the import to end. */
const importFile = (format: 'csv' | 'xlsx', file: Uint8Array | string, extra: Record<string, unknown> = {}) =>
  importThrough(api, format, file, extra);

describe('from a customer export to a campaign that reaches exactly its segment', () => {
  it('imports a CSV and an .xlsx with Persian headers, builds a segment on an attribute, and sends to it minus an excluded list', async () => {
    // Prepare: the shop's CSV export (Persian headers, phones written every way)
    const csv = [
      'نام;شماره موبایل;شهر',
      'سارا;۰۹۱۳ ۳۰۰ ۰۰۰۱;تهران',
      'علی;+98 913 300 0002;تهران',
      'مریم;0913-300-0003;اصفهان',
    ].join('\r\n');
    const list = await call<{ id: string }>(api, 'POST', '/v1/lists', {
      json: { name: 'مشتریان شکایت‌کرده' },
    });
    expect(list.status).toBe(201);
    // … and the support team's Excel sheet: one customer already imported, one new, onto the list.
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('شکایت‌ها');
    sheet.addRow(['نام و نام خانوادگی', 'تلفن همراه', 'شهر']);
    sheet.addRow(['علی', '00989133000002', 'تهران']);
    sheet.addRow(['نگار', '09133000004', 'تهران']);
    const xlsx = new Uint8Array(await workbook.xlsx.writeBuffer());

    // Act
    const fromCsv = await importFile('csv', csv);
    const fromXlsx = await importFile('xlsx', xlsx, { listId: list.body.id });
    const segment = await call<{ id: string }>(api, 'POST', '/v1/segments', {
      json: { name: 'تهرانی‌ها', filter: { field: 'attributes.شهر', op: 'eq', value: 'تهران' } },
    });
    const members = await call<{ members: number }>(api, 'GET', `/v1/lists/${list.body.id}`);
    const body = {
      name: 'حراج زمستانه',
      topic: 'promotions',
      channels: ['sms'],
      audience: { segmentId: segment.body.id, exclude: { listIds: [list.body.id] } },
      sms: { text: '{{name}} عزیز، حراج زمستانه آغاز شد' },
    };
    const preview = await call<{ audience: number }>(api, 'POST', '/v1/campaigns/preview', { json: body });
    const created = await call<{ id: string }>(api, 'POST', '/v1/campaigns', { json: body });
    const sent = await eventually(async () => {
      const view = await call<{ status: string; stats: { total: number; sent: number } }>(
        api,
        'GET',
        `/v1/campaigns/${created.body.id}`,
      );
      return view.body.status === 'sent' ? view.body : undefined;
    }, 'the campaign to be sent');

    // Assess: Tehran is سارا, علی and نگار; علی and نگار are on the excluded list.
    expect(fromCsv, `the CSV import: ${JSON.stringify(fromCsv)}`).toMatchObject({
      status: 'done',
      created: 3,
    });
    // علی matched by his phone, written another way, and changed nothing: unchanged, yet put on the list.
    expect(fromXlsx, `the .xlsx import: ${JSON.stringify(fromXlsx)}`).toMatchObject({
      status: 'done',
      created: 1,
      unchanged: 1,
    });
    expect(segment.status).toBe(201);
    expect(members.body.members).toBe(2);
    expect(preview.body.audience).toBe(1);
    expect(sent.stats).toMatchObject({ total: 1, sent: 1 });
    const texts = (await simMessages(platform.kavenegarUrl))
      .filter((sms) => sms.receptor.startsWith('0913300'))
      .map((sms) => ({ receptor: sms.receptor, text: sms.message }));
    expect(texts).toHaveLength(1);
    expect(texts[0]?.receptor).toBe('09133000001');
    expect(texts[0]?.text).toContain('سارا عزیز');
  });
});
