import type { DispatchMessage, RecipientsMessage } from '../../../shared/domain/messages';
import type { WorkQueue } from '../../../shared/ports';

/** WorkQueue that keeps every message it was given, per queue. */
export class RecordingWorkQueue implements WorkQueue {
  readonly dispatches: DispatchMessage[] = [];
  readonly recipients: RecipientsMessage[] = [];

  async sendDispatch(messages: readonly DispatchMessage[]): Promise<void> {
    this.dispatches.push(...messages);
  }

  async sendRecipients(messages: readonly RecipientsMessage[]): Promise<void> {
    this.recipients.push(...messages);
  }
}
