import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  parseTokenKeyring,
  signUnsubscribeToken,
  type TokenClaims,
  type TokenKeyring,
  type TokenResult,
  verifyUnsubscribeToken,
} from '../../../shared/domain/unsubscribe-token';

const B64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const NOW = new Date('2025-06-01T12:00:00.000Z');
const OLD_KEY_VALID_UNTIL = '2025-07-01T00:00:00.000Z';

const claims: TokenClaims = {
  ref: 'Zx81_kq-0PmQaV3s',
  channel: 'email',
  topic: 'newsletter',
  campaignId: '01JD5ZQ3N1V8T4K6W2R9XH7ABC',
};

/** Before rotation: k1 signs. */
const oldKeyring: TokenKeyring = { current: 'k1', keys: { k1: { secret: 'old-secret-1111' } } };
/** After rotation: k2 signs, k1 still verifies until OLD_KEY_VALID_UNTIL. */
const keyring: TokenKeyring = {
  current: 'k2',
  keys: {
    k1: { secret: 'old-secret-1111', validUntil: OLD_KEY_VALID_UNTIL },
    k2: { secret: 'new-secret-2222' },
  },
};

/** mulberry32: a small seeded PRNG, so every run tries the same inputs. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pickFrom(random: () => number) {
  const int = (below: number) => Math.floor(random() * below);
  const char = (alphabet: string) => alphabet[int(alphabet.length)] ?? '';
  const string = (alphabet: string, length: number) => Array.from({ length }, () => char(alphabet)).join('');
  return { int, char, string };
}

function decodePart(part: string): Buffer {
  return Buffer.from(part, 'base64url');
}

function randomClaims(pick: ReturnType<typeof pickFrom>): TokenClaims {
  const slug = 'abcdefghijklmnopqrstuvwxyz0123456789-';
  return {
    ref: pick.string(B64URL_ALPHABET, 8 + pick.int(25)),
    channel: pick.int(2) === 0 ? 'sms' : 'email',
    topic:
      pick.int(5) === 0
        ? '*'
        : `${pick.char('abcdefghijklmnopqrstuvwxyz')}${pick.string(slug, 1 + pick.int(39))}`,
    campaignId: pick.string(B64URL_ALPHABET, 1 + pick.int(40)),
  };
}

const MUTATIONS = [
  'replace-char',
  'flip-case',
  'insert-char',
  'delete-char',
  'swap-parts',
  'other-known-kid',
  'unknown-kid',
  'resign-other-secret',
  'truncate',
  'non-canonical-base64url',
  'standard-base64-alphabet',
  'padding',
  'extra-dot',
  'payload-of-another-token',
] as const;
type Mutation = (typeof MUTATIONS)[number];

/** One change to a valid token; undefined when the change is not possible for this token. */
function mutate(token: string, mutation: Mutation, pick: ReturnType<typeof pickFrom>): string | undefined {
  const parts = token.split('.') as [string, string, string];
  const index = pick.int(3);
  const part = parts[index] ?? '';
  const at = pick.int(part.length);
  const withPart = (next: string) => parts.map((value, i) => (i === index ? next : value)).join('.');
  switch (mutation) {
    case 'replace-char': {
      const old = part[at] ?? '';
      const alphabet = B64URL_ALPHABET.replace(old, '');
      return withPart(part.slice(0, at) + pick.char(alphabet) + part.slice(at + 1));
    }
    case 'flip-case': {
      const letters = [...part].flatMap((c, i) => (c.toLowerCase() !== c.toUpperCase() ? [i] : []));
      const i = letters[pick.int(letters.length)];
      if (i === undefined) return undefined;
      const c = part[i] ?? '';
      const flipped = c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase();
      return withPart(part.slice(0, i) + flipped + part.slice(i + 1));
    }
    case 'insert-char':
      return withPart(part.slice(0, at) + pick.char(B64URL_ALPHABET) + part.slice(at));
    case 'delete-char':
      return withPart(part.slice(0, at) + part.slice(at + 1));
    case 'swap-parts': {
      const orders = [
        [1, 0, 2],
        [0, 2, 1],
        [2, 1, 0],
        [1, 2, 0],
        [2, 0, 1],
      ];
      const order = orders[pick.int(orders.length)] ?? [0, 1, 2];
      return order.map((i) => parts[i]).join('.');
    }
    case 'other-known-kid':
      return [parts[0] === 'k1' ? 'k2' : 'k1', parts[1], parts[2]].join('.');
    case 'unknown-kid':
      return [pick.string(B64URL_ALPHABET, 1 + pick.int(16)), parts[1], parts[2]].join('.');
    case 'resign-other-secret': {
      const forger: TokenKeyring = {
        current: parts[0],
        keys: { [parts[0]]: { secret: `forged-${pick.string(B64URL_ALPHABET, 16)}` } },
      };
      const payload = decodePart(parts[1]).toString('utf8').split('|');
      const forgedClaims: TokenClaims = {
        ref: payload[0] ?? '',
        channel: payload[1] === 's' ? 'sms' : 'email',
        topic: payload[2] ?? '',
        campaignId: payload[3] ?? '',
      };
      return signUnsubscribeToken(forgedClaims, forger);
    }
    case 'truncate':
      return token.slice(0, pick.int(token.length));
    case 'non-canonical-base64url': {
      // Changes only the unused low bits of the last character: the part decodes to the same bytes.
      const candidates = [1, 2].filter((i) => (parts[i]?.length ?? 0) % 4 !== 0);
      const target = candidates[pick.int(candidates.length)];
      if (target === undefined) return undefined;
      const text = parts[target] ?? '';
      const last = B64URL_ALPHABET.indexOf(text.at(-1) ?? '');
      const unusedBits = text.length % 4 === 2 ? 4 : 2;
      const variants = Array.from(
        { length: 2 ** unusedBits },
        (_, low) => last - (last % 2 ** unusedBits) + low,
      );
      const others = variants.filter((value) => value !== last);
      const replacement = B64URL_ALPHABET[others[pick.int(others.length)] ?? last] ?? '';
      const next = text.slice(0, -1) + replacement;
      if (!decodePart(next).equals(decodePart(text))) throw new Error('test bug: variant is not equivalent');
      return parts.map((value, i) => (i === target ? next : value)).join('.');
    }
    case 'standard-base64-alphabet': {
      const standard = token.replaceAll('-', '+').replaceAll('_', '/');
      return standard === token ? undefined : standard;
    }
    case 'padding':
      return withPart(`${part}${'='.repeat(1 + pick.int(2))}`);
    case 'extra-dot':
      return `${token.slice(0, at)}.${token.slice(at)}`;
    case 'payload-of-another-token': {
      const other = signUnsubscribeToken(randomClaims(pick), keyring).split('.');
      return [parts[0], other[1], parts[2]].join('.');
    }
  }
}

describe('signUnsubscribeToken and verifyUnsubscribeToken', () => {
  it('round-trips the claims for each channel and for all topics', () => {
    // Prepare
    const cases: TokenClaims[] = [
      claims,
      { ...claims, channel: 'sms', topic: 'promotions' },
      { ...claims, topic: '*' },
    ];

    // Act
    const results = cases.map((c) => verifyUnsubscribeToken(signUnsubscribeToken(c, keyring), keyring, NOW));

    // Assess
    expect(results).toEqual(cases.map((c) => ({ ok: true, claims: c, kid: 'k2' })));
  });

  it('gives the same token for the same claims and key', () => {
    // Prepare: the claims and keyring fixtures

    // Act
    const first = signUnsubscribeToken(claims, keyring);
    const second = signUnsubscribeToken(claims, keyring);

    // Assess
    expect(first).toBe(second);
  });

  it('round-trips the longest claims the format allows within its length limit', () => {
    // Prepare
    const longest: TokenClaims = {
      ref: 'R'.repeat(32),
      channel: 'email',
      topic: `t${'o'.repeat(39)}`,
      campaignId: 'C'.repeat(40),
    };
    const longKid: TokenKeyring = {
      current: 'k'.repeat(16),
      keys: { ['k'.repeat(16)]: { secret: 's3cret-s3cret' } },
    };

    // Act
    const token = signUnsubscribeToken(longest, longKid);
    const result = verifyUnsubscribeToken(token, longKid, NOW);

    // Assess
    expect(token.length).toBeLessThanOrEqual(256);
    expect(result).toEqual({ ok: true, claims: longest, kid: 'k'.repeat(16) });
  });

  it('is kid.payload.signature in base64url, signed with HMAC-SHA256 over v1.kid.payload and cut to 128 bits', () => {
    // Prepare: the claims and keyring fixtures

    // Act
    const token = signUnsubscribeToken(claims, keyring);

    // Assess
    const [kid, payload, signature] = token.split('.');
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(kid).toBe('k2');
    const expected = createHmac('sha256', 'new-secret-2222')
      .update(`v1.k2.${payload}`)
      .digest()
      .subarray(0, 16);
    expect(decodePart(signature ?? '')).toEqual(expected);
  });

  describe('carries no personal data', () => {
    it('decodes to nothing but ref, channel, topic and campaign', () => {
      // Prepare: the claims and keyring fixtures

      // Act
      const token = signUnsubscribeToken(claims, keyring);

      // Assess
      const [kid, payload = '', signature = ''] = token.split('.');
      expect(kid).toBe('k2');
      expect(decodePart(payload).toString('utf8')).toBe(
        `${claims.ref}|e|${claims.topic}|${claims.campaignId}`,
      );
      expect(decodePart(signature)).toHaveLength(16);
    });

    it('leaves out anything else handed to it with the claims', () => {
      // Prepare
      const withPersonalData = {
        ...claims,
        phone: '+989121234567',
        email: 'ali@example.ir',
        contactId: 'crm-000123',
        name: 'Ali Rezaei',
      } as TokenClaims;

      // Act
      const token = signUnsubscribeToken(withPersonalData, keyring);
      const result = verifyUnsubscribeToken(token, keyring, NOW);

      // Assess
      const decoded = token
        .split('.')
        .map((part) => decodePart(part).toString('latin1'))
        .join('.');
      for (const secret of ['9121234567', 'ali@example.ir', 'crm-000123', 'Ali Rezaei']) {
        expect(token).not.toContain(secret);
        expect(decoded).not.toContain(secret);
      }
      expect(result.ok && Object.keys(result.claims).sort()).toEqual([
        'campaignId',
        'channel',
        'ref',
        'topic',
      ]);
    });
  });

  describe('refuses forgeries', () => {
    it('verifies none of 10,000 random strings', () => {
      // Prepare
      const pick = pickFrom(seededRandom(0x5eed_0001));
      const noise = `${B64URL_ALPHABET}.=+/ |%\u0000۰۹سلام\u200c`;
      const candidates = Array.from({ length: 10_000 }, (_, i) => {
        switch (i % 4) {
          case 0:
            return pick.string(noise, pick.int(300));
          case 1:
            return `k2.${pick.string(B64URL_ALPHABET, 1 + pick.int(150))}.${pick.string(B64URL_ALPHABET, 22)}`;
          case 2:
            return `k1.${pick.string(B64URL_ALPHABET, 1 + pick.int(150))}.${pick.string(B64URL_ALPHABET, 1 + pick.int(40))}`;
          default: {
            // A payload with well-formed claims and a random signature: only the HMAC can refuse it.
            const payload = signUnsubscribeToken(randomClaims(pick), keyring).split('.')[1];
            return `k2.${payload}.${pick.string(B64URL_ALPHABET, 22)}`;
          }
        }
      });

      // Act
      const results = candidates.map((candidate) => verifyUnsubscribeToken(candidate, keyring, NOW));

      // Assess
      expect(results.filter((result) => result.ok)).toEqual([]);
      const reasons = new Set(results.map((result) => (result.ok ? 'ok' : result.reason)));
      expect(reasons).toContain('bad-signature');
      expect(reasons).toContain('malformed');
    });

    it('verifies none of 10,000 one-step mutations of valid tokens', () => {
      // Prepare
      const pick = pickFrom(seededRandom(0x5eed_0002));
      const tried = new Map<Mutation, number>(MUTATIONS.map((mutation) => [mutation, 0]));
      const mutants: { mutation: Mutation; token: string }[] = [];
      while (mutants.length < 10_000) {
        const signer = pick.int(2) === 0 ? keyring : oldKeyring;
        const original = signUnsubscribeToken(randomClaims(pick), signer);
        const mutation = MUTATIONS[mutants.length % MUTATIONS.length] ?? 'replace-char';
        const token = mutate(original, mutation, pick);
        if (token === undefined || token === original) continue;
        tried.set(mutation, (tried.get(mutation) ?? 0) + 1);
        mutants.push({ mutation, token });
      }

      // Act
      const results = mutants.map(({ mutation, token }) => ({
        mutation,
        token,
        result: verifyUnsubscribeToken(token, keyring, NOW),
      }));

      // Assess
      expect(results.filter(({ result }) => result.ok)).toEqual([]);
      for (const mutation of MUTATIONS) expect(tried.get(mutation), mutation).toBeGreaterThan(100);
    });

    it('refuses a signature in non-canonical base64url that decodes to the right bytes', () => {
      // Prepare
      const [kid, payload, signature = ''] = signUnsubscribeToken(claims, keyring).split('.');
      const last = B64URL_ALPHABET.indexOf(signature.at(-1) ?? '');
      const twin = B64URL_ALPHABET[last ^ 1] ?? '';
      const forged = `${kid}.${payload}.${signature.slice(0, -1)}${twin}`;

      // Act
      const result = verifyUnsubscribeToken(forged, keyring, NOW);

      // Assess
      expect(decodePart(forged.split('.')[2] ?? '')).toEqual(decodePart(signature));
      expect(result).toEqual({ ok: false, reason: 'bad-signature' });
    });

    it('refuses a token re-signed under the same key id with another secret', () => {
      // Prepare
      const attacker: TokenKeyring = { current: 'k2', keys: { k2: { secret: 'guessed-secret' } } };
      const forged = signUnsubscribeToken(claims, attacker);

      // Act
      const result = verifyUnsubscribeToken(forged, keyring, NOW);

      // Assess
      expect(result).toEqual({ ok: false, reason: 'bad-signature' });
    });

    it('refuses a valid signature moved to another key id', () => {
      // Prepare
      const [, payload, signature] = signUnsubscribeToken(claims, keyring).split('.');
      const moved = `k1.${payload}.${signature}`;

      // Act
      const result = verifyUnsubscribeToken(moved, keyring, NOW);

      // Assess
      expect(result).toEqual({ ok: false, reason: 'bad-signature' });
    });

    it.each([
      { label: 'an empty string', token: '' },
      { label: 'two parts', token: 'k2.abc' },
      { label: 'four parts', token: 'k2.abc.def.ghi' },
      { label: 'an empty key id', token: '.abc.def' },
      { label: 'an empty payload', token: 'k2..def' },
      { label: 'an empty signature', token: 'k2.abc.' },
      { label: 'a key id with a space', token: 'k 2.abc.def' },
      { label: 'a key id over 16 characters', token: `${'k'.repeat(17)}.abc.def` },
      { label: 'padding', token: 'k2.abc=.def' },
      { label: 'standard base64', token: 'k2.ab+c.de/f' },
      { label: 'over 256 characters', token: `k2.${'a'.repeat(300)}.def` },
    ])('calls $label malformed', ({ token }) => {
      // Prepare: the token comes from the table

      // Act
      const result = verifyUnsubscribeToken(token, keyring, NOW);

      // Assess
      expect(result).toEqual({ ok: false, reason: 'malformed' });
    });

    it('calls a correctly signed payload with bad claims malformed', () => {
      // Prepare
      const badClaims = { ...claims, ref: 'short', topic: 'Not A Topic' };
      const token = signUnsubscribeToken(badClaims, keyring);

      // Act
      const result = verifyUnsubscribeToken(token, keyring, NOW);

      // Assess
      expect(result).toEqual({ ok: false, reason: 'malformed' });
    });
  });

  describe('key ids', () => {
    it("answers 'unknown-key' for a key id the keyring does not hold", () => {
      // Prepare
      const elsewhere: TokenKeyring = { current: 'k9', keys: { k9: { secret: 'some-other-secret' } } };
      const token = signUnsubscribeToken(claims, elsewhere);

      // Act
      const result = verifyUnsubscribeToken(token, keyring, NOW);

      // Assess
      expect(result).toEqual({ ok: false, reason: 'unknown-key' });
    });

    it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])(
      "answers 'unknown-key' for the key id %s, which only Object.prototype has",
      (kid) => {
        // Prepare
        const [, payload, signature] = signUnsubscribeToken(claims, keyring).split('.');

        // Act
        const result = verifyUnsubscribeToken(`${kid}.${payload}.${signature}`, keyring, NOW);

        // Assess
        expect(result).toEqual({ ok: false, reason: 'unknown-key' });
      },
    );
  });

  describe('key rotation', () => {
    const oldToken = signUnsubscribeToken(claims, oldKeyring);

    it('signs new tokens with the current key', () => {
      // Prepare: the rotated keyring

      // Act
      const token = signUnsubscribeToken(claims, keyring);
      const result = verifyUnsubscribeToken(token, keyring, NOW);

      // Assess
      expect(token.startsWith('k2.')).toBe(true);
      expect(result).toMatchObject({ ok: true, kid: 'k2' });
    });

    it('verifies a token signed under the old key while the old key is kept and unexpired', () => {
      // Prepare: a token signed before rotation

      // Act
      const result = verifyUnsubscribeToken(oldToken, keyring, NOW);

      // Assess
      expect(result).toEqual({ ok: true, claims, kid: 'k1' });
    });

    it('still verifies it at the very instant the old key ends', () => {
      // Prepare
      const at = new Date(OLD_KEY_VALID_UNTIL);

      // Act
      const result = verifyUnsubscribeToken(oldToken, keyring, at);

      // Assess
      expect(result).toMatchObject({ ok: true, kid: 'k1' });
    });

    it("answers 'expired-key' after the old key's validUntil", () => {
      // Prepare
      const after = [
        new Date(Date.parse(OLD_KEY_VALID_UNTIL) + 1),
        new Date(Date.parse(OLD_KEY_VALID_UNTIL) + 86_400_000),
      ];

      // Act
      const results = after.map((at) => verifyUnsubscribeToken(oldToken, keyring, at));

      // Assess
      expect(results).toEqual([
        { ok: false, reason: 'expired-key' },
        { ok: false, reason: 'expired-key' },
      ]);
    });

    it('keeps verifying tokens of the current key after the old key has expired', () => {
      // Prepare
      const later = new Date(Date.parse(OLD_KEY_VALID_UNTIL) + 86_400_000);
      const token = signUnsubscribeToken(claims, keyring);

      // Act
      const result = verifyUnsubscribeToken(token, keyring, later);

      // Assess
      expect(result).toMatchObject({ ok: true, kid: 'k2' });
    });

    it("answers 'unknown-key' once the old key is dropped from the keyring", () => {
      // Prepare
      const retired: TokenKeyring = { current: 'k2', keys: { k2: { secret: 'new-secret-2222' } } };

      // Act
      const result = verifyUnsubscribeToken(oldToken, retired, NOW);

      // Assess
      expect(result).toEqual({ ok: false, reason: 'unknown-key' });
    });

    it('refuses to sign when the current key is missing from the keyring', () => {
      // Prepare
      const broken: TokenKeyring = { current: 'k3', keys: { k2: { secret: 'new-secret-2222' } } };

      // Act
      const sign = () => signUnsubscribeToken(claims, broken);

      // Assess
      expect(sign).toThrow(/k3/);
    });
  });
});

describe('parseTokenKeyring', () => {
  it('accepts a key given as a plain secret', () => {
    // Prepare
    const json = '{"current":"k1","keys":{"k1":"secret-one"}}';

    // Act
    const parsed = parseTokenKeyring(json);

    // Assess
    expect(parsed).toEqual({ current: 'k1', keys: { k1: { secret: 'secret-one' } } });
  });

  it('accepts a key given as an object, with or without validUntil', () => {
    // Prepare
    const json = JSON.stringify({
      current: 'k2',
      keys: {
        k1: { secret: 'secret-one', validUntil: OLD_KEY_VALID_UNTIL },
        k2: { secret: 'secret-two' },
      },
    });

    // Act
    const parsed = parseTokenKeyring(json);

    // Assess
    expect(parsed).toEqual({
      current: 'k2',
      keys: {
        k1: { secret: 'secret-one', validUntil: OLD_KEY_VALID_UNTIL },
        k2: { secret: 'secret-two' },
      },
    });
  });

  it('gives a keyring that signs and verifies, and retires the old key on time', () => {
    // Prepare
    const parsed = parseTokenKeyring(
      JSON.stringify({
        current: 'k2',
        keys: { k1: { secret: 'old-secret-1111', validUntil: OLD_KEY_VALID_UNTIL }, k2: 'new-secret-2222' },
      }),
    );
    const oldToken = signUnsubscribeToken(claims, oldKeyring);

    // Act
    const fresh = verifyUnsubscribeToken(signUnsubscribeToken(claims, parsed), parsed, NOW);
    const old = verifyUnsubscribeToken(oldToken, parsed, NOW);
    const expired = verifyUnsubscribeToken(oldToken, parsed, new Date('2025-07-02T00:00:00Z'));

    // Assess
    expect(fresh).toEqual({ ok: true, claims, kid: 'k2' });
    expect(old).toEqual({ ok: true, claims, kid: 'k1' });
    expect(expired).toEqual<TokenResult>({ ok: false, reason: 'expired-key' });
  });

  it.each([
    { label: 'invalid JSON', json: '{current:k1}' },
    { label: 'a JSON string', json: '"k1"' },
    { label: 'null', json: 'null' },
    { label: 'an array', json: '[]' },
    { label: 'no current', json: '{"keys":{"k1":"secret-one"}}' },
    { label: 'a numeric current', json: '{"current":1,"keys":{"1":"secret-one"}}' },
    { label: 'no keys', json: '{"current":"k1"}' },
    { label: 'keys as a string', json: '{"current":"k1","keys":"secret-one"}' },
    { label: 'keys as an array', json: '{"current":"0","keys":["secret-one"]}' },
    { label: 'a current key that is not in keys', json: '{"current":"k2","keys":{"k1":"secret-one"}}' },
    {
      label: 'a current key only Object.prototype has',
      json: '{"current":"constructor","keys":{"k1":"secret-one"}}',
    },
    { label: 'a key id with a space', json: '{"current":"k 1","keys":{"k 1":"secret-one"}}' },
    {
      label: 'a key id over 16 characters',
      json: `{"current":"k1","keys":{"k1":"secret-one","${'k'.repeat(17)}":"secret-two"}}`,
    },
    { label: 'a secret under 8 characters', json: '{"current":"k1","keys":{"k1":"short"}}' },
    { label: 'an empty secret', json: '{"current":"k1","keys":{"k1":""}}' },
    { label: 'a numeric secret', json: '{"current":"k1","keys":{"k1":12345678}}' },
    {
      label: 'a key object without a secret',
      json: '{"current":"k1","keys":{"k1":{"validUntil":"2025-07-01T00:00:00Z"}}}',
    },
    { label: 'a key object with a short secret', json: '{"current":"k1","keys":{"k1":{"secret":"short"}}}' },
    { label: 'a key object with an empty secret', json: '{"current":"k1","keys":{"k1":{"secret":""}}}' },
    {
      label: 'a validUntil that is not a date',
      json: '{"current":"k1","keys":{"k1":{"secret":"secret-one","validUntil":"soon"}}}',
    },
    {
      label: 'a numeric validUntil',
      json: '{"current":"k1","keys":{"k1":{"secret":"secret-one","validUntil":1751328000000}}}',
    },
  ])('rejects $label', ({ json }) => {
    // Prepare: the JSON comes from the table

    // Act
    const parse = () => parseTokenKeyring(json);

    // Assess
    expect(parse).toThrow();
  });
});
