import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type TestEmulators, useEmulators } from '../../support/emulators';

/**
 * The retry backoff's visibility change against the SQS emulator: a receipt handle whose
 * message has been received again, or deleted, is a race with the queue (another receive holds
 * it), answered `false` rather than thrown, so the sender logs no error for it.
 */
let emulators: TestEmulators;
let visibility: import('../../../shared/adapters/sqs/message-visibility').SqsMessageVisibility;

beforeAll(async () => {
  emulators = await useEmulators();
  const { SqsMessageVisibility } = await import('../../../shared/adapters/sqs/message-visibility');
  visibility = new SqsMessageVisibility(emulators.sqs);
});

async function receive(url: string, visibilitySeconds: number) {
  for (let attempt = 0; attempt < 20; attempt++) {
    const { Messages } = await emulators.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, VisibilityTimeout: visibilitySeconds, WaitTimeSeconds: 1 }),
    );
    const message = Messages?.[0];
    if (message?.ReceiptHandle) return message.ReceiptHandle;
  }
  throw new Error('no message received');
}

describe('SqsMessageVisibility.delay', () => {
  it('delays a message in flight, and answers false once another receive holds it or it is gone', async () => {
    const queue = emulators.names.queues.sms;
    await emulators.purge();
    await emulators.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: '{}' }));
    const first = await receive(queue.url, 1);
    const asFirst = { queueArn: queue.arn, receiptHandle: first };
    expect(await visibility.delay(asFirst, 1)).toBe(true);

    // Its visibility runs out and it is received again: the first handle holds nothing now.
    const second = await receive(queue.url, 30);
    expect(second).not.toBe(first);
    expect(await visibility.delay(asFirst, 60)).toBe(false);
    expect(await visibility.delay({ queueArn: queue.arn, receiptHandle: second }, 60)).toBe(true);

    await emulators.sqs.send(new DeleteMessageCommand({ QueueUrl: queue.url, ReceiptHandle: second }));
    expect(await visibility.delay({ queueArn: queue.arn, receiptHandle: second }, 60)).toBe(false);
  });

  it('still throws what is not a race: a queue that does not exist', async () => {
    const arn = emulators.names.queues.sms.arn.replace(/:[^:]+$/, ':no-such-queue');
    await expect(visibility.delay({ queueArn: arn, receiptHandle: 'x' }, 1)).rejects.toThrow();
  });
});
