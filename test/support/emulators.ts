import { randomUUID } from 'node:crypto';
import {
  DeleteMessageBatchCommand,
  type Message,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { Email } from 'aws-ses-v2-local/dist/store';
import { inject } from 'vitest';
import type { EmulatorEndpoints } from '../../local/emulators';
import { createResources, type LocalResources } from '../../local/resources';
import type { QueueName, SecretName } from '../../shared/definitions';

/** Secret values seeded for tests, unless a test file gives its own. */
export const testSecretValues: Readonly<Record<SecretName, string>> = {
  apiKey: 'test-api-key',
  webhookSecret: 'test-webhook-secret',
  kavenegarApiKey: 'test-kavenegar-key',
  tokenKeys: JSON.stringify({ current: 'test', keys: { test: 'test-token-key' } }),
  deliveryCallbackSecret: 'test-callback-secret',
  erasureKey: 'test-erasure-key',
};

/** Function configuration that is not a resource: harmless values for tests. */
const testConfig: Readonly<Record<string, string>> = {
  CHAPAR_SMS_SENDER: '50004001051233',
  CHAPAR_FROM_EMAIL: 'news@chapar.test',
  CHAPAR_ABUSE_EMAIL: 'abuse@chapar.test',
  CHAPAR_PUBLIC_BASE_URL: 'https://chapar.test',
  // Nothing listens on the discard port: a test that talks to Kavenegar starts the simulator
  // and passes its URL in `env`, so no test can ever reach the real API.
  KAVENEGAR_BASE_URL: 'http://127.0.0.1:9',
  POWERTOOLS_SERVICE_NAME: 'chapar',
  POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
};

/** How to set up this test file's resources. */
export interface UseEmulatorsOptions {
  /** Every queue's visibility timeout; default the definitions' (minutes). */
  visibilityTimeoutSeconds?: number;
  /** Overrides of the seeded secret values. */
  secretValues?: Partial<Record<SecretName, string>>;
  /** Extra or replaced variables for process.env, e.g. a Kavenegar simulator's KAVENEGAR_BASE_URL. */
  env?: Record<string, string>;
}

/** This test file's slice of the shared emulators. */
export interface TestEmulators {
  readonly endpoints: EmulatorEndpoints;
  /** Everything set into process.env. */
  readonly env: Readonly<Record<string, string>>;
  /** The names made for this file: prefix, tables, queues (with URLs, ARNs and DLQs) and secrets. */
  readonly names: {
    readonly prefix: string;
    readonly tables: LocalResources['tables'];
    readonly queues: LocalResources['queues'];
    /** SNS topics (ARNs), their queues subscribed as in shared/definitions.ts. */
    readonly topics: LocalResources['topics'];
    readonly secrets: LocalResources['secrets'];
  };
  readonly secretValues: Readonly<Record<SecretName, string>>;
  /** A client for the SQS emulator. */
  readonly sqs: SQSClient;
  /** Receives and deletes every message visible now on a queue (or its DLQ). */
  receiveAll(queue: QueueName, options?: { dlq?: boolean; waitSeconds?: number }): Promise<Message[]>;
  /** Empties every queue and DLQ of this file. */
  purge(): Promise<void>;
  /** Mail the SES emulator holds. Its store is shared by every test file: filter by recipient. */
  sentEmails(): Promise<Email[]>;
}

/**
 * For an integration test file: creates its own tables, queues and secrets (a unique name
 * prefix) on the emulators started by test/setup/emulators.ts and sets process.env (endpoint
 * variables, resource variables, dummy CHAPAR_* config) so that handlers and adapters
 * imported afterwards (`await import(...)`) use them. Each test file runs in its own worker,
 * so the environment does not leak between files.
 */
export async function useEmulators(options: UseEmulatorsOptions = {}): Promise<TestEmulators> {
  const endpoints = inject('emulators');
  const prefix = `t${randomUUID().slice(0, 8)}-`;
  const secretValues = { ...testSecretValues, ...options.secretValues };
  const resources = await createResources({
    endpoints,
    prefix,
    secretValues,
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds,
  });
  const env = { ...testConfig, ...resources.env, ...options.env };
  Object.assign(process.env, env);
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;

  const sqs = new SQSClient({
    endpoint: endpoints.sqs,
    region: endpoints.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const queueUrl = (queue: QueueName, dlq = false): string =>
    dlq ? resources.queues[queue].dlq.url : resources.queues[queue].url;

  return {
    endpoints,
    env,
    names: {
      prefix,
      tables: resources.tables,
      queues: resources.queues,
      topics: resources.topics,
      secrets: resources.secrets,
    },
    secretValues,
    sqs,
    receiveAll: async (queue, { dlq = false, waitSeconds = 0 } = {}) => {
      const url = queueUrl(queue, dlq);
      const received: Message[] = [];
      for (let wait = waitSeconds; ; wait = 0) {
        const answer = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: url,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: wait,
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
        );
        const messages = answer.Messages ?? [];
        if (messages.length === 0) return received;
        received.push(...messages);
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: url,
            Entries: messages.map((message, index) => ({
              Id: String(index),
              ReceiptHandle: message.ReceiptHandle,
            })),
          }),
        );
      }
    },
    purge: async () => {
      const urls = Object.values(resources.queues).flatMap((queue) => [queue.url, queue.dlq.url]);
      await Promise.all(urls.map((url) => sqs.send(new PurgeQueueCommand({ QueueUrl: url }))));
    },
    sentEmails: async () => {
      const response = await fetch(`${endpoints.ses}/store`);
      const store = (await response.json()) as { emails: Email[] };
      return store.emails;
    },
  };
}

/**
 * Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`.
 * A deadline, never a timed assertion: fast machines pass sooner, slow ones still pass.
 */
export async function eventually<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  { timeoutMs = 20_000, intervalMs = 50, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
