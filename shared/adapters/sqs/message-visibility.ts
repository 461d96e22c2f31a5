import { ChangeMessageVisibilityCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { ReceivedMessage } from '../../domain/messages';
import type { MessageVisibility } from '../../ports';

/** SQS's longest visibility timeout: 12 hours. */
export const MAX_VISIBILITY_SECONDS = 12 * 3600;

/**
 * Changes a received message's visibility on SQS. A record names its queue by ARN only, so
 * the URL is asked of SQS (GetQueueUrl with the ARN's name and account, once per queue and
 * container) rather than assembled by hand: SQS knows its own URL forms in every partition,
 * and the function needs no queue URL in its configuration. Lambda's SQS event source grants
 * both calls (sqs:GetQueueUrl and sqs:ChangeMessageVisibility come with consuming the queue).
 */
export class SqsMessageVisibility implements MessageVisibility {
  private readonly urls = new Map<string, Promise<string>>();

  /**
   * @param client default: one that calls its configured endpoint whatever host the queue URL
   * names (an emulator answers GetQueueUrl with a host of its own); the queue is in the
   * function's region, as Lambda's event source requires.
   */
  constructor(private readonly client: SQSClient = new SQSClient({ useQueueUrlAsEndpoint: false })) {}

  async delay(message: ReceivedMessage, seconds: number): Promise<boolean> {
    const visibility = Math.min(MAX_VISIBILITY_SECONDS, Math.max(0, Math.ceil(seconds)));
    try {
      await this.client.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: await this.queueUrl(message.queueArn),
          ReceiptHandle: message.receiptHandle,
          VisibilityTimeout: visibility,
        }),
      );
      return true;
    } catch (error) {
      if (isNotInFlight(error)) return false;
      throw error;
    }
  }

  private queueUrl(arn: string): Promise<string> {
    let url = this.urls.get(arn);
    if (!url) {
      url = this.resolve(arn);
      // A failed lookup is not cached: the next record asks again.
      url.catch(() => this.urls.delete(arn));
      this.urls.set(arn, url);
    }
    return url;
  }

  private async resolve(arn: string): Promise<string> {
    // arn:aws:sqs:<region>:<account>:<queue name>
    const [prefix, , service, , account, name] = arn.split(':');
    if (prefix !== 'arn' || service !== 'sqs' || !account || !name) {
      throw new Error(`Not an SQS queue ARN: ${arn}`);
    }
    const answer = await this.client.send(
      new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: account }),
    );
    if (!answer.QueueUrl) throw new Error(`SQS returned no URL for ${arn}`);
    return answer.QueueUrl;
  }
}

/**
 * SQS's answers for a receipt handle that no longer holds its message: the visibility timeout
 * ran out and another receive took it (MessageNotInflight), or the message is gone
 * (ReceiptHandleIsInvalid). Both are a race with the queue, not a failure.
 */
function isNotInFlight(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'MessageNotInflight' || name === 'ReceiptHandleIsInvalid';
}
