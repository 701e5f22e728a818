// Whether each channel works, from the outcomes of its attempts: `threshold` failed attempts in a
// row make it failing, one success makes it well again. The engine reports both changes, and the
// app turns them into a Watchpost self-alert (raised, then resolved) that routes like any alert.
import type { Labels } from '../../kernel/labels.js';
import type { DeliveryOutcome } from '../channels/channel.js';

/** The alertname of the self-alert a failing channel raises. */
export const CHANNEL_FAILING = 'WatchpostChannelFailing';

/** Whether every alert is the self-alert about `channel` of `receiver`. */
export function isAboutChannel(
  alerts: readonly { labels: Labels }[],
  receiver: string,
  channel: string,
): boolean {
  return (
    alerts.length > 0 &&
    alerts.every(
      (a) =>
        a.labels.alertname === CHANNEL_FAILING &&
        a.labels.receiver === receiver &&
        a.labels.channel === channel,
    )
  );
}

export interface ChannelHealthEvent {
  receiver: string;
  /** The channel id, `dingtalk/0`. */
  channel: string;
  failing: boolean;
  /** Consecutive failed attempts so far (0 once well). */
  failures: number;
  /** The last failure's message (redacted), or the success's. */
  message: string;
  providerCode: string | null;
  /** Epoch ms of the first failure in the row. */
  since: number;
  at: number;
}

export class ChannelHealth {
  private readonly state = new Map<string, { failures: number; since: number; failing: boolean }>();

  constructor(
    private readonly threshold: number,
    private readonly report: (e: ChannelHealthEvent) => void,
  ) {}

  observe(receiver: string, channel: string, outcome: DeliveryOutcome, now: number): void {
    const key = `${receiver}\u0000${channel}`;
    const s = this.state.get(key) ?? { failures: 0, since: now, failing: false };
    const base = { receiver, channel, message: outcome.message, providerCode: outcome.providerCode, at: now };
    if (outcome.ok) {
      if (s.failing) this.report({ ...base, failing: false, failures: 0, since: s.since });
      this.state.delete(key);
      return;
    }
    if (s.failures === 0) s.since = now;
    s.failures += 1;
    this.state.set(key, s);
    if (!s.failing && s.failures >= this.threshold) {
      s.failing = true;
      this.report({ ...base, failing: true, failures: s.failures, since: s.since });
    }
  }

  /** The channels failing now. */
  failing(): { receiver: string; channel: string; failures: number; since: number }[] {
    return [...this.state]
      .filter(([, s]) => s.failing)
      .map(([k, s]) => {
        const [receiver = '', channel = ''] = k.split('\u0000');
        return { receiver, channel, failures: s.failures, since: s.since };
      });
  }
}
