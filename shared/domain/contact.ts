import * as z from 'zod/mini';
import { normaliseEmail } from './email';
import { schema } from './mini-validation';
import { normaliseIranianMobile } from './phone';
import { type AttributeValue, LOCALES } from './types';
import { addIssue } from './validation';

const ATTRIBUTE_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** The contact-id rule lives with the other ids; re-exported for this module's callers. */
export { contactIdProblem } from './ids';

/** The body of PUT /v1/contacts/{id}: phone and email arrive as people write them and leave normalised. */
export const contactInputSchema = /* @__PURE__ */ schema(() =>
  z.pipe(
    z.strictObject({
      phone: z.optional(z.string().check(z.maxLength(64, 'must be at most 64 characters'))),
      email: z.optional(z.string().check(z.maxLength(320, 'must be at most 320 characters'))),
      locale: z._default(z.enum(LOCALES, 'must be "fa" or "en"'), 'fa'),
      name: z.optional(z.string().check(z.trim(), z.maxLength(200, 'must be at most 200 characters'))),
      attributes: z._default(
        z
          .record(
            z
              .string()
              .check(z.regex(ATTRIBUTE_KEY, 'attribute names are letters, digits and _ (at most 64)')),
            z.union([z.string().check(z.maxLength(1000)), z.number(), z.boolean()]),
          )
          .check(z.refine((record) => Object.keys(record).length <= 50, 'at most 50 attributes')),
        {},
      ),
    }),
    z.transform((input, ctx) => {
      let phone: string | undefined;
      let email: string | undefined;
      if (input.phone !== undefined) {
        const result = normaliseIranianMobile(input.phone);
        if (result.ok) phone = result.e164;
        else addIssue(ctx, ['phone'], result.reason);
      }
      if (input.email !== undefined) {
        const result = normaliseEmail(input.email);
        if (result.ok) email = result.email;
        else addIssue(ctx, ['email'], result.reason);
      }
      if (input.phone === undefined && input.email === undefined) {
        addIssue(ctx, [], 'a contact needs a phone, an email or both');
      }
      return {
        locale: input.locale,
        attributes: input.attributes as Record<string, AttributeValue>,
        ...(phone ? { phone } : {}),
        ...(email ? { email } : {}),
        ...(input.name ? { name: input.name } : {}),
      };
    }),
  ),
);
export type ContactInput = z.output<typeof contactInputSchema>;
