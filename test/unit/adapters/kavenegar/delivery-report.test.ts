import { describe, expect, it } from 'vitest';
import {
  deliveryReportSchema,
  parseDeliveryReport,
  smsStatusOf,
} from '../../../../shared/adapters/kavenegar/delivery-report';
import { ValidationError } from '../../../../shared/domain/errors';
import { counterFor } from '../../../../shared/use-cases/delivery-status';

describe('smsStatusOf', () => {
  it.each([
    { code: 10, status: 'delivered', counter: 'delivered', optOut: false },
    { code: 11, status: 'undelivered', counter: 'undelivered', optOut: false },
    { code: 13, status: 'undelivered', counter: 'undelivered', optOut: false },
    { code: 6, status: 'failed', counter: 'undelivered', optOut: false },
    { code: 14, status: 'blocked', counter: 'undelivered', optOut: true },
  ] as const)(
    'makes Kavenegar status $code final as $status, counted as $counter',
    ({ code, status, counter, optOut }) => {
      // Prepare: the code comes from the table

      // Act
      const report = smsStatusOf('100000001', code);

      // Assess
      expect(report).toEqual({ messageId: '100000001', status, optOut, providerStatus: code });
      expect(counterFor(status)).toBe(counter);
    },
  );

  it.each([1, 2, 4, 5])('leaves status %i in flight', (code) => {
    // Prepare: the code comes from the table

    // Act
    const report = smsStatusOf('100000001', code);

    // Assess
    expect(report).toEqual({
      messageId: '100000001',
      status: 'pending',
      optOut: false,
      providerStatus: code,
    });
  });

  it.each([100, 0, 3, 7, 999])('ignores status %i (unknown id or a code Chapar does not know)', (code) => {
    // Prepare: the code comes from the table

    // Act
    const report = smsStatusOf('100000001', code);

    // Assess
    expect(report).toEqual({
      messageId: '100000001',
      status: 'unknown',
      optOut: false,
      providerStatus: code,
    });
  });
});

describe('parseDeliveryReport', () => {
  it("hands back the report mapped to Chapar's terms", () => {
    // Prepare
    const form = { messageid: ' 100000001 ', status: '14' };

    // Act
    const report = parseDeliveryReport(form);

    // Assess
    expect(report).toEqual({ messageId: '100000001', status: 'blocked', optOut: true, providerStatus: 14 });
  });

  it('refuses a malformed report with a ValidationError naming the field', () => {
    // Prepare
    const fields = { messageid: '12a', status: '10' };

    // Act
    const error = (() => {
      try {
        parseDeliveryReport(fields);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((issue) => issue.field)).toEqual(['messageid']);
  });
});

describe('deliveryReportSchema', () => {
  it('takes form fields (strings) and JSON fields (numbers) alike', () => {
    // Prepare
    const form = { messageid: ' 100000001 ', status: '10' };
    const body = { messageid: 100000001, status: 14 };

    // Act
    const fromForm = deliveryReportSchema.parse(form);
    const fromJson = deliveryReportSchema.parse(body);

    // Assess
    expect(fromForm).toEqual({ messageid: '100000001', status: 10 });
    expect(fromJson).toEqual({ messageid: '100000001', status: 14 });
  });

  it.each([
    { case: 'a missing messageid', input: { status: '10' }, field: 'messageid' },
    { case: 'a messageid that is not digits', input: { messageid: '12a', status: '10' }, field: 'messageid' },
    { case: 'a missing status', input: { messageid: '1' }, field: 'status' },
    { case: 'an empty status', input: { messageid: '1', status: '' }, field: 'status' },
    { case: 'a status that is not an integer', input: { messageid: '1', status: '1.5' }, field: 'status' },
  ])('refuses $case', ({ input, field }) => {
    // Prepare: the input comes from the table

    // Act
    const result = deliveryReportSchema.safeParse(input);

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain(field);
  });
});
