import {
  DeleteMessageBatchCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSMessageAttributes, SQSRecord, SQSRecordAttributes } from 'aws-lambda';
import { queues as definedQueues, type QueueDefinition, type QueueName } from '../../shared/definitions';
import { type HandlerSource, invokeFunction } from './functions';

/** The queue a poller reads: its URL and ARN (the event's eventSourceARN). */
export interface PolledQueue {
  readonly url: string;
  readonly arn: string;
}

/** How to start the pollers. */
export interface SqsPollerOptions {
  readonly handlers: HandlerSource;
  /** The SQS emulator's endpoint. */
  readonly endpoint: string;
  readonly region: string;
  /** Queues to poll; those left out are not polled. */
  readonly queues: Partial<Record<QueueName, PolledQueue>>;
  /** Event source settings by queue. Default: `queues` from shared/definitions.ts. */
  readonly definitions?: Readonly<Record<QueueName, QueueDefinition>>;
  /** Sent with every ReceiveMessage, replacing the queue's own visibility timeout. */
  readonly visibilityTimeoutSeconds?: number;
  /** Replaces the consumers' timeoutSeconds (a timed-out batch is kept, like a failed one). */
  readonly functionTimeoutSeconds?: number;
  /** Long-polling wait of each ReceiveMessage, 0 to 20. Default 20, as Lambda does. */
  readonly waitTimeSeconds?: number;
}

/** Running pollers. */
export interface SqsPollers {
  /** Stops receiving and waits for batches in flight; safe to call twice. */
  end(): Promise<void>;
}

/** SQS's ReceiveMessage limit. */
const MAX_RECEIVE = 10;
/** SQS's DeleteMessageBatch limit. */
const MAX_DELETE = 10;
const RETRY_AFTER_ERROR_MS = 1_000;

/**
 * Plays Lambda's SQS event source mapping for each queue: up to `maximumConcurrency`
 * pollers, long polling, batches of up to `batchSize` gathered within
 * `maxBatchingWindowSeconds`, real SQSRecord shapes, and ReportBatchItemFailures: the
 * failed ids stay on the queue (visible again after the visibility timeout), the rest are
 * deleted; a throw or a timeout keeps the whole batch. Redrive to the DLQ after
 * maxReceiveCount is the queue's own RedrivePolicy (fauxqs honours it).
 */
export function startSqsPollers(options: SqsPollerOptions): SqsPollers {
  const client = new SQSClient({
    endpoint: options.endpoint,
    region: options.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const abort = new AbortController();
  const definitions = options.definitions ?? definedQueues;
  const workers: Promise<void>[] = [];
  for (const [name, queue] of Object.entries(options.queues) as [QueueName, PolledQueue | undefined][]) {
    if (queue === undefined) continue;
    const definition = definitions[name];
    for (let index = 0; index < definition.maximumConcurrency; index += 1) {
      workers.push(poll({ client, options, queue, definition, signal: abort.signal }));
    }
  }
  let ended: Promise<void> | undefined;
  return {
    end: () => {
      ended ??= (async () => {
        abort.abort();
        await Promise.allSettled(workers);
        client.destroy();
      })();
      return ended;
    },
  };
}

interface Poller {
  readonly client: SQSClient;
  readonly options: SqsPollerOptions;
  readonly queue: PolledQueue;
  readonly definition: QueueDefinition;
  readonly signal: AbortSignal;
}

async function poll(poller: Poller): Promise<void> {
  while (!poller.signal.aborted) {
    let messages: Message[];
    try {
      messages = await gatherBatch(poller);
    } catch (error) {
      if (poller.signal.aborted) return;
      console.error(`[sqs-poller] ${poller.definition.id}: ReceiveMessage failed:`, error);
      await sleep(RETRY_AFTER_ERROR_MS, poller.signal);
      continue;
    }
    // A batch already received is always handed over, even when stopping: its messages
    // are in flight and end() waits for them.
    if (messages.length > 0) await processBatch(poller, messages);
  }
}

/** Lambda's batching: the first receive long-polls; more are gathered until batchSize or the window ends. */
async function gatherBatch(poller: Poller): Promise<Message[]> {
  const { batchSize, maxBatchingWindowSeconds } = poller.definition;
  const messages = await receive(
    poller,
    Math.min(MAX_RECEIVE, batchSize),
    poller.options.waitTimeSeconds ?? 20,
  );
  if (messages.length === 0 || maxBatchingWindowSeconds === 0) return messages;
  const windowEnds = Date.now() + maxBatchingWindowSeconds * 1000;
  while (messages.length < batchSize && !poller.signal.aborted) {
    const left = windowEnds - Date.now();
    if (left <= 0) break;
    try {
      const more = await receive(
        poller,
        Math.min(MAX_RECEIVE, batchSize - messages.length),
        Math.min(20, Math.ceil(left / 1000)),
      );
      messages.push(...more);
    } catch (error) {
      // Keep what was gathered: those messages are in flight and must reach the handler.
      if (!poller.signal.aborted)
        console.error(`[sqs-poller] ${poller.definition.id}: ReceiveMessage failed:`, error);
      break;
    }
  }
  return messages;
}

async function receive(poller: Poller, max: number, waitTimeSeconds: number): Promise<Message[]> {
  const answer = await poller.client.send(
    new ReceiveMessageCommand({
      QueueUrl: poller.queue.url,
      MaxNumberOfMessages: max,
      WaitTimeSeconds: waitTimeSeconds,
      VisibilityTimeout: poller.options.visibilityTimeoutSeconds,
      AttributeNames: ['All'],
      MessageSystemAttributeNames: [
        'ApproximateReceiveCount',
        'SentTimestamp',
        'ApproximateFirstReceiveTimestamp',
        'SenderId',
        'AWSTraceHeader',
      ],
      MessageAttributeNames: ['All'],
    }),
    { abortSignal: poller.signal },
  );
  return answer.Messages ?? [];
}

async function processBatch(poller: Poller, messages: Message[]): Promise<void> {
  const { definition, options, queue } = poller;
  const event: SQSEvent = {
    Records: messages.map((message) => toRecord(message, queue.arn, options.region)),
  };
  let result: unknown;
  try {
    result = await invokeFunction(options.handlers, definition.consumer, event, {
      region: options.region,
      timeoutSeconds: options.functionTimeoutSeconds,
    });
  } catch (error) {
    console.error(
      `[sqs-poller] ${definition.consumer} failed; the batch of ${messages.length} stays:`,
      error,
    );
    return;
  }
  const failed = failedIds(result, event);
  if (failed === undefined) {
    console.error(`[sqs-poller] ${definition.consumer}: invalid batchItemFailures; the batch stays`, result);
    return;
  }
  const done = messages.filter(
    (message) => message.MessageId !== undefined && !failed.has(message.MessageId),
  );
  await deleteMessages(poller, done);
}

/**
 * The ids to keep, from a ReportBatchItemFailures response. Like Lambda, an empty or
 * unknown itemIdentifier fails the whole batch (undefined); no response means success.
 */
function failedIds(result: unknown, event: SQSEvent): Set<string> | undefined {
  if (result === undefined || result === null) return new Set();
  if (typeof result !== 'object' || !('batchItemFailures' in result)) return new Set();
  const failures = result.batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return undefined;
  const known = new Set(event.Records.map((record) => record.messageId));
  const ids = new Set<string>();
  for (const failure of failures as unknown[]) {
    const id =
      typeof failure === 'object' && failure !== null && 'itemIdentifier' in failure
        ? failure.itemIdentifier
        : undefined;
    if (typeof id !== 'string' || !known.has(id)) return undefined;
    ids.add(id);
  }
  return ids;
}

async function deleteMessages(poller: Poller, messages: Message[]): Promise<void> {
  for (let start = 0; start < messages.length; start += MAX_DELETE) {
    const chunk = messages.slice(start, start + MAX_DELETE);
    try {
      const answer = await poller.client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: poller.queue.url,
          Entries: chunk.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle,
          })),
        }),
      );
      if ((answer.Failed ?? []).length > 0) {
        console.error(
          `[sqs-poller] ${poller.definition.id}: some deletes failed; they will be redelivered`,
          answer.Failed,
        );
      }
    } catch (error) {
      // Not deleting means redelivery: at-least-once, which handlers must tolerate anyway.
      console.error(`[sqs-poller] ${poller.definition.id}: DeleteMessageBatch failed:`, error);
    }
  }
}

function toRecord(message: Message, eventSourceARN: string, awsRegion: string): SQSRecord {
  const system = message.Attributes ?? {};
  const attributes: SQSRecordAttributes = {
    ApproximateReceiveCount: system.ApproximateReceiveCount ?? '1',
    SentTimestamp: system.SentTimestamp ?? String(Date.now()),
    SenderId: system.SenderId ?? '',
    ApproximateFirstReceiveTimestamp: system.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    ...(system.AWSTraceHeader === undefined ? {} : { AWSTraceHeader: system.AWSTraceHeader }),
  };
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes,
    messageAttributes: toMessageAttributes(message.MessageAttributes ?? {}),
    md5OfBody: message.MD5OfBody ?? '',
    ...(message.MD5OfMessageAttributes === undefined
      ? {}
      : { md5OfMessageAttributes: message.MD5OfMessageAttributes }),
    eventSource: 'aws:sqs',
    eventSourceARN,
    awsRegion,
  };
}

function toMessageAttributes(attributes: Record<string, MessageAttributeValue>): SQSMessageAttributes {
  const converted: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(attributes)) {
    converted[name] = {
      ...(value.StringValue === undefined ? {} : { stringValue: value.StringValue }),
      ...(value.BinaryValue === undefined
        ? {}
        : { binaryValue: Buffer.from(value.BinaryValue).toString('base64') }),
      stringListValues: value.StringListValues ?? [],
      binaryListValues: (value.BinaryListValues ?? []).map((binary) =>
        Buffer.from(binary).toString('base64'),
      ),
      dataType: value.DataType ?? 'String',
    };
  }
  return converted;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
