import { describe, expect, it } from 'vitest';
import {
  ChaparError,
  ConfigError,
  ConflictError,
  type FailureClass,
  NotFoundError,
  PayloadTooLargeError,
  ProviderError,
  UnauthorizedError,
  ValidationError,
} from '../../../shared/domain/errors';

describe('error hierarchy', () => {
  it.each([
    { name: 'UnauthorizedError', make: () => new UnauthorizedError('no key') },
    { name: 'NotFoundError', make: () => new NotFoundError('no campaign') },
    { name: 'ConflictError', make: () => new ConflictError('already sent') },
    { name: 'PayloadTooLargeError', make: () => new PayloadTooLargeError('too big') },
    { name: 'ConfigError', make: () => new ConfigError('no secret') },
    { name: 'ValidationError', make: () => new ValidationError('bad input') },
    { name: 'ProviderError', make: () => new ProviderError('kavenegar', '418', 'campaign', 'credit') },
  ])('$name is a named ChaparError and an Error', ({ name, make }) => {
    // Prepare, Act
    const error = make();

    // Assess
    expect(error).toBeInstanceOf(ChaparError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
    expect(String(error)).toContain(name);
  });

  it('keeps the cause and the context', () => {
    // Prepare
    const cause = new Error('socket hang up');

    // Act
    const error = new ConflictError('cannot cancel', {
      cause,
      context: { campaignId: 'c1', status: 'sent' },
    });

    // Assess
    expect(error.cause).toBe(cause);
    expect(error.context).toEqual({ campaignId: 'c1', status: 'sent' });
    expect(error.message).toBe('cannot cancel');
  });

  it('has an empty context and no cause by default', () => {
    // Prepare, Act
    const error = new NotFoundError('missing');

    // Assess
    expect(error.context).toEqual({});
    expect('cause' in error).toBe(false);
  });

  it('carries field issues on a ValidationError, in its context too', () => {
    // Prepare
    const issues = [{ field: 'sms.text', message: 'must not be empty' }];

    // Act
    const error = new ValidationError('invalid campaign', issues);

    // Assess
    expect(error.issues).toEqual(issues);
    expect(error.context).toEqual({ issues });
  });

  it.each([
    { failureClass: 'retryable', retryable: true },
    { failureClass: 'recipient', retryable: false },
    { failureClass: 'message', retryable: false },
    { failureClass: 'campaign', retryable: false },
  ] as { failureClass: FailureClass; retryable: boolean }[])(
    'a $failureClass ProviderError is retryable: $retryable',
    ({ failureClass, retryable }) => {
      // Prepare, Act
      const error = new ProviderError('ses', 'TooManyRequestsException', failureClass, 'provider said no');

      // Assess
      expect(error.retryable).toBe(retryable);
      expect(error.provider).toBe('ses');
      expect(error.code).toBe('TooManyRequestsException');
      expect(error.failureClass).toBe(failureClass);
    },
  );

  it('says a ProviderError left the outcome known unless its adapter says otherwise', () => {
    // Prepare, Act
    const refused = new ProviderError('kavenegar', '418', 'campaign', 'credit');
    const timedOut = new ProviderError('kavenegar', 'timeout', 'retryable', 'no answer', {
      outcomeUnknown: true,
    });

    // Assess
    expect(refused.outcomeUnknown).toBe(false);
    expect(timedOut.outcomeUnknown).toBe(true);
    expect(timedOut.context).toEqual({});
  });
});
