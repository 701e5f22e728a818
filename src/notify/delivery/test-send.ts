// A test message through a receiver's channels, sent now: a sample notification rendered with the
// receiver's language and templates (or Alertmanager's payload for a webhook), within each
// destination's limits so a test never gets a robot throttled, logged in the delivery log under a
// `test:` id, and not counted towards the channel's health.
import type { Kysely } from 'kysely';
import type { ReceiverConfig } from '../../config/model.js';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../kernel/clock.js';
import { DomainError } from '../../kernel/errors.js';
import type { DeliveryOutcome, SendContext } from '../channels/channel.js';
import { deliveryLog } from '../delivery-log.js';
import type { NotificationContent } from '../payload.js';
import { destinationOf } from '../registry.js';
import type { AttemptDeps } from './attempt.js';
import { notSent, renderFor, sendMessage, sendWebhookPayload } from './attempt.js';
import type { Destinations } from './destinations.js';

/**
 * The receiver a test message goes through, and the channel asked for: `not_found` for an unknown
 * receiver, `invalid` for a channel it does not have, each naming what exists.
 */
export function testedReceiver(
  receivers: readonly ReceiverConfig[],
  name: string,
  channelId: string | undefined,
): ReceiverConfig {
  const receiver = receivers.find((r) => r.name === name);
  if (!receiver)
    throw new DomainError(
      'not_found',
      `no receiver ${JSON.stringify(name)} in the configuration; it has ${receivers.map((r) => r.name).join(', ') || 'none'}`,
    );
  if (channelId !== undefined && !receiver.channels.some((c) => c.id === channelId))
    throw new DomainError(
      'invalid',
      `receiver ${name} has no channel ${JSON.stringify(channelId)}; it has ${receiver.channels.map((c) => c.id).join(', ') || 'none'}`,
      { details: [{ path: '/channel', message: 'not a channel of this receiver' }] },
    );
  return receiver;
}

export interface TestResult {
  channel: string;
  outcome: DeliveryOutcome;
}

export async function sendTest(
  d: AttemptDeps & { db: Kysely<DB>; clock: Clock; destinations: Destinations; ctx: () => SendContext },
  receiver: ReceiverConfig,
  content: NotificationContent,
  testId: string,
  channelId?: string,
): Promise<TestResult[]> {
  const results: TestResult[] = [];
  for (const decl of receiver.channels.filter((c) => channelId === undefined || c.id === channelId)) {
    const dest = destinationOf(decl);
    const limiter = await d.destinations.limiter(dest, decl);
    const now = d.clock.now();
    if (limiter.available(now) === 0) {
      const at = new Date(limiter.nextAt(now)).toISOString();
      results.push({
        channel: decl.id,
        outcome: notSent(`not sent: ${decl.id} is at its rate limit until ${at}`),
      });
      continue;
    }
    const ctx = d.ctx();
    const sample = { ...content, receiver: receiver.name };
    const outcome =
      decl.kind === 'webhook'
        ? await sendWebhookPayload(decl, sample, ctx)
        : await sendMessage(decl, await renderFor(d, receiver, decl, sample, testId, now), ctx);
    limiter.record(d.clock.now());
    if (outcome.penaltyMs) limiter.closeUntil(d.clock.now() + outcome.penaltyMs);
    await deliveryLog.recordTest(d.db, {
      id: testId,
      at: now,
      receiver: receiver.name,
      channel: decl.id,
      destination: dest,
      outcome,
    });
    results.push({ channel: decl.id, outcome });
  }
  return results;
}
