// A channel that keeps failing is itself an alert: WatchpostChannelFailing{receiver, channel},
// severity P1, raised when the delivery engine finds the channel failing and resolved when it
// delivers again. It is stored and routed like any alert (route it to a receiver with other
// channels; the engine never sends it through the channel it is about).
import type { IncomingAlert } from '../alerts/model.js';
import { CHANNEL_FAILING, type ChannelHealthEvent } from './delivery/health.js';

export function channelFailingAlert(e: ChannelHealthEvent, language: 'zh-CN' | 'en'): IncomingAlert {
  const summary =
    language === 'zh-CN'
      ? `通知渠道 ${e.channel}（接收组 ${e.receiver}）连续 ${e.failures} 次投递失败`
      : `Channel ${e.channel} of receiver ${e.receiver} failed ${e.failures} deliveries in a row`;
  return {
    labels: {
      alertname: CHANNEL_FAILING,
      severity: 'P1',
      receiver: e.receiver,
      channel: e.channel,
      service: 'watchpost',
    },
    annotations: {
      summary,
      description: e.providerCode ? `${e.message} (code ${e.providerCode})` : e.message,
    },
    startsAt: e.since,
    endsAt: e.failing ? null : e.at,
  };
}

/** How long one assertion of the self-alert lasts; re-asserted every `REASSERT_MS` while failing. */
export const SELF_ALERT_TTL_MS = 15 * 60_000;
export const REASSERT_MS = 5 * 60_000;

/**
 * Keeps the self-alerts of failing channels firing: each assertion ends `SELF_ALERT_TTL_MS` ahead and
 * is renewed every `REASSERT_MS` (`reassert()`, on the app's timer) while the channel fails, the way
 * Prometheus keeps a firing rule's alert alive. After a restart that forgot a failing channel, its
 * alert resolves on its own instead of firing forever.
 */
export class ChannelAlerts {
  private readonly failing = new Map<string, ChannelHealthEvent>();

  constructor(
    private readonly o: {
      ingest: (alerts: IncomingAlert[]) => Promise<void>;
      language: (receiver: string) => 'zh-CN' | 'en';
      now: () => number;
    },
  ) {}

  async onHealth(e: ChannelHealthEvent): Promise<void> {
    const key = `${e.receiver}\u0000${e.channel}`;
    if (e.failing) this.failing.set(key, e);
    else this.failing.delete(key);
    await this.o.ingest([this.alert(e)]);
  }

  async reassert(): Promise<void> {
    if (this.failing.size === 0) return;
    await this.o.ingest([...this.failing.values()].map((e) => this.alert(e)));
  }

  private alert(e: ChannelHealthEvent): IncomingAlert {
    const a = channelFailingAlert(e, this.o.language(e.receiver));
    return e.failing ? { ...a, endsAt: this.o.now() + SELF_ALERT_TTL_MS } : a;
  }
}
