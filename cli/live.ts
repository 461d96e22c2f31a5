import { Presets, SingleBar } from 'cli-progress';
import type { Output } from './program';

/**
 * A progress bar on stderr (stdout stays free for the result). On a terminal it redraws in
 * place; elsewhere (a CI log, a test's pipe) it prints a line every `everyMs`.
 */
export function progressBar(stream: Output, label: string, everyMs = 1000): SingleBar {
  const tty = stream.isTTY === true;
  return new SingleBar(
    {
      stream: stream as unknown as NodeJS.WritableStream,
      format: `${label} {bar} {percentage}% | {value}/{total} rows | {status}`,
      hideCursor: tty,
      noTTYOutput: !tty,
      notTTYSchedule: everyMs,
      etaBuffer: 20,
    },
    Presets.shades_classic,
  );
}

/**
 * A block of lines that is redrawn as it changes: rewritten in place on a terminal, printed again
 * below elsewhere (only when it changed, so a log is not flooded by an unchanged view).
 */
export class LiveBlock {
  private lines = 0;
  private last = '';

  constructor(private readonly stream: Output) {}

  draw(text: string): void {
    if (text === this.last) return;
    if (this.lines > 0)
      this.stream.write(this.stream.isTTY === true ? `\u001b[${this.lines}A\u001b[J` : '\n');
    this.stream.write(text);
    this.last = text;
    this.lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  }
}
