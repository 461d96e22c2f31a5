/**
 * The module the local runtime loads for a function while the Lambda meter is installed:
 * `?function=<name>` names the function; this loads its real handler and exports it metered.
 */
import type { FunctionName } from '../../shared/definitions';
import { meterHandler, originalEntry } from './lambda-meter';

const name = new URL(import.meta.url).searchParams.get('function') as FunctionName;
const real = (await import(new URL(`../../${originalEntry(name)}`, import.meta.url).href)) as {
  handler: (event: unknown, context: unknown) => Promise<unknown>;
};

export const handler = meterHandler(name, real.handler);
