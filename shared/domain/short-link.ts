import type { Channel } from './types';

/** What a short SMS unsubscribe link stands for: the claims of an unsubscribe token. */
export interface ShortLink {
  readonly code: string;
  readonly ref: string;
  readonly channel: Channel;
  readonly topic: string;
  readonly campaignId: string;
}
