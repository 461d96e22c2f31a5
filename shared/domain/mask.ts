import { normaliseIranianMobile } from './phone';

/** Masking for logs and alarms: enough to tell records apart, never enough to contact anyone. */

/** +989121234567 → +98912***4567 */
export function maskPhone(phone: string): string {
  if (phone.length <= 6) return '***';
  return `${phone.slice(0, 6)}***${phone.slice(-2)}`;
}

/** someone@example.com → s***@e***.com */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  const domain = email.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  const tld = dot >= 0 ? domain.slice(dot) : '';
  return `${email[0]}***@${domain[0] ?? ''}***${tld}`;
}

const PHONE_IN_TEXT =
  /(?:\+|00)?98[\s-]?\(?9\d{2}\)?[\s-]?\d{3}[\s-]?\d{4}|\b0?9\d{2}\)?[\s-]?\d{3}[\s-]?\d{4}\b/g;
// No '/' after the @: `node_modules/@aws-sdk/core/index.js` in a stack trace is not an address.
const EMAIL_IN_TEXT = /[^\s@"'<>(),;:]+@[^\s@"'<>(),;:/]+\.[a-z]{2,}/gi;

/** Masks every phone number and email address found in free text. */
export function maskText(text: string): string {
  return text
    .replace(EMAIL_IN_TEXT, (match) => maskEmail(match))
    .replace(PHONE_IN_TEXT, (match) => {
      // Mask the E.164 form, so 09… and 9… forms hide as much as +98… does.
      const normalised = normaliseIranianMobile(match);
      return maskPhone(normalised.ok ? normalised.e164 : match);
    });
}
