import { describe, expect, it, vi } from 'vitest';

// Counts the SDK clients built, the real classes otherwise.
const built = vi.hoisted(() => ({ sqs: 0, ses: 0 }));
vi.mock('@aws-sdk/client-sqs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@aws-sdk/client-sqs')>();
  class SQSClient extends actual.SQSClient {
    constructor(...args: ConstructorParameters<typeof actual.SQSClient>) {
      super(...args);
      built.sqs++;
    }
  }
  return { ...actual, SQSClient };
});
vi.mock('@aws-sdk/client-sesv2', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@aws-sdk/client-sesv2')>();
  class SESv2Client extends actual.SESv2Client {
    constructor(...args: ConstructorParameters<typeof actual.SESv2Client>) {
      super(...args);
      built.ses++;
    }
  }
  return { ...actual, SESv2Client };
});

const { emailProvider, messageVisibility, workQueue } = await import('../../../shared/adapters/factory');

describe('factory: SQS and SES clients are built on first use, not at cold start', () => {
  it('builds no client for adapters that are never called', () => {
    // Act
    workQueue({ dispatch: 'https://sqs.invalid/dispatch' });
    messageVisibility();
    emailProvider({ from: 'news@chapar.test' });

    // Assess
    expect(built).toEqual({ sqs: 0, ses: 0 });
  });

  it('builds the SQS client on the first enqueue, and one for every work queue', async () => {
    // Prepare
    const first = workQueue({ dispatch: 'https://sqs.invalid/dispatch' });
    const second = workQueue({ dispatch: 'https://sqs.invalid/dispatch' });

    // Act: an empty batch makes no call, but needs the queue.
    await first.sendDispatch([]);
    await second.sendDispatch([]);
    await first.sendRecipients([]);

    // Assess
    expect(built.sqs).toBe(1);
    expect(built.ses).toBe(0);
  });
});
