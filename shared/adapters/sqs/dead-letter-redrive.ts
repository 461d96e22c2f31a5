import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  type Message,
  type MessageAttributeValue,
  paginateListQueues,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';

/** A source queue and the dead-letter queue its RedrivePolicy names. */
export interface RedriveQueues {
  readonly source: { readonly name: string; readonly url: string };
  readonly dlq: { readonly name: string; readonly url: string; readonly arn: string };
}

/** What a redrive did (or, dry, would do). */
export interface RedriveResult extends RedriveQueues {
  readonly dryRun: boolean;
  /** Messages the DLQ held when the redrive began (SQS's approximate count). */
  readonly waiting: number;
  /** Sent to the source queue and then deleted from the DLQ. */
  readonly moved: number;
  /** Not sent: they stay in the DLQ and show again after the receive's visibility timeout. */
  readonly failed: number;
}

export interface RedriveOptions {
  /** At most this many messages move (default: everything the DLQ holds). */
  readonly max?: number;
  /** Only counts the DLQ: nothing is received, sent or deleted. */
  readonly dryRun?: boolean;
}

/** SQS's batch limit for receive, send and delete. */
const BATCH = 10;
/** Long enough that a message being moved is not received twice in the same run. */
const RECEIVE_VISIBILITY_SECONDS = 300;

/**
 * Moves messages from a queue's DLQ back to the queue, as SQS's StartMessageMoveTask does, with
 * plain receive, send and delete, so the same command works on every SQS (emulators lack the
 * move task). At least once: a message leaves the DLQ only after its send succeeded, so a crash
 * mid-way re-sends at worst; Chapar's deliveries are keyed by business identity, so that is safe.
 */
export class DeadLetterRedrive {
  /**
   * @param client default: one that calls the SDK's resolved endpoint (AWS_ENDPOINT_URL_SQS
   * locally) whatever host a queue URL names, as emulators answer with hosts of their own.
   */
  constructor(private readonly client: SQSClient = new SQSClient({ useQueueUrlAsEndpoint: false })) {}

  /**
   * Finds a source queue by URL, by exact name, or by a name containing `name` (CloudFormation
   * adds a stack prefix and a suffix) among queues that have a RedrivePolicy, so a DLQ is never
   * taken for its source. Several or no matches are an error naming them.
   */
  async findQueues(queue: { url: string } | { name: string }): Promise<RedriveQueues> {
    const url = 'url' in queue ? queue.url : await this.findSourceUrl(queue.name);
    const dlqArn = await this.dlqArnOf(url);
    if (!dlqArn) throw new Error(`${url} has no RedrivePolicy: it is not a queue with a DLQ`);
    const [, , , , account, dlqName] = dlqArn.split(':');
    if (!account || !dlqName) throw new Error(`${url} names a malformed DLQ ARN: ${dlqArn}`);
    const found = await this.client.send(
      new GetQueueUrlCommand({ QueueName: dlqName, QueueOwnerAWSAccountId: account }),
    );
    if (!found.QueueUrl) throw new Error(`GetQueueUrl ${dlqName} returned no QueueUrl`);
    return {
      source: { name: nameOf(url), url },
      dlq: { name: dlqName, url: found.QueueUrl, arn: dlqArn },
    };
  }

  /** Moves up to `options.max` messages from the DLQ to the source queue. */
  async redrive(queues: RedriveQueues, options: RedriveOptions = {}): Promise<RedriveResult> {
    const waiting = await this.approximateCount(queues.dlq.url);
    const base = { ...queues, dryRun: options.dryRun === true, waiting };
    if (options.dryRun) return { ...base, moved: 0, failed: 0 };
    const max = options.max ?? Number.POSITIVE_INFINITY;
    let moved = 0;
    let failed = 0;
    while (moved + failed < max) {
      const received = await this.client.send(
        new ReceiveMessageCommand({
          QueueUrl: queues.dlq.url,
          MaxNumberOfMessages: Math.min(BATCH, max - moved - failed),
          MessageAttributeNames: ['All'],
          VisibilityTimeout: RECEIVE_VISIBILITY_SECONDS,
          WaitTimeSeconds: 1,
        }),
      );
      const messages = received.Messages ?? [];
      if (messages.length === 0) break;
      const sent = await this.sendBack(queues.source.url, messages);
      failed += messages.length - sent.length;
      if (sent.length === 0) continue;
      const deleted = await this.client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queues.dlq.url,
          Entries: sent.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle,
          })),
        }),
      );
      // A message sent but not deleted shows again in the DLQ: moving it once more is harmless.
      moved += sent.length - (deleted.Failed?.length ?? 0);
    }
    return { ...base, moved, failed };
  }

  /** Sends each message's body and attributes to the source; answers those that were sent. */
  private async sendBack(url: string, messages: readonly Message[]): Promise<Message[]> {
    const answer = await this.client.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: messages.map((message, index) => ({
          Id: String(index),
          MessageBody: message.Body ?? '',
          ...(message.MessageAttributes
            ? { MessageAttributes: attributesOf(message.MessageAttributes) }
            : {}),
        })),
      }),
    );
    const ok = new Set((answer.Successful ?? []).map((entry) => entry.Id));
    return messages.filter((_, index) => ok.has(String(index)));
  }

  private async findSourceUrl(name: string): Promise<string> {
    const urls: string[] = [];
    for await (const page of paginateListQueues({ client: this.client }, { MaxResults: 1000 })) {
      urls.push(...(page.QueueUrls ?? []));
    }
    const exact = urls.filter((url) => nameOf(url) === name);
    if (exact.length === 1 && exact[0]) return exact[0];
    const candidates: string[] = [];
    for (const url of urls.filter((candidate) => nameOf(candidate).includes(name))) {
      if (await this.dlqArnOf(url)) candidates.push(url);
    }
    if (candidates.length === 1 && candidates[0]) return candidates[0];
    if (candidates.length === 0) throw new Error(`No queue with a DLQ is named like "${name}"`);
    throw new Error(
      `Several queues are named like "${name}": ${candidates.map(nameOf).join(', ')}; give one by name or --queue-url`,
    );
  }

  private async dlqArnOf(url: string): Promise<string | undefined> {
    const answer = await this.client.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['RedrivePolicy'] }),
    );
    const policy = answer.Attributes?.RedrivePolicy;
    if (!policy) return undefined;
    return (JSON.parse(policy) as { deadLetterTargetArn?: string }).deadLetterTargetArn;
  }

  private async approximateCount(url: string): Promise<number> {
    const answer = await this.client.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
    return Number(answer.Attributes?.ApproximateNumberOfMessages ?? 0);
  }
}

function nameOf(url: string): string {
  return new URL(url).pathname.split('/').at(-1) ?? url;
}

/** A received attribute as SendMessage takes it: the SDK answers empty list fields it will not take back. */
function attributesOf(
  attributes: Record<string, MessageAttributeValue>,
): Record<string, MessageAttributeValue> {
  return Object.fromEntries(
    Object.entries(attributes).map(([key, value]) => [
      key,
      {
        DataType: value.DataType,
        ...(value.StringValue === undefined ? {} : { StringValue: value.StringValue }),
        ...(value.BinaryValue === undefined ? {} : { BinaryValue: value.BinaryValue }),
      },
    ]),
  );
}
