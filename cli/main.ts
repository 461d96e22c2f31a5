/** The `chapar` command's entry (started by cli/bin.mjs on the project's Node 24 with tsx). */
import { run } from './program';

// Ctrl-C during a progress bar or a watch: give the terminal its cursor back, end as SIGINT does.
process.once('SIGINT', () => {
  if (process.stderr.isTTY) process.stderr.write('\u001b[?25h\n');
  process.exit(130);
});

process.exitCode = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
