import { describe, expect, it } from 'vitest';
import { CONTEXT_DEFAULTS } from '../../infra/operator-config';
import { functions as definitions, type functions } from '../../shared/definitions';
import { buildChapar, synthChapar } from './support/chapar-app';
import { logicalIdOf, resourceOf } from './support/resources';

function environmentOf(context: Record<string, unknown>, name: keyof typeof functions) {
  const { stacks, api } = synthChapar(context);
  const fn = resourceOf(api, stacks.api.functions[name].function).Properties;
  return { stacks, api, env: (fn.Environment as { Variables: Record<string, unknown> }).Variables };
}

describe('operator context', () => {
  it('fails synth on an smsSender that is not a line number, naming the key', () => {
    expect(() => buildChapar({ smsSender: '0912-ABC' })).toThrow(
      /"smsSender" must be the verified Kavenegar line/,
    );
  });

  it.each([
    [{ fromEmail: 'not-an-address' }, /"fromEmail" must be an email address/],
    [{ abuseEmail: 'abuse@' }, /"abuseEmail" must be an email address/],
    [{ alarmEmail: 'ops' }, /"alarmEmail" must be an email address/],
    [{ sendingDomain: 'not a domain' }, /"sendingDomain" must be a domain name/],
    [{ publicBaseUrl: 'http://chapar.ir' }, /"publicBaseUrl" must be an https URL/],
    [{ smsRate: 0 }, /"smsRate" must be a whole number of SMS per second/],
    [{ smsRate: '12.5' }, /"smsRate" must be a whole number/],
    [{ smsRate: 10_001 }, /"smsRate" must be a whole number/],
    [{ smsRateGuardMs: -5 }, /"smsRateGuardMs" must be a whole number of milliseconds/],
    [{ smsRateGuardMs: 2_001 }, /"smsRateGuardMs" must be a whole number/],
    [{ kavenegarCallRate: 0 }, /"kavenegarCallRate" must be a whole number of API calls per second/],
    [{ kavenegarCallRate: '2.5' }, /"kavenegarCallRate" must be a whole number/],
    [{ kavenegarCallRate: 1_001 }, /"kavenegarCallRate" must be a whole number/],
    [{ emailSenderMemoryMb: 64 }, /"emailSenderMemoryMb" must be a whole number of MB, 128 to 10240/],
    [{ emailSenderMemoryMb: '256.5' }, /"emailSenderMemoryMb" must be a whole number of MB/],
    [{ emailSenderMemoryMb: 20_000 }, /"emailSenderMemoryMb" must be a whole number of MB/],
    [{ smsPriceRial: -1 }, /"smsPriceRial" must be the Rial price of one SMS part/],
    [{ smsPriceRial: 'free' }, /"smsPriceRial" must be the Rial price/],
    [
      { sendingDomain: 'mail.chapar.ir', fromEmail: 'news@other.ir' },
      /must be an address of "sendingDomain"/,
    ],
  ])('fails synth on %j', (context, message) => {
    expect(() => buildChapar(context)).toThrow(message);
  });

  it('defaults smsSender, fromEmail and abuseEmail, and links to the distribution the console and API share', () => {
    const { stacks, api, env } = environmentOf({}, 'schedule-abuse-digest');
    expect(env.CHAPAR_SMS_SENDER).toBe(CONTEXT_DEFAULTS.smsSender);
    expect(env.CHAPAR_FROM_EMAIL).toBe(CONTEXT_DEFAULTS.fromEmail);
    expect(env.CHAPAR_ABUSE_EMAIL).toBe(CONTEXT_DEFAULTS.abuseEmail);
    // The spoof report links nowhere: the email sender builds unsubscribe links.
    const emailSender = resourceOf(api, stacks.api.functions['queue-send-email'].function).Properties;
    expect(
      (emailSender.Environment as { Variables: Record<string, unknown> }).Variables.CHAPAR_PUBLIC_BASE_URL,
    ).toEqual({
      'Fn::Join': [
        '',
        ['https://', { 'Fn::GetAtt': [logicalIdOf(stacks.api.consoleSite.distribution), 'DomainName'] }],
      ],
    });
  });

  it('gives the SMS rate and its guard (defaults, or smsRate and smsRateGuardMs) with the rateLimits table', () => {
    const byDefault = environmentOf({}, 'queue-send-sms').env;
    expect(byDefault.CHAPAR_SMS_RATE).toBe(String(CONTEXT_DEFAULTS.smsRate));
    expect(byDefault.CHAPAR_SMS_RATE_GUARD_MS).toBe(String(CONTEXT_DEFAULTS.smsRateGuardMs));
    expect(byDefault.RATE_LIMITS_TABLE).toBeDefined();
    const { stacks, api } = synthChapar({ smsRate: '250', smsRateGuardMs: '400' });
    const variablesOf = (name: keyof typeof functions) =>
      (
        resourceOf(api, stacks.api.functions[name].function).Properties.Environment as {
          Variables: Record<string, unknown>;
        }
      ).Variables;
    expect(variablesOf('queue-send-sms').CHAPAR_SMS_RATE).toBe('250');
    expect(variablesOf('queue-send-sms').CHAPAR_SMS_RATE_GUARD_MS).toBe('400');
    // The email sender has the table too (SES's provider health), and so the figures, unused.
    expect(variablesOf('queue-send-email').RATE_LIMITS_TABLE).toBeDefined();
    // The API's test sends spend the same budget.
    expect(variablesOf('http-api').CHAPAR_SMS_RATE).toBe('250');
    expect(variablesOf('http-unsubscribe').CHAPAR_SMS_RATE).toBeUndefined();
  });

  it("gives Kavenegar's call rate (default, or kavenegarCallRate) to every caller of Kavenegar", () => {
    expect(environmentOf({}, 'queue-send-sms').env.CHAPAR_KAVENEGAR_CALL_RATE).toBe(
      String(CONTEXT_DEFAULTS.kavenegarCallRate),
    );
    const { stacks, api } = synthChapar({ kavenegarCallRate: '3' });
    const variablesOf = (name: keyof typeof functions) =>
      (
        resourceOf(api, stacks.api.functions[name].function).Properties.Environment as {
          Variables: Record<string, unknown>;
        }
      ).Variables;
    // The senders, the transactional sender, the status polls and the API's test sends share it.
    for (const name of [
      'queue-send-sms',
      'queue-send-message',
      'schedule-poll-sms-status',
      'http-api',
    ] as const)
      expect(variablesOf(name).CHAPAR_KAVENEGAR_CALL_RATE).toBe('3');
  });

  it("sizes the email sender's memory (the manifest's by default, or emailSenderMemoryMb) and no other function's", () => {
    const memoryOf = (context: Record<string, unknown>, name: keyof typeof functions) => {
      const { stacks, api } = synthChapar(context);
      return resourceOf(api, stacks.api.functions[name].function).Properties.MemorySize;
    };
    expect(CONTEXT_DEFAULTS.emailSenderMemoryMb).toBe(definitions['queue-send-email'].memoryMb);
    expect(memoryOf({}, 'queue-send-email')).toBe(CONTEXT_DEFAULTS.emailSenderMemoryMb);
    expect(memoryOf({ emailSenderMemoryMb: '512' }, 'queue-send-email')).toBe(512);
    expect(memoryOf({ emailSenderMemoryMb: '512' }, 'queue-send-message')).toBe(
      definitions['queue-send-message'].memoryMb,
    );
  });

  it('gives the API the price of an SMS part (default, or smsPriceRial) for pre-flight cost', () => {
    expect(environmentOf({}, 'http-api').env.CHAPAR_SMS_PRICE_RIAL).toBe(
      String(CONTEXT_DEFAULTS.smsPriceRial),
    );
    expect(environmentOf({ smsPriceRial: '1850' }, 'http-api').env.CHAPAR_SMS_PRICE_RIAL).toBe('1850');
  });

  it('derives the addresses from sendingDomain and takes publicBaseUrl without its trailing slash', () => {
    const { stacks, api, env } = environmentOf(
      { sendingDomain: 'mail.chapar.ir', publicBaseUrl: 'https://go.chapar.ir/', smsSender: 30005006 },
      'schedule-abuse-digest',
    );
    expect(env).toMatchObject({
      CHAPAR_FROM_EMAIL: 'no-reply@mail.chapar.ir',
      CHAPAR_ABUSE_EMAIL: 'abuse@mail.chapar.ir',
      CHAPAR_SMS_SENDER: '30005006',
    });
    const emailSender = resourceOf(api, stacks.api.functions['queue-send-email'].function).Properties;
    expect((emailSender.Environment as { Variables: Record<string, unknown> }).Variables).toMatchObject({
      CHAPAR_PUBLIC_BASE_URL: 'https://go.chapar.ir',
    });
  });
});
