import type { SmsStatusReport } from '../../domain/sms';
import type { SmsStatusSource } from '../../ports';
import type { KavenegarClient } from './client';
import { smsStatusOf } from './delivery-report';

/** Kavenegar's sms/status, each answer mapped as a delivery report is. */
export class KavenegarSmsStatusSource implements SmsStatusSource {
  constructor(private readonly client: Pick<KavenegarClient, 'status'>) {}

  async status(messageIds: readonly string[]): Promise<SmsStatusReport[]> {
    const entries = await this.client.status(messageIds);
    return entries.map((entry) => smsStatusOf(entry.messageId, entry.status));
  }
}
