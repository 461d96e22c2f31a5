/** Core vocabulary shared by every part of Chapar. */

export const LOCALES = ['fa', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'fa';

export const CHANNELS = ['sms', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];

/** The marketing topics a brand's privacy policy names. Campaign topics are slugs; these are offered first. */
export const DEFAULT_TOPICS = ['newsletter', 'events', 'promotions', 'surveys'] as const;

/** Consent scope meaning "every topic on this channel". */
export const ALL_TOPICS = '*';

export type AttributeValue = string | number | boolean;

export interface Contact {
  readonly id: string;
  /** Opaque random id carried by unsubscribe tokens instead of anything personal. */
  readonly ref: string;
  /** E.164, +989xxxxxxxxx. */
  readonly phone?: string;
  /** Lower-cased. */
  readonly email?: string;
  readonly locale: Locale;
  readonly name?: string;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A contact as the API writes it; ref and createdAt are kept by the store. */
export interface ContactFields {
  readonly phone?: string;
  readonly email?: string;
  readonly locale: Locale;
  readonly name?: string;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
}
