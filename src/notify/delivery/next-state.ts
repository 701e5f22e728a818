// Pure: what happens to a notification after an attempt. Delivered when it worked; handed to the
// receiver's next channel under `policy: fallback` when this channel failed `fallback_after` times
// or cannot succeed; otherwise retried with exponential backoff and jitter (never before the
// destination's limit allows) while retrying may help, else failed.
import type { ChannelDecl, ReceiverConfig } from '../../config/model.js';
import type { DeliveryOutcome } from '../channels/channel.js';

/** Exponential backoff from 1 s, capped at 5 min, with ±20 % jitter. */
export function backoffMs(attempt: number, random: () => number): number {
  const base = Math.min(1000 * 2 ** Math.max(attempt - 1, 0), 300_000);
  return Math.round(base * (0.8 + 0.4 * random()));
}

export type Next = { status: 'delivered' | 'failed' | 'pending'; nextAttemptAt: number };

/** The channel a failed notification moves to under `policy: fallback`, or null to keep this one. */
export function fallbackFor(
  receiver: ReceiverConfig,
  decl: ChannelDecl,
  attempts: number,
  outcome: DeliveryOutcome,
): ChannelDecl | null {
  if (receiver.policy !== 'fallback') return null;
  if (outcome.retryable && attempts < receiver.fallbackAfter) return null;
  const at = receiver.channels.findIndex((c) => c.id === decl.id);
  return at >= 0 ? (receiver.channels[at + 1] ?? null) : null;
}

export function nextState(o: {
  outcome: DeliveryOutcome;
  /** Attempts made, this one included. */
  attempts: number;
  maxAttempts: number;
  receiver: ReceiverConfig | null;
  decl: ChannelDecl | null;
  now: number;
  random: () => number;
  /** When the destination takes a message again, if it is limited. */
  openAt: number | null;
}): { next: Next; fallback: ChannelDecl | null } {
  const { outcome, attempts, now } = o;
  if (outcome.ok) return { next: { status: 'delivered', nextAttemptAt: now }, fallback: null };
  const fallback = o.receiver && o.decl ? fallbackFor(o.receiver, o.decl, attempts, outcome) : null;
  if (fallback) return { next: { status: 'failed', nextAttemptAt: now }, fallback };
  if (outcome.retryable && attempts < o.maxAttempts) {
    const after = now + backoffMs(attempts, o.random);
    return { next: { status: 'pending', nextAttemptAt: Math.max(after, o.openAt ?? 0) }, fallback: null };
  }
  return { next: { status: 'failed', nextAttemptAt: now }, fallback: null };
}
