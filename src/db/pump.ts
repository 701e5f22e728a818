// Runs a "do what is due" pass over durable rows when woken or when its next due time comes, one pass at a time: a
// wake during a pass runs one more pass after it, and after each pass the pump asks when the next
// thing falls due and sets one timer for it. The alert dispatcher (group flushes) and the delivery
// engine (the outbox) are both driven this way. Timers run only between start() and stop().
import type { Clock } from '../kernel/clock.js';

export interface PumpOptions {
  clock: Clock;
  /** One pass over what is due now. */
  run: () => Promise<void>;
  /** When the next thing falls due after a pass (epoch ms), or null when nothing waits. */
  nextDue: () => Promise<number | null>;
  /** A pass failed (it is retried at the next wake or due time). */
  onError: (e: unknown) => void;
}

export class Pump {
  private timer: NodeJS.Timeout | null = null;
  private wakeAt = Number.POSITIVE_INFINITY;
  private running: Promise<void> | null = null;
  private again = false;
  private started = false;
  private stopped = false;

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

  private arm(at: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        // A timer can fire up to a millisecond early (the event loop's cached time): wait out the
        // rest rather than run a pass that finds nothing due yet.
        if (this.o.clock.now() < at && !this.stopped) this.arm(at);
        else this.wake();
      },
      Math.max(at - this.o.clock.now(), 0),
    );
    this.timer.unref();
  }
}
