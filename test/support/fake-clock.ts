/** 3 December 2026, 12:00 UTC: where the feed tests' clocks start. */
export const CLOCK_START_MS = Date.UTC(2026, 11, 3, 12, 0, 0);

/** A clock (Unix ms) the test moves by hand. */
export class FakeClock {
  constructor(public ms = CLOCK_START_MS) {}
  readonly now = (): number => this.ms;
}
