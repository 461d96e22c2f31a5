import { sanitiseHeaderField } from '../domain/header-field';
import { escapeHtml, renderTemplate } from '../domain/placeholders';
import type { SpoofReport } from '../domain/spoof-report';
import { senderKey } from '../domain/spoof-report';
import type { AbuseDigestStore, EmailProvider, TemplateSource } from '../ports';

/** Reports read per run: far above what the webhook's throttle lets in between two runs. */
const PENDING_PER_RUN = 1000;
/** Reports written out in full in one digest; the rest are counted. */
const LISTED_PER_DIGEST = 100;

export interface AbuseDigestDeps {
  readonly reports: AbuseDigestStore;
  readonly email: EmailProvider;
  readonly templates: TemplateSource;
  readonly verifiedSender: string;
  readonly abuseEmail: string;
  /** At most one digest per sending line in this long (CHAPAR_ABUSE_DIGEST_MINUTES). */
  readonly windowMs: number;
  readonly now: () => Date;
}

export interface AbuseDigestRun {
  /** Digests emailed in this run, one per sending line. */
  readonly digests: number;
  /** Reports those digests listed or counted. */
  readonly reports: number;
  /** Reports whose line had a digest within the window: they wait for the next one. */
  readonly waiting: number;
}

/**
 * Gathers spoofed reports into at most one abuse email per sending line per window, so that
 * a burst of reports (or someone holding the webhook secret) cannot flood the abuse inbox or
 * spend the campaigns' SES quota. The first report of a line goes out on the next run; later
 * ones wait for the window to pass and then go out together.
 *
 * Order of writes: the window is claimed before the email is sent and the reports are marked
 * after it, so a crash never sends two digests in one window; a crash after the claim leaves
 * the reports pending, and they go out in the next window rather than never.
 */
export async function sendAbuseDigests(deps: AbuseDigestDeps): Promise<AbuseDigestRun> {
  const pending = await deps.reports.pending(PENDING_PER_RUN);
  const byLine = new Map<string, SpoofReport[]>();
  for (const report of pending) {
    const key = senderKey(report.sender);
    byLine.set(key, [...(byLine.get(key) ?? []), report]);
  }
  let digests = 0;
  let reports = 0;
  let waiting = 0;
  for (const [line, group] of byLine) {
    const now = deps.now();
    if (!(await deps.reports.claimDigest(line, now, deps.windowMs))) {
      waiting += group.length;
      continue;
    }
    const text = digestText(deps, group, now);
    await deps.email.send({
      to: deps.abuseEmail,
      // The sender is whatever the reporter typed: a CR/LF in it would write headers.
      subject: sanitiseHeaderField(
        `Spoofed SMS from ${group[0]?.sender ?? line}: ${group.length} report${group.length === 1 ? '' : 's'}`,
      ),
      text,
      html: `<pre dir="auto">${escapeHtml(text)}</pre>`,
      headers: {},
      tags: { kind: 'spoof-report' },
    });
    await deps.reports.markDigested(
      group.map((report) => report.id),
      now,
    );
    digests += 1;
    reports += group.length;
  }
  return { digests, reports, waiting };
}

function digestText(deps: AbuseDigestDeps, group: readonly SpoofReport[], now: Date): string {
  const listed = group
    .slice(0, LISTED_PER_DIGEST)
    .map((report, index) =>
      [
        `${index + 1}. Report ${report.id}`,
        `   Claimed sender: ${report.sender}`,
        `   Received at: ${report.receivedAt ?? 'not given'}`,
        `   Reported at: ${report.createdAt}`,
        `   Text as reported: ${report.text}`,
      ].join('\n'),
    );
  const more = group.length - listed.length;
  return renderTemplate(deps.templates('abuse-digest.email.txt'), {
    count: String(group.length),
    sender: group[0]?.sender ?? '',
    verifiedSender: deps.verifiedSender,
    first: group[0]?.createdAt ?? '',
    last: group.at(-1)?.createdAt ?? '',
    sentAt: now.toISOString(),
    reports: listed.join('\n\n'),
    more: more > 0 ? `… and ${more} more reports of the same line, kept in the Reports table.` : '',
    windowMinutes: String(Math.round(deps.windowMs / 60_000)),
  });
}
