import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DeliveryStore, EmailMessage, SpoofReport } from '../../../shared/ports';
import { reportSpoofedSms } from '../../../shared/use-cases/report-spoofed-sms';

const templates = (name: string) => readFileSync(join(__dirname, '../../../templates', name), 'utf8');

describe('reportSpoofedSms: the abuse email', () => {
  it('keeps CR/LF, NUL and a bidi override of the reported sender out of its Subject', async () => {
    // Prepare
    const sent: EmailMessage[] = [];
    const stored: SpoofReport[] = [];
    const deps = {
      reports: { put: async (report: SpoofReport) => void stored.push(report) },
      deliveries: { sentTo: async () => [] } as unknown as DeliveryStore,
      email: {
        send: async (message: EmailMessage) => {
          sent.push(message);
          return { messageId: 'm1' };
        },
      },
      templates,
      verifiedSender: '10004346',
      abuseEmail: 'abuse@chapar.test',
      now: () => new Date('2025-03-01T10:00:00Z'),
    };
    const body = { sender: '3000\r\nBcc: all@victim.test\u0000\u202Eevil', text: 'You won a prize' };

    // Act
    const result = await reportSpoofedSms(deps, body);

    // Assess
    expect(result.verdict).toBe('spoofed');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.subject).toBe(
      `Spoofed SMS report ${result.reportId}: sender 3000 Bcc: all@victim.testevil`,
    );
    for (const unsafe of ['\r', '\n', '\u0000', '\u202E']) expect(sent[0]?.subject).not.toContain(unsafe);
    expect(stored[0]?.sender).toBe(body.sender);
  });
});
