/**
 * Open-loop pacing for the soak: a task started at a fixed rate whether or not earlier ones
 * have finished (as real clients do, so a slow server meets the same arrivals instead of
 * fewer), with a cap on how many may be in flight at once; starts over the cap are skipped
 * and counted rather than queued, so a stall cannot pile up unbounded work in the parent.
 */

/** A running stream of paced tasks. */
export interface PacedStream {
  /** Stops starting tasks and resolves once the ones in flight have finished. */
  stop(): Promise<void>;
  /** Starts that were due while `maxInFlight` tasks were still running. */
  readonly skipped: number;
}

/** How often the scheduler looks for due starts; due starts are caught up in one go. */
const TICK_MS = 5;

/** Starts `task` `perSecond` times a second, at most `maxInFlight` at once; a task must not reject. */
export function startPacedStream(perSecond: number, maxInFlight: number, task: () => Promise<void>): PacedStream {
  const started = performance.now();
  const inFlight = new Set<Promise<void>>();
  let due = 0;
  let skipped = 0;
  const tick = (): void => {
    const target = Math.floor(((performance.now() - started) / 1000) * perSecond);
    for (; due < target; due++) {
      if (inFlight.size >= maxInFlight) {
        skipped++;
        continue;
      }
      const running = task().finally(() => inFlight.delete(running));
      inFlight.add(running);
    }
  };
  tick();
  const timer = setInterval(tick, TICK_MS);
  return {
    stop: async () => {
      clearInterval(timer);
      await Promise.all(inFlight);
    },
    get skipped() {
      return skipped;
    },
  };
}
