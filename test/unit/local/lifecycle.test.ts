import { describe, expect, it } from 'vitest';
import { endAll, type Piece, Started, startInOrder } from '../../../local/lifecycle';

/** A piece that records when it ends, and fails to if told. */
function piece(name: string, ended: string[], fails = false): Piece {
  return {
    name,
    end: async () => {
      ended.push(name);
      if (fails) throw new Error(`${name} is stuck`);
    },
  };
}

describe('endAll', () => {
  it('ends pieces in reverse start order', async () => {
    // Prepare
    const ended: string[] = [];

    // Act
    await endAll([piece('emulators', ended), piece('gateway', ended), piece('pollers', ended)], 'It');

    // Assess
    expect(ended).toEqual(['pollers', 'gateway', 'emulators']);
  });

  it('ends every piece when some fail, and names each failure', async () => {
    // Prepare
    const ended: string[] = [];
    const pieces = [piece('a', ended, true), piece('b', ended), piece('c', ended, true)];

    // Act
    const failure = await endAll(pieces, 'The local platform').catch((error: unknown) => error);

    // Assess
    expect(ended).toEqual(['c', 'b', 'a']);
    expect(failure).toBeInstanceOf(AggregateError);
    const aggregate = failure as AggregateError;
    expect(aggregate.message).toBe('The local platform did not stop cleanly');
    expect(aggregate.errors.map((error: Error) => error.message)).toEqual(['c did not end', 'a did not end']);
    expect(aggregate.errors.map((error: Error) => (error.cause as Error).message)).toEqual([
      'c is stuck',
      'a is stuck',
    ]);
  });
});

describe('Started', () => {
  it('ends its pieces once however often it is ended', async () => {
    // Prepare
    const ended: string[] = [];
    const started = new Started('It');
    started.add('first', piece('first', ended));
    started.add('second', piece('second', ended));

    // Act
    await Promise.all([started.end(), started.end()]);
    await started.end();

    // Assess
    expect(ended).toEqual(['second', 'first']);
  });
});

describe('startInOrder', () => {
  it('ends what had started when a later piece fails to start, and rethrows its error', async () => {
    // Prepare
    const ended: string[] = [];
    const refused = new Error('port in use');

    // Act
    const attempt = startInOrder('It', async (started) => {
      started.add('dynamodb', piece('dynamodb', ended));
      started.add('sqs', piece('sqs', ended, true));
      throw refused;
    });

    // Assess: the start's error, not the failed end's.
    await expect(attempt).rejects.toBe(refused);
    expect(ended).toEqual(['sqs', 'dynamodb']);
  });

  it('leaves the pieces running when the start succeeds', async () => {
    // Prepare
    const ended: string[] = [];

    // Act
    const handle = await startInOrder('It', async (started) => {
      started.add('ses', piece('ses', ended));
      return started;
    });

    // Assess
    expect(ended).toEqual([]);
    await handle.end();
    expect(ended).toEqual(['ses']);
  });
});
