import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GetQueueAttributesCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type TestEmulators, useEmulators } from '../../support/emulators';

let emulators: TestEmulators;
let modules: {
  redrive: typeof import('../../../shared/adapters/sqs/dead-letter-redrive');
  script: typeof import('../../../scripts/redrive');
};
const root = join(import.meta.dirname, '../../..');

beforeAll(async () => {
  emulators = await useEmulators();
  modules = {
    redrive: await import('../../../shared/adapters/sqs/dead-letter-redrive'),
    script: await import('../../../scripts/redrive'),
  };
});

beforeEach(async () => {
  await emulators.purge();
});

/** Dead letters of the SMS queue, each with a message attribute. */
async function deadLetters(count: number): Promise<string[]> {
  const bodies = Array.from({ length: count }, (_, index) => JSON.stringify({ v: 1, page: index }));
  // SQS takes at most 10 entries a batch.
  for (let first = 0; first < count; first += 10) {
    await emulators.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: emulators.names.queues.sms.dlq.url,
        Entries: bodies.slice(first, first + 10).map((body, offset) => ({
          Id: String(offset),
          MessageBody: body,
          MessageAttributes: { origin: { DataType: 'String', StringValue: `page-${first + offset}` } },
        })),
      }),
    );
  }
  return bodies;
}

async function dlqCount(): Promise<number> {
  const answer = await emulators.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: emulators.names.queues.sms.dlq.url,
      AttributeNames: ['ApproximateNumberOfMessages'],
    }),
  );
  return Number(answer.Attributes?.ApproximateNumberOfMessages);
}

const bodiesOf = (messages: { Body?: string }[]) => messages.map((message) => message.Body).sort();

describe('redrive', () => {
  it("finds a queue's DLQ from its RedrivePolicy", async () => {
    // Prepare
    const redrive = new modules.redrive.DeadLetterRedrive();
    const { sms } = emulators.names.queues;

    // Act
    const found = await redrive.findQueues({ name: sms.name });

    // Assess
    expect(found.source.name).toBe(sms.name);
    expect(found.dlq).toMatchObject({ name: sms.dlq.name, arn: sms.dlq.arn });
  });

  it('finds a queue by part of its name (a stack adds a prefix and a suffix), never its DLQ', async () => {
    // Prepare: both `<prefix>SmsQueue` and `<prefix>SmsQueue-dlq` contain the part
    const redrive = new modules.redrive.DeadLetterRedrive();
    const { prefix, queues } = emulators.names;

    // Act
    const found = await redrive.findQueues({ name: `${prefix}SmsQ` });

    // Assess
    expect(found.source.name).toBe(queues.sms.name);
    expect(found.dlq.name).toBe(queues.sms.dlq.name);
  });

  it('moves every dead letter back to its queue with body and attributes, leaving the DLQ empty', async () => {
    // Prepare
    const bodies = await deadLetters(13);
    const redrive = new modules.redrive.DeadLetterRedrive();
    const queues = await redrive.findQueues({ url: emulators.names.queues.sms.url });

    // Act
    const result = await redrive.redrive(queues);

    // Assess
    expect(result).toMatchObject({ dryRun: false, waiting: 13, moved: 13, failed: 0 });
    const back = await emulators.receiveAll('sms');
    expect(bodiesOf(back)).toEqual([...bodies].sort());
    const origins = back.map((message) => message.MessageAttributes?.origin?.StringValue).sort();
    expect(origins).toEqual(bodies.map((_, index) => `page-${index}`).sort());
    expect(await emulators.receiveAll('sms', { dlq: true })).toEqual([]);
  });

  it('moves at most --max messages and leaves the rest in the DLQ', async () => {
    // Prepare
    await deadLetters(3);
    const redrive = new modules.redrive.DeadLetterRedrive();
    const queues = await redrive.findQueues({ url: emulators.names.queues.sms.url });

    // Act
    const result = await redrive.redrive(queues, { max: 2 });

    // Assess
    expect(result).toMatchObject({ moved: 2, failed: 0 });
    expect(await emulators.receiveAll('sms')).toHaveLength(2);
  });

  it('moves nothing on a dry run, from the command line', async () => {
    // Prepare
    await deadLetters(2);

    // Act: the npm script's command, with the SDK's settings from the environment
    const { stdout } = await promisify(execFile)(
      join(root, 'node_modules/.bin/tsx'),
      ['scripts/redrive.ts', emulators.names.queues.sms.name, '--dry-run'],
      { cwd: root, env: { ...process.env, ...emulators.env } },
    );

    // Assess
    expect(stdout.trim()).toBe(
      `${emulators.names.queues.sms.dlq.name} -> ${emulators.names.queues.sms.name}: dry run, 2 waiting in the DLQ, nothing moved`,
    );
    expect(await dlqCount()).toBe(2);
    expect(await emulators.receiveAll('sms')).toEqual([]);
  });

  it('refuses a queue that has no DLQ, naming it', async () => {
    // Prepare
    const redrive = new modules.redrive.DeadLetterRedrive();

    // Act
    const attempt = redrive.findQueues({ url: emulators.names.queues.sms.dlq.url });

    // Assess
    await expect(attempt).rejects.toThrow('has no RedrivePolicy');
  });

  it.each([
    { argv: [], message: 'Give one queue' },
    { argv: ['sms', '--queue-url', 'https://sqs.example/1/q'], message: 'Give one queue' },
    { argv: ['sms', '--max', '0'], message: '--max must be a whole number' },
  ])('rejects the arguments $argv', ({ argv, message }) => {
    // Act and assess
    expect(() => modules.script.parseRedriveArgs(argv)).toThrow(message);
  });

  it('takes a definitions key for its queue id', () => {
    // Act
    const args = modules.script.parseRedriveArgs(['email', '--max', '5']);

    // Assess
    expect(args).toEqual({ queue: { name: 'EmailQueue' }, max: 5, dryRun: false });
  });
});
