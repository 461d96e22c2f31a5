import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { forward, readAll } from './http-proxy';

/**
 * SES event publishing, locally. aws-ses-v2-local keeps sent mail but neither its message tags
 * nor its configuration set, which every SES event carries; so this is a thin pass-through in
 * front of it (functions' AWS_ENDPOINT_URL_SESV2) that reads each SendEmail and its answer and,
 * for the SES mailbox simulator's addresses, publishes the events SES would publish to the
 * configuration set's SNS destination. fauxqs fans them out to the subscribed queues in SNS
 * envelopes, as in the cloud. Other addresses publish nothing.
 */

/** The configuration set local functions send with (SES_CONFIGURATION_SET). */
export const LOCAL_CONFIGURATION_SET = 'chapar-local';

const SIMULATOR_DOMAIN = 'simulator.amazonses.com';
const ACCOUNT = '000000000000';
const SEND_EMAIL_PATH = '/v2/email/outbound-emails';

/** What the simulator does with mail to `<mailbox>[+label]@simulator.amazonses.com`. */
const SIMULATED: Readonly<Record<string, readonly EventType[]>> = {
  success: ['Delivery'],
  ooto: ['Delivery'],
  bounce: ['Bounce'],
  suppressionlist: ['Suppressed'],
  complaint: ['Delivery', 'Complaint'],
};
type EventType = 'Delivery' | 'Bounce' | 'Suppressed' | 'Complaint';

export interface SesEventsOptions {
  /** The SES emulator every request is passed to. */
  readonly sesUrl: string;
  /** Where SNS answers (fauxqs serves it on its SQS endpoint). */
  readonly snsEndpoint: string;
  readonly region: string;
  /** The topic of the configuration set's event destination (`sesEvents`). */
  readonly topicArn: string;
  /** Only mail sent with this configuration set has events. Default {@link LOCAL_CONFIGURATION_SET}. */
  readonly configurationSet?: string;
  /** Default '127.0.0.1'. */
  readonly host?: string;
  /** Default 0: any free port. */
  readonly port?: number;
}

/** A running pass-through: point AWS_ENDPOINT_URL_SESV2 at `url`. */
export interface SesEvents {
  readonly url: string;
  /** Stops listening and waits for events still being published; safe to call twice. */
  end(): Promise<void>;
}

/** The part of an SESv2 SendEmail request the events describe. */
interface SendEmailRequest {
  FromEmailAddress?: string;
  Destination?: { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] };
  Content?: { Simple?: { Subject?: { Data?: string } } };
  EmailTags?: { Name: string; Value: string }[];
  ConfigurationSetName?: string;
}

/** Starts the pass-through on a free port (or `port`); mail goes on to `sesUrl` unchanged. */
export async function start(options: SesEventsOptions): Promise<SesEvents> {
  const host = options.host ?? '127.0.0.1';
  const configurationSet = options.configurationSet ?? LOCAL_CONFIGURATION_SET;
  const sns = new SNSClient({
    endpoint: options.snsEndpoint,
    region: options.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const publishing = new Set<Promise<void>>();
  const publish = (send: SendEmailRequest, messageId: string): void => {
    const events = eventsFor(send, messageId, options.region);
    const done = (async () => {
      for (const event of events) {
        await sns.send(new PublishCommand({ TopicArn: options.topicArn, Message: JSON.stringify(event) }));
      }
    })()
      .catch((error: unknown) => console.error('[ses-events] publishing to SNS failed:', error))
      .finally(() => publishing.delete(done));
    publishing.add(done);
  };

  const server = createServer((req, res) => {
    void (async () => {
      const body = await readAll(req);
      const upstream = await forward(options.sesUrl, req, body);
      res.writeHead(upstream.status, upstream.headers).end(upstream.body);
      if (req.method !== 'POST' || req.url !== SEND_EMAIL_PATH || upstream.status !== 200) return;
      const send = parseJson<SendEmailRequest>(body);
      const answer = parseJson<{ MessageId?: string }>(upstream.body);
      if (send?.ConfigurationSetName === configurationSet && answer?.MessageId)
        publish(send, answer.MessageId);
    })().catch((error: unknown) => {
      console.error('[ses-events] could not pass a request to the SES emulator:', error);
      if (!res.headersSent) res.writeHead(502).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let ended: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    end: () => {
      ended ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await Promise.allSettled([...publishing]);
        sns.destroy();
      })();
      return ended;
    },
  };
}

/** The SES event-publishing records (eventType …, mail, bounce | complaint | delivery) for one sent message. */
function eventsFor(send: SendEmailRequest, messageId: string, region: string): object[] {
  const to = send.Destination?.ToAddresses ?? [];
  const recipients = [
    ...to,
    ...(send.Destination?.CcAddresses ?? []),
    ...(send.Destination?.BccAddresses ?? []),
  ];
  const from = send.FromEmailAddress ?? '';
  const fromDomain = from.slice(from.lastIndexOf('@') + 1).replace(/>$/, '');
  const subject = send.Content?.Simple?.Subject?.Data ?? '';
  const now = new Date().toISOString();
  const mail = {
    timestamp: now,
    source: from,
    sourceArn: `arn:aws:ses:${region}:${ACCOUNT}:identity/${fromDomain}`,
    sendingAccountId: ACCOUNT,
    messageId,
    destination: recipients,
    headersTruncated: false,
    headers: [
      { name: 'From', value: from },
      { name: 'To', value: to.join(', ') },
      { name: 'Subject', value: subject },
      { name: 'MIME-Version', value: '1.0' },
    ],
    commonHeaders: { from: [from], to, messageId, subject },
    tags: {
      'ses:configuration-set': [send.ConfigurationSetName ?? ''],
      'ses:source-ip': ['127.0.0.1'],
      'ses:from-domain': [fromDomain],
      'ses:caller-identity': ['local'],
      ...Object.fromEntries((send.EmailTags ?? []).map((tag) => [tag.Name, [tag.Value]])),
    },
  };
  const feedbackId = () => `0100${Date.now().toString(16)}-${randomUUID()}-000000`;
  return recipients.flatMap((address) =>
    simulatedEvents(address).map((type) => {
      switch (type) {
        case 'Delivery':
          return {
            eventType: 'Delivery',
            mail,
            delivery: {
              timestamp: now,
              processingTimeMillis: 1,
              recipients: [address],
              smtpResponse: '250 2.6.0 Message received',
              reportingMTA: 'a0-0.smtp-out.amazonses.com',
            },
          };
        case 'Complaint':
          return {
            eventType: 'Complaint',
            mail,
            complaint: {
              feedbackId: feedbackId(),
              complaintSubType: null,
              complainedRecipients: [{ emailAddress: address }],
              timestamp: now,
              userAgent: 'Amazon SES Mailbox Simulator',
              complaintFeedbackType: 'abuse',
              arrivalDate: now,
            },
          };
        default:
          return {
            eventType: 'Bounce',
            mail,
            bounce: {
              bounceType: 'Permanent',
              bounceSubType: type === 'Suppressed' ? 'Suppressed' : 'General',
              bouncedRecipients: [
                {
                  emailAddress: address,
                  action: 'failed',
                  status: '5.1.1',
                  diagnosticCode: 'smtp; 550 5.1.1 user unknown',
                },
              ],
              timestamp: now,
              feedbackId: feedbackId(),
              reportingMTA: `dsn; ${SIMULATOR_DOMAIN}`,
            },
          };
      }
    }),
  );
}

function simulatedEvents(address: string): readonly EventType[] {
  const at = address.lastIndexOf('@');
  if (at < 1 || address.slice(at + 1).toLowerCase() !== SIMULATOR_DOMAIN) return [];
  const mailbox = address.slice(0, at).split('+')[0]?.toLowerCase() ?? '';
  return SIMULATED[mailbox] ?? [];
}

function parseJson<T>(raw: Buffer): T | undefined {
  try {
    return JSON.parse(raw.toString('utf8')) as T;
  } catch {
    return undefined;
  }
}
