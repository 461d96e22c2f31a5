/** EventBridge Scheduler schedules (and their local pace). */

import type { FunctionName } from './functions';

export interface ScheduleDefinition {
  readonly id: string;
  readonly function: FunctionName;
  /** EventBridge Scheduler expression in the cloud. */
  readonly expression: string;
  /** How often the local platform fires it. */
  readonly localEverySeconds: number;
}

export const schedules: readonly ScheduleDefinition[] = [
  {
    id: 'DispatchDueCampaigns',
    function: 'schedule-dispatch',
    expression: 'rate(1 minute)',
    localEverySeconds: 1,
  },
  {
    id: 'SendAbuseDigests',
    function: 'schedule-abuse-digest',
    expression: 'rate(1 minute)',
    localEverySeconds: 2,
  },
  {
    // Each run polls only the batches due: an SMS is asked about at 1, 5 and 15 minutes, 1, 4,
    // 12 and 24 hours and 47 hours after its send (shared/domain/sms-polling.ts).
    id: 'PollSmsStatuses',
    function: 'schedule-poll-sms-status',
    expression: 'rate(1 minute)',
    localEverySeconds: 5,
  },
];
