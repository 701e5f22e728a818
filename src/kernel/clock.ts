/** The only source of "now". Services and loops receive one; tests pass a FakeClock. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

// The one place that reads the wall clock; everything else is handed a Clock.
// eslint-disable-next-line no-restricted-syntax
export const systemClock: Clock = { now: () => Date.now() };

/** A clock that moves only when told to. */
export class FakeClock implements Clock {
  private t: number;
  constructor(start: number | string = '2026-01-01T00:00:00Z') {
    this.t = typeof start === 'number' ? start : Date.parse(start);
  }
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
  set(t: number | string): void {
    this.t = typeof t === 'number' ? t : Date.parse(t);
  }
}
