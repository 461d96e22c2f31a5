import { routes, schedules } from '../shared/definitions';
import { DEFAULT_QUIET_HOURS, describeQuietHours, parseQuietHours } from '../shared/domain/quiet-hours';
import { buildConsole } from './console';
import {
  type LocalSettings,
  localVariables,
  type Platform,
  readLocalSettings,
  startPlatform,
} from './platform';

const REPEAT_SIGNAL_MS = 1_000;

/**
 * `npm start`: the local platform with the local variables (or their defaults), until
 * Ctrl-C or SIGTERM, which stop everything and exit 0. A failed start exits 1.
 */
async function main(): Promise<void> {
  let platform: Platform | undefined;
  let stoppingSince: number | undefined;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stoppingSince !== undefined) {
      // npm and tsx both relay the terminal's Ctrl-C, so one press can arrive twice at once;
      // only a later press means "stop waiting". The exit hook in local/dynamodb.ts still kills Java.
      if (performance.now() - stoppingSince < REPEAT_SIGNAL_MS) return;
      console.error(`\n${signal} again: exiting without waiting`);
      process.exit(1);
    }
    stoppingSince = performance.now();
    if (platform === undefined) return; // Still starting: stopped as soon as it is up.
    console.log(`\n${signal}: stopping the local platform...`);
    endPlatform(platform);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);

  const startedAt = performance.now();
  try {
    printVariables(readLocalSettings());
    // The console is built only when its sources changed since the last build.
    if (await buildConsole()) console.log('Console built (console/dist).');
    platform = await startPlatform();
  } catch (error) {
    console.error(`\nThe local platform did not start: ${describe(error)}`);
    process.exit(1);
  }
  if (stoppingSince !== undefined) {
    endPlatform(platform);
    return;
  }
  print(platform, (performance.now() - startedAt) / 1000);
}

function endPlatform(platform: Platform): void {
  platform.end().then(
    () => {
      console.log('Stopped.');
      process.exit(0);
    },
    (error: unknown) => {
      console.error(`Stopping failed: ${describe(error)}`);
      process.exit(1);
    },
  );
}

function print(platform: Platform, seconds: number): void {
  const { endpoints } = platform;
  const row = (label: string, value: string, width = 20): string => `  ${label.padEnd(width)}${value}`;
  const lines = [
    '',
    `Chapar local platform ready in ${seconds.toFixed(1)} s`,
    '',
    row('API', `${platform.apiUrl}  (GET /health)`),
    row('API reference', `${platform.apiUrl}/docs  (the contract: /v1/openapi.json)`),
    row('Console', `${platform.apiUrl}/console/`),
    row('SES inbox', `${platform.sesUrl}  (JSON: /store)`),
    row('Kavenegar sim', `${platform.kavenegarUrl}  (/_sim/messages)`),
    row('DynamoDB Local', endpoints.dynamodb),
    row('SQS (fauxqs)', endpoints.sqs),
    row('Secrets Manager', endpoints.secretsManager),
    row(
      'Cognito',
      `${endpoints.cognito.url}  (pool ${endpoints.cognito.userPoolId}, client ${endpoints.cognito.clientId})`,
    ),
    row('First admin', `${readLocalSettings().CHAPAR_ADMIN_EMAIL}  (password: CHAPAR_ADMIN_PASSWORD)`),
    '',
    'Routes:',
    ...routes.map((route) =>
      row(`${route.method} ${route.path}`, `${route.function}${route.public ? ' (public)' : ''}`, 42),
    ),
    '',
    'Schedules:',
    ...schedules.map((schedule) =>
      row(schedule.id, `${schedule.function} every ${schedule.localEverySeconds} s`, 42),
    ),
    '',
    describeQuietHours(parseQuietHours(process.env.CHAPAR_QUIET_HOURS ?? DEFAULT_QUIET_HOURS), new Date()),
    '',
    'Ctrl-C stops everything.',
  ];
  console.log(lines.join('\n'));
}

function printVariables(settings: LocalSettings): void {
  const lines = localVariables.map((variable) => {
    const origin = (process.env[variable.name] ?? '') === '' ? 'default' : 'env';
    const value = variable.secret ? '(secret, not shown)' : settings[variable.name];
    return `  ${variable.name.padEnd(26)}${value}  [${origin}]`;
  });
  console.log(['Local variables:', ...lines, '', 'Starting...'].join('\n'));
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const causes: string[] = [error.message];
  let cause = error.cause;
  while (cause instanceof Error) {
    causes.push(cause.message);
    cause = cause.cause;
  }
  return causes.join(': ');
}

await main();
