import { defineConfig } from 'vitest/config';

/**
 * unit: pure code, no network. integration: handlers and adapters against the emulators,
 * started once by test/setup/emulators.ts. e2e: the whole local platform over HTTP.
 * infra: CDK assertions and cdk-nag.
 */
// Tests must not depend on the time of day: quiet hours (22:00-08:00 Tehran) are off unless a
// test sets its own window, as the quiet-hours tests do. Expected refusals log at WARN; keep the
// output to errors (the privacy test sets DEBUG itself).
const timeIndependent = { CHAPAR_QUIET_HOURS: '', POWERTOOLS_LOG_LEVEL: 'ERROR' };

export default defineConfig({
  test: {
    reporters: ['default'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/setup/emulators.ts'],
          testTimeout: 60_000,
          env: timeIndependent,
        },
      },
      {
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 120_000, env: timeIndependent },
      },
      {
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          setupFiles: ['test/setup/infra-temp.ts'],
          testTimeout: 120_000,
        },
      },
    ],
  },
});
