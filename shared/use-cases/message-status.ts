import type { EmailFeedback } from '../domain/email-feedback';
import type { SmsStatusReport } from '../domain/sms';
import { MAX_STATUS_IDS } from '../domain/sms-polling';
import { type MessageStatus, nextMessagePollAt } from '../domain/transactional-message';
import type { MessageStore, SmsStatusSource } from '../ports';
import { type AddressSuppressionDeps, suppressAddress } from './address-suppressions';

/** The tag transactional email carries (and SES publishes back): the message id, nothing personal. */
export const MESSAGE_TAG = 'message';

export interface MessagePollDeps {
  readonly messages: Pick<MessageStore, 'duePolls' | 'advance'>;
  readonly provider: SmsStatusSource;
  readonly now: () => Date;
}

export interface MessagePollSummary {
  polled: number;
  delivered: number;
  undelivered: number;
  /** Given up: the status window closed with no final status. */
  unknown: number;
}

/**
 * Asks Kavenegar (sms/status, up to 500 ids a call) about the transactional SMS whose poll is
 * due and moves each on: delivered, undelivered (with the provider's code), or its next poll
 * from its age. Each move is conditional on the message still being `sent`, so a repeated or
 * concurrent poll changes nothing twice.
 */
export async function pollMessageStatuses(
  deps: MessagePollDeps,
  options: { readonly maxCalls?: number } = {},
): Promise<MessagePollSummary> {
  const summary: MessagePollSummary = { polled: 0, delivered: 0, undelivered: 0, unknown: 0 };
  for (let call = 0; call < (options.maxCalls ?? 10); call++) {
    const now = deps.now();
    const due = (await deps.messages.duePolls(now, MAX_STATUS_IDS)).filter(
      (message) => message.status === 'sent' && message.providerMessageId !== undefined,
    );
    if (due.length === 0) break;
    const reports = new Map<string, SmsStatusReport>(
      (await deps.provider.status(due.map((message) => message.providerMessageId as string))).map(
        (report) => [report.messageId, report],
      ),
    );
    summary.polled += due.length;
    for (const message of due) {
      const report = reports.get(message.providerMessageId as string);
      const final = report && report.status !== 'pending' && report.status !== 'unknown' ? report : undefined;
      if (final) {
        const status: MessageStatus = final.status === 'delivered' ? 'delivered' : 'undelivered';
        const moved = await deps.messages.advance(
          message.id,
          ['sent'],
          {
            status,
            providerStatus: final.providerStatus,
            ...(status === 'undelivered'
              ? { reason: `kavenegar:${final.status}:${final.providerStatus}` }
              : {}),
          },
          now,
        );
        if (moved) summary[status] += 1;
        continue;
      }
      const next = nextMessagePollAt(new Date(message.sentAt ?? message.createdAt), now);
      if (next) {
        await deps.messages.advance(message.id, ['sent'], { status: 'sent', pollAt: next }, now);
      } else {
        await deps.messages.advance(
          message.id,
          ['sent'],
          { status: 'sent', reason: 'final_status_unknown' },
          now,
        );
        summary.unknown += 1;
      }
    }
    if (due.length < MAX_STATUS_IDS) break;
  }
  return summary;
}

export interface MessageFeedbackDeps {
  readonly messages: Pick<MessageStore, 'advance'>;
  readonly addressSuppressions: AddressSuppressionDeps;
  readonly now: () => Date;
}

/**
 * SES feedback on a transactional email: a hard bounce marks it `bounced` and keeps the address
 * from every later email (transactional too); a complaint marks it `complained` and keeps the
 * address from marketing; a soft bounce changes nothing. Untagged feedback is not ours.
 */
export async function recordMessageFeedback(
  deps: MessageFeedbackDeps,
  feedback: EmailFeedback,
): Promise<{ outcome: 'untagged' | 'ignored' | 'recorded'; messageId?: string }> {
  const messageId = feedback.tags[MESSAGE_TAG];
  if (!messageId) return { outcome: 'untagged' };
  if (feedback.kind === 'bounce' && !feedback.permanent) return { outcome: 'ignored', messageId };
  for (const address of feedback.recipients)
    await suppressAddress(
      deps.addressSuppressions,
      'email',
      address,
      feedback.kind === 'bounce' ? 'hard_bounce' : 'opted_out',
    );
  await deps.messages.advance(
    messageId,
    ['sent', 'sending'],
    { status: feedback.kind === 'bounce' ? 'bounced' : 'complained' },
    deps.now(),
  );
  return { outcome: 'recorded', messageId };
}
