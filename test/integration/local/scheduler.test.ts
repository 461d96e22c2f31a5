import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { type ScheduleInput, type Scheduler, startScheduler } from '../../../local/lambda/scheduler';
import { schedules } from '../../../shared/definitions';
import { eventually } from '../../support/emulators';

describe('local scheduler (EventBridge Scheduler)', () => {
  let scheduler: Scheduler | undefined;
  afterEach(async () => {
    await scheduler?.end();
    scheduler = undefined;
  });

  it('invokes the function with the schedule id and an ISO scheduled time', async () => {
    // Prepare
    const calls: { input: ScheduleInput; context: Context }[] = [];
    const [schedule] = schedules;
    if (schedule === undefined) throw new Error('no schedule defined');

    // Act
    scheduler = startScheduler({
      region: 'us-east-1',
      schedules: [schedule],
      handlers: {
        [schedule.function]: async (input: ScheduleInput, context: Context) => {
          calls.push({ input, context });
        },
      },
    });

    // Assess
    await eventually(() => (calls.length >= 2 ? true : undefined), { what: 'two runs' });
    const [first, second] = calls;
    expect(Object.keys(first?.input ?? {}).sort()).toEqual(['schedule', 'scheduledTime']);
    expect(first?.input.schedule).toBe(schedule.id);
    expect(first?.input.scheduledTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(first?.context.functionName).toBe(schedule.function);
    const gap = Date.parse(second?.input.scheduledTime ?? '') - Date.parse(first?.input.scheduledTime ?? '');
    expect(gap).toBeGreaterThanOrEqual(schedule.localEverySeconds * 1000);
  });

  it('never overlaps two runs of the same schedule', async () => {
    // Prepare
    let running = 0;
    let mostAtOnce = 0;
    let runs = 0;

    // Act: each run lasts longer than the interval (1 s)
    scheduler = startScheduler({
      region: 'us-east-1',
      schedules: [
        { id: 'Slow', function: 'schedule-dispatch', expression: 'rate(1 minute)', localEverySeconds: 1 },
      ],
      handlers: {
        'schedule-dispatch': async () => {
          running += 1;
          mostAtOnce = Math.max(mostAtOnce, running);
          await new Promise((resolve) => setTimeout(resolve, 1_500));
          running -= 1;
          runs += 1;
        },
      },
    });

    // Assess
    await eventually(() => (runs >= 2 ? true : undefined), { what: 'two slow runs' });
    expect(mostAtOnce).toBe(1);
  });

  it('stop() waits for the run in flight and fires no more', async () => {
    // Prepare
    let started = 0;
    let finished = 0;
    scheduler = startScheduler({
      region: 'us-east-1',
      schedules: [
        { id: 'Quick', function: 'schedule-dispatch', expression: 'rate(1 minute)', localEverySeconds: 1 },
      ],
      handlers: {
        'schedule-dispatch': async () => {
          started += 1;
          await new Promise((resolve) => setTimeout(resolve, 300));
          finished += 1;
        },
      },
    });
    await eventually(() => (started === 1 ? true : undefined), { what: 'a run' });

    // Act
    await scheduler.end();

    // Assess
    expect(finished).toBe(started);
    const startedAtStop = started;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(started).toBe(startedAtStop);
  });
});
