import { describe, expect, it } from 'vitest';
import type { EmailMessage } from '../../../shared/domain/email-message';
import type { SpoofReport } from '../../../shared/domain/spoof-report';
import type { AbuseDigestStore, EmailProvider } from '../../../shared/ports';
import { sendAbuseDigests } from '../../../shared/use-cases/abuse-digest';

/** Pending reports and per-line digest times, as the DynamoDB store keeps them. */
class MemoryDigestStore implements AbuseDigestStore {
  readonly waiting = new Map<string, SpoofReport>();
  readonly lastDigest = new Map<string, number>();

  async pending(limit: number): Promise<SpoofReport[]> {
    return [...this.waiting.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt)).slice(0, limit);
  }
  async claimDigest(line: string, now: Date, windowMs: number): Promise<boolean> {
    const last = this.lastDigest.get(line);
    if (last !== undefined && last > now.getTime() - windowMs) return false;
    this.lastDigest.set(line, now.getTime());
    return true;
  }
  async markDigested(ids: readonly string[]): Promise<void> {
    for (const id of ids) this.waiting.delete(id);
  }
}

class Outbox implements EmailProvider {
  readonly sent: EmailMessage[] = [];
  failNext = false;
  async send(message: EmailMessage): Promise<{ messageId: string }> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('SES down');
    }
    this.sent.push(message);
    return { messageId: `m${this.sent.length}` };
  }
}

const template = [
  '{{count}} from {{sender}} (ours {{verifiedSender}}), {{first}}..{{last}}',
  '{{reports}}',
  '{{more}}',
  'every {{windowMinutes}} minutes',
].join('\n');

function setup(start = Date.parse('2026-12-01T10:00:00Z')) {
  let clock = start;
  const store = new MemoryDigestStore();
  const outbox = new Outbox();
  const deps = {
    reports: store,
    email: outbox,
    templates: (name: string) => {
      expect(name).toBe('abuse-digest.email.txt');
      return template;
    },
    verifiedSender: '50004001051233',
    abuseEmail: 'abuse@chapar.test',
    windowMs: 60 * 60_000,
    now: () => new Date(clock),
  };
  let n = 0;
  const report = (sender: string, text = 'برنده جایزه شدید') => {
    n += 1;
    const id = `r${String(n).padStart(4, '0')}`;
    store.waiting.set(id, {
      id,
      sender,
      text,
      verdict: 'spoofed',
      createdAt: new Date(clock + n).toISOString(),
    });
  };
  return { store, outbox, deps, report, advance: (ms: number) => (clock += ms) };
}

describe('sendAbuseDigests', () => {
  it('gathers a burst of reports into one email per sending line, whatever way the line was written', async () => {
    // Prepare
    const { outbox, deps, report, store } = setup();
    for (let i = 0; i < 150; i++)
      report(i % 3 === 0 ? '+98 912 000 1111' : i % 3 === 1 ? '۰۰۹۸۹۱۲۰۰۰۱۱۱۱' : '9120001111');
    report('30004000');

    // Act
    const run = await sendAbuseDigests(deps);

    // Assess
    expect(run).toEqual({ digests: 2, reports: 151, waiting: 0 });
    expect(outbox.sent).toHaveLength(2);
    const [burst, single] = outbox.sent;
    expect(burst?.subject).toContain('150 reports');
    expect(burst?.to).toBe('abuse@chapar.test');
    expect(burst?.text).toContain('1. Report r0001');
    expect(burst?.text).toContain('100. Report');
    expect(burst?.text).not.toContain('101. Report');
    expect(burst?.text).toContain('and 50 more reports');
    expect(single?.subject).toBe('Spoofed SMS from 30004000: 1 report');
    expect(store.waiting.size).toBe(0);
  });

  it('sends a line at most once per window: later reports wait, then go out together', async () => {
    // Prepare
    const { outbox, deps, report, advance, store } = setup();
    report('9120001111');
    await sendAbuseDigests(deps);
    advance(10 * 60_000);
    report('09120001111');
    report('9120001111');

    // Act
    const early = await sendAbuseDigests(deps);
    advance(50 * 60_000);
    const late = await sendAbuseDigests(deps);

    // Assess
    expect(early).toEqual({ digests: 0, reports: 0, waiting: 2 });
    expect(late).toEqual({ digests: 1, reports: 2, waiting: 0 });
    expect(outbox.sent.map((mail) => mail.subject)).toEqual([
      'Spoofed SMS from 9120001111: 1 report',
      'Spoofed SMS from 09120001111: 2 reports',
    ]);
    expect(store.waiting.size).toBe(0);
  });

  it('keeps the reports waiting when the email fails, and never sends two digests in one window', async () => {
    // Prepare
    const { outbox, deps, report, advance, store } = setup();
    report('9120001111');
    outbox.failNext = true;

    // Act
    await expect(sendAbuseDigests(deps)).rejects.toThrow('SES down');
    const retried = await sendAbuseDigests(deps);
    advance(60 * 60_000);
    const next = await sendAbuseDigests(deps);

    // Assess
    expect(retried.digests).toBe(0);
    expect(next.digests).toBe(1);
    expect(outbox.sent).toHaveLength(1);
    expect(store.waiting.size).toBe(0);
  });
});

describe('sendAbuseDigests: the Subject', () => {
  it('keeps CR/LF, NUL and a bidi override of the reported sender out of it', async () => {
    // Prepare
    const { outbox, deps, report, store } = setup();
    const sender = '3000\r\nBcc: all@victim.test\u0000\u202Eevil';
    report(sender);

    // Act
    await sendAbuseDigests(deps);

    // Assess
    expect(outbox.sent[0]?.subject).toBe('Spoofed SMS from 3000 Bcc: all@victim.testevil: 1 report');
    for (const unsafe of ['\r', '\n', '\u0000', '\u202E'])
      expect(outbox.sent[0]?.subject).not.toContain(unsafe);
    expect(store.waiting.size).toBe(0);
  });
});
