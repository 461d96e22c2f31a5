/** Inputs and typed entries of the Kavenegar methods Chapar calls. */

/** Most receptors one sms/send or sms/sendarray call takes (Kavenegar answers 414 past it). */
export const MAX_RECEPTORS_PER_CALL = 200;
/** Most message ids one sms/status or sms/cancel call takes. */
export const MAX_IDS_PER_STATUS_CALL = 500;

/** Longest text Kavenegar accepts, in characters (413 past it). */
export const MAX_MESSAGE_LENGTH = 900;

/** When to send: a Date, or unix seconds. Omitted means now. */
export type KavenegarDate = Date | number;

/** One text to many receptors (sms/send). */
export interface KavenegarSendInput {
  /** E.164 Iranian mobiles (`+989xxxxxxxxx`), at most 200. */
  readonly receptors: readonly string[];
  readonly message: string;
  /** A line of the account, digits only. */
  readonly sender: string;
  /** One per receptor, same order; no commas. */
  readonly localIds?: readonly string[];
  readonly date?: KavenegarDate;
}

/** One text per receptor (sms/sendarray): the three arrays have equal length. */
export interface KavenegarSendArrayInput {
  readonly receptors: readonly string[];
  readonly senders: readonly string[];
  readonly messages: readonly string[];
  readonly localIds?: readonly string[];
  readonly date?: KavenegarDate;
}

/** One accepted SMS. */
export interface KavenegarSendEntry {
  readonly messageId: string;
  readonly message: string;
  /** 1 queued, 2 scheduled, 4/5 with the operator, 6 failed, 10 delivered, 11 not delivered ... */
  readonly status: number;
  readonly statusText: string;
  readonly sender: string;
  /** Back in E.164 (`+989xxxxxxxxx`). */
  readonly receptor: string;
  /** Unix seconds. */
  readonly date: number;
  /** Rial. */
  readonly cost: number;
}

/** The status of one message (sms/status, sms/cancel); 100 means the id is unknown. */
export interface KavenegarStatusEntry {
  readonly messageId: string;
  readonly status: number;
  readonly statusText: string;
}

/** The status of one message looked up by the localid it was sent with. */
export interface KavenegarLocalStatusEntry extends KavenegarStatusEntry {
  readonly localId: string;
}

/** account/info. */
export interface KavenegarAccountInfo {
  /** Rial. */
  readonly remainCredit: number;
  /** Unix seconds. */
  readonly expireDate: number;
  readonly type: string;
}
