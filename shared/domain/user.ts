/** People who sign in: what the users routes accept. */
import * as z from 'zod/mini';
import { schema } from './mini-validation';
import { ROLES } from './roles';

const role = /* @__PURE__ */ schema(() => z.enum(ROLES, `must be one of ${ROLES.join(', ')}`));

export const inviteUserSchema = /* @__PURE__ */ schema(() =>
  z.strictObject({
    email: z.email('must be an email address').check(z.maxLength(254, 'must be at most 254 characters')),
    role,
  }),
);
export type InviteUserInput = z.output<typeof inviteUserSchema>;

export const updateUserSchema = /* @__PURE__ */ schema(() =>
  z
    .strictObject({
      role: z.optional(role),
      enabled: z.optional(z.boolean('must be true or false')),
    })
    .check(
      z.refine((change) => change.role !== undefined || change.enabled !== undefined, {
        message: 'must change role or enabled',
      }),
    ),
);
export type UpdateUserInput = z.output<typeof updateUserSchema>;

/** Cognito usernames: at most 128 characters, no whitespace or control characters. */
export const USERNAME = /^[^\s\p{C}]{1,128}$/u;
