import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../support/http';
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

describe('contact import through the presigned URL', () => {
  it('imports a CSV with Persian headers, semicolons and a BOM, counting each outcome', async () => {
    // Prepare: every phone form, an invalid row, a duplicate (same phone, another form)
    const csv = [
      '\ufeffشناسه;نام و نام خانوادگی;شماره موبایل;ایمیل;شهر',
      'shop-1;سارا رضایی;۰۹۱۲ ۱۱۱ ۲۲۳۳;sara@example.com;تهران',
      ';علی;+98 912 111 4455;;"اصفهان، خیابان\nچهارباغ"',
      ';مریم;0912-111-9999;maryam@example.com;شیراز',
      ';نامعتبر;0912;;تبریز',
      ';تکراری;00989121112233;;تهران',
    ].join('\r\n');

    // Act
    const view = await importFile('csv', csv);

    // Assess
    expect(view).toMatchObject({
      status: 'done',
      rows: 5,
      created: 3,
      updated: 0,
      unchanged: 0,
      invalid: 1,
      duplicatesInFile: 1,
      progress: 1,
    });
    const sara = await call<Record<string, unknown>>(api, 'GET', '/v1/contacts/shop-1');
    expect(sara.body).toMatchObject({
      phone: '+989121112233',
      email: 'sara@example.com',
      name: 'سارا رضایی',
      attributes: { شهر: 'تهران' },
    });
    expect(sara.body).not.toHaveProperty('importRow');
    const consent = await call<{
      history: { action: string; source: string; evidence: Record<string, string> }[];
    }>(api, 'GET', '/v1/contacts/shop-1/consent');
    expect(consent.body.history).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'imported',
          source: 'import',
          evidence: { importId: view.id, basis: 'implied', reference: 'shop-export-2026-11' },
        }),
      ]),
    );
    const errors = await call(api, 'GET', `/v1/imports/${view.id}/errors`);
    expect(errors.headers.get('content-type')).toContain('text/csv');
    expect(
      errors.text
        .replace(/^\ufeff/, '')
        .trim()
        .split('\r\n'),
    ).toEqual([
      'line,column,value,reason',
      expect.stringMatching(/^5,شماره موبایل,0912,the phone is not an Iranian mobile number/),
    ]);

    // Act: the same file again creates nothing
    const again = await importFile('csv', csv);

    // Assess
    expect(again).toMatchObject({
      status: 'done',
      created: 0,
      unchanged: 3,
      invalid: 1,
      duplicatesInFile: 1,
    });
  });

  it('imports the first sheet of an .xlsx with Persian headers, updating a known contact', async () => {
    // Prepare
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('مشتریان');
    sheet.addRow(['موبایل', 'نام', 'ایمیل', 'سطح']);
    sheet.addRow([9121112233, 'سارا', null, 'طلایی']);
    sheet.addRow(['۰۹۳۵۲۲۲۳۳۴۴', 'نیما', 'nima@example.com', 'نقره‌ای']);
    const file = new Uint8Array(await workbook.xlsx.writeBuffer());

    // Act
    const view = await importFile('xlsx', file);

    // Assess: the first row's phone is shop-1's
    expect(view).toMatchObject({ status: 'done', rows: 2, created: 1, updated: 1, invalid: 0 });
    const sara = await call<Record<string, unknown>>(api, 'GET', '/v1/contacts/shop-1');
    expect(sara.body).toMatchObject({ name: 'سارا', attributes: { شهر: 'تهران', سطح: 'طلایی' } });
  });

  it('fails a file that is not what it says, with its reason, importing nothing', async () => {
    const view = await importFile('xlsx', 'phone\n09121234567\n');
    expect(view).toMatchObject({
      status: 'failed',
      created: 0,
      reason: expect.stringContaining('not an .xlsx'),
    });
    const noColumn = await importFile('csv', 'first,last\nA,B\n');
    expect(noColumn).toMatchObject({
      status: 'failed',
      reason: expect.stringContaining('no phone or email column'),
    });
  });

  it('answers every bad request with a 4xx that says why', async () => {
    const cases = [
      { json: { format: 'pdf', consent: { basis: 'implied' } }, field: 'format' },
      { json: { format: 'csv' }, field: 'consent' },
      { json: { format: 'csv', consent: { basis: 'maybe' } }, field: 'consent.basis' },
      { json: { format: 'csv', consent: { basis: 'implied' }, listId: 'vip' }, field: 'listId' },
      { json: { format: 'csv', consent: { basis: 'implied' }, mapping: { city: 'x' } }, field: 'mapping' },
    ];
    for (const { json, field } of cases) {
      const reply = await call<{ message: string; issues: { field: string }[] }>(api, 'POST', '/v1/imports', {
        json,
      });
      expect(reply.status, JSON.stringify(json)).toBe(400);
      expect(reply.body.issues.map((issue) => issue.field).join(' ')).toContain(field);
    }
    expect((await call(api, 'GET', '/v1/imports/nope')).status).toBe(404);
    expect((await call(api, 'GET', '/v1/imports/01JZZZZZZZZZZZZZZZZZZZZZZZ/errors')).status).toBe(404);
  });
});
