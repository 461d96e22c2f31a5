import { describe, expect, expectTypeOf, it } from 'vitest';
import { type Env, type FunctionConfig, readFunctionConfig } from '../../../shared/config';
import {
  ALL_FUNCTION_ENV_KEYS,
  environmentOf,
  type FunctionDefinition,
  type FunctionName,
  functions,
} from '../../../shared/definitions';
import { ConfigError } from '../../../shared/domain/errors';

const names = Object.keys(functions) as FunctionName[];

describe('environmentOf', () => {
  it('gives the SMS sender its tables, the limits kept in rateLimits, its secret and its settings', () => {
    // Act
    const keys = environmentOf(functions['queue-send-sms']);

    // Assess
    expect(keys).toEqual([
      'CAMPAIGNS_TABLE',
      'CHAPAR_DELIVERY_RETENTION_DAYS',
      'CHAPAR_KAVENEGAR_CALL_RATE',
      'CHAPAR_PUBLIC_BASE_URL',
      'CHAPAR_QUIET_HOURS',
      'CHAPAR_SMS_OPT_OUT_SUFFIX',
      'CHAPAR_SMS_RATE',
      'CHAPAR_SMS_RATE_GUARD_MS',
      'CHAPAR_SMS_SENDER',
      'CHAPAR_SMS_TRANSACTIONAL_SHARE',
      'CONSENT_TABLE',
      'CONTACTS_TABLE',
      'DELIVERIES_TABLE',
      'ERASURE_KEY_SECRET_ID',
      'KAVENEGAR_API_KEY_SECRET_ID',
      'KAVENEGAR_BASE_URL',
      'KAVENEGAR_TIMEOUT_MS',
      'LINKS_TABLE',
      'RATE_LIMITS_TABLE',
      'SMS_POLLS_TABLE',
      'SUPPRESSIONS_TABLE',
      // The key its short links are derived with.
      'TOKEN_KEYS_SECRET_ID',
    ]);
  });

  it('gives the configuration set only to a function that sends email with events', () => {
    // Act
    const abuseDigest = environmentOf(functions['schedule-abuse-digest']);
    const emailSender = environmentOf(functions['queue-send-email']);

    // Assess
    expect(abuseDigest).toContain('CHAPAR_FROM_EMAIL');
    expect(abuseDigest).not.toContain('SES_CONFIGURATION_SET');
    expect(emailSender).toEqual(expect.arrayContaining(['CHAPAR_FROM_EMAIL', 'SES_CONFIGURATION_SET']));
  });

  it('names each variable once, and only variables some function may be given', () => {
    // Prepare
    const definition: FunctionDefinition = {
      ...functions['http-api'],
      settings: ['CHAPAR_PUBLIC_BASE_URL', 'CHAPAR_PUBLIC_BASE_URL'],
    };

    // Act
    const keys = environmentOf(definition);

    // Assess
    expect(keys.filter((key) => key === 'CHAPAR_PUBLIC_BASE_URL')).toHaveLength(1);
    for (const name of names) {
      for (const key of environmentOf(functions[name])) expect(ALL_FUNCTION_ENV_KEYS).toContain(key);
    }
  });

  it('types each function configuration as exactly its definition’s variables', () => {
    // Assess
    expectTypeOf<FunctionConfig<'schedule-dispatch'>>().toEqualTypeOf<
      Readonly<Pick<Env, 'CAMPAIGNS_TABLE' | 'DISPATCH_QUEUE_URL'>>
    >();
    expectTypeOf<keyof FunctionConfig<'queue-send-sms'>>().toEqualTypeOf<
      ReturnType<typeof environmentOf<(typeof functions)['queue-send-sms']>>[number]
    >();
    expectTypeOf<FunctionConfig<'schedule-dispatch'>>().not.toHaveProperty('SUPPRESSIONS_TABLE');
    expectTypeOf<FunctionConfig<'http-spoof-report'>>().not.toHaveProperty('SES_CONFIGURATION_SET');
  });
});

describe('readFunctionConfig', () => {
  it('reads exactly the variables of the definition, frozen, with their defaults', () => {
    // Prepare
    const env = {
      CAMPAIGNS_TABLE: 'Campaigns',
      DISPATCH_QUEUE_URL: 'http://127.0.0.1:4566/000000000000/DispatchQueue',
      CONTACTS_TABLE: 'not given to this function',
    };

    // Act
    const config = readFunctionConfig('schedule-dispatch', env);

    // Assess
    expect(config).toEqual({ CAMPAIGNS_TABLE: 'Campaigns', DISPATCH_QUEUE_URL: env.DISPATCH_QUEUE_URL });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('fails naming a variable the definition gives but the environment lacks', () => {
    // Act
    const read = () => readFunctionConfig('schedule-dispatch', { CAMPAIGNS_TABLE: 'Campaigns' });

    // Assess
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(/DISPATCH_QUEUE_URL/);
  });
});
