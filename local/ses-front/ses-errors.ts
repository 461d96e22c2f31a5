import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/**
 * The SESv2 errors the front can answer, with the status the service model gives each
 * (@aws-sdk/client-sesv2's error schemas) and SES's own wording where it is known. The SDK
 * reads the name from `x-amzn-ErrorType` and raises the modelled class of that name;
 * InternalFailure, ServiceUnavailable and ThrottlingException are AWS's common errors, which
 * the SDK raises as SESv2ServiceException with `name` set to the code.
 */
export const SES_ERRORS = {
  InternalFailure: {
    status: 500,
    message: 'The request processing has failed because of an unknown error, exception or failure.',
  },
  InternalServiceErrorException: { status: 500, message: 'The request couldn’t be processed.' },
  ServiceUnavailable: {
    status: 503,
    message: 'The request has failed due to a temporary failure of the server.',
  },
  // Real SESv2 answers a send past the account's rate this way (429, this message).
  TooManyRequestsException: { status: 429, message: 'Maximum sending rate exceeded.' },
  ThrottlingException: { status: 400, message: 'Rate exceeded' },
  SendingPausedException: { status: 400, message: 'Sending is paused for this account.' },
  MessageRejected: { status: 400, message: 'Email address is on the rejection list.' },
  AccountSuspendedException: {
    status: 400,
    message: 'Your account has been shut down because of issues related to your email sending practices.',
  },
  LimitExceededException: { status: 400, message: 'Daily message quota exceeded.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type SesErrorName = keyof typeof SES_ERRORS;

/** The names failNext accepts, in the order SES_ERRORS lists them. */
export const SES_ERROR_NAMES = Object.keys(SES_ERRORS) as [SesErrorName, ...SesErrorName[]];

/** Answers in SESv2's REST-JSON error shape: status, `x-amzn-ErrorType`, `{message}`. */
export function sendSesError(response: ServerResponse, name: SesErrorName, message?: string): void {
  if (response.destroyed || response.headersSent) return;
  const error = SES_ERRORS[name];
  response.writeHead(error.status, {
    'content-type': 'application/json',
    'x-amzn-errortype': name,
    'x-amzn-requestid': randomUUID(),
  });
  response.end(JSON.stringify({ message: message ?? error.message }));
}
