import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { Campaign } from '../../../shared/domain/campaign';
import type { RecipientsMessage } from '../../../shared/domain/messages';
import { channelBatchHandler } from '../../../shared/lambda/channel-batch-handler';
import type { ChannelSender, DeliverDeps } from '../../../shared/ports';
import { sqsRecord } from '../../fixtures/campaigns';

const context = { getRemainingTimeInMillis: () => 60_000, awsRequestId: 'test' } as Context;
const logger = { info: () => {}, warn: () => {}, error: () => {} } as unknown as Parameters<
  typeof channelBatchHandler
>[2];
const sender: ChannelSender = { channel: 'email', send: async () => [] };

const message = (campaignId: string): RecipientsMessage => ({
  v: 1,
  campaignId,
  channel: 'email',
  contactIds: ['c1'],
});

/** A promise with its resolve, so a test decides when a record's read of its campaign ends. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/**
 * Campaign reads that fail for "broken" and, for "held-…", wait on a gate and then find no
 * campaign (nothing to send: the record succeeds). Nothing else is reached.
 */
function depsWith(gates: Map<string, Promise<void>>): DeliverDeps {
  const campaigns = {
    get: async (id: string): Promise<Campaign | undefined> => {
      if (id === 'broken') throw new Error('campaign table unavailable');
      await gates.get(id);
      return undefined;
    },
  };
  return { campaigns, now: () => new Date(), leaseMs: 60_000 } as unknown as DeliverDeps;
}

/** Resolves once every pending callback has had its turn, so both runs reach their gates. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('channelBatchHandler with overlapping invocations', () => {
  it("reports each run's own failures: a failed record is named by its run only", async () => {
    // Prepare: run A fails its first record and waits on its second; run B starts meanwhile
    const first = gate();
    const second = gate();
    const handler = channelBatchHandler(
      depsWith(
        new Map([
          ['held-a', first.promise],
          ['held-b', second.promise],
        ]),
      ),
      async () => sender,
      logger,
    );
    const failed = sqsRecord(message('broken'));
    const heldA = sqsRecord(message('held-a'));
    const heldB = sqsRecord(message('held-b'));
    // Act
    const runA = handler({ Records: [failed, heldA] }, context);
    await settle();
    const runB = handler({ Records: [heldB] }, context);
    await settle();
    first.open();
    second.open();
    const [answerA, answerB] = await Promise.all([runA, runB]);
    // Assess
    expect(answerA.batchItemFailures).toEqual([{ itemIdentifier: failed.messageId }]);
    expect(answerB.batchItemFailures).toEqual([]);
  });

  it('keeps a failure of the later run out of the earlier run still in progress', async () => {
    // Prepare: run A waits on its only record; run B fails its record meanwhile
    const held = gate();
    const handler = channelBatchHandler(
      depsWith(new Map([['held-a', held.promise]])),
      async () => sender,
      logger,
    );
    const heldA = sqsRecord(message('held-a'));
    const failed = sqsRecord(message('broken'));
    // Act
    const runA = handler({ Records: [heldA] }, context);
    await settle();
    const answerB = await handler({ Records: [failed] }, context);
    held.open();
    const answerA = await runA;
    // Assess
    expect(answerB.batchItemFailures).toEqual([{ itemIdentifier: failed.messageId }]);
    expect(answerA.batchItemFailures).toEqual([]);
  });
});
