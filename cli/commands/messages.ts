import { randomUUID } from 'node:crypto';
import { type Command, Option } from 'commander';
import { answer, UsageError } from '../client';
import { fields } from '../output';
import { type Act, type Context, positiveInteger } from '../program';
import { parseJsonOption } from './files';

interface SendOptions {
  channel: 'sms' | 'email';
  contact?: string;
  phone?: string;
  email?: string;
  template?: string;
  text?: string;
  subject?: string;
  html?: string;
  data?: string;
  idempotencyKey?: string;
  locale?: 'fa' | 'en';
  wait?: boolean;
  interval: number;
}

/** Statuses after which a message changes no more (sent may still become delivered). */
const SETTLED = new Set(['sent', 'delivered', 'undelivered', 'bounced', 'complained', 'failed', 'refused']);

/** The recipient of `messages send`: exactly one of --contact, --phone, --email. */
export function recipientOf(
  options: SendOptions,
): { contactId: string } | { phone: string } | { email: string } {
  const given = [
    options.contact === undefined ? undefined : { contactId: options.contact },
    options.phone === undefined ? undefined : { phone: options.phone },
    options.email === undefined ? undefined : { email: options.email },
  ].filter((to) => to !== undefined);
  const [to] = given;
  if (given.length !== 1 || !to) throw new UsageError('give exactly one of --contact, --phone or --email');
  return to;
}

/** The content of `messages send`: a template, or the channel's own fields. */
export function contentOf(
  options: SendOptions,
): { templateId: string } | { content: { text: string } | { subject: string; html: string; text?: string } } {
  const inline = options.text !== undefined || options.subject !== undefined || options.html !== undefined;
  if (options.template !== undefined) {
    if (inline) throw new UsageError('give --template or the content (--text, --subject, --html), not both');
    return { templateId: options.template };
  }
  if (options.channel === 'sms') {
    if (options.text === undefined) throw new UsageError('an SMS needs --template or --text');
    return { content: { text: options.text } };
  }
  if (options.subject === undefined || options.html === undefined)
    throw new UsageError('an email needs --template, or --subject and --html (--text optional)');
  return {
    content: {
      subject: options.subject,
      html: options.html,
      ...(options.text ? { text: options.text } : {}),
    },
  };
}

/** `chapar messages …` */
export function messagesCommand(messages: Command, act: Act): Command {
  messages
    .command('send')
    .description('send one transactional message (order status, service notice) from the verified line')
    .addOption(
      new Option('--channel <channel>', 'sms or email').choices(['sms', 'email']).makeOptionMandatory(),
    )
    .option('--contact <id>', 'to this contact')
    .option('--phone <phone>', 'to this phone')
    .option('--email <email>', 'to this address')
    .option('--template <id>', 'render this template')
    .option('--text <text>', 'the SMS text (or the email text part)')
    .option('--subject <subject>', 'the email subject')
    .option('--html <html>', 'the email HTML')
    .option('--data <json>', 'fields for the placeholders, e.g. \'{"order":"A-42"}\'')
    .addOption(
      new Option('--locale <locale>', "the template's variant (default: the contact's)").choices([
        'fa',
        'en',
      ]),
    )
    .option('--idempotency-key <key>', 'send at most once under this key (default: a new one, printed)')
    .option('--wait', 'follow the message until it is sent (or refused), then print its status')
    .option('--interval <ms>', 'how often --wait reads the status', positiveInteger(60_000), 500)
    .action(
      act<SendOptions>(async (context, options) => {
        const body = {
          channel: options.channel,
          to: recipientOf(options),
          ...contentOf(options),
          ...(options.locale ? { locale: options.locale } : {}),
          ...(options.data ? { data: parseJsonOption('--data', options.data) as Record<string, never> } : {}),
          category: 'transactional' as const,
        };
        const key = options.idempotencyKey ?? randomUUID();
        const sent = await answer(
          context.client.POST('/v1/messages', { params: { header: { 'Idempotency-Key': key } }, body }),
        );
        let status = sent.status;
        let reason: string | undefined;
        while (options.wait && !SETTLED.has(status)) {
          await context.sleep(options.interval);
          const view = await showMessage(context, sent.id);
          status = view.status;
          reason = view.reason;
        }
        context.print({ id: sent.id, status, ...(reason ? { reason } : {}), idempotencyKey: key }, () =>
          fields({ message: sent.id, status, reason, idempotencyKey: key }),
        );
      }),
    );
  messages
    .command('show <messageId>')
    .description("a transactional message's status through delivery")
    .action(
      act<object, [string]>(async (context, _options, messageId) => {
        const view = await showMessage(context, messageId);
        context.print(view, () => fields({ message: view.id, ...view, id: undefined }));
      }),
    );
  return messages;
}

function showMessage(context: Context, messageId: string) {
  return answer(context.client.GET('/v1/messages/{messageId}', { params: { path: { messageId } } }));
}
