import { describe, expect, it } from 'vitest';
import { failureKind } from '../../../shared/domain/delivery';

describe('failureKind', () => {
  it.each([
    ['kavenegar 411: invalid receptor', 'kavenegar_411'],
    ['outcome_unknown', 'outcome_unknown'],
    ['sms_too_long', 'sms_too_long'],
    ['MessageRejected (Email address is not verified)', 'messagerejected'],
    ['short link: connect ECONNREFUSED 127.0.0.1:8000', 'short_link'],
    ['', 'unknown'],
    [undefined, 'unknown'],
    ['شماره نامعتبر', 'unknown'],
  ])('counts %j as %j', (reason, kind) => {
    expect(failureKind(reason)).toBe(kind);
  });

  it('never grows past 40 characters, whatever the reason says', () => {
    expect(failureKind(`${'x'.repeat(100)}: tail`)).toHaveLength(40);
  });
});
