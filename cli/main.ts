/** The `chapar` command's entry (started by cli/bin.mjs on the project's Node 24 with tsx). */
import { run } from './program';

process.exitCode = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
