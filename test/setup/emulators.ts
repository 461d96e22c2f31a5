import type { TestProject } from 'vitest/node';
import { type EmulatorEndpoints, startEmulators } from '../../local/emulators';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the shared emulators answer; see test/support/emulators.ts. */
    emulators: EmulatorEndpoints;
  }
}

/**
 * globalSetup of the integration project: starts DynamoDB Local, fauxqs, the SES emulator,
 * the Secrets Manager emulator and cognito-local once, on free ports, for every test file (each file makes
 * its own prefixed resources with useEmulators). The teardown stops them all, Java included.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const emulators = await startEmulators({
    dynamodbPort: 0,
    sqsPort: 0,
    sesPort: 0,
    secretsPort: 0,
    cognitoPort: 0,
  });
  project.provide('emulators', { ...emulators.endpoints });
  return () => emulators.end();
}
