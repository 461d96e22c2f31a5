import type { Construct } from 'constructs';
import { functions } from '../shared/definitions';

/**
 * What the operator decides per deployment, read from CDK context (`cdk.json` or
 * `cdk synth -c key=value`) and validated at synth so a typo fails before anything deploys.
 */
export interface OperatorConfig {
  /** Verified Kavenegar line every SMS leaves from. */
  readonly smsSender: string;
  /** From address of campaign email. */
  readonly fromEmail: string;
  /** Where spoofed-SMS reports are forwarded. */
  readonly abuseEmail: string;
  /** Domain verified in SES with Easy DKIM; unset when the identity is managed outside this app. */
  readonly sendingDomain?: string;
  /** Public https root used in unsubscribe links; unset means the HTTP API's own endpoint. */
  readonly publicBaseUrl?: string;
  /** Address subscribed to the alarm topic; unset means no subscription. */
  readonly alarmEmail?: string;
  /** SMS per second Kavenegar may receive from all senders together (CHAPAR_SMS_RATE). */
  readonly smsRate: number;
  /** Milliseconds added to the rate's one-second window (CHAPAR_SMS_RATE_GUARD_MS). */
  readonly smsRateGuardMs: number;
  /** Kavenegar API calls per second from every caller together (CHAPAR_KAVENEGAR_CALL_RATE). */
  readonly kavenegarCallRate: number;
  /** Rial one SMS part costs on the line's type, for pre-flight cost (CHAPAR_SMS_PRICE_RIAL). */
  readonly smsPriceRial: number;
  /**
   * Kavenegar's delivery reports come to `POST /v1/callbacks/kavenegar/{secret}` (API Gateway
   * straight into SQS); off by default: polling sms/status is the source of truth either way.
   */
  readonly smsDeliveryCallback: boolean;
  /**
   * Memory (MB) of the campaign email sender, which mostly waits for SES's rate: its CPU
   * share (and so the rate two senders keep up with) grows with it.
   */
  readonly emailSenderMemoryMb: number;
}

/** The context keys and their defaults, also the documentation of both. */
export const CONTEXT_DEFAULTS = {
  /** Kavenegar's shared test line; replace with the brand's verified line. */
  smsSender: '50004001051233',
  /** `no-reply@<sendingDomain>`, or this when no sending domain is given. */
  fromEmail: 'no-reply@example.com',
  /** `abuse@<sendingDomain>`, or this when no sending domain is given. */
  abuseEmail: 'abuse@example.com',
  /** Kavenegar publishes no limit (451 is its throttle signal): ask them for the account's. */
  smsRate: 100,
  /** Held past the second after each call's answer (senders' clock skew); raise it when 451s appear at the rate. */
  smsRateGuardMs: 10,
  /** Kavenegar throttles calls (451) without a published figure; the rate needs about one call a second. */
  kavenegarCallRate: 5,
  /** The simulator's tariff; set the verified line's own price per part from the Kavenegar panel. */
  smsPriceRial: 1_200,
  /**
   * The manifest's: enough CPU for SES's 14/s, billed while it waits; raise it for an account
   * whose MaxSendRate is higher (the README's table gives the rate each size keeps up with).
   */
  emailSenderMemoryMb: functions['queue-send-email'].memoryMb,
} as const;

// Same rule as CHAPAR_SMS_SENDER in shared/config.ts: a function must never fail at cold start on it.
const SMS_SENDER = /^\d{5,20}$/;
const EMAIL = /^[^\s@]+@([a-z0-9-]+\.)+[a-z]{2,}$/i;
const DOMAIN = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/i;
// Same bounds as CHAPAR_SMS_RATE in shared/config.ts.
const SMS_RATE_MAX = 10_000;
const SMS_RATE_GUARD_MAX = 2_000;
// Same bounds as CHAPAR_KAVENEGAR_CALL_RATE in shared/config.ts.
const KAVENEGAR_CALL_RATE_MAX = 1_000;
// Same bounds as CHAPAR_SMS_PRICE_RIAL in shared/config.ts.
const SMS_PRICE_MAX = 10_000_000;
// Lambda's own bounds on a function's memory.
const LAMBDA_MEMORY_MIN = 128;
const LAMBDA_MEMORY_MAX = 10_240;

/** A context value that fails validation; the message names the key and the fix. */
export class ContextError extends Error {
  override readonly name = 'ContextError';
}

/**
 * Reads and validates the operator's context values.
 * @throws ContextError naming every invalid key.
 */
export function readOperatorConfig(scope: Construct): OperatorConfig {
  const problems: string[] = [];
  const read = (key: string): string | undefined => {
    const value: unknown = scope.node.tryGetContext(key);
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string' && typeof value !== 'number') {
      problems.push(`"${key}" must be a string, got ${typeof value}`);
      return undefined;
    }
    return String(value).trim();
  };

  const sendingDomain = read('sendingDomain')?.toLowerCase();
  if (sendingDomain !== undefined && !DOMAIN.test(sendingDomain)) {
    problems.push(`"sendingDomain" must be a domain name such as mail.example.ir, got "${sendingDomain}"`);
  }

  const smsSender = read('smsSender') ?? CONTEXT_DEFAULTS.smsSender;
  if (!SMS_SENDER.test(smsSender)) {
    problems.push(
      `"smsSender" must be the verified Kavenegar line number (5 to 20 digits), got "${smsSender}"`,
    );
  }

  const fromEmail =
    read('fromEmail') ?? defaultAddress('no-reply', sendingDomain, CONTEXT_DEFAULTS.fromEmail);
  if (!EMAIL.test(fromEmail)) {
    problems.push(`"fromEmail" must be an email address, got "${fromEmail}"`);
  } else if (sendingDomain !== undefined && !isInDomain(fromEmail, sendingDomain)) {
    // The SES grant is scoped to the sending domain's identity: any other From address is denied.
    problems.push(`"fromEmail" must be an address of "sendingDomain" (${sendingDomain}), got "${fromEmail}"`);
  }

  const abuseEmail =
    read('abuseEmail') ?? defaultAddress('abuse', sendingDomain, CONTEXT_DEFAULTS.abuseEmail);
  if (!EMAIL.test(abuseEmail)) problems.push(`"abuseEmail" must be an email address, got "${abuseEmail}"`);

  const publicBaseUrl = read('publicBaseUrl')?.replace(/\/+$/, '');
  if (publicBaseUrl !== undefined && !isHttpsUrl(publicBaseUrl)) {
    problems.push(`"publicBaseUrl" must be an https URL without query or fragment, got "${publicBaseUrl}"`);
  }

  const alarmEmail = read('alarmEmail');
  if (alarmEmail !== undefined && !EMAIL.test(alarmEmail)) {
    problems.push(`"alarmEmail" must be an email address, got "${alarmEmail}"`);
  }

  const smsRateText = read('smsRate') ?? String(CONTEXT_DEFAULTS.smsRate);
  const smsRate = Number(smsRateText);
  if (!/^\d+$/.test(smsRateText) || smsRate < 1 || smsRate > SMS_RATE_MAX) {
    problems.push(
      `"smsRate" must be a whole number of SMS per second, 1 to ${SMS_RATE_MAX}, got "${smsRateText}"`,
    );
  }

  const guardText = read('smsRateGuardMs') ?? String(CONTEXT_DEFAULTS.smsRateGuardMs);
  const smsRateGuardMs = Number(guardText);
  if (!/^\d+$/.test(guardText) || smsRateGuardMs > SMS_RATE_GUARD_MAX) {
    problems.push(
      `"smsRateGuardMs" must be a whole number of milliseconds, 0 to ${SMS_RATE_GUARD_MAX}, got "${guardText}"`,
    );
  }

  const callRateText = read('kavenegarCallRate') ?? String(CONTEXT_DEFAULTS.kavenegarCallRate);
  const kavenegarCallRate = Number(callRateText);
  if (!/^\d+$/.test(callRateText) || kavenegarCallRate < 1 || kavenegarCallRate > KAVENEGAR_CALL_RATE_MAX) {
    problems.push(
      `"kavenegarCallRate" must be a whole number of API calls per second, 1 to ${KAVENEGAR_CALL_RATE_MAX}, got "${callRateText}"`,
    );
  }

  const priceText = read('smsPriceRial') ?? String(CONTEXT_DEFAULTS.smsPriceRial);
  const smsPriceRial = Number(priceText);
  if (!/^\d+(\.\d+)?$/.test(priceText) || smsPriceRial > SMS_PRICE_MAX) {
    problems.push(
      `"smsPriceRial" must be the Rial price of one SMS part, 0 to ${SMS_PRICE_MAX}, got "${priceText}"`,
    );
  }

  const memoryText = read('emailSenderMemoryMb') ?? String(CONTEXT_DEFAULTS.emailSenderMemoryMb);
  const emailSenderMemoryMb = Number(memoryText);
  if (
    !/^\d+$/.test(memoryText) ||
    emailSenderMemoryMb < LAMBDA_MEMORY_MIN ||
    emailSenderMemoryMb > LAMBDA_MEMORY_MAX
  ) {
    problems.push(
      `"emailSenderMemoryMb" must be a whole number of MB, ${LAMBDA_MEMORY_MIN} to ${LAMBDA_MEMORY_MAX}, got "${memoryText}"`,
    );
  }

  const callback: unknown = scope.node.tryGetContext('smsDeliveryCallback');
  const smsDeliveryCallback = callback === true || callback === 'true' || callback === 'on';
  if (![undefined, null, '', true, false, 'true', 'false', 'on', 'off'].includes(callback as never)) {
    problems.push(`"smsDeliveryCallback" must be true or false, got "${String(callback)}"`);
  }

  if (problems.length > 0) {
    throw new ContextError(
      `Invalid CDK context (set with -c key=value or in cdk.json): ${problems.join('; ')}`,
    );
  }
  return Object.freeze({
    smsSender,
    fromEmail,
    abuseEmail,
    sendingDomain,
    publicBaseUrl,
    alarmEmail,
    smsRate,
    smsRateGuardMs,
    kavenegarCallRate,
    smsPriceRial,
    smsDeliveryCallback,
    emailSenderMemoryMb,
  });
}

/** The domain part of an email address, lower-cased. */
export function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}

function defaultAddress(local: string, domain: string | undefined, fallback: string): string {
  return domain === undefined ? fallback : `${local}@${domain}`;
}

function isInDomain(email: string, domain: string): boolean {
  const emailDomain = domainOf(email);
  return emailDomain === domain || emailDomain.endsWith(`.${domain}`);
}

function isHttpsUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return url.protocol === 'https:' && url.search === '' && url.hash === '';
}
