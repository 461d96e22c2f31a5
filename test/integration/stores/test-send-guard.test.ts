import { beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../shared/domain/ids';
import type { TestSendGuard } from '../../../shared/ports';
import { useEmulators } from '../../support/emulators';

let guard: TestSendGuard;
const T0 = new Date('2026-12-02T10:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

beforeAll(async () => {
  const { names } = await useEmulators();
  const factory = await import('../../../shared/adapters/factory');
  guard = factory.testSendGuard(names.tables.idempotency);
});

describe('DynamoTestSendGuard', () => {
  it('holds a key for its window, refuses it meanwhile, and lets it be taken once the window is over', async () => {
    // Prepare
    const key = `campaign-test#${newId()}#sms#abc`;
    // Act
    const first = await guard.claim(key, T0, at(60_000));
    const within = await guard.claim(key, at(59_999), at(119_999));
    const after = await guard.claim(key, at(60_000), at(120_000));
    // Assess
    expect([first, within, after]).toEqual([true, false, true]);
  });

  it('frees a released key at once, and keeps other keys apart', async () => {
    // Prepare
    const key = `campaign-test#${newId()}#email#abc`;
    const other = `${key}-other`;
    await guard.claim(key, T0, at(60_000));
    // Act
    await guard.release(key);
    const again = await guard.claim(key, at(1), at(60_001));
    const separate = await guard.claim(other, at(1), at(60_001));
    // Assess
    expect([again, separate]).toEqual([true, true]);
  });
});
