import { randomUUID } from 'node:crypto';
import { type Command, Option } from 'commander';
import { answer, UsageError } from '../client';
import { fields } from '../output';
import type { Act } from '../program';
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
}

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
): { templateId: string } | { content: Record<string, string> } {
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
    .option('--idempotency-key <key>', 'send at most once under this key (default: a new one, printed)')
    .action(
      act<SendOptions>(async (context, options) => {
        const body = {
          channel: options.channel,
          to: recipientOf(options),
          ...contentOf(options),
          ...(options.data ? { data: parseJsonOption('--data', options.data) as Record<string, never> } : {}),
          category: 'transactional' as const,
        };
        const key = options.idempotencyKey ?? randomUUID();
        const sent = await answer(
          context.client.POST('/v1/messages', { params: { header: { 'Idempotency-Key': key } }, body }),
        );
        context.print({ ...sent, idempotencyKey: key }, () =>
          fields({ message: sent.id, status: sent.status, idempotencyKey: key }),
        );
      }),
    );
  return messages;
}
