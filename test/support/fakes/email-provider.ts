import type { EmailMessage } from '../../../shared/domain/email-message';
import type { EmailProvider } from '../../../shared/ports';

/** EmailProvider in memory: keeps every message it accepted, or throws what `failures` names for an address. */
export class FakeEmailProvider implements EmailProvider {
  readonly sent: EmailMessage[] = [];
  /** Errors to throw, by recipient address. */
  readonly failures = new Map<string, unknown>();

  async send(message: EmailMessage): Promise<{ messageId: string }> {
    const error = this.failures.get(message.to);
    if (error !== undefined) throw error;
    this.sent.push(message);
    return { messageId: `ses-${this.sent.length}` };
  }
}
