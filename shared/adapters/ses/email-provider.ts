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
 * Classifies an SESv2 SDK error. Unknown names go by status: none (a network fault or a
 * timeout), 429 and 5xx are retryable, any other 4xx is the message's fault.
 */
export function classifySesError(error: unknown): ProviderError {
  const name = error instanceof Error ? error.name : 'Unknown';
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const failureClass =
    CLASSES[name] ?? (status === undefined || status === 429 || status >= 500 ? 'retryable' : 'message');
  const message = error instanceof Error ? error.message : String(error);
  const context = name === 'LimitExceededException' ? { pause: 'quota' } : {};
  return new ProviderError('ses', name, failureClass, `SES SendEmail failed: ${name}: ${message}`, {
    cause: error,
    context,
  });
}

/** Sends campaign email through SESv2 Simple content, which carries custom headers. */
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
