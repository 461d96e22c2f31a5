import { describe, expect, it } from 'vitest';
import type { SentMessage } from '../../../shared/domain/delivery';
import type { SpoofReport } from '../../../shared/domain/spoof-report';
import type { ReportStore, SentSmsLookup } from '../../../shared/ports';
import { parseSpoofReport, reportSpoofedSms } from '../../../shared/use-cases/report-spoofed-sms';

const LINE = '50004001051233';
const NOW = new Date('2026-12-02T10:00:00.000Z');

class Reports implements ReportStore {
  readonly stored: { report: SpoofReport; awaitsDigest: boolean }[] = [];
  async put(report: SpoofReport, options: { readonly awaitsDigest?: boolean } = {}): Promise<void> {
    this.stored.push({ report, awaitsDigest: options.awaitsDigest ?? false });
  }
}

/** Answers what it was given, and notes each question. */
class Lookup implements SentSmsLookup {
  readonly asked: { phone: string; since: string }[] = [];
  constructor(private readonly sent: SentMessage[]) {}
  async sentTo(phone: string, since: Date): Promise<SentMessage[]> {
    this.asked.push({ phone, since: since.toISOString() });
    return this.sent;
  }
}

function depsWith(sent: SentMessage[]) {
  const reports = new Reports();
  const sentSms = new Lookup(sent);
  return { reports, sentSms, deps: { reports, sentSms, verifiedSender: LINE, now: () => NOW } };
}

const sms = (content: string): SentMessage => ({
  campaignId: 'camp-1',
  channel: 'sms',
  content,
  sentAt: '2026-12-01T09:00:00.000Z',
});

describe('reportSpoofedSms', () => {
  it('asks what was sent to the reporter’s phone in the last 30 days and judges a match genuine', async () => {
    // Prepare
    const { deps, sentSms, reports } = depsWith([sms('سارا عزیز، تخفیف پاییزه')]);
    const input = parseSpoofReport({
      sender: `+98${LINE}`,
      text: 'سارا عزیز، تخفیف پاییزه',
      reporter: { phone: '0912 222 0000' },
    });

    // Act
    const { verdict } = await reportSpoofedSms(deps, input);

    // Assess
    expect(verdict).toBe('genuine');
    expect(sentSms.asked).toEqual([{ phone: '+989122220000', since: '2026-11-02T10:00:00.000Z' }]);
    expect(reports.stored[0]).toMatchObject({ report: { verdict: 'genuine' }, awaitsDigest: false });
  });

  it('judges the verified line unverified when nothing sent matches, and asks nothing without a phone', async () => {
    // Prepare
    const { deps, sentSms } = depsWith([sms('another text entirely')]);

    // Act
    const withPhone = await reportSpoofedSms(
      deps,
      parseSpoofReport({ sender: LINE, text: 'سارا عزیز، تخفیف پاییزه', reporter: { phone: '09122220000' } }),
    );
    const withoutPhone = await reportSpoofedSms(
      deps,
      parseSpoofReport({ sender: LINE, text: 'another text entirely' }),
    );

    // Assess
    expect(withPhone.verdict).toBe('unverified');
    expect(withoutPhone.verdict).toBe('unverified');
    expect(sentSms.asked).toHaveLength(1);
  });

  it('judges another line spoofed whatever was sent, and keeps it for the abuse digest', async () => {
    // Prepare
    const { deps, reports } = depsWith([sms('سارا عزیز، تخفیف پاییزه')]);

    // Act
    const { verdict } = await reportSpoofedSms(
      deps,
      parseSpoofReport({
        sender: '30001234',
        text: 'سارا عزیز، تخفیف پاییزه',
        reporter: { phone: '09122220000' },
      }),
    );

    // Assess
    expect(verdict).toBe('spoofed');
    expect(reports.stored[0]).toMatchObject({ report: { verdict: 'spoofed' }, awaitsDigest: true });
  });
});
