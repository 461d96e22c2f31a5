import { schedules as definedSchedules, type ScheduleDefinition } from '../../shared/definitions';
import { type HandlerSource, invokeFunction } from './functions';

/** The input Chapar's EventBridge Scheduler targets receive. */
export interface ScheduleInput {
  /** The schedule's id in shared/definitions.ts. */
  readonly schedule: string;
  /** ISO-8601, whole seconds, as `<aws.scheduler.scheduled-time>`. */
  readonly scheduledTime: string;
}

/** How to start the scheduler. */
export interface SchedulerOptions {
  readonly handlers: HandlerSource;
  readonly region: string;
  /** Default: `schedules` from shared/definitions.ts. */
  readonly schedules?: readonly ScheduleDefinition[];
}

/** A running scheduler. */
export interface Scheduler {
  /** Stops firing and waits for runs in flight; safe to call twice. */
  end(): Promise<void>;
}

/**
 * Fires each schedule's function every `localEverySeconds`. Runs of one schedule never
 * overlap: a tick that comes while the previous run is still going is skipped, and the
 * next one is the first slot after it ends.
 */
export function startScheduler(options: SchedulerOptions): Scheduler {
  const abort = new AbortController();
  const loops = (options.schedules ?? definedSchedules).map((schedule) =>
    run(schedule, options, abort.signal),
  );
  let ended: Promise<void> | undefined;
  return {
    end: () => {
      ended ??= (async () => {
        abort.abort();
        await Promise.allSettled(loops);
      })();
      return ended;
    },
  };
}

async function run(
  schedule: ScheduleDefinition,
  options: SchedulerOptions,
  signal: AbortSignal,
): Promise<void> {
  const everyMs = schedule.localEverySeconds * 1000;
  let next = Date.now() + everyMs;
  while (!signal.aborted) {
    await sleepUntil(next, signal);
    if (signal.aborted) return;
    const input: ScheduleInput = {
      schedule: schedule.id,
      scheduledTime: new Date(Math.floor(next / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };
    try {
      await invokeFunction(options.handlers, schedule.function, input, { region: options.region });
    } catch (error) {
      console.error(`[scheduler] ${schedule.id} -> ${schedule.function} failed:`, error);
    }
    next += everyMs;
    while (next <= Date.now()) next += everyMs;
  }
}

function sleepUntil(time: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, Math.max(0, time - Date.now()));
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
