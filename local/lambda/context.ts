import { randomBytes, randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { type FunctionName, functions } from '../../shared/definitions';

/** Account id the emulators put in ARNs. */
export const LOCAL_ACCOUNT_ID = '000000000000';

/** What one invocation's context is made from. */
export interface ContextOptions {
  readonly region: string;
  /** Epoch milliseconds at which the invocation times out. */
  readonly deadline: number;
}

/**
 * A Lambda context as the Node.js runtime builds it for one invocation of `name`: a fresh
 * awsRequestId, the function's ARN, memory and log names, and the time left before the
 * function's timeout.
 */
export function createContext(name: FunctionName, options: ContextOptions): Context {
  const definition = functions[name];
  const today = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  const unsupported = (): never => {
    throw new Error('context.done/fail/succeed are not supported: return or throw from an async handler');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${options.region}:${LOCAL_ACCOUNT_ID}:function:${name}`,
    memoryLimitInMB: String(definition.memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: `${today}/[$LATEST]${randomBytes(16).toString('hex')}`,
    getRemainingTimeInMillis: () => Math.max(0, options.deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}
