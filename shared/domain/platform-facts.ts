import { clockOf, type QuietHours } from './quiet-hours';
import { DEFAULT_TOPICS } from './types';

/** What the console's settings page shows, read only: how this platform is set up. */
export interface PlatformFacts {
  /** The one verified, send-only line every SMS leaves from. */
  readonly smsSender: string;
  /** `HH:MM-HH:MM` Tehran time, or null when quiet hours are off. */
  readonly quietHours: string | null;
  readonly quietHoursInForce: boolean;
  /** The preference centre's topics; campaigns may name others (a lower-case slug). */
  readonly topics: readonly string[];
  /** SMS per second for the whole account, shared by every sender. */
  readonly smsRate: number;
  /** Share of the rate kept for transactional SMS while they flow. */
  readonly transactionalShare: number;
  readonly fromEmail: string;
}

export function platformFacts(
  settings: {
    readonly smsSender: string;
    readonly quietHours: QuietHours;
    readonly smsRate: number;
    readonly transactionalShare: number;
    readonly fromEmail: string;
  },
  now: Date,
): PlatformFacts {
  const window = settings.quietHours.window;
  return {
    smsSender: settings.smsSender,
    quietHours: window ? `${clockOf(window.start)}-${clockOf(window.end)}` : null,
    quietHoursInForce: settings.quietHours.isQuiet(now),
    topics: [...DEFAULT_TOPICS],
    smsRate: settings.smsRate,
    transactionalShare: settings.transactionalShare,
    fromEmail: settings.fromEmail,
  };
}
