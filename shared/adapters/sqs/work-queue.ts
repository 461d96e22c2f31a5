import {
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { DispatchMessage, RecipientsMessage } from '../../domain/messages';
import type { Channel } from '../../domain/types';
import type { WorkQueue } from '../../ports';
import { chunk } from '../dynamodb/client';

/** SendMessageBatch takes at most 10 entries (SQS limit). */
const MAX_BATCH = 10;
const MAX_ATTEMPTS = 5;
/**
 * SendMessageBatch calls in flight at once: a dispatch page of 1,000 contacts is 11 calls (105
 * messages), which one after another take most of the page's time.
 */
export const SEND_CONCURRENCY = 4;

/** Queue URLs by purpose. */
export interface QueueUrls {
  readonly dispatch?: string;
  readonly sms?: string;
  readonly email?: string;
}

/** Chapar's work queues on SQS; entries SQS refuses for a passing reason are sent again. */
export class SqsWorkQueue implements WorkQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly urls: QueueUrls,
  ) {}

  async sendDispatch(messages: readonly DispatchMessage[]): Promise<void> {
    await this.sendAll(this.url('dispatch'), messages);
  }

  async sendRecipients(messages: readonly RecipientsMessage[]): Promise<void> {
    const byChannel = new Map<Channel, RecipientsMessage[]>();
    for (const message of messages)
      byChannel.set(message.channel, [...(byChannel.get(message.channel) ?? []), message]);
    for (const [channel, list] of byChannel) await this.sendAll(this.url(channel), list);
  }

  private url(name: keyof QueueUrls): string {
    const url = this.urls[name];
    if (!url) throw new Error(`No queue URL configured for ${name}`);
    return url;
  }

  private async sendAll(queueUrl: string, bodies: readonly unknown[]): Promise<void> {
    const parts = chunk(bodies, MAX_BATCH);
    let next = 0;
    const sender = async (): Promise<void> => {
      for (let part = parts[next++]; part !== undefined; part = parts[next++])
        await this.sendBatch(queueUrl, part);
    };
    await Promise.all(Array.from({ length: Math.min(SEND_CONCURRENCY, parts.length) }, sender));
  }

  private async sendBatch(queueUrl: string, part: readonly unknown[]): Promise<void> {
    let entries: SendMessageBatchRequestEntry[] = part.map((body, index) => ({
      Id: String(index),
      MessageBody: JSON.stringify(body),
    }));
    for (let attempt = 1; entries.length > 0; attempt++) {
      const result = await this.client.send(
        new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }),
      );
      const failed = result.Failed ?? [];
      const permanent = failed.find((entry) => entry.SenderFault);
      if (permanent) throw new Error(`SQS refused a message: ${permanent.Code} ${permanent.Message ?? ''}`);
      if (failed.length > 0 && attempt === MAX_ATTEMPTS) {
        throw new Error(`SQS kept failing ${failed.length} messages after ${MAX_ATTEMPTS} attempts`);
      }
      const failedIds = new Set(failed.map((entry) => entry.Id));
      entries = entries.filter((entry) => failedIds.has(entry.Id));
      if (entries.length > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    }
  }
}
