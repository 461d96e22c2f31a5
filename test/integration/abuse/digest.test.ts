import { beforeAll, describe, expect, it } from 'vitest';
import type { SpoofReport } from '../../../shared/domain/spoof-report';
import { type TestEmulators, useEmulators } from '../../support/emulators';

let emulators: TestEmulators;
let handler: (
  event: unknown,
  context: unknown,
) => Promise<{ digests: number; reports: number; waiting: number }>;
let store: import('../../../shared/adapters/dynamodb/report-store').DynamoReportStore;

beforeAll(async () => {
  emulators = await useEmulators({ env: { CHAPAR_ABUSE_DIGEST_MINUTES: '60' } });
  const factory = await import('../../../shared/adapters/factory');
  store = factory.reportStore(emulators.names.tables.reports);
  ({ handler } = (await import('../../../functions/schedule-abuse-digest/handler')) as unknown as {
    handler: typeof handler;
  });
});

const context = { getRemainingTimeInMillis: () => 60_000, functionName: 'schedule-abuse-digest' };

function spoofed(id: string, sender: string, createdAt: string): SpoofReport {
  return { id, sender, text: `prize ${id}`, verdict: 'spoofed', createdAt };
}

describe('schedule-abuse-digest against DynamoDB Local and the SES emulator', () => {
  it('mails each line once per window, lists its waiting reports, and leaves genuine ones out', async () => {
    // Prepare
    const line = `+98912${String(Date.now()).slice(-7)}`;
    await store.put(spoofed('R1', line, '2026-12-01T10:00:01.000Z'), { awaitsDigest: true });
    await store.put(spoofed('R2', line.replace('+98', '0'), '2026-12-01T10:00:02.000Z'), {
      awaitsDigest: true,
    });
    await store.put({ ...spoofed('R3', '50004001051233', '2026-12-01T10:00:03.000Z'), verdict: 'genuine' });

    // Act
    const first = await handler({ scheduledTime: '2026-12-01T10:01:00Z' }, context);
    await store.put(spoofed('R4', line, '2026-12-01T10:00:04.000Z'), { awaitsDigest: true });
    const second = await handler({ scheduledTime: '2026-12-01T10:02:00Z' }, context);

    // Assess
    expect(first).toEqual({ digests: 1, reports: 2, waiting: 0 });
    expect(second).toEqual({ digests: 0, reports: 0, waiting: 1 });
    expect((await store.pending(10)).map((report) => report.id)).toEqual(['R4']);
    const mails = (await emulators.sentEmails()).filter((mail) => mail.subject.includes(line));
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toBe(`Spoofed SMS from ${line}: 2 reports`);
    expect(mails[0]?.body.text).toContain('Report R1');
    expect(mails[0]?.body.text).toContain('Report R2');
    expect(mails[0]?.body.text).not.toContain('R3');
  });
});
