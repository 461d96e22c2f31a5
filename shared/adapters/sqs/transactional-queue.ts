import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { TransactionalQueue } from '../../ports';

/** The body of a transactional queue record: the message to send, nothing personal. */
export interface TransactionalRecord {
  readonly v: 1;
  readonly messageId: string;
}

/** The transactional queue on SQS: one record per message, its id only. */
export class SqsTransactionalQueue implements TransactionalQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly url: string,
  ) {}

  async enqueue(messageId: string): Promise<void> {
    const body: TransactionalRecord = { v: 1, messageId };
    await this.client.send(new SendMessageCommand({ QueueUrl: this.url, MessageBody: JSON.stringify(body) }));
  }
}
