import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  computeSignature,
  SIGNATURE_TOLERANCE_SECONDS,
  signatureHeader,
  verifySignature,
} from '../../../shared/domain/webhook-signature';

const SECRET = 'whsec_test_secret';
const NOW = 1_750_000_000;
const BODY = '{"id":"evt_01JD5Z","type":"delivery.report","data":{"messageid":"8792343","status":10}}';

/** The v1 value as the rules define it, computed here without the code under test. */
function v1(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

describe('computeSignature and signatureHeader', () => {
  it('computes HMAC-SHA256 of "<timestamp>.<raw body>" in hex', () => {
    // Prepare: the fixtures

    // Act
    const signature = computeSignature(SECRET, NOW, BODY);

    // Assess
    expect(signature).toBe(v1(SECRET, NOW, BODY));
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
  });

  it('builds the header t=<unix seconds>,v1=<hex>', () => {
    // Prepare: the fixtures

    // Act
    const header = signatureHeader(SECRET, NOW, BODY);

    // Assess
    expect(header).toBe(`t=${NOW},v1=${v1(SECRET, NOW, BODY)}`);
  });
});

describe('verifySignature', () => {
  it('accepts a good signature and returns its timestamp', () => {
    // Prepare
    const header = signatureHeader(SECRET, NOW, BODY);

    // Act
    const result = verifySignature(header, BODY, SECRET, NOW);

    // Assess
    expect(result).toEqual({ ok: true, timestamp: NOW });
  });

  it('refuses a signature made with another secret', () => {
    // Prepare
    const header = signatureHeader('whsec_other_secret', NOW, BODY);

    // Act
    const result = verifySignature(header, BODY, SECRET, NOW);

    // Assess
    expect(result).toEqual({ ok: false, reason: 'signature does not match' });
  });

  it.each([
    { label: 'one character changed', body: BODY.replace('"status":10', '"status":11') },
    { label: 'whitespace added', body: BODY.replace('{"id"', '{ "id"') },
    { label: 'a trailing newline', body: `${BODY}\n` },
    { label: 'truncated', body: BODY.slice(0, -1) },
    { label: 'empty', body: '' },
  ])('refuses a body with $label', ({ body }) => {
    // Prepare
    const header = signatureHeader(SECRET, NOW, BODY);

    // Act
    const result = verifySignature(header, body, SECRET, NOW);

    // Assess
    expect(result).toEqual({ ok: false, reason: 'signature does not match' });
  });

  it('refuses a valid v1 value under another timestamp (the timestamp is signed)', () => {
    // Prepare
    const replayed = `t=${NOW - 10},v1=${v1(SECRET, NOW, BODY)}`;

    // Act
    const result = verifySignature(replayed, BODY, SECRET, NOW);

    // Assess
    expect(result).toEqual({ ok: false, reason: 'signature does not match' });
  });

  describe('replay tolerance of 300 seconds', () => {
    it('is 300 seconds', () => {
      // Prepare, Act: a constant

      // Assess
      expect(SIGNATURE_TOLERANCE_SECONDS).toBe(300);
    });

    it.each([
      { label: '299 s old', offset: -299 },
      { label: '299 s ahead', offset: 299 },
      { label: '300 s old', offset: -300 },
      { label: '300 s ahead', offset: 300 },
    ])('accepts a timestamp $label', ({ offset }) => {
      // Prepare
      const timestamp = NOW + offset;
      const header = signatureHeader(SECRET, timestamp, BODY);

      // Act
      const result = verifySignature(header, BODY, SECRET, NOW);

      // Assess
      expect(result).toEqual({ ok: true, timestamp });
    });

    it.each([
      { label: '301 s old', offset: -301 },
      { label: '301 s ahead', offset: 301 },
      { label: 'a day old', offset: -86_400 },
      { label: 'at the epoch', offset: -NOW },
    ])('refuses a correctly signed timestamp $label', ({ offset }) => {
      // Prepare
      const header = signatureHeader(SECRET, NOW + offset, BODY);

      // Act
      const result = verifySignature(header, BODY, SECRET, NOW);

      // Assess
      expect(result).toEqual({ ok: false, reason: 'timestamp outside tolerance' });
    });

    it('honours a tolerance given by the caller', () => {
      // Prepare
      const header = signatureHeader(SECRET, NOW - 61, BODY);

      // Act
      const strict = verifySignature(header, BODY, SECRET, NOW, 60);
      const lenient = verifySignature(header, BODY, SECRET, NOW, 61);

      // Assess
      expect(strict).toEqual({ ok: false, reason: 'timestamp outside tolerance' });
      expect(lenient).toEqual({ ok: true, timestamp: NOW - 61 });
    });
  });

  it.each([undefined, ''])('refuses a missing header (%j)', (header) => {
    // Prepare: the header comes from the table

    // Act
    const result = verifySignature(header, BODY, SECRET, NOW);

    // Assess
    expect(result).toEqual({ ok: false, reason: 'missing signature header' });
  });

  describe('refuses a malformed header', () => {
    const good = v1(SECRET, NOW, BODY);

    it.each([
      { label: 'garbage', header: 'garbage' },
      { label: 'only a timestamp', header: `t=${NOW}` },
      { label: 'only a signature', header: `v1=${good}` },
      { label: 'a timestamp that is not a number', header: `t=now,v1=${good}` },
      { label: 'a negative timestamp', header: `t=-${NOW},v1=${good}` },
      { label: 'a fractional timestamp', header: `t=${NOW}.5,v1=${good}` },
      { label: 'a timestamp in milliseconds past 12 digits', header: `t=${NOW}000,v1=${good}` },
      { label: 'a short signature', header: `t=${NOW},v1=${good.slice(0, 63)}` },
      { label: 'a long signature', header: `t=${NOW},v1=${good}0` },
      { label: 'a signature that is not hex', header: `t=${NOW},v1=${'z'.repeat(64)}` },
      { label: 'a base64 signature', header: `t=${NOW},v1=${Buffer.from(good, 'hex').toString('base64')}` },
      { label: 'an unknown scheme only', header: `t=${NOW},v0=${good}` },
      { label: 'semicolons instead of commas', header: `t=${NOW};v1=${good}` },
      { label: 'empty values', header: 't=,v1=' },
    ])('$label', ({ header }) => {
      // Prepare: the header comes from the table

      // Act
      const result = verifySignature(header, BODY, SECRET, NOW);

      // Assess
      expect(result).toEqual({ ok: false, reason: 'malformed signature header' });
    });
  });

  it.each([
    { label: 'first', at: 0 },
    { label: 'in the middle', at: 1 },
    { label: 'last', at: 2 },
  ])('accepts several v1 values when the matching one is $label', ({ at }) => {
    // Prepare
    const values = [v1('old-secret-1', NOW, BODY), v1('old-secret-2', NOW, BODY)];
    values.splice(at, 0, v1(SECRET, NOW, BODY));
    const header = [`t=${NOW}`, ...values.map((value) => `v1=${value}`)].join(',');

    // Act
    const result = verifySignature(header, BODY, SECRET, NOW);

    // Assess
    expect(result).toEqual({ ok: true, timestamp: NOW });
  });

  it('refuses several v1 values when none matches', () => {
    // Prepare
    const header = `t=${NOW},v1=${v1('old-secret-1', NOW, BODY)},v1=${v1('old-secret-2', NOW, BODY)}`;

    // Act
    const result = verifySignature(header, BODY, SECRET, NOW);

    // Assess
    expect(result).toEqual({ ok: false, reason: 'signature does not match' });
  });

  it('accepts a signature in upper-case hex', () => {
    // Prepare
    const header = `t=${NOW},v1=${v1(SECRET, NOW, BODY).toUpperCase()}`;

    // Act
    const result = verifySignature(header, BODY, SECRET, NOW);

    // Assess
    expect(result).toEqual({ ok: true, timestamp: NOW });
  });

  it('accepts spaces after the commas and the fields in any order', () => {
    // Prepare
    const header = `v1=${v1(SECRET, NOW, BODY)}, t=${NOW}`;

    // Act
    const result = verifySignature(header, BODY, SECRET, NOW);

    // Assess
    expect(result).toEqual({ ok: true, timestamp: NOW });
  });

  it('ignores a malformed v1 value next to a matching one', () => {
    // Prepare
    const header = `t=${NOW},v1=not-hex,v1=${v1(SECRET, NOW, BODY)}`;

    // Act
    const result = verifySignature(header, BODY, SECRET, NOW);

    // Assess
    expect(result).toEqual({ ok: true, timestamp: NOW });
  });

  it('signs the raw body byte for byte, Persian text included', () => {
    // Prepare
    const body = '{"text":"لغو۱۱","name":"علی\u200cرضا"}';
    const header = signatureHeader(SECRET, NOW, body);

    // Act
    const same = verifySignature(header, body, SECRET, NOW);
    const withoutZwnj = verifySignature(header, body.replace('\u200c', ''), SECRET, NOW);

    // Assess
    expect(same).toEqual({ ok: true, timestamp: NOW });
    expect(withoutZwnj).toEqual({ ok: false, reason: 'signature does not match' });
  });
});
