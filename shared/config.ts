import * as z from 'zod/mini';
import { environmentOf, type FunctionEnvKey, type FunctionName, functions } from './definitions';
import { ConfigError } from './domain/errors';
import { DEFAULT_QUIET_HOURS } from './domain/quiet-hours';
import './domain/zod-english';

/**
 * Every environment variable a Chapar function may read, each as the builder of its schema.
 * Each handler reads the ones its definition gives it with {@link readFunctionConfig} at cold
 * start, building only their schemas; a missing or malformed one is a ConfigError before any
 * event is handled, never a surprise mid-send.
 */
const envSchemas = {
  CONTACTS_TABLE: () => z.string().check(z.minLength(1)),
  CAMPAIGNS_TABLE: () => z.string().check(z.minLength(1)),
  CONSENT_TABLE: () => z.string().check(z.minLength(1)),
  DELIVERIES_TABLE: () => z.string().check(z.minLength(1)),
  REPORTS_TABLE: () => z.string().check(z.minLength(1)),
  LINKS_TABLE: () => z.string().check(z.minLength(1)),
  RATE_LIMITS_TABLE: () => z.string().check(z.minLength(1)),
  SUPPRESSIONS_TABLE: () => z.string().check(z.minLength(1)),
  IDEMPOTENCY_TABLE: () => z.string().check(z.minLength(1)),
  SMS_POLLS_TABLE: () => z.string().check(z.minLength(1)),
  AUDIENCES_TABLE: () => z.string().check(z.minLength(1)),
  IMPORTS_TABLE: () => z.string().check(z.minLength(1)),
  MESSAGES_TABLE: () => z.string().check(z.minLength(1)),
  TRANSACTIONAL_QUEUE_URL: () => z.url(),
  TEMPLATES_TABLE: () => z.string().check(z.minLength(1)),
  IMPORTS_QUEUE_URL: () => z.url(),
  API_KEYS_TABLE: () => z.string().check(z.minLength(1)),
  /** The user pool's issuer: `https://cognito-idp.<region>.amazonaws.com/<poolId>` (cognito-local: http). */
  COGNITO_ISSUER: () => z.url(),
  /** The console's app client: the only client whose access tokens are accepted. */
  COGNITO_CLIENT_ID: () => z.string().check(z.minLength(1)),
  COGNITO_USER_POOL_ID: () => z.string().check(z.minLength(1)),
  /** The bucket contact files are uploaded to. */
  IMPORTS_BUCKET: () => z.string().check(z.minLength(1)),
  DISPATCH_QUEUE_URL: () => z.url(),
  SMS_QUEUE_URL: () => z.url(),
  EMAIL_QUEUE_URL: () => z.url(),
  SES_FEEDBACK_QUEUE_URL: () => z.url(),
  API_KEY_SECRET_ID: () => z.string().check(z.minLength(1)),
  TOKEN_KEYS_SECRET_ID: () => z.string().check(z.minLength(1)),
  WEBHOOK_SECRET_ID: () => z.string().check(z.minLength(1)),
  KAVENEGAR_API_KEY_SECRET_ID: () => z.string().check(z.minLength(1)),
  DELIVERY_CALLBACK_SECRET_ID: () => z.string().check(z.minLength(1)),
  DELIVERY_REPORT_QUEUE_URL: () => z.url(),
  ERASURE_KEY_SECRET_ID: () => z.string().check(z.minLength(1)),
  /** Kavenegar's API root; the simulator's address locally. */
  KAVENEGAR_BASE_URL: () => z._default(z.url(), 'https://api.kavenegar.com'),
  /** Milliseconds before a Kavenegar call is abandoned. */
  KAVENEGAR_TIMEOUT_MS: () =>
    z._default(z.coerce.number().check(z.int(), z.minimum(100), z.maximum(30_000)), 5_000),
  /** `on` when Kavenegar's delivery reports reach Chapar (the optional callback route). */
  CHAPAR_SMS_DELIVERY_CALLBACK: () => z._default(z.enum(['on', 'off']), 'off'),
  /** The one verified, send-only line every SMS leaves from. */
  CHAPAR_SMS_SENDER: () =>
    z
      .string()
      .check(
        z.regex(/^\d{5,20}$/, 'CHAPAR_SMS_SENDER must be the verified Kavenegar line number (digits only)'),
      ),
  /** From address of campaign email; its domain must be verified in SES. */
  CHAPAR_FROM_EMAIL: () => z.email(),
  /** Where spoofed-SMS reports are forwarded. */
  CHAPAR_ABUSE_EMAIL: () => z.email(),
  /** Spoofed reports of one sending line are gathered into at most one abuse email this often. */
  CHAPAR_ABUSE_DIGEST_MINUTES: () =>
    z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(24 * 60)), 60),
  /** Public https root of the API, used to build unsubscribe links. */
  CHAPAR_PUBLIC_BASE_URL: () => z.url(),
  /** SES configuration set that publishes bounces and complaints. */
  SES_CONFIGURATION_SET: () => z.optional(z.string().check(z.minLength(1))),
  /** Provider rate for SMS, messages per second, shared by every concurrent sender. */
  CHAPAR_SMS_RATE: () => z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(10_000)), 100),
  /**
   * Milliseconds a call's rate units stay held past the second after its answer: how far two
   * senders' clocks may disagree (each call's own latency is already held by its lease).
   */
  CHAPAR_SMS_RATE_GUARD_MS: () =>
    z._default(z.coerce.number().check(z.int(), z.minimum(0), z.maximum(2_000)), 10),
  /**
   * Kavenegar API calls per second from every caller together (senders, transactional sender,
   * status polls): Kavenegar throttles calls with 451 and publishes no figure, so this stays
   * well above what the rate needs (CHAPAR_SMS_RATE / 200 a second) and below a throttle.
   */
  CHAPAR_KAVENEGAR_CALL_RATE: () =>
    z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(1_000)), 5),
  /**
   * Rial one SMS part (segment) costs on the verified line's type: pre-flight cost is segments ×
   * this. 1,200 matches the simulator's tariff; set the line's own price from the Kavenegar panel.
   */
  CHAPAR_SMS_PRICE_RIAL: () =>
    z._default(z.coerce.number().check(z.minimum(0), z.maximum(10_000_000)), 1_200),
  /**
   * Share of the SMS rate kept for transactional messages while they flow (0–0.9); campaigns
   * use it whenever no transactional SMS was sent in the last few seconds.
   */
  CHAPAR_SMS_TRANSACTIONAL_SHARE: () =>
    z._default(z.coerce.number().check(z.minimum(0), z.maximum(0.9)), 0.2),
  /** Days a transactional message's record (and the data rendered into it) is kept (DynamoDB TTL). */
  CHAPAR_MESSAGE_RETENTION_DAYS: () =>
    z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(365)), 30),
  /** Days a delivery record is kept before it expires (DynamoDB TTL); its stats stay. */
  CHAPAR_DELIVERY_RETENTION_DAYS: () =>
    z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(3_650)), 180),
  /** Text every marketing SMS ends with (the regulator's opt-out keyword). */
  CHAPAR_SMS_OPT_OUT_SUFFIX: () => z._default(z.string().check(z.maxLength(40)), 'لغو۱۱'),
  /** Tehran-time window in which marketing SMS wait, `HH:MM-HH:MM`; empty turns it off. */
  CHAPAR_QUIET_HOURS: () =>
    z._default(
      z
        .string()
        .check(
          z.regex(
            /^$|^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/,
            'CHAPAR_QUIET_HOURS must be HH:MM-HH:MM or empty',
          ),
        ),
      DEFAULT_QUIET_HOURS,
    ),
} satisfies Record<string, () => z.core.$ZodType>;

type EnvSchemas = typeof envSchemas;
type EnvShape = { [K in keyof EnvSchemas]: ReturnType<EnvSchemas[K]> };
export type Env = z.infer<z.ZodMiniObject<EnvShape>>;
export type EnvKey = keyof Env;

/**
 * Parses the named variables once and returns them frozen.
 * @throws ConfigError naming every missing or malformed variable.
 */
export function readConfig<K extends EnvKey>(
  keys: readonly K[],
  env: Record<string, string | undefined> = process.env,
): Readonly<Pick<Env, K>> {
  // Only the named variables' schemas are built, in the order they are named.
  const shape = Object.fromEntries([...new Set(keys)].map((key) => [key, envSchemas[key]()]));
  const result = z.safeParse(z.object(shape), env);
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
    const parsed = z.safeParse(envSchemas[key](), undefined);
    if (parsed.success && parsed.data !== undefined) defaults[key] = String(parsed.data);
  }
  return defaults;
}
