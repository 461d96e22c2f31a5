import * as z from 'zod/mini';

/** Kavenegar ids and localids come back as numbers or strings; Chapar keeps them as strings. */
const id = z.pipe(z.union([z.number(), z.string()]), z.transform(String));
const integer = z.coerce.number().check(z.int());
// zod numbers refuse Infinity and NaN already (classic zod's `.finite()` was a no-op).
const amount = z.coerce.number();

/** `{return: {status, message}, entries}`; entries is null on an error. */
export const envelopeSchema = z.object({
  return: z.object({ status: z.number().check(z.int()), message: z._default(z.string(), '') }),
  entries: z.unknown(),
});

export const sendEntriesSchema = z.array(
  z.object({
    messageid: id,
    message: z.string(),
    status: integer,
    statustext: z._default(z.string(), ''),
    sender: z.coerce.string(),
    receptor: z.coerce.string(),
    date: integer,
    cost: amount,
  }),
);

const statusEntry = z.object({ messageid: id, status: integer, statustext: z._default(z.string(), '') });

export const statusEntriesSchema = z.array(statusEntry);

export const localStatusEntriesSchema = z.array(z.extend(statusEntry, { localid: id }));

const accountInfo = z.object({ remaincredit: amount, expiredate: integer, type: z.coerce.string() });

/** account/info answers an object; tolerate a one-element array too. */
export const accountInfoSchema = z.union([
  accountInfo,
  z.pipe(
    z.tuple([accountInfo]),
    z.transform(([info]) => info),
  ),
]);
