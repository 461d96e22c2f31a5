import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DeadLetterRedrive, type RedriveResult } from '../shared/adapters/sqs/dead-letter-redrive';
import { type QueueName, queues } from '../shared/definitions';

const USAGE = `Usage: npm run redrive -- <queue> [--max N] [--dry-run]
       npm run redrive -- --queue-url <url> [--max N] [--dry-run]
<queue>: ${Object.keys(queues).join(', ')}, a queue id (SmsQueue ...) or a queue's name.
The SDK's usual settings apply: AWS_REGION, credentials, AWS_ENDPOINT_URL_SQS locally.`;

/** What the command line asks for. */
export interface RedriveArgs {
  readonly queue: { url: string } | { name: string };
  readonly max?: number;
  readonly dryRun: boolean;
}

/** Parses the arguments; a bad one throws with the usage. */
export function parseRedriveArgs(argv: readonly string[]): RedriveArgs {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      'queue-url': { type: 'string' },
      max: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
    },
  });
  const url = values['queue-url'];
  if ((url === undefined) === (positionals.length !== 1)) {
    throw new Error(`Give one queue, by name or --queue-url\n${USAGE}`);
  }
  const max = values.max === undefined ? undefined : Number(values.max);
  if (max !== undefined && (!Number.isInteger(max) || max < 1)) {
    throw new Error(`--max must be a whole number of at least 1, not "${values.max}"\n${USAGE}`);
  }
  const [name = ''] = positionals;
  // A definitions key (sms) stands for its queue's id (SmsQueue), part of its name everywhere.
  const id = name in queues ? queues[name as QueueName].id : name;
  return {
    queue: url === undefined ? { name: id } : { url },
    ...(max === undefined ? {} : { max }),
    dryRun: values['dry-run'] === true,
  };
}

/** One line an operator reads, and a script can grep. */
export function describeRedrive(result: RedriveResult): string {
  const route = `${result.dlq.name} -> ${result.source.name}`;
  if (result.dryRun) return `${route}: dry run, ${result.waiting} waiting in the DLQ, nothing moved`;
  return `${route}: ${result.waiting} were waiting, moved ${result.moved}, failed ${result.failed}`;
}

/**
 * `npm run redrive`: moves a queue's dead letters back to it (see DeadLetterRedrive). Exits 1
 * if a message could not be sent back, 2 on bad arguments or a queue that cannot be found.
 */
async function main(): Promise<void> {
  let args: RedriveArgs;
  try {
    args = parseRedriveArgs(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  const redrive = new DeadLetterRedrive();
  try {
    const found = await redrive.findQueues(args.queue);
    const result = await redrive.redrive(found, {
      dryRun: args.dryRun,
      ...(args.max ? { max: args.max } : {}),
    });
    console.log(describeRedrive(result));
    process.exit(result.failed > 0 ? 1 : 0);
  } catch (error) {
    console.error(`Redrive failed: ${(error as Error).message}`);
    process.exit(2);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
