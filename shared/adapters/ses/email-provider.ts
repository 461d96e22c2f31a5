import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { EmailMessage } from '../../domain/email-message';
import { type FailureClass, ProviderError } from '../../domain/errors';
import { sanitiseHeaderField } from '../../domain/header-field';
import type { EmailProvider } from '../../ports';

/** SESv2 errors by what a sender should do about them (see the SES rules in shared/reference). */
const CLASSES: Record<string, FailureClass> = {
  // The account's send rate: SES does not queue the message, so it must come back later.
  TooManyRequestsException: 'retryable',
  ThrottlingException: 'retryable',
  InternalServiceErrorException: 'retryable',
  InternalFailure: 'retryable',
  ServiceUnavailable: 'retryable',
  ServiceUnavailableException: 'retryable',
  MessageRejected: 'recipient',
  SendingPausedException: 'campaign',
  AccountSuspendedException: 'campaign',
  // SendEmail's only limit is the daily quota: it heals as the 24-hour window moves, not on the
  // queue's retries, so the campaign pauses (context.pause = 'quota') until resumed.
  LimitExceededException: 'campaign',
  MailFromDomainNotVerifiedException: 'campaign',
  NotFoundException: 'campaign',
  AccessDeniedException: 'campaign',
  BadRequestException: 'message',
};

/**
 * SESv2's modelled answers that refuse a send before accepting it: the mail surely did not go
 * out, so it may be sent again later.
 */
const REFUSALS = new Set([
  'TooManyRequestsException',
  'ThrottlingException',
  'MessageRejected',
  'SendingPausedException',
  'AccountSuspendedException',
  'LimitExceededException',
  'MailFromDomainNotVerifiedException',
  'NotFoundException',
  'AccessDeniedException',
  'BadRequestException',
]);

/**
 * Classifies an SESv2 SDK error. Unknown names go by status: none (a network fault or a
 * timeout), 429 and 5xx are retryable, any other 4xx is the message's fault.
 *
 * The outcome is unknown unless SES refused the request (a modelled refusal or any 4xx): after
 * a lost answer, a timeout, a 5xx or a reply the SDK could not read, SES may have accepted the
 * mail, and it cannot be asked afterwards.
 */
export function classifySesError(error: unknown): ProviderError {
  const name = error instanceof Error ? error.name : 'Unknown';
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const failureClass =
    CLASSES[name] ?? (status === undefined || status === 429 || status >= 500 ? 'retryable' : 'message');
  const refused = REFUSALS.has(name) || (status !== undefined && status >= 400 && status < 500);
  const message = error instanceof Error ? error.message : String(error);
  const context = name === 'LimitExceededException' ? { pause: 'quota' } : {};
  return new ProviderError('ses', name, failureClass, `SES SendEmail failed: ${name}: ${message}`, {
    cause: error,
    context,
    outcomeUnknown: !refused,
  });
}

/**
 * Sends campaign email through SESv2 Simple content, which carries custom headers. Give it a
 * client with `maxAttempts: 1`: an SDK retry after a lost answer can send the mail twice.
 */
export class SesEmailProvider implements EmailProvider {
  constructor(
    private readonly client: SESv2Client,
    private readonly options: { from: string; configurationSet?: string },
  ) {}

  async send(message: EmailMessage): Promise<{ messageId: string }> {
    try {
      const result = await this.client.send(
        new SendEmailCommand({
          FromEmailAddress: sanitiseHeaderField(this.options.from),
          Destination: { ToAddresses: [message.to] },
          ConfigurationSetName: this.options.configurationSet,
          Content: {
            Simple: {
              // Every caller sanitises its subject; this keeps a new one from forgetting.
              Subject: { Data: sanitiseHeaderField(message.subject), Charset: 'UTF-8' },
              Body: {
                Html: { Data: message.html, Charset: 'UTF-8' },
                Text: { Data: message.text, Charset: 'UTF-8' },
              },
              Headers: Object.entries(message.headers).map(([Name, Value]) => ({ Name, Value })),
            },
          },
          EmailTags: Object.entries(message.tags ?? {}).map(([Name, Value]) => ({ Name, Value })),
        }),
      );
      return { messageId: result.MessageId ?? '' };
    } catch (error) {
      throw classifySesError(error);
    }
  }
}
