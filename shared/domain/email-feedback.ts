/** A bounce or complaint a mail provider reported for one message, in Chapar's terms. */
export interface EmailFeedback {
  readonly kind: 'bounce' | 'complaint';
  /** A hard bounce: the address will never accept mail. False for complaints and soft bounces. */
  readonly permanent: boolean;
  /** The addresses the feedback names, lower-cased (a complaint may name none). */
  readonly recipients: readonly string[];
  /** The message's tags, one value each. */
  readonly tags: Readonly<Record<string, string>>;
}

/** Campaign counters email feedback adds to, each at most once per delivery. */
export type FeedbackCounter = 'bounced' | 'complained';
