import { describe, expect, it } from 'vitest';
import { secretsEqual } from '../../../shared/domain/constant-time';

describe('secretsEqual', () => {
  it.each([
    ['equal strings', 'local-dev-key', 'local-dev-key', true],
    ['one character off', 'local-dev-key', 'local-dev-kez', false],
    ['a prefix of the secret', 'local', 'local-dev-key', false],
    ['an empty guess', '', 'local-dev-key', false],
    ['equal bytes', Buffer.from('a1b2', 'hex'), Buffer.from('a1b2', 'hex'), true],
    ['bytes of another length', Buffer.from('a1', 'hex'), Buffer.from('a1b2', 'hex'), false],
  ])('%s: %s', (_case, given, expected, equal) => {
    // Act, Assess: unequal lengths answer false rather than throw as timingSafeEqual does
    expect(secretsEqual(given, expected)).toBe(equal);
  });
});
