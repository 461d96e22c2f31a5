import * as z from 'zod/mini';

export type EmailResult =
  | { readonly ok: true; readonly email: string }
  | { readonly ok: false; readonly reason: string };

const emailSchema = z.email();

/** Trims and lower-cases an address and checks its shape (RFC 5321 caps it at 254 characters). */
export function normaliseEmail(input: string): EmailResult {
  const email = input.trim().toLowerCase();
  if (email === '') return { ok: false, reason: 'is empty' };
  if (email.length > 254) return { ok: false, reason: 'is longer than 254 characters' };
  if (!emailSchema.safeParse(email).success) return { ok: false, reason: 'is not a valid email address' };
  return { ok: true, email };
}
