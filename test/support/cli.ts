import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { API_KEY } from './http';

/** The `chapar` bin as package.json names it: its shebang's node, whichever that is, runs the launcher. */
const CHAPAR = fileURLToPath(new URL('../../cli/bin.mjs', import.meta.url));

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `chapar …` as a user would: a subprocess configured by CHAPAR_API_URL and CHAPAR_API_KEY. */
export function runChapar(apiUrl: string, ...args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(CHAPAR, args, {
      env: { ...process.env, CHAPAR_API_URL: apiUrl, CHAPAR_API_KEY: API_KEY },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
  });
}
