import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ImportQueue } from '../../ports';

/** The body of an import's continuation on the imports queue (next to S3's own events). */
export interface ImportContinuation {
  readonly kind: 'continue';
  readonly importId: string;
}

/** Continuations of long imports, on the queue the bucket's upload events arrive on. */
export class SqsImportQueue implements ImportQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly url: string,
  ) {}

  async continueImport(importId: string): Promise<void> {
    const body: ImportContinuation = { kind: 'continue', importId };
    await this.client.send(new SendMessageCommand({ QueueUrl: this.url, MessageBody: JSON.stringify(body) }));
  }
}
