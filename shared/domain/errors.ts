/**
 * Chapar's error hierarchy. Each error has a name, an optional cause and typed context;
 * they are mapped to HTTP in one place only (shared/http/respond.ts).
 */

export class ChaparError extends Error {
  override readonly name: string = 'ChaparError';
  readonly context: Record<string, unknown>;

  constructor(message: string, options: { cause?: unknown; context?: Record<string, unknown> } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.context = options.context ?? {};
  }
}

/** One problem with one field of a request. */
export interface FieldIssue {
  readonly field: string;
  readonly message: string;
}

/** The request is malformed or breaks a rule: 400. */
export class ValidationError extends ChaparError {
  override readonly name = 'ValidationError';
  readonly issues: readonly FieldIssue[];

  constructor(message: string, issues: readonly FieldIssue[] = []) {
    super(message, { context: { issues } });
    this.issues = issues;
  }
}

/** Missing or wrong credentials: 401. */
export class UnauthorizedError extends ChaparError {
  override readonly name = 'UnauthorizedError';
}

/** Known credentials without the role a route needs: 403, naming that role. */
export class ForbiddenError extends ChaparError {
  override readonly name = 'ForbiddenError';
}

/** The named thing does not exist: 404. */
export class NotFoundError extends ChaparError {
  override readonly name = 'NotFoundError';
}

/** The request conflicts with the current state (a cancelled campaign cannot be cancelled): 409. */
export class ConflictError extends ChaparError {
  override readonly name = 'ConflictError';
}

/** The request body is larger than a route accepts: 413. */
export class PayloadTooLargeError extends ChaparError {
  override readonly name = 'PayloadTooLargeError';
}

/** The request body's Content-Type is not one the route reads: 415. */
export class UnsupportedMediaTypeError extends ChaparError {
  override readonly name = 'UnsupportedMediaTypeError';
}

/**
 * How a provider failure should be handled:
 * - `retryable`: transient; retry later with backoff (throttling, timeouts, 5xx);
 * - `recipient`: this recipient's fault; fail this recipient only;
 * - `message`: the message itself is bad; fail it, retrying will not help;
 * - `campaign`: will not heal by itself (credit, keys, sender); pause the campaign and alert.
 */
export type FailureClass = 'retryable' | 'recipient' | 'message' | 'campaign';

/** A provider (Kavenegar, SES) refused or failed a call. */
export class ProviderError extends ChaparError {
  override readonly name = 'ProviderError';
  readonly provider: string;
  readonly code: string;
  readonly failureClass: FailureClass;
  /**
   * True when the call may have reached the provider and been accepted although no answer
   * arrived (timeout, connection lost, garbled reply): the messages may have gone out, so the
   * caller must look them up before sending again. False when the provider surely refused, or
   * the call was never made. Set by the adapter, which alone knows what its transport saw.
   */
  readonly outcomeUnknown: boolean;

  constructor(
    provider: string,
    code: string,
    failureClass: FailureClass,
    message: string,
    options: { cause?: unknown; context?: Record<string, unknown>; outcomeUnknown?: boolean } = {},
  ) {
    super(message, options);
    this.provider = provider;
    this.code = code;
    this.failureClass = failureClass;
    this.outcomeUnknown = options.outcomeUnknown ?? false;
  }

  get retryable(): boolean {
    return this.failureClass === 'retryable';
  }
}

/** The environment or a secret is missing or wrong: the function must not start. */
export class ConfigError extends ChaparError {
  override readonly name = 'ConfigError';
}
