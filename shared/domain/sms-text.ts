import { ConfigError } from './errors';
import { renderTemplate, type TemplateValues } from './placeholders';
import { smsLength } from './sms-segments';

/**
 * The final text of a marketing SMS. The campaign's rendered text comes first, then one line
 * with the recipient's short unsubscribe link and the regulator's opt-out keyword:
 *
 * ```
 * سارا عزیز، خبرنامه پاییز منتشر شد
 * https://go.chapar.ir/s/Ab3dE5gH7k لغو۱۱
 * ```
 *
 * i.e. `<text, trailing whitespace dropped>\n<base>/s/<code> <suffix>` (no space when the
 * suffix is configured empty). The link and the keyword share the last line so a reader sees
 * how to leave next to the keyword that says it; the keyword ends the message as the
 * regulator asks.
 */

/**
 * Kavenegar's longest message, in characters as {@link smsLength} counts them (GSM-7 septets or
 * UCS-2 code units): every SMS limit below is in the same measure.
 */
export const MAX_SMS_LENGTH = 900;
/** Length of a short link's code (shared/adapters/dynamodb/link-store.ts mints them). */
export const SHORT_LINK_CODE_LENGTH = 10;
/**
 * Longest short link a deployment may use: room for an API Gateway endpoint in any region
 * (`https://<10>.execute-api.<region>.amazonaws.com`, at most 59) plus `/s/<code>`.
 */
export const MAX_SHORT_LINK_LENGTH = 80;
/** Longest opt-out suffix (CHAPAR_SMS_OPT_OUT_SUFFIX's own limit in shared/config.ts). */
export const MAX_OPT_OUT_SUFFIX_LENGTH = 40;
/** What the last line can take at most: newline, link, space, suffix. */
export const SMS_FOOTER_RESERVE = 1 + MAX_SHORT_LINK_LENGTH + 1 + MAX_OPT_OUT_SUFFIX_LENGTH;
/** Longest campaign SMS text: whatever the deployment's link and suffix, the SMS still fits. */
export const MAX_SMS_BODY_LENGTH = MAX_SMS_LENGTH - SMS_FOOTER_RESERVE;
/** A code of the real length, for previews and counts made before any link exists. */
export const SAMPLE_LINK_CODE = 'a1B2c3D4e5';

/** The deployment's parts of every marketing SMS. */
export interface SmsLayout {
  /** Public root without a trailing slash: links are `<publicBaseUrl>/s/<code>`. */
  readonly publicBaseUrl: string;
  /** The opt-out keyword, default «لغو۱۱»; may be empty. */
  readonly optOutSuffix: string;
}

/**
 * Checks and normalises the layout at cold start.
 * @throws ConfigError when the link or the suffix would not fit the room every campaign keeps.
 */
export function smsLayout(options: { publicBaseUrl: string; optOutSuffix: string }): SmsLayout {
  const publicBaseUrl = options.publicBaseUrl.replace(/\/+$/, '');
  const optOutSuffix = options.optOutSuffix.trim();
  const linkLength = smsLength(publicBaseUrl) + '/s/'.length + SHORT_LINK_CODE_LENGTH;
  if (linkLength > MAX_SHORT_LINK_LENGTH) {
    throw new ConfigError(
      `CHAPAR_PUBLIC_BASE_URL makes SMS links of ${linkLength} characters; at most ${MAX_SHORT_LINK_LENGTH} fit`,
      { context: { linkLength } },
    );
  }
  if (smsLength(optOutSuffix) > MAX_OPT_OUT_SUFFIX_LENGTH || /[\r\n]/.test(optOutSuffix)) {
    throw new ConfigError(
      `CHAPAR_SMS_OPT_OUT_SUFFIX must be one line of at most ${MAX_OPT_OUT_SUFFIX_LENGTH} characters`,
    );
  }
  return { publicBaseUrl, optOutSuffix };
}

/** The short unsubscribe link of a code. */
export function shortLinkUrl(layout: SmsLayout, code: string): string {
  return `${layout.publicBaseUrl}/s/${code}`;
}

/**
 * The SMS a recipient gets: the rendered campaign text, then the link and the suffix. The
 * result may exceed {@link MAX_SMS_LENGTH} when placeholder values are long: check it.
 */
export function composeSms(layout: SmsLayout, renderedText: string, code: string): string {
  const footer = layout.optOutSuffix
    ? `${shortLinkUrl(layout, code)} ${layout.optOutSuffix}`
    : shortLinkUrl(layout, code);
  return `${renderedText.trimEnd()}\n${footer}`;
}

/**
 * A template's final SMS before any link exists, for counts and previews: placeholders take
 * `values` (none: a representative contact with every value empty) and a sample code of the
 * real length stands in for the link's.
 */
export function sampleSms(layout: SmsLayout, template: string, values: TemplateValues = {}): string {
  return composeSms(layout, renderTemplate(template, values), SAMPLE_LINK_CODE);
}

/**
 * For counts made where the deployment's layout is not configured: the default suffix and a
 * link of the longest allowed length, so a default deployment's segments are never undercounted.
 */
export const LONGEST_SMS_LAYOUT: SmsLayout = Object.freeze({
  publicBaseUrl: `https://${'x'.repeat(MAX_SHORT_LINK_LENGTH - 'https://'.length - '/s/'.length - SHORT_LINK_CODE_LENGTH)}`,
  optOutSuffix: 'لغو۱۱',
});
