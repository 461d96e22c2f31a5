import { createHash } from 'node:crypto';
import { SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type SqsPollerOptions, type SqsPollers, startSqsPollers } from '../../../local/lambda/sqs-poller';
import { type QueueDefinition, type QueueName, queues } from '../../../shared/definitions';
import { eventually, type TestEmulators, useEmulators } from '../../support/emulators';

describe('local SQS event source (Lambda rules)', () => {
  let emulators: TestEmulators;
  let pollers: SqsPollers | undefined;

  beforeAll(async () => {
    emulators = await useEmulators({ visibilityTimeoutSeconds: 1 });
  });
  afterEach(async () => {
    await pollers?.end();
    pollers = undefined;
    await emulators.purge();
    vi.restoreAllMocks();
  });

  /**
   * Polls one queue. The batching window defaults to 0 here: a window as long as the 1 s
   * visibility timeout would let gathered messages reappear mid-gathering (AWS requires the
   * visibility timeout to exceed the function timeout plus the window).
   */
  const poll = (
    queue: QueueName,
    handler: (event: SQSEvent) => Promise<SQSBatchResponse | undefined>,
    definition: Partial<QueueDefinition> = {},
    extra: Pick<SqsPollerOptions, 'visibilityTimeoutSeconds' | 'functionTimeoutSeconds'> = {},
  ): SqsPollers => {
    const resource = emulators.names.queues[queue];
    pollers = startSqsPollers({
      handlers: { [queues[queue].consumer]: handler },
      endpoint: emulators.endpoints.sqs,
      region: emulators.endpoints.region,
      queues: { [queue]: { url: resource.url, arn: resource.arn } },
      definitions: { ...queues, [queue]: { ...queues[queue], maxBatchingWindowSeconds: 0, ...definition } },
      ...extra,
      waitTimeSeconds: 1,
    });
    return pollers;
  };

  const send = async (queue: QueueName, bodies: string[]): Promise<void> => {
    await emulators.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: emulators.names.queues[queue].url,
        Entries: bodies.map((body, index) => ({ Id: String(index), MessageBody: body })),
      }),
    );
  };

  it('delivers real SQSRecord shapes', async () => {
    // Prepare
    const records: SQSRecord[] = [];
    poll('sms', async (event) => {
      records.push(...event.Records);
      return { batchItemFailures: [] };
    });

    // Act
    await emulators.sqs.send(
      new SendMessageCommand({
        QueueUrl: emulators.names.queues.sms.url,
        MessageBody: '{"campaignId":"c1"}',
        MessageAttributes: { channel: { DataType: 'String', StringValue: 'sms' } },
      }),
    );

    // Assess
    const record = await eventually(() => records[0], { what: 'a record' });
    expect(record).toMatchObject({
      body: '{"campaignId":"c1"}',
      md5OfBody: createHash('md5').update('{"campaignId":"c1"}').digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: emulators.names.queues.sms.arn,
      awsRegion: emulators.endpoints.region,
      messageAttributes: {
        channel: { stringValue: 'sms', stringListValues: [], binaryListValues: [], dataType: 'String' },
      },
    });
    expect(record.messageId).not.toBe('');
    expect(record.receiptHandle).not.toBe('');
    expect(record.attributes.ApproximateReceiveCount).toBe('1');
    for (const name of ['SentTimestamp', 'ApproximateFirstReceiveTimestamp'] as const) {
      expect(record.attributes[name]).toMatch(/^\d{13}$/);
    }
    expect(record.attributes.SenderId).not.toBe('');
  });

  it('deletes the successes of a batch and keeps the reported failures', async () => {
    // Prepare
    const deliveries: { body: string; receiveCount: string }[] = [];
    poll(
      'email',
      async (event) => {
        for (const record of event.Records) {
          deliveries.push({ body: record.body, receiveCount: record.attributes.ApproximateReceiveCount });
        }
        return {
          batchItemFailures: event.Records.filter((r) => r.body === 'fail').map((r) => ({
            itemIdentifier: r.messageId,
          })),
        };
      },
      { maximumConcurrency: 1 },
    );

    // Act
    await send('email', ['ok-1', 'fail', 'ok-2']);

    // Assess: the failure comes back after the 1 s visibility timeout; the successes never do.
    await eventually(() => deliveries.find((d) => d.body === 'fail' && d.receiveCount === '3'), {
      what: 'the failed message a third time',
    });
    await pollers?.end();
    expect(deliveries.filter((d) => d.body === 'ok-1')).toHaveLength(1);
    expect(deliveries.filter((d) => d.body === 'ok-2')).toHaveLength(1);
    // A long poll cut short by stop() may still take the message for one visibility timeout
    // (fauxqs does not notice the client left), hence polling rather than one receive.
    const left = await eventually(async () => {
      const messages = await emulators.receiveAll('email', { waitSeconds: 1 });
      return messages.length > 0 ? messages : undefined;
    });
    expect(left.map((message) => message.Body)).toEqual(['fail']);
  });

  it('keeps the whole batch when the handler throws', async () => {
    // Prepare
    const stderr = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const deliveries: { body: string; receiveCount: string }[] = [];
    poll(
      'email',
      async (event) => {
        const first = event.Records.some((record) => record.attributes.ApproximateReceiveCount === '1');
        for (const record of event.Records) {
          deliveries.push({ body: record.body, receiveCount: record.attributes.ApproximateReceiveCount });
        }
        if (first) throw new Error('provider down');
        return undefined;
      },
      { maximumConcurrency: 1 },
    );

    // Act
    await send('email', ['a', 'b']);

    // Assess
    await eventually(
      () => (deliveries.filter((d) => d.receiveCount === '2').length === 2 ? true : undefined),
      {
        what: 'both messages a second time',
      },
    );
    await pollers?.end();
    expect(
      deliveries
        .filter((d) => d.receiveCount === '1')
        .map((d) => d.body)
        .sort(),
    ).toEqual(['a', 'b']);
    expect(await emulators.receiveAll('email', { waitSeconds: 2 })).toEqual([]);
    expect(stderr).toHaveBeenCalledWith(expect.stringContaining('the batch of'), expect.any(Error));
  });

  it('keeps the whole batch when the handler runs past its timeout', async () => {
    // Prepare
    const stderr = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const receiveCounts: string[] = [];
    poll(
      'email',
      async (event) => {
        const count = event.Records[0]?.attributes.ApproximateReceiveCount ?? '';
        receiveCounts.push(count);
        if (count === '1') await new Promise((resolve) => setTimeout(resolve, 2_500));
        return { batchItemFailures: [] };
      },
      { maximumConcurrency: 1 },
      { functionTimeoutSeconds: 1 },
    );

    // Act
    await send('email', ['slow']);

    // Assess
    await eventually(() => (receiveCounts.includes('2') ? true : undefined), { what: 'a second delivery' });
    expect(stderr).toHaveBeenCalledWith(
      expect.stringContaining('the batch of 1 stays'),
      expect.objectContaining({ name: 'FunctionTimeoutError' }),
    );
  });

  it('moves a message to the DLQ after maxReceiveCount receives', async () => {
    // Prepare
    const receiveCounts: string[] = [];
    poll('dispatch', async (event) => ({
      batchItemFailures: event.Records.map((record) => {
        receiveCounts.push(record.attributes.ApproximateReceiveCount);
        return { itemIdentifier: record.messageId };
      }),
    }));

    // Act
    await send('dispatch', ['poison']);

    // Assess
    const dead = await eventually(
      async () => {
        const messages = await emulators.receiveAll('dispatch', { dlq: true });
        return messages.length > 0 ? messages : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250, what: 'the message in the DLQ' },
    );
    expect(dead.map((message) => message.Body)).toEqual(['poison']);
    const expected = Array.from({ length: queues.dispatch.maxReceiveCount }, (_, index) => String(index + 1));
    expect(receiveCounts).toEqual(expected);
  });

  it('never runs more batches at once than maximumConcurrency', async () => {
    // Prepare: a concurrency of 2, so that 8 slow messages surely fill it
    let running = 0;
    let mostAtOnce = 0;
    let handled = 0;
    poll(
      'dispatch',
      async (event) => {
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        await new Promise((resolve) => setTimeout(resolve, 200));
        running -= 1;
        handled += event.Records.length;
        return { batchItemFailures: [] };
      },
      { maximumConcurrency: 2 },
    );

    // Act
    await send('dispatch', ['1', '2', '3', '4', '5', '6', '7', '8']);

    // Assess
    await eventually(() => (handled === 8 ? true : undefined), { what: 'all 8 messages' });
    expect(mostAtOnce).toBe(2);
  });

  it('gathers up to batchSize messages into one batch', async () => {
    // Prepare
    const batchSizes: number[] = [];
    poll(
      'email',
      async (event) => {
        batchSizes.push(event.Records.length);
        return { batchItemFailures: [] };
      },
      { maximumConcurrency: 1, batchSize: 4, maxBatchingWindowSeconds: 1 },
      { visibilityTimeoutSeconds: 3 },
    );

    // Act
    await send('email', ['1', '2', '3', '4', '5', '6', '7', '8', '9']);

    // Assess
    await eventually(() => (batchSizes.reduce((sum, size) => sum + size, 0) === 9 ? true : undefined), {
      what: 'all 9 messages',
    });
    expect(Math.max(...batchSizes)).toBe(4);
    expect(batchSizes.length).toBeLessThan(9);
  });

  it('stop() waits for the batch in flight', async () => {
    // Prepare
    let finished = false;
    let started = false;
    const stopper = poll('sms', async () => {
      started = true;
      await new Promise((resolve) => setTimeout(resolve, 500));
      finished = true;
      return { batchItemFailures: [] };
    });
    await send('sms', ['slow']);
    await eventually(() => (started ? true : undefined), { what: 'the batch to start' });

    // Act
    await stopper.end();

    // Assess
    expect(finished).toBe(true);
  });
});
