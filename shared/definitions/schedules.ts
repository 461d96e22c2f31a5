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
    id: 'ReconcileSmsStatuses',
    function: 'schedule-reconcile-sms',
    expression: 'rate(5 minutes)',
    localEverySeconds: 5,
  },
];
