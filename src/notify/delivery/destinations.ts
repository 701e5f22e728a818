// The rate state of every destination this process sends to: one DestinationLimiter each, created on
// first use with the channel's limits and filled with what the delivery log says went out in the last
// minute, so a restart or a reload does not forget messages the provider still counts.
import type { Kysely } from 'kysely';
import type { ChannelDecl } from '../../config/model.js';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../kernel/clock.js';
import { outboxRepo } from '../outbox.js';
import { limitOf } from '../registry.js';
import { DestinationLimiter } from './limiter.js';

export class Destinations {
  private readonly limiters = new Map<string, DestinationLimiter>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
  ) {}

  async limiter(dest: string, decl: ChannelDecl): Promise<DestinationLimiter> {
    let l = this.limiters.get(dest);
    if (!l) {
      const limit = limitOf(decl);
      l = new DestinationLimiter(limit);
      // An unlimited destination (a webhook, e-mail) has no window to fill.
      if (limit.perSecond !== null || limit.perMinute !== null)
        for (const at of await outboxRepo.sentTo(this.db, dest, this.clock.now() - 60_000)) l.record(at);
      this.limiters.set(dest, l);
    }
    return l;
  }

  /** The limiter of `dest` if it was used. */
  known(dest: string): DestinationLimiter | undefined {
    return this.limiters.get(dest);
  }

  /** When the provider's penalty on `dest` ends, if it is closed now. */
  penaltyEnds(dest: string): number | null {
    const end = this.limiters.get(dest)?.penaltyEnds ?? 0;
    return end > this.clock.now() ? end : null;
  }

  /** Limits may have changed (a reload): rebuilt from the delivery log on next use. */
  forget(): void {
    this.limiters.clear();
  }
}
