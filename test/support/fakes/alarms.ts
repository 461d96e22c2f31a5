import type { Alarms } from '../../../shared/ports';

/** Alarms that keeps what was raised. */
export class RecordingAlarms implements Alarms {
  readonly paused: { campaignId: string; reason: string }[] = [];

  campaignPaused(campaignId: string, reason: string): void {
    this.paused.push({ campaignId, reason });
  }
}
