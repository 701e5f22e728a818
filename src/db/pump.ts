// Runs a "do what is due" pass over durable rows when woken or when its next due time comes, one pass at a time: a
// wake during a pass runs one more pass after it, and after each pass the pump asks when the next
// thing falls due and sets one timer for it. The alert dispatcher (group flushes) and the delivery
// engine (the outbox) are both driven this way. Timers run only between start() and stop().
import { performance } from 'node:perf_hooks';
import type { Clock } from '../kernel/clock.js';

/** How far ahead of its due time the timer is set (see `Pump.arm`). */
const TIMER_LEAD_MS = 2;
/**
 * The longest a due time is waited for turn by turn of the event loop (see `Pump.arm`): the lead,
 * and the millisecond by which the timer may fire early.
 */
const LAST_STRETCH_MS = TIMER_LEAD_MS + 1;
/** How long an idle turn of that wait sleeps (see `Pump.arrive`). */
const NAP_MS = 0.1;

export interface PumpOptions {
  clock: Clock;
  /** One pass over what is due now. */
  run: () => Promise<void>;
  /** When the next thing falls due after a pass (epoch ms), or null when nothing waits. */
  nextDue: () => Promise<number | null>;
  /** A pass failed (it is retried at the next wake or due time). */
  onError: (e: unknown) => void;
  /**
   * Told when the timer for `at` fires, up to a couple of milliseconds before `at` (see `arm`): what
   * will be due can be read then, so that the pass at `at` only does the work.
   */
  beforeDue?: (at: number) => void;
}

export class Pump {
  private timer: NodeJS.Timeout | null = null;
  private wakeAt = Number.POSITIVE_INFINITY;
  private running: Promise<void> | null = null;
  private again = false;
  private started = false;
  private stopped = false;
  /** What an idle turn of the last stretch sleeps on (Atomics.wait: nothing ever notifies it). */
  private readonly nap = new Int32Array(new SharedArrayBuffer(4));
  /**
   * When the last turn of the last stretch ended (performance.now()). A stretch's first turn never
   * naps: a timer ran before it, so the previous stretch ended a millisecond or more ago.
   */
  private turnEnded = 0;

  constructor(private readonly o: PumpOptions) {}

  /** Starts with a pass, for whatever fell due while the process was down. */
  start(): void {
    this.started = true;
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Runs a pass now, or right after the current one. */
  wake(): void {
    this.wakeAt = Number.POSITIVE_INFINITY;
    if (!this.started || this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.o
      .run()
      .catch((e: unknown) => this.o.onError(e))
      .then(async () => {
        const next = await this.o.nextDue().catch(() => null);
        if (next !== null) this.scheduleAt(next);
      })
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Runs a pass no later than `at`. */
  scheduleAt(at: number): void {
    if (!this.started || this.stopped || at >= this.wakeAt) return;
    this.wakeAt = at;
    this.arm(at);
  }

  /**
   * Node's timers count whole milliseconds of a cached loop time, and the poll that waits for one
   * sleeps whole milliseconds from a moment inside the current one: a timer fires up to a millisecond
   * early, or late. Set one millisecond short, it still fired after its due time in about a third of
   * a fresh server's first notifications (by 0.1–0.4 ms, on two busy cores). So the timer is set
   * `TIMER_LEAD_MS` short, and the rest is waited out turn by turn of the event loop (setImmediate:
   * requests keep being served meanwhile), for at most `LAST_STRETCH_MS` of real time; a clock that
   * has not got there by then (a test's) is waited for with a timer again. An idle turn sleeps
   * `NAP_MS` (see `arrive`): turns that only spin kept a core busy, and on two cores that slowed the
   * next requests (bench/README.md, session 9).
   */
  private arm(at: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        if (!this.stopped && this.wakeAt === at && this.o.clock.now() < at) this.o.beforeDue?.(at);
        this.arrive(at, performance.now() + LAST_STRETCH_MS);
      },
      Math.max(at - this.o.clock.now() - TIMER_LEAD_MS, 0),
    );
    this.timer.unref();
  }

  private arrive(at: number, until: number): void {
    // Stopped, woken meanwhile, or re-armed for an earlier time: this wait is over.
    if (this.stopped || this.wakeAt !== at) return;
    if (this.o.clock.now() >= at) {
      this.wake();
      return;
    }
    const t = performance.now();
    if (t >= until) {
      this.arm(at);
      return;
    }
    // A turn that found nothing to do (it ended within a nap of the previous one) sleeps before the
    // next: the thread waits in the kernel, not on a core, and wakes within ~0.1 ms of the time. A
    // turn that served requests goes on at once.
    if (t - this.turnEnded < NAP_MS) Atomics.wait(this.nap, 0, 0, NAP_MS);
    this.turnEnded = performance.now();
    setImmediate(() => this.arrive(at, until));
  }
}
