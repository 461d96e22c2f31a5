import { describe, expect, it } from 'vitest';
import { isShortLinkCode, sameClaims, shortLinkCode } from '../../../shared/domain/short-link';

const CLAIMS = { ref: 'ref-0123456789', channel: 'sms', topic: 'newsletter' } as const;

describe('shortLinkCode', () => {
  it('derives the same 10-character base62 code from the same claims and key, every time', () => {
    // Act
    const code = shortLinkCode('key-1', CLAIMS);

    // Assess
    expect(isShortLinkCode(code)).toBe(true);
    expect(shortLinkCode('key-1', { ...CLAIMS })).toBe(code);
  });

  it('gives another code for another topic, channel, contact, key or attempt', () => {
    // Act
    const codes = [
      shortLinkCode('key-1', CLAIMS),
      shortLinkCode('key-1', { ...CLAIMS, topic: 'events' }),
      shortLinkCode('key-1', { ...CLAIMS, channel: 'email' }),
      shortLinkCode('key-1', { ...CLAIMS, ref: 'ref-9876543210' }),
      shortLinkCode('key-2', CLAIMS),
      shortLinkCode('key-1', CLAIMS, 1),
    ];

    // Assess
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('does not let fields run into each other (ref "a" topic "bc" is not ref "ab" topic "c")', () => {
    // Act and assess
    expect(shortLinkCode('k', { ref: 'a', channel: 'sms', topic: 'bc' })).not.toBe(
      shortLinkCode('k', { ref: 'ab', channel: 'sms', topic: 'c' }),
    );
  });

  it('spreads codes over the whole alphabet, none shorter than 10 characters', () => {
    // Act
    const codes = Array.from({ length: 2_000 }, (_, i) =>
      shortLinkCode('key-1', { ...CLAIMS, ref: `ref-${i}` }),
    );

    // Assess: 20,000 characters over 62 symbols, each seen about 320 times
    const seen = new Map<string, number>();
    for (const character of codes.join('')) seen.set(character, (seen.get(character) ?? 0) + 1);
    expect(codes.every(isShortLinkCode)).toBe(true);
    expect(seen.size).toBe(62);
    expect(Math.min(...seen.values())).toBeGreaterThan(200);
  });
});

describe('sameClaims', () => {
  it('compares ref, channel and topic only', () => {
    // Act and assess
    expect(sameClaims(CLAIMS, { ...CLAIMS })).toBe(true);
    expect(sameClaims(CLAIMS, { ...CLAIMS, topic: 'events' })).toBe(false);
  });
});
