import { type BucketName, buckets } from './buckets';
import {
  type EmailSending,
  type FunctionDefinition,
  type FunctionName,
  type functions,
  SETTING_NAMES,
  type SettingName,
} from './functions';
import { type QueueName, queues } from './queues';
import { type SecretName, secrets } from './secrets';
import { type TableName, tables } from './tables';
import { USER_POOL_SETTINGS, type UserPoolAccess } from './user-pool';

/** The limits kept in the rateLimits table: a function given the table is given them too. */
export const RATE_LIMIT_SETTINGS = [
  'CHAPAR_SMS_RATE',
  'CHAPAR_SMS_RATE_GUARD_MS',
  'CHAPAR_SMS_TRANSACTIONAL_SHARE',
  'CHAPAR_KAVENEGAR_CALL_RATE',
] as const;

/** The SES variables of each way of sending email, given together with the send permission. */
export const EMAIL_SETTINGS = {
  plain: ['CHAPAR_FROM_EMAIL'],
  withEvents: ['CHAPAR_FROM_EMAIL', 'SES_CONFIGURATION_SET'],
} as const satisfies Record<EmailSending, readonly string[]>;

type TableEnv<T> = { [K in keyof T]: K extends TableName ? (typeof tables)[K]['envVar'] : never }[keyof T];
type RateLimitEnv<T> = 'rateLimits' extends keyof T ? (typeof RATE_LIMIT_SETTINGS)[number] : never;
type QueueEnv<Q> = Q extends readonly (infer N extends QueueName)[] ? (typeof queues)[N]['envVar'] : never;
type SecretEnv<S> = S extends readonly (infer N extends SecretName)[] ? (typeof secrets)[N]['envVar'] : never;
type EmailEnv<E> = E extends EmailSending ? (typeof EMAIL_SETTINGS)[E][number] : never;
type SettingEnv<S> = S extends readonly (infer N extends SettingName)[] ? N : never;
type UserPoolEnv<U> = U extends UserPoolAccess ? (typeof USER_POOL_SETTINGS)[U][number] : never;
type BucketEnv<B> = { [K in keyof B]: K extends BucketName ? (typeof buckets)[K]['envVar'] : never }[keyof B];

/** The environment variables a definition implies: the type-level twin of {@link environmentOf}. */
export type EnvironmentOf<D extends FunctionDefinition> =
  | TableEnv<D['tables']>
  | RateLimitEnv<D['tables']>
  | QueueEnv<D['sendsTo']>
  | SecretEnv<D['secrets']>
  | EmailEnv<D['sendsEmail']>
  | SettingEnv<D['settings']>
  | BucketEnv<D['buckets']>
  | UserPoolEnv<D['userPool']>;

/** The environment variables function `N` receives, from its definition in `functions`. */
export type FunctionEnvKey<N extends FunctionName> = EnvironmentOf<(typeof functions)[N]>;

/**
 * Every environment variable a function receives, and therefore every one it may read: the
 * envVar of each of its tables (with the rateLimits table, the limits kept in it), queues and
 * secrets, the SES variables of its way of sending email, and the plain settings it names.
 * infra/ sets exactly these (each with its permission) and the local platform loads the
 * function with exactly these, so a handler that reads another fails at its cold start.
 * Sorted, without repeats.
 */
export function environmentOf<D extends FunctionDefinition>(definition: D): EnvironmentOf<D>[] {
  const tableNames = Object.keys(definition.tables) as TableName[];
  const keys = [
    ...tableNames.map((name) => tables[name].envVar),
    ...(tableNames.includes('rateLimits') ? RATE_LIMIT_SETTINGS : []),
    ...definition.sendsTo.map((name) => queues[name].envVar),
    ...definition.secrets.map((name) => secrets[name].envVar),
    ...(definition.sendsEmail ? EMAIL_SETTINGS[definition.sendsEmail] : []),
    ...definition.settings,
    ...(Object.keys(definition.buckets ?? {}) as BucketName[]).map((name) => buckets[name].envVar),
    ...(definition.userPool ? USER_POOL_SETTINGS[definition.userPool] : []),
  ];
  return [...new Set(keys)].sort() as EnvironmentOf<D>[];
}

/** Every variable any function may be given: what a function's environment is cut from. */
export const ALL_FUNCTION_ENV_KEYS: readonly string[] = [
  ...new Set([
    ...Object.values(tables).map((table) => table.envVar),
    ...RATE_LIMIT_SETTINGS,
    ...Object.values(queues).map((queue) => queue.envVar),
    ...Object.values(secrets).map((secret) => secret.envVar),
    ...EMAIL_SETTINGS.withEvents,
    ...SETTING_NAMES,
    ...Object.values(buckets).map((bucket) => bucket.envVar),
    ...USER_POOL_SETTINGS.manage,
  ]),
].sort();
