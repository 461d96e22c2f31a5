import * as z from 'zod/mini';
import { schema } from './mini-validation';

export type EmailResult =
  | { readonly ok: true; readonly email: string }
  | { readonly ok: false; readonly reason: string };

const emailSchema = /* @__PURE__ */ schema(() => z.email());

/** Trims and lower-cases an address and checks its shape (RFC 5321 caps it at 254 characters). */
export function normaliseEmail(input: string): EmailResult {
  const email = input.trim().toLowerCase();
  if (email === '') return { ok: false, reason: 'is empty' };
  if (email.length > 254) return { ok: false, reason: 'is longer than 254 characters' };
  if (!emailSchema.safeParse(email).success) return { ok: false, reason: 'is not a valid email address' };
  return { ok: true, email };
}
