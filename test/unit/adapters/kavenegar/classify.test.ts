import { describe, expect, it } from 'vitest';
import { classifyKavenegarCode } from '../../../../shared/adapters/kavenegar/errors';
import type { FailureClass } from '../../../../shared/domain/errors';

/** Every code of the reference table (shared/reference/kavenegar.md), with the class Chapar gives it. */
const TABLE: ReadonlyArray<readonly [number, FailureClass]> = [
  [400, 'message'],
  [401, 'campaign'],
  [402, 'retryable'],
  [403, 'campaign'],
  [404, 'message'],
  [405, 'message'],
  [406, 'message'],
  [407, 'campaign'],
  [409, 'retryable'],
  [411, 'recipient'],
  [412, 'campaign'],
  [413, 'message'],
  [414, 'message'],
  [416, 'campaign'],
  [417, 'message'],
  [418, 'campaign'],
  [419, 'message'],
  [420, 'campaign'],
  [422, 'message'],
  [424, 'message'],
  [429, 'campaign'],
  [451, 'retryable'],
  [501, 'campaign'],
];

describe('classifyKavenegarCode', () => {
  it.each(TABLE)('classifies %i as %s', (code, expected) => {
    // Act
    const failureClass = classifyKavenegarCode(code);

    // Assess
    expect(failureClass).toBe(expected);
  });

  it.each([500, 502, 503, 504])('treats server error %i as retryable', (code) => {
    expect(classifyKavenegarCode(code)).toBe('retryable');
  });

  it.each([0, 200, 408, 410, 415, 499, 600, 999])('fails the message for unknown code %i', (code) => {
    expect(classifyKavenegarCode(code)).toBe('message');
  });
});
