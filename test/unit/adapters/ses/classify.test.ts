import {
  AccountSuspendedException,
  LimitExceededException,
  MessageRejected,
  SESv2ServiceException,
  SendingPausedException,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { classifySesError } from '../../../../shared/adapters/ses/email-provider';
import { type FailureClass, ProviderError } from '../../../../shared/domain/errors';

const metadata = (httpStatusCode: number) => ({ $metadata: { httpStatusCode }, message: 'm' });

/** An unmodelled error as the SDK raises it: SESv2ServiceException named by the error code. */
function common(name: string, status: number): SESv2ServiceException {
  return new SESv2ServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    ...metadata(status),
  });
}

/** Each error the SES front (local/ses-front) can answer, as the SDK raises it, and its class. */
const TABLE: ReadonlyArray<readonly [string, Error, FailureClass]> = [
  ['TooManyRequestsException', new TooManyRequestsException(metadata(429)), 'retryable'],
  ['ThrottlingException', common('ThrottlingException', 400), 'retryable'],
  ['InternalFailure', common('InternalFailure', 500), 'retryable'],
  ['ServiceUnavailable', common('ServiceUnavailable', 503), 'retryable'],
  ['SendingPausedException', new SendingPausedException(metadata(400)), 'campaign'],
  ['AccountSuspendedException', new AccountSuspendedException(metadata(400)), 'campaign'],
  ['MessageRejected', new MessageRejected(metadata(400)), 'recipient'],
  ['LimitExceededException', new LimitExceededException(metadata(400)), 'campaign'],
];

describe('classifySesError', () => {
  it.each(TABLE)('classifies %s as %s', (name, error, expected) => {
    // Act
    const classified = classifySesError(error);

    // Assess
    expect(classified).toBeInstanceOf(ProviderError);
    expect(classified.provider).toBe('ses');
    expect(classified.code).toBe(name);
    expect(classified.failureClass).toBe(expected);
    expect(classified.cause).toBe(error);
  });

  it('marks the daily quota as a quota pause, with SES message kept', () => {
    // Prepare
    const error = new LimitExceededException({
      $metadata: { httpStatusCode: 400 },
      message: 'Daily message quota exceeded.',
    });

    // Act
    const classified = classifySesError(error);

    // Assess
    expect(classified.failureClass).toBe('campaign');
    expect(classified.context).toEqual({ pause: 'quota' });
    expect(classified.message).toContain('Daily message quota exceeded.');
  });

  it.each([
    ['an unknown 5xx', common('SomethingNew', 502), 'retryable'],
    ['an unknown 429', common('SlowDown', 429), 'retryable'],
    ['an unknown 4xx', common('SomethingWrong', 400), 'message'],
    [
      'a network fault (no status)',
      Object.assign(new Error('socket hang up'), { name: 'ECONNRESET' }),
      'retryable',
    ],
    ['a timeout', Object.assign(new Error('timed out'), { name: 'TimeoutError' }), 'retryable'],
  ] as const)('classifies %s as %s', (_, error, expected) => {
    // Act
    const classified = classifySesError(error);

    // Assess
    expect(classified.failureClass).toBe(expected);
  });

  it.each([
    ['InternalFailure (500)', common('InternalFailure', 500), true],
    ['ServiceUnavailable (503)', common('ServiceUnavailable', 503), true],
    ['an unknown 5xx', common('SomethingNew', 502), true],
    ['a network fault', Object.assign(new Error('socket hang up'), { name: 'ECONNRESET' }), true],
    ['a timeout', Object.assign(new Error('timed out'), { name: 'TimeoutError' }), true],
    ['an unreadable 200 reply', common('SyntaxError', 200), true],
    ['something that is not an Error', 'boom', true],
    ['TooManyRequestsException (429)', new TooManyRequestsException(metadata(429)), false],
    ['ThrottlingException', common('ThrottlingException', 400), false],
    ['MessageRejected', new MessageRejected(metadata(400)), false],
    ['SendingPausedException', new SendingPausedException(metadata(400)), false],
    ['AccountSuspendedException', new AccountSuspendedException(metadata(400)), false],
    ['LimitExceededException', new LimitExceededException(metadata(400)), false],
    ['a modelled refusal without metadata', new MessageRejected({ $metadata: {}, message: 'm' }), false],
    ['an unknown 4xx', common('SomethingWrong', 403), false],
  ] as const)('marks %s as outcome unknown: %s', (_, error, expected) => {
    // Act
    const classified = classifySesError(error);

    // Assess
    expect(classified.outcomeUnknown).toBe(expected);
  });

  it('keeps retryable in step with the class', () => {
    // Act
    const throttled = classifySesError(new TooManyRequestsException(metadata(429)));
    const paused = classifySesError(new SendingPausedException(metadata(400)));

    // Assess
    expect([throttled.retryable, paused.retryable]).toEqual([true, false]);
  });
});
