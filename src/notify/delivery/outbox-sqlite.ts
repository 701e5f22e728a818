// The delivery engine's OutboxStore on embedded SQLite: when the next notification is due, and an
// attempt's record with its notification's next state, through statements prepared once. Kysely
// builds each query anew, which cost about a millisecond of the event loop after every webhook
// (measured in bench/README.md). The same rows as outboxRepo.nextDue and outboxRepo.record: a change
// to what those read or write must be made here too. An attempt that hands on to a fallback channel
// (rare) is recorded through Kysely, which writes the new notification in the same transaction.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { sqliteTransactions } from '../../db/sqlite-handle.js';
import type { SqliteHandle } from '../../db/sqlite-handle.js';
import type { OutboxStore } from './outbox-store.js';
import { kyselyOutbox } from './outbox-store.js';

export function sqliteOutbox(db: Kysely<DB>, h: SqliteHandle): OutboxStore {
  const inTransaction = sqliteTransactions(db, h);
  const handingOn = kyselyOutbox(db);
  const nextDue = h.handle
    .prepare("select min(next_attempt_at) from notifications where status = 'pending'")
    .pluck();
  const attempt = h.handle.prepare(
    `insert into delivery_attempts (notification_id, at, ok, status, message, duration_ms, receiver,
       channel, destination, provider_code, merged) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const next = h.handle.prepare(
    `update notifications set status = ?, attempts = ?, next_attempt_at = ?, delivered_at = ?,
       last_error = ? where id = ?`,
  );
  return {
    nextDue: async () => {
      await h.settled();
      const at = nextDue.get() as number | null;
      return at === null ? null : Number(at);
    },
    record: (attempts, now) => {
      if (attempts.some((a) => a.fallback)) return handingOn.record(attempts, now);
      return inTransaction(() => {
        for (const { n, outcome, next: to, where } of attempts) {
          attempt.run(
            n.id,
            now,
            outcome.ok ? 1 : 0,
            outcome.status,
            outcome.message,
            Math.round(outcome.durationMs),
            n.receiver,
            n.integration,
            where.destination,
            outcome.providerCode,
            where.merged,
          );
          next.run(
            to.status,
            n.attempts + 1,
            to.nextAttemptAt,
            to.status === 'delivered' ? now : null,
            outcome.ok ? null : outcome.message,
            n.id,
          );
        }
      });
    },
  };
}
