import { z } from 'zod';
import { normaliseEmail } from './email';
import { normaliseIranianMobile } from './phone';
import { type AttributeValue, LOCALES } from './types';

const ATTRIBUTE_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** The contact-id rule lives with the other ids; re-exported for this module's callers. */
export { contactIdProblem } from './ids';

/** The body of PUT /v1/contacts/{id}: phone and email arrive as people write them and leave normalised. */
export const contactInputSchema = z
  .strictObject({
    phone: z.string().max(64, 'must be at most 64 characters').optional(),
    email: z.string().max(320, 'must be at most 320 characters').optional(),
    locale: z.enum(LOCALES, 'must be "fa" or "en"').default('fa'),
    name: z.string().trim().max(200, 'must be at most 200 characters').optional(),
    attributes: z
      .record(
        z.string().regex(ATTRIBUTE_KEY, 'attribute names are letters, digits and _ (at most 64)'),
        z.union([z.string().max(1000), z.number(), z.boolean()]),
      )
      .refine((record) => Object.keys(record).length <= 50, 'at most 50 attributes')
      .default({}),
  })
  .transform((input, ctx) => {
    let phone: string | undefined;
    let email: string | undefined;
    if (input.phone !== undefined) {
      const result = normaliseIranianMobile(input.phone);
      if (result.ok) phone = result.e164;
      else ctx.addIssue({ code: 'custom', path: ['phone'], message: result.reason });
    }
    if (input.email !== undefined) {
      const result = normaliseEmail(input.email);
      if (result.ok) email = result.email;
      else ctx.addIssue({ code: 'custom', path: ['email'], message: result.reason });
    }
    if (input.phone === undefined && input.email === undefined) {
      ctx.addIssue({ code: 'custom', path: [], message: 'a contact needs a phone, an email or both' });
    }
    return {
      locale: input.locale,
      attributes: input.attributes as Record<string, AttributeValue>,
      ...(phone ? { phone } : {}),
      ...(email ? { email } : {}),
      ...(input.name ? { name: input.name } : {}),
    };
  });
export type ContactInput = z.output<typeof contactInputSchema>;
