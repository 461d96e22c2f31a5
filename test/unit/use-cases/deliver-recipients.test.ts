import { describe, expect, it } from 'vitest';
import { type FailureClass, ProviderError } from '../../../shared/domain/errors';
import { resultForError } from '../../../shared/use-cases/deliver-recipients';

describe('resultForError', () => {
  it.each([
    { failureClass: 'retryable', kind: 'retry' },
    { failureClass: 'recipient', kind: 'failed' },
    { failureClass: 'message', kind: 'failed' },
    { failureClass: 'campaign', kind: 'stop' },
  ] as { failureClass: FailureClass; kind: string }[])(
    'maps a $failureClass provider failure with a known outcome to $kind',
    ({ failureClass, kind }) => {
      // Prepare
      const error = new ProviderError('kavenegar', '402', failureClass, 'refused');

      // Act
      const result = resultForError(error);

      // Assess
      expect(result.kind).toBe(kind);
      expect(result).toMatchObject({ reason: expect.stringMatching(/^kavenegar:402/) });
    },
  );

  it('keeps the claim of a message that may have gone out (outcome unknown), whatever its class', () => {
    // Prepare
    const error = new ProviderError('kavenegar', 'timeout', 'retryable', 'no answer', {
      outcomeUnknown: true,
    });

    // Act
    const result = resultForError(error);

    // Assess
    expect(result).toEqual({ kind: 'unknown', reason: 'kavenegar:timeout' });
  });

  it('rethrows what is not a provider failure (a bug must not count as a failed send)', () => {
    // Prepare
    const bug = new TypeError('undefined is not a function');

    // Act, Assess
    expect(() => resultForError(bug)).toThrow(bug);
  });
});
