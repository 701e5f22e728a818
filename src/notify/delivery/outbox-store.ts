// What the delivery engine writes after each attempt, and when it should look again: one interface,
// the Kysely implementation here (PostgreSQL, and SQLite without its handle), the embedded-SQLite one
// on prepared statements in outbox-sqlite.ts.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { DeliveryOutcome } from '../channels/channel.js';
import type { NewNotification, NotificationRow } from '../outbox.js';
import { outboxRepo } from '../outbox.js';

/** One notification's attempt to record (outboxRepo.record's arguments), and what it hands on. */
export interface RecordedAttempt {
  n: NotificationRow;
  outcome: DeliveryOutcome;
  next: { status: 'delivered' | 'failed' | 'pending'; nextAttemptAt: number };
  where: { destination: string | null; merged: number };
  /** The notification for the receiver's next channel (`policy: fallback`), or null. */
  fallback: NewNotification | null;
}

export interface OutboxStore {
  /** When the earliest pending notification is due (outboxRepo.nextDue). */
  nextDue(): Promise<number | null>;
  /** Each attempt's record, its notification's next state and its fallback, at `now`, in one transaction. */
  record(attempts: readonly RecordedAttempt[], now: number): Promise<void>;
}

export const kyselyOutbox = (db: Kysely<DB>): OutboxStore => ({
  nextDue: () => outboxRepo.nextDue(db),
  record: (attempts, now) =>
    db.transaction().execute(async (trx) => {
      for (const a of attempts) {
        await outboxRepo.record(trx, a.n, a.outcome, now, a.next, a.where);
        if (a.fallback) await outboxRepo.enqueue(trx, [a.fallback], now);
      }
    }),
});
