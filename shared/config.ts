import { z } from 'zod';
import { environmentOf, type FunctionEnvKey, type FunctionName, functions } from './definitions';
import { ConfigError } from './domain/errors';

/**
 * Every environment variable a Chapar function may read. Each handler reads the ones its
 * definition gives it with {@link readFunctionConfig} at cold start; a missing or malformed one is a
 * ConfigError before any event is handled, never a surprise mid-send.
 */
const envSchema = z.object({
  CONTACTS_TABLE: z.string().min(1),
  CAMPAIGNS_TABLE: z.string().min(1),
  CONSENT_TABLE: z.string().min(1),
  DELIVERIES_TABLE: z.string().min(1),
  REPORTS_TABLE: z.string().min(1),
  LINKS_TABLE: z.string().min(1),
  RATE_LIMITS_TABLE: z.string().min(1),
  SUPPRESSIONS_TABLE: z.string().min(1),
  IDEMPOTENCY_TABLE: z.string().min(1),
  IMPORTS_TABLE: z.string().min(1),
  IMPORTS_QUEUE_URL: z.url(),
  /** The bucket contact files are uploaded to. */
  IMPORTS_BUCKET: z.string().min(1),
  DISPATCH_QUEUE_URL: z.url(),
  SMS_QUEUE_URL: z.url(),
  EMAIL_QUEUE_URL: z.url(),
  SES_FEEDBACK_QUEUE_URL: z.url(),
  API_KEY_SECRET_ID: z.string().min(1),
  TOKEN_KEYS_SECRET_ID: z.string().min(1),
  WEBHOOK_SECRET_ID: z.string().min(1),
  KAVENEGAR_API_KEY_SECRET_ID: z.string().min(1),
  DELIVERY_CALLBACK_SECRET_ID: z.string().min(1),
  ERASURE_KEY_SECRET_ID: z.string().min(1),
  /** Kavenegar's API root; the simulator's address locally. */
  KAVENEGAR_BASE_URL: z.url().default('https://api.kavenegar.com'),
  /** Milliseconds before a Kavenegar call is abandoned. */
  KAVENEGAR_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(5_000),
  /** The one verified, send-only line every SMS leaves from. */
  CHAPAR_SMS_SENDER: z
    .string()
    .regex(/^\d{5,20}$/, 'CHAPAR_SMS_SENDER must be the verified Kavenegar line number (digits only)'),
  /** From address of campaign email; its domain must be verified in SES. */
  CHAPAR_FROM_EMAIL: z.email(),
  /** Where spoofed-SMS reports are forwarded. */
  CHAPAR_ABUSE_EMAIL: z.email(),
  /** Spoofed reports of one sending line are gathered into at most one abuse email this often. */
  CHAPAR_ABUSE_DIGEST_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(60),
  /** Public https root of the API, used to build unsubscribe links. */
  CHAPAR_PUBLIC_BASE_URL: z.url(),
  /** SES configuration set that publishes bounces and complaints. */
  SES_CONFIGURATION_SET: z.string().min(1).optional(),
  /** Provider rate for SMS, messages per second, shared by every concurrent sender. */
  CHAPAR_SMS_RATE: z.coerce.number().int().min(1).max(10_000).default(100),
  /**
   * Milliseconds added to the rate's one-second window: how much later than another one call
   * may reach Kavenegar after its grant (network, a cold TLS handshake) with the rate still held.
   */
  CHAPAR_SMS_RATE_GUARD_MS: z.coerce.number().int().min(0).max(2_000).default(100),
  /** Text every marketing SMS ends with (the regulator's opt-out keyword). */
  CHAPAR_SMS_OPT_OUT_SUFFIX: z.string().max(40).default('لغو۱۱'),
  /** Tehran-time window in which marketing SMS wait, `HH:MM-HH:MM`; empty turns it off. */
  CHAPAR_QUIET_HOURS: z
    .string()
    .regex(
      /^$|^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/,
      'CHAPAR_QUIET_HOURS must be HH:MM-HH:MM or empty',
    )
    .default('22:00-08:00'),
});

export type Env = z.infer<typeof envSchema>;
export type EnvKey = keyof Env;

/**
 * Parses the named variables once and returns them frozen.
 * @throws ConfigError naming every missing or malformed variable.
 */
export function readConfig<K extends EnvKey>(
  keys: readonly K[],
  env: Record<string, string | undefined> = process.env,
): Readonly<Pick<Env, K>> {
  const mask = Object.fromEntries(keys.map((key) => [key, true])) as Partial<Record<EnvKey, true>>;
  const result = envSchema.pick(mask).safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`, { context: { problems } });
  }
  return Object.freeze(result.data as unknown as Pick<Env, K>);
}

// Every variable a definition can give a function must have a schema here.
type Unparsed = Exclude<FunctionEnvKey<FunctionName>, EnvKey>;
const everyFunctionKeyParsed: [Unparsed] extends [never] ? true : Unparsed = true;
void everyFunctionKeyParsed;

/** The configuration of function `N`: exactly the variables its definition gives it. */
export type FunctionConfig<N extends FunctionName> = Readonly<Pick<Env, FunctionEnvKey<N> & EnvKey>>;

/**
 * Parses, once and frozen, exactly the variables the definition of `name` in
 * shared/definitions gives it ({@link environmentOf}), so no handler keeps a list that can drift.
 * @throws ConfigError naming every missing or malformed variable.
 */
export function readFunctionConfig<N extends FunctionName>(
  name: N,
  env: Record<string, string | undefined> = process.env,
): FunctionConfig<N> {
  const keys = environmentOf(functions[name]) as (FunctionEnvKey<N> & EnvKey)[];
  return readConfig(keys, env);
}

/**
 * The default of each of `keys` that has one, as the string a function would be given, so a
 * deployment can set every variable a function reads explicitly.
 */
export function configDefaults(keys: readonly EnvKey[]): Partial<Record<EnvKey, string>> {
  const defaults: Partial<Record<EnvKey, string>> = {};
  for (const key of keys) {
    const parsed = envSchema.shape[key].safeParse(undefined);
    if (parsed.success && parsed.data !== undefined) defaults[key] = String(parsed.data);
  }
  return defaults;
}
