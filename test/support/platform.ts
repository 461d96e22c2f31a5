import { type PlatformOptions, startPlatform } from '../../local/platform';

export type TestPlatform = Awaited<ReturnType<typeof startPlatform>>;

/**
 * The whole local platform for an e2e test file: every port chosen by the system (test files run
 * side by side and beside a developer's `npm start`), quiet logs, and a visibility timeout of
 * seconds so retried messages come back within a test. Quiet hours are off through the e2e
 * project's environment (vitest.config.ts).
 */
export function startTestPlatform(
  options: Pick<PlatformOptions, 'env' | 'quiet'> = {},
): Promise<TestPlatform> {
  return startPlatform({
    apiPort: 0,
    sesPort: 0,
    kavenegarPort: 0,
    dynamodbPort: 0,
    sqsPort: 0,
    secretsPort: 0,
    cognitoPort: 0,
    quiet: true,
    visibilityTimeoutSeconds: 3,
    ...options,
  });
}
