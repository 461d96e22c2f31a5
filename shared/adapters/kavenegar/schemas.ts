import { z } from 'zod';

/** Kavenegar ids and localids come back as numbers or strings; Chapar keeps them as strings. */
const id = z.union([z.number(), z.string()]).transform(String);
const integer = z.coerce.number().int();
const amount = z.coerce.number().finite();

/** `{return: {status, message}, entries}`; entries is null on an error. */
export const envelopeSchema = z.object({
  return: z.object({ status: z.number().int(), message: z.string().default('') }),
  entries: z.unknown(),
});

export const sendEntriesSchema = z.array(
  z.object({
    messageid: id,
    message: z.string(),
    status: integer,
    statustext: z.string().default(''),
    sender: z.coerce.string(),
    receptor: z.coerce.string(),
    date: integer,
    cost: amount,
  }),
);

const statusEntry = z.object({ messageid: id, status: integer, statustext: z.string().default('') });

export const statusEntriesSchema = z.array(statusEntry);

export const localStatusEntriesSchema = z.array(statusEntry.extend({ localid: id }));

const accountInfo = z.object({ remaincredit: amount, expiredate: integer, type: z.coerce.string() });

/** account/info answers an object; tolerate a one-element array too. */
export const accountInfoSchema = z.union([accountInfo, z.tuple([accountInfo]).transform(([info]) => info)]);
