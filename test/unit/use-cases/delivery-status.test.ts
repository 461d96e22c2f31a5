import { describe, expect, it } from 'vitest';
import { deliveryReportSchema, statusMoveFor } from '../../../shared/use-cases/delivery-status';

describe('statusMoveFor', () => {
  it.each([
    { code: 10, status: 'delivered', counter: 'delivered' },
    { code: 11, status: 'undelivered', counter: 'undelivered' },
    { code: 13, status: 'undelivered', counter: 'undelivered' },
    { code: 6, status: 'failed', counter: 'undelivered' },
    { code: 14, status: 'blocked', counter: 'undelivered' },
  ] as const)(
    'makes Kavenegar status $code final as $status, counted as $counter',
    ({ code, status, counter }) => {
      // Prepare: the code comes from the table

      // Act
      const move = statusMoveFor(code);

      // Assess
      expect(move).toEqual({ kind: 'final', status, counter });
    },
  );

  it.each([1, 2, 4, 5])('leaves status %i in flight', (code) => {
    // Prepare: the code comes from the table

    // Act
    const move = statusMoveFor(code);

    // Assess
    expect(move).toEqual({ kind: 'in_flight' });
  });

  it.each([100, 0, 3, 7, 999])('ignores status %i (unknown id or a code Chapar does not know)', (code) => {
    // Prepare: the code comes from the table

    // Act
    const move = statusMoveFor(code);

    // Assess
    expect(move).toEqual({ kind: 'unknown' });
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
