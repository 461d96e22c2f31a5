/** Anything the local platform starts and must end: an emulator or a piece of the runtime. */
export interface Endable {
  /** Ends it and waits until it has; safe to call twice. */
  end(): Promise<void>;
}

/** A started piece, named for the error if it fails to end. */
export interface Piece extends Endable {
  readonly name: string;
}

/**
 * Ends `pieces` one after another in reverse start order, so consumers end before what they
 * consume; every piece is ended even when another fails to.
 * @param what Names the whole in the error, e.g. 'The local platform'.
 * @throws AggregateError with one error per piece that failed to end, each naming the piece.
 */
export async function endAll(pieces: readonly Piece[], what: string): Promise<void> {
  const failures: Error[] = [];
  for (const piece of pieces.toReversed()) {
    try {
      await piece.end();
    } catch (error) {
      failures.push(new Error(`${piece.name} did not end`, { cause: error }));
    }
  }
  if (failures.length > 0) throw new AggregateError(failures, `${what} did not stop cleanly`);
}

/** The pieces started so far, in start order. */
export class Started implements Endable {
  readonly #pieces: Piece[] = [];
  readonly #what: string;
  #ended: Promise<void> | undefined;

  constructor(what: string) {
    this.#what = what;
  }

  /** Records a piece that has started and hands it back. */
  add<T extends Endable>(name: string, piece: T): T {
    this.#pieces.push({ name, end: () => piece.end() });
    return piece;
  }

  /** Ends every piece added, in reverse order (see {@link endAll}); later calls share the first. */
  end(): Promise<void> {
    this.#ended ??= endAll(this.#pieces, this.#what);
    return this.#ended;
  }
}

/**
 * Runs `start`, which adds each piece to the stack as it comes up. If it throws, every piece
 * already started is ended before the error is rethrown, as Architect's sandbox does: a failed
 * start leaves no server listening and no Java process behind.
 * @param what Names the whole in the error of a failed end, e.g. 'The local platform'.
 */
export async function startInOrder<T>(what: string, start: (started: Started) => Promise<T>): Promise<T> {
  const started = new Started(what);
  try {
    return await start(started);
  } catch (error) {
    // The start's error is the one worth reporting; a failure to end would only hide it.
    await started.end().catch(() => undefined);
    throw error;
  }
}
