import { normaliseEmail } from '../domain/email';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors';
import { newId } from '../domain/ids';
import { normaliseIranianMobile } from '../domain/phone';
import { contactValues, renderTemplate, type TemplateValues } from '../domain/placeholders';
import { smsLength } from '../domain/sms-segments';
import {
  IDEMPOTENCY_KEY,
  MAX_MESSAGE_SMS_LENGTH,
  MESSAGE_ID,
  type MessageInput,
  type MessageStatus,
  messageExpiry,
  messageInputSchema,
  type RenderedContent,
  requestDigest,
  type TransactionalMessage,
} from '../domain/transactional-message';
import { type Channel, type Contact, DEFAULT_LOCALE, type Locale } from '../domain/types';
import { parseWith } from '../domain/validation';
import type { ContactStore, MessageStore, SuppressionStore, TransactionalQueue } from '../ports';
import { addressSuppressionHash } from './address-suppressions';
import { tombstoneHashes } from './contact-consent';
import { convertHtml, WRAPPED_TEXT } from './html-text';

/** One locale's wording of a template, as the templates area stores it. */
export type TemplateVariant =
  | { readonly text: string }
  | { readonly subject: string; readonly html: string; readonly text?: string };

/**
 * The least a transactional message needs of a template store (shared/domain/template.ts's
 * TemplateStore fits it): the lead wires the real one.
 */
export interface MessageTemplates {
  get(id: string): Promise<
    | {
        readonly channel: Channel;
        readonly version: number;
        readonly variants: { readonly fa?: TemplateVariant; readonly en?: TemplateVariant };
      }
    | undefined
  >;
}

/** What erasure and hard bounces are checked against, at acceptance and again at send. */
export interface MessageSuppressionDeps {
  readonly suppressions: SuppressionStore;
  readonly erasureKey: () => Promise<string>;
}

export interface AcceptMessageDeps extends MessageSuppressionDeps {
  readonly messages: MessageStore;
  readonly contacts: Pick<ContactStore, 'get'>;
  readonly queue: TransactionalQueue;
  readonly now: () => Date;
  /** Days the record (and the data rendered into it) is kept: CHAPAR_MESSAGE_RETENTION_DAYS. */
  readonly retentionDays: number;
  /** Absent until the templates area is wired: a templateId is then a 400. */
  readonly templates?: MessageTemplates;
}

export interface AcceptedMessage {
  readonly id: string;
  readonly status: MessageStatus;
  /** False when the key had made this message before (a replay: nothing sent again). */
  readonly created: boolean;
}

/**
 * Accepts a transactional message under its Idempotency-Key: validates, resolves the address,
 * refuses an erased or hard-bounced one (409 with the reason), renders its content (data used
 * here, kept only in the rendered record that expires), stores message and key together in one
 * conditional write and enqueues it. The same key with the same body answers the message it
 * made (and enqueues it again if that enqueue never landed: the sender's claim makes a second
 * copy harmless); with another body it is a 409.
 */
export async function acceptMessage(
  deps: AcceptMessageDeps,
  idempotencyKey: string | undefined,
  body: unknown,
): Promise<AcceptedMessage> {
  if (idempotencyKey === undefined || idempotencyKey === '')
    throw new ValidationError('The Idempotency-Key header is required', [
      { field: 'Idempotency-Key', message: 'is required' },
    ]);
  if (!IDEMPOTENCY_KEY.test(idempotencyKey))
    throw new ValidationError('Invalid Idempotency-Key: use 1-255 visible ASCII characters', [
      { field: 'Idempotency-Key', message: 'must be 1-255 visible ASCII characters' },
    ]);
  const input = parseWith(messageInputSchema, body, 'message');
  const digest = requestDigest(body);
  const replay = await replayOf(deps, idempotencyKey, digest);
  if (replay) return replay;

  const { address, contact } = await resolveAddress(deps, input);
  const refusal = await refusalOf(deps, input.channel, address);
  if (refusal)
    throw new ConflictError(`The message cannot be sent: ${refusal}`, { context: { reason: refusal } });
  const locale: Locale = input.locale ?? contact?.locale ?? DEFAULT_LOCALE;
  const { content, template } = await contentOf(deps, input, locale);
  const values: TemplateValues = {
    ...(contact ? contactValues(contact) : {}),
    ...prefixed(input.data ?? {}),
  };
  const rendered = render(content, values);
  const now = deps.now();
  const message: TransactionalMessage = {
    id: newId(now.getTime()),
    channel: input.channel,
    address,
    ...(contact ? { contactId: contact.id } : {}),
    locale,
    ...(template ? { templateId: template.id, templateVersion: template.version } : {}),
    content: rendered,
    status: 'queued',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    expiresAt: messageExpiry(now, deps.retentionDays),
  };
  const created = await deps.messages.create(message, { idempotencyKey, digest });
  if (created.outcome === 'exists') {
    // Another request with the key won the race meanwhile.
    if (created.digest !== digest) throw keyReused();
    return replayed(deps, created.messageId);
  }
  await deps.queue.enqueue(message.id);
  await deps.messages.markEnqueued(message.id);
  return { id: message.id, status: message.status, created: true };
}

function keyReused(): ConflictError {
  return new ConflictError(
    'This Idempotency-Key was used with another body: use a new key for a new message',
    {
      context: { reason: 'idempotency_key_reused' },
    },
  );
}

async function replayOf(
  deps: AcceptMessageDeps,
  idempotencyKey: string,
  digest: string,
): Promise<AcceptedMessage | undefined> {
  const found = await deps.messages.findKey(idempotencyKey);
  if (!found) return undefined;
  if (found.digest !== digest) throw keyReused();
  return replayed(deps, found.messageId);
}

/** How long a new message's own request has to enqueue it before a replay does. */
export const ENQUEUE_GRACE_MS = 10_000;

async function replayed(deps: AcceptMessageDeps, messageId: string): Promise<AcceptedMessage> {
  const message = await deps.messages.get(messageId);
  if (!message) throw new ConflictError('This Idempotency-Key made a message that has expired');
  // A replay of a request whose enqueue never landed (it failed, or its process died) enqueues it;
  // a concurrent twin of the first request, still on its way to the queue, does not.
  const stale = deps.now().getTime() - Date.parse(message.createdAt) >= ENQUEUE_GRACE_MS;
  if (message.status === 'queued' && !message.enqueued && stale) {
    await deps.queue.enqueue(message.id);
    await deps.messages.markEnqueued(message.id);
  }
  return { id: message.id, status: message.status, created: false };
}

/** `data` values under their own names and under `data.<name>`, so both spellings render. */
function prefixed(data: Readonly<Record<string, string | number | boolean>>): TemplateValues {
  const values: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(data)) {
    values[key] = value;
    values[`data.${key}`] = value;
  }
  return values;
}

async function resolveAddress(
  deps: Pick<AcceptMessageDeps, 'contacts'>,
  input: MessageInput,
): Promise<{ address: string; contact?: Contact }> {
  if ('phone' in input.to) {
    const phone = normaliseIranianMobile(input.to.phone);
    if (!phone.ok)
      throw new ValidationError(`Invalid message: to.phone ${phone.reason}`, [
        { field: 'to.phone', message: phone.reason },
      ]);
    return { address: phone.e164 };
  }
  if ('email' in input.to) {
    const email = normaliseEmail(input.to.email);
    if (!email.ok)
      throw new ValidationError(`Invalid message: to.email ${email.reason}`, [
        { field: 'to.email', message: email.reason },
      ]);
    return { address: email.email };
  }
  const contact = await deps.contacts.get(input.to.contactId);
  if (!contact) throw new NotFoundError(`Contact ${input.to.contactId} not found`);
  const address = input.channel === 'sms' ? contact.phone : contact.email;
  if (!address) {
    const field = input.channel === 'sms' ? 'phone' : 'email';
    throw new ValidationError(`Invalid message: contact ${contact.id} has no ${field}`, [
      { field: 'to.contactId', message: `names a contact with no ${field}` },
    ]);
  }
  return { address, contact };
}

/**
 * Why an address may not get even a transactional message: its owner was erased (a
 * tombstone), or it is an email that hard-bounced. Opt-outs of marketing do not count.
 */
export async function refusalOf(
  deps: MessageSuppressionDeps,
  channel: Channel,
  address: string,
): Promise<string | undefined> {
  const key = await deps.erasureKey();
  const tombstone = tombstoneHashes(key, channel === 'sms' ? { phone: address } : { email: address })[
    channel
  ];
  const bounce =
    channel === 'email' ? addressSuppressionHash(key, 'hard_bounce', 'email', address) : undefined;
  const wanted = [tombstone, bounce].filter((hash): hash is string => hash !== undefined);
  const found = await deps.suppressions.find(wanted);
  if (tombstone && found.has(tombstone)) return 'the address belongs to an erased person';
  if (bounce && found.has(bounce)) return 'the email address hard-bounced';
  return undefined;
}

type Content = NonNullable<MessageInput['content']>;

async function contentOf(
  deps: Pick<AcceptMessageDeps, 'templates'>,
  input: MessageInput,
  locale: Locale,
): Promise<{ content: Content; template?: { id: string; version: number } }> {
  if (input.content) return { content: input.content };
  const id = input.templateId as string;
  if (!deps.templates)
    throw new ValidationError('Invalid message: templates are not available', [
      { field: 'templateId', message: 'templates are not available' },
    ]);
  const template = await deps.templates.get(id);
  if (!template)
    throw new ValidationError(`Invalid message: template ${id.slice(0, 40)} not found`, [
      { field: 'templateId', message: 'names no template' },
    ]);
  if (template.channel !== input.channel)
    throw new ValidationError(`Invalid message: template ${id.slice(0, 40)} is for ${template.channel}`, [
      { field: 'templateId', message: `is a ${template.channel} template` },
    ]);
  const other: Locale = locale === 'fa' ? 'en' : 'fa';
  const variant = template.variants[locale] ?? template.variants[other];
  if (!variant)
    throw new ValidationError(`Invalid message: template ${id.slice(0, 40)} has no variant`, [
      { field: 'templateId', message: 'has no variant' },
    ]);
  return { content: variant, template: { id, version: template.version } };
}

function render(content: Content, values: TemplateValues): RenderedContent {
  if (!('subject' in content)) {
    const text = renderTemplate(content.text, values);
    if (smsLength(text) > MAX_MESSAGE_SMS_LENGTH)
      throw new ValidationError(
        `Invalid message: the rendered SMS is longer than ${MAX_MESSAGE_SMS_LENGTH} characters`,
        [{ field: 'data', message: `renders an SMS longer than ${MAX_MESSAGE_SMS_LENGTH} characters` }],
      );
    return { channel: 'sms', text };
  }
  const html = renderTemplate(content.html, values, 'html');
  return {
    channel: 'email',
    subject: renderTemplate(content.subject, values).replace(/[\r\n]+/g, ' '),
    html,
    text: content.text ? renderTemplate(content.text, values) : convertHtml(html, WRAPPED_TEXT),
  };
}

/** The view GET /v1/messages/{id} answers: status and times, never the content or data. */
export interface MessageView {
  readonly id: string;
  readonly channel: Channel;
  readonly status: MessageStatus;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly sentAt?: string;
  readonly reason?: string;
  readonly templateId?: string;
  readonly templateVersion?: number;
}

export async function getMessage(
  deps: { readonly messages: MessageStore },
  id: string,
): Promise<MessageView> {
  const message = MESSAGE_ID.test(id) ? await deps.messages.get(id) : undefined;
  if (!message) throw new NotFoundError(`Message ${id.slice(0, 40)} not found`);
  const view: MessageView = {
    id: message.id,
    channel: message.channel,
    // A run in flight is still queued to the caller: nothing is known to have gone out.
    status: message.status === 'sending' ? 'queued' : message.status,
    createdAt: message.createdAt,
    updatedAt: message.updatedAt,
    ...(message.sentAt ? { sentAt: message.sentAt } : {}),
    ...(message.reason ? { reason: message.reason } : {}),
    ...(message.templateId
      ? { templateId: message.templateId, templateVersion: message.templateVersion }
      : {}),
  };
  return view;
}
