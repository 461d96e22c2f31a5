import { ProviderError } from '../domain/errors';
import {
  type MessageStatus,
  messageLocalId,
  nextMessagePollAt,
  type TransactionalMessage,
} from '../domain/transactional-message';
import type { EmailProvider, MessageEnd, MessageStore, SmsBatchProvider, SmsLookup } from '../ports';
import { convertHtml, WRAPPED_TEXT } from './html-text';
import { LOOKUP_WINDOW_MS } from './send-sms';
import { type MessageSuppressionDeps, refusalOf } from './transactional-messages';

/** A passing failure: the queue brings the message back later (after `leaseMs` if unknown). */
export class MessageRetryError extends Error {
  override readonly name = 'MessageRetryError';
  constructor(
    message: string,
    readonly outcomeUnknown: boolean,
  ) {
    super(message);
  }
}

export interface DeliverMessageDeps extends MessageSuppressionDeps {
  readonly messages: MessageStore;
  /** The rate-limited provider, leasing from the transactional share. */
  readonly sms?: SmsBatchProvider;
  readonly lookup?: SmsLookup;
  readonly email?: EmailProvider;
  readonly now: () => Date;
  readonly leaseMs: number;
}

export type DeliverOutcome = 'sent' | 'skipped' | 'failed' | 'refused';

/**
 * Sends one transactional message exactly once under SQS redelivery and crashes: claim (a
 * conditional write), erasure and hard bounce checked again, the attempt marked just before
 * the provider call, then one conditional end. A takeover of a run that died in its SMS call
 * asks Kavenegar by local id first; one that died in an SES call fails as outcome_unknown
 * rather than risk a second copy. No quiet hours, no consent, no footer: service messages.
 * @throws MessageRetryError on a passing failure (released, or kept unknown for the lookup).
 */
export async function deliverMessage(
  deps: DeliverMessageDeps,
  messageId: string,
  claimId: string,
): Promise<DeliverOutcome> {
  const message = await deps.messages.claim(messageId, claimId, deps.now(), deps.leaseMs);
  if (!message) return 'skipped';
  const end = (status: MessageStatus, extra: Omit<MessageEnd, 'status'> = {}) =>
    deps.messages.end(messageId, claimId, { status, ...extra }, deps.now());

  if (message.attemptedAt !== undefined) {
    // The dead run may have reached the provider: never send blind.
    if (message.channel === 'email') {
      await end('failed', { reason: 'outcome_unknown' });
      return 'failed';
    }
    const found = await lookUp(deps, message);
    if (found === 'unknown') {
      await end('failed', { reason: 'outcome_unknown' });
      return 'failed';
    }
    if (found) {
      const sentAt = new Date(message.attemptedAt);
      await end('sent', { ...found, sentAt, ...pollAfter(sentAt, deps.now()) });
      return 'sent';
    }
  }
  // An erasure since acceptance removed address and content (and left a tombstone).
  const refusal = message.address
    ? await refusalOf(deps, message.channel, message.address)
    : 'the address belongs to an erased person';
  if (refusal) {
    await end('refused', { reason: refusal });
    return 'refused';
  }
  await deps.messages.markAttempt(messageId, claimId, deps.now());
  try {
    const sent = message.channel === 'sms' ? await sendSms(deps, message) : await sendEmail(deps, message);
    const sentAt = deps.now();
    await end('sent', {
      providerMessageId: sent.providerMessageId,
      ...(sent.providerStatus === undefined ? {} : { providerStatus: sent.providerStatus }),
      sentAt,
      ...(message.channel === 'sms' ? pollAfter(sentAt, sentAt) : {}),
    });
    return 'sent';
  } catch (error) {
    if (!(error instanceof ProviderError)) {
      await deps.messages.release(messageId, claimId, { outcomeUnknown: true });
      throw error;
    }
    if (error.outcomeUnknown || error.failureClass === 'retryable') {
      await deps.messages.release(messageId, claimId, { outcomeUnknown: error.outcomeUnknown });
      throw new MessageRetryError(`${error.provider}:${error.code} ${error.message}`, error.outcomeUnknown);
    }
    await end('failed', { reason: `${error.provider}:${error.code}` });
    return 'failed';
  }
}

function pollAfter(sentAt: Date, now: Date): { pollAt?: Date } {
  const at = nextMessagePollAt(sentAt, now);
  return at ? { pollAt: at } : {};
}

/** The SMS Kavenegar has under the message's local id: found, not sent, or past the window. */
async function lookUp(
  deps: DeliverMessageDeps,
  message: TransactionalMessage,
): Promise<{ providerMessageId: string; providerStatus: number } | undefined | 'unknown'> {
  if (!deps.lookup) throw new Error('SMS lookup is not configured');
  const localId = messageLocalId(message.id);
  let found: Map<string, { messageId: string; status: number }>;
  try {
    found = await deps.lookup.findByLocalIds([localId]);
  } catch (error) {
    throw new MessageRetryError(`lookup failed: ${(error as Error).message}`, true);
  }
  const receipt = found.get(localId);
  if (receipt) return { providerMessageId: receipt.messageId, providerStatus: receipt.status };
  const age = deps.now().getTime() - Date.parse(message.attemptedAt as string);
  return age < LOOKUP_WINDOW_MS ? undefined : 'unknown';
}

async function sendSms(
  deps: DeliverMessageDeps,
  message: TransactionalMessage,
): Promise<{ providerMessageId: string; providerStatus?: number }> {
  if (!deps.sms || message.content.channel !== 'sms') throw new Error('SMS sending is not configured');
  const localId = messageLocalId(message.id);
  const outcome = await deps.sms.sendDetailed([
    { receptor: message.address, text: message.content.text, localId },
  ]);
  const receipt = outcome.receipts.find((entry) => entry.localId === localId);
  if (receipt) return { providerMessageId: receipt.messageId, providerStatus: receipt.status };
  const failure = outcome.failures.find((entry) => entry.localId === localId);
  if (failure) throw failure.error;
  throw new ProviderError('kavenegar', 'no_answer', 'retryable', 'The call said nothing of this message', {
    outcomeUnknown: true,
  });
}

async function sendEmail(
  deps: DeliverMessageDeps,
  message: TransactionalMessage,
): Promise<{ providerMessageId: string; providerStatus?: number }> {
  if (!deps.email || message.content.channel !== 'email') throw new Error('Email sending is not configured');
  const { subject, html, text } = message.content;
  const sent = await deps.email.send({
    to: message.address,
    subject,
    html,
    text: text ?? convertHtml(html, WRAPPED_TEXT),
    headers: {},
    // SES publishes these back with its bounce and complaint events.
    tags: { message: message.id, channel: 'email' },
  });
  return { providerMessageId: sent.messageId };
}
