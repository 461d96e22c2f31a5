import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signatureHeader } from '../../shared/domain/webhook-signature';
import { call, eventually, type StoredEmail, sesEmails, WEBHOOK_SECRET } from '../support/http';
import { startTestPlatform, type TestPlatform } from '../support/platform';

let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform({ env: { CHAPAR_ABUSE_DIGEST_MINUTES: '60' } });
});

afterAll(async () => {
  await platform?.end();
});

/** A report signed as the reporting app signs it; `raw` lets a test re-space the same JSON. */
function report(raw: string) {
  return call<{ reportId: string; verdict: string }>(platform.apiUrl, 'POST', '/v1/reports/spoofed-sms', {
    body: raw,
    headers: {
      'content-type': 'application/json',
      'x-chapar-signature': signatureHeader(WEBHOOK_SECRET, Math.floor(Date.now() / 1000), raw),
    },
    auth: false,
  });
}

async function abuseMails(): Promise<StoredEmail[]> {
  return (await sesEmails(platform.sesUrl)).filter((email) =>
    email.destination.to.includes('abuse@chapar.local'),
  );
}

describe('the abuse inbox', () => {
  it('gets at most one email per spoofing line per window however many reports arrive, and replays count once', async () => {
    // Prepare: 12 distinct reports of one line, each sent three times re-spaced and re-written.
    const forms = ['+98 912 111 2222', '09121112222', '۰۰۹۸۹۱۲۱۱۱۲۲۲۲'];
    const answers = [];

    // Act
    for (let i = 0; i < 12; i++) {
      const text = `جایزه ${i + 1} میلیونی شما آماده است: http://bad.example/${i}`;
      const replies = [];
      for (const [n, sender] of forms.entries()) {
        const body = {
          sender,
          text: n === 0 ? text : `  ${text.replace(' ', '   ')} `,
          reporter: { phone: '09123456789' },
        };
        replies.push(await report(n === 2 ? JSON.stringify(body, null, 2) : JSON.stringify(body)));
      }
      answers.push(replies);
    }
    const digest = await eventually(async () => {
      const mails = await abuseMails();
      return mails.length > 0 ? mails : undefined;
    }, 'the abuse digest');
    // A report of another line, after the first digest, proves the schedule ran again.
    const other = await report(JSON.stringify({ sender: '30001234', text: 'وام فوری بدون ضامن' }));
    const both = await eventually(async () => {
      const mails = await abuseMails();
      return mails.some((mail) => mail.subject.includes('30001234')) ? mails : undefined;
    }, 'the second line digest');

    // Assess
    for (const replies of answers) {
      expect(replies.map((reply) => reply.status)).toEqual([202, 202, 202]);
      expect(new Set(replies.map((reply) => reply.body.reportId)).size).toBe(1);
      expect(replies[0]?.body.verdict).toBe('spoofed');
    }
    expect(other.status).toBe(202);
    const ids = answers.map((replies) => replies[0]?.body.reportId ?? '');
    expect(new Set(ids).size).toBe(12);
    const firstLine = both.filter((mail) => !mail.subject.includes('30001234'));
    expect(firstLine).toHaveLength(1);
    // The first digest goes out on the schedule's next run; reports after it wait for the window.
    const listed = ids.filter((id) => firstLine[0]?.body.text?.includes(id));
    expect(listed.length).toBeGreaterThan(0);
    expect(digest[0]?.subject).toBe(
      `Spoofed SMS from ${forms[0]}: ${listed.length} report${listed.length === 1 ? '' : 's'}`,
    );
    expect(both).toHaveLength(2);
  });
});
