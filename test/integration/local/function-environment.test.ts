import { beforeAll, describe, expect, it } from 'vitest';
import { createHandlerLoader, hiddenVariables } from '../../../local/lambda/functions';
import { environmentOf, type FunctionName, functions } from '../../../shared/definitions';
import { ConfigError } from '../../../shared/domain/errors';
import { type TestEmulators, useEmulators } from '../../support/emulators';

/** Handler modules standing in for functions/: one reads an ungranted variable, one shows its env. */
const fixtures = new URL('../../fixtures/function-environment/', import.meta.url);

describe('local handler loader: each cold start sees only its function’s environment', () => {
  let emulators: TestEmulators;
  beforeAll(async () => {
    // Every resource variable of every function, and the CHAPAR_* settings, go into process.env.
    emulators = await useEmulators();
  });

  it('loads every real function with only the variables its definition gives it', async () => {
    // Prepare
    const load = createHandlerLoader();

    // Act
    const handlers = await Promise.all(
      (Object.keys(functions) as FunctionName[]).map(async (name) => [name, await load(name)] as const),
    );

    // Assess
    for (const [, handler] of handlers) expect(typeof handler).toBe('function');
  });

  it('fails the cold start of a function whose module reads a variable its definition lacks', async () => {
    // Prepare
    const load = createHandlerLoader(fixtures);
    expect(process.env.SMS_QUEUE_URL).toBe(emulators.names.queues.sms.url);

    // Act
    const loading = load('schedule-dispatch');

    // Assess
    await expect(loading).rejects.toThrow(ConfigError);
    await expect(loading).rejects.toThrow(/SMS_QUEUE_URL/);
    expect(process.env.SMS_QUEUE_URL).toBe(emulators.names.queues.sms.url);
  });

  it('shows a module its own variables and the platform’s, takes cold starts in turn, then restores', async () => {
    // Prepare
    const load = createHandlerLoader(fixtures);
    const before = { ...process.env };

    // Act: the other cold start, which hides CONTACTS_TABLE, is under way at the same time.
    const [seen] = await Promise.allSettled([
      load('queue-ses-feedback').then((handler) => handler({}, {} as never)),
      load('schedule-dispatch'),
    ]);

    // Assess
    expect(seen.status).toBe('fulfilled');
    const env = (seen as PromiseFulfilledResult<Record<string, string>>).value;
    const own = environmentOf(functions['queue-ses-feedback']);
    for (const key of own) expect(env[key], key).toBe(emulators.env[key]);
    expect(env.AWS_ENDPOINT_URL_DYNAMODB).toBe(emulators.endpoints.dynamodb);
    expect(env.POWERTOOLS_SERVICE_NAME).toBe('chapar');
    expect(env.SMS_QUEUE_URL).toBeUndefined();
    expect(env.CHAPAR_SMS_SENDER).toBeUndefined();
    expect(
      Object.keys(env).filter((key) => hiddenVariables('queue-ses-feedback', env).includes(key)),
    ).toEqual([]);
    expect(process.env).toEqual(before);
  });
});
