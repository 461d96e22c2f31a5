import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { type ApiClient, type ApiConfig, ApiError, apiClient, apiConfig, UsageError } from './client';
import { campaignsCommand } from './commands/campaigns';
import { contactsCommand } from './commands/contacts';
import { importsCommand } from './commands/imports';
import { listsCommand } from './commands/lists';
import { messagesCommand } from './commands/messages';
import { reportsCommand } from './commands/reports';
import { segmentsCommand } from './commands/segments';
import { templatesCommand } from './commands/templates';
import { jsonText } from './output';

/** An output stream as the CLI needs it (process.stdout, or a test's buffer). */
export interface Output {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** What the CLI reads and writes besides its arguments: a test hands in its own. */
export interface CliIo {
  readonly stdout: Output;
  readonly stderr: Output;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly fetch?: typeof fetch;
  /** How long live views wait between two reads (tests make it short). */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** What a command's action works with. */
export interface Context {
  readonly client: ApiClient;
  readonly config: ApiConfig;
  /** `--json`: print the API's answers for scripts instead of tables. */
  readonly json: boolean;
  readonly io: CliIo;
  readonly fetch: typeof fetch;
  readonly sleep: (ms: number) => Promise<void>;
  /** Prints a table or text for people, or `value` as JSON with `--json`. */
  print(value: unknown, forPeople: () => string): void;
}

/** A command's work, given its context, its own options and its arguments in order. */
export type Action<Options, Args extends unknown[]> = (
  context: Context,
  options: Options,
  ...args: Args
) => Promise<void>;

/** Turns an Action into a commander action (which passes the arguments, options, then the command). */
export type Act = <Options = Record<string, never>, Args extends unknown[] = string[]>(
  run: Action<Options, Args>,
) => (...all: unknown[]) => Promise<void>;

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function contextOf(command: Command, io: CliIo): Context {
  const globals = command.optsWithGlobals<{ apiUrl?: string; apiKey?: string; json?: boolean }>();
  const config = apiConfig(globals, io.env);
  const fetchImpl = io.fetch ?? globalThis.fetch;
  const json = globals.json === true;
  return {
    client: apiClient(config, fetchImpl),
    config,
    json,
    io,
    fetch: fetchImpl,
    sleep: io.sleep ?? wait,
    print: (value, forPeople) => io.stdout.write(json ? jsonText(value) : forPeople()),
  };
}

/** A whole number in [1, max] for options such as --limit. */
export function positiveInteger(max: number) {
  return (text: string): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1 || value > max)
      throw new InvalidArgumentError(`must be a whole number from 1 to ${max}`);
    return value;
  };
}

/** The `chapar` program, writing through `io`. */
export function buildProgram(io: CliIo): Command {
  const program = new Command('chapar')
    .description('Chapar from the command line: contacts, lists, campaigns, templates and messages')
    .option('--api-url <url>', 'the Chapar API (default $CHAPAR_API_URL, else http://127.0.0.1:3000)')
    .option('--api-key <key>', 'the marketer API key (default $CHAPAR_API_KEY)')
    .option('--json', 'print the API answers as JSON, for scripts')
    .exitOverride()
    .showHelpAfterError('(chapar --help shows every command)')
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
  const act: Act =
    (run) =>
    async (...all) => {
      const command = all.at(-1) as Command;
      const untyped = run as (context: Context, options: unknown, ...args: unknown[]) => Promise<void>;
      await untyped(contextOf(command, io), command.opts(), ...all.slice(0, -2));
    };
  contactsCommand(program.command('contacts').description('contacts: import, get, search, erase'), act);
  importsCommand(
    program.command('imports').description('contact imports: their state and invalid rows'),
    act,
  );
  campaignsCommand(
    program.command('campaigns').description('campaigns: list, show, create, follow, steer'),
    act,
  );
  listsCommand(program.command('lists').description('contact lists and their members'), act);
  segmentsCommand(program.command('segments').description('segments: preview a filter'), act);
  templatesCommand(
    program.command('templates').description('reusable templates in Persian and English'),
    act,
  );
  messagesCommand(program.command('messages').description('transactional messages'), act);
  reportsCommand(program.command('reports').description('spoofed-SMS reports'), act);
  return program;
}

/**
 * Runs the CLI on `argv` (without node and the script) and answers its exit code: 0 done, 1
 * refused by the API (its message on stderr), 2 bad usage (commander's own errors too).
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof UsageError) {
      io.stderr.write(`chapar: ${error.message}\n`);
      return 2;
    }
    if (error instanceof ApiError) {
      io.stderr.write(`chapar: ${error.message}\n`);
      return 1;
    }
    io.stderr.write(`chapar: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
