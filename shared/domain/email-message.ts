export interface EmailMessage {
  readonly to: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  /** Extra headers, e.g. List-Unsubscribe and List-Unsubscribe-Post. */
  readonly headers: Readonly<Record<string, string>>;
  /** Tags published with SES events (campaign, channel ...). */
  readonly tags?: Readonly<Record<string, string>>;
}
