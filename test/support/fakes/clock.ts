/** A clock that stands still until someone sleeps: sleeping moves it forward by exactly that long. */
export function fakeClock(startMs = Date.UTC(2030, 0, 1, 12, 0, 0, 500)) {
  let now = startMs;
  return {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
  };
}
