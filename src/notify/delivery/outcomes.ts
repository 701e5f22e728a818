// What happens after an attempt, for the notifications it carried (one, or a digest's): the attempt
// goes to the delivery log and each notification to its next state (next-state.ts: delivered, retried
// later, failed, or handed to the receiver's next channel) in one transaction; a throttle answer
// closes the destination; the channel's health is updated; failures are logged.
import type { Logger } from 'pino';
import type { ChannelDecl, ReceiverConfig } from '../../config/model.js';
import type { Clock } from '../../kernel/clock.js';
import type { DeliveryOutcome } from '../channels/channel.js';
import type { NotificationRow } from '../outbox.js';
import type { OutboxStore } from './outbox-store.js';
import type { Destinations } from './destinations.js';
import type { ChannelHealth } from './health.js';
import { nextState } from './next-state.js';

export interface Attempted {
  n: NotificationRow;
  receiver: ReceiverConfig | null;
  decl: ChannelDecl | null;
}

export interface OutcomeDeps {
  clock: Clock;
  logger: Logger;
  newId: () => string;
  maxAttempts: number;
  random: () => number;
  destinations: Destinations;
  health: ChannelHealth;
  /** Something was handed to another channel: deliver soon. */
  wake: () => void;
  /** Where attempts are recorded. */
  store: OutboxStore;
}

export async function recordOutcome(
  d: OutcomeDeps,
  items: Attempted[],
  outcome: DeliveryOutcome,
  dest: string | null,
  merged: number,
): Promise<void> {
  const now = d.clock.now();
  const limiter = dest ? d.destinations.known(dest) : undefined;
  if (outcome.penaltyMs && limiter) limiter.closeUntil(now + outcome.penaltyMs);
  else if (outcome.ok && outcome.status !== null) limiter?.reopened();
  const plans = items.map((item) => {
    const attempts = item.n.attempts + 1;
    const { next, fallback } = nextState({
      outcome,
      attempts,
      maxAttempts: d.maxAttempts,
      receiver: item.receiver,
      decl: item.decl,
      now,
      random: d.random,
      openAt: limiter?.nextAt(now) ?? null,
    });
    const recorded = fallback
      ? { ...outcome, message: `${outcome.message}; handed to ${fallback.id}` }
      : outcome;
    return { ...item, attempts, fallback, next, recorded };
  });
  await d.store.record(
    plans.map((p) => ({
      n: p.n,
      outcome: p.recorded,
      next: p.next,
      where: { destination: dest, merged },
      fallback: p.fallback
        ? {
            id: d.newId(),
            groupKey: p.n.groupKey,
            receiver: p.n.receiver,
            integration: p.fallback.id,
            content: p.n.content,
          }
        : null,
    })),
    now,
  );
  if (plans.some((p) => p.fallback)) d.wake();
  const first = plans[0];
  if (first?.decl) d.health.observe(first.n.receiver, first.decl.id, outcome, now);
  for (const p of plans)
    if (!outcome.ok)
      d.logger.warn(
        {
          notification: p.n.id,
          receiver: p.n.receiver,
          channel: p.n.integration,
          attempt: p.attempts,
          status: outcome.status,
          providerCode: outcome.providerCode,
          next: p.fallback ? `fallback ${p.fallback.id}` : p.next.status,
        },
        `notification delivery failed: ${outcome.message}`,
      );
}
