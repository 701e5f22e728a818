// Pure: how often one destination (a robot, a bot, a phone number list) may be sent to. Each limit is
// a sliding window over the times of the messages sent: at most `perMinute` in any 60 s and
// `perSecond` in any 1 s. A continuously refilled token bucket of the same size would let twice its
// capacity through within one provider window (a full bucket, then the refill), and DingTalk's
// reward for the 21st message in a minute is ten minutes of silence; the window never lets that
// happen, whether the provider counts by calendar minute or by sliding minute. After a throttle
// answer the destination is closed until the provider's penalty ends.
import type { RateLimit } from '../registry.types.js';

interface Window {
  size: number;
  spanMs: number;
  /** Times of the last `size` sends, oldest first. */
  sent: number[];
}

export class DestinationLimiter {
  private readonly windows: Window[];
  private closedUntil = 0;
  /** Throttled by the provider and not yet delivered to since: what queued meanwhile is a backlog. */
  throttled = false;

  constructor(limit: RateLimit) {
    this.windows = [
      ...(limit.perSecond !== null ? [{ size: limit.perSecond, spanMs: 1_000, sent: [] }] : []),
      ...(limit.perMinute !== null ? [{ size: limit.perMinute, spanMs: 60_000, sent: [] }] : []),
    ];
  }

  /** The earliest time a message may be sent, `now` when it may go at once. */
  nextAt(now: number): number {
    let at = Math.max(now, this.closedUntil);
    for (const w of this.windows) {
      if (w.sent.length < w.size) continue;
      // The window is full: the next message may go when its oldest send leaves the window.
      at = Math.max(at, (w.sent[w.sent.length - w.size] ?? 0) + w.spanMs);
    }
    return at;
  }

  /** How many messages may be sent at `now`, one after the other (Infinity without limits). */
  available(now: number): number {
    if (now < this.closedUntil) return 0;
    let n = Infinity;
    for (const w of this.windows) n = Math.min(n, w.size - w.sent.filter((t) => t > now - w.spanMs).length);
    return Math.max(n, 0);
  }

  /** A request reached the provider at `at` (whatever it answered: providers count attempts). */
  record(at: number): void {
    for (const w of this.windows) {
      w.sent.push(at);
      if (w.sent.length > w.size) w.sent.splice(0, w.sent.length - w.size);
    }
  }

  /** The provider refused for throttling: nothing goes before `until`. */
  closeUntil(until: number): void {
    this.closedUntil = Math.max(this.closedUntil, until);
    this.throttled = true;
  }

  /** The provider accepted a message again. */
  reopened(): void {
    this.throttled = false;
  }

  /** The end of the current penalty, or 0 when none was given. */
  get penaltyEnds(): number {
    return this.closedUntil;
  }
}
