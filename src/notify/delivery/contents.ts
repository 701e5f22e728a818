// What a notification tells through one of its channels: its alerts with their labels, annotations
// and generator URLs (read from the alerts when it is sent), or why it sends nothing. For the
// notifications a flush prepared ahead of its time will hand over (alerts/flush-ahead.ts), this is
// read during that flush's wait (`expect`), so that only the request is left when they are taken.
import type { ChannelDecl, ReceiverConfig } from '../../config/model.js';
import type { DeliveryOutcome } from '../channels/channel.js';
import type { AlertDetails, NotificationRow, StoredContent } from '../outbox.js';
import { buildWebhookPayload } from '../payload.js';
import type { NotificationContent, WebhookPayload } from '../payload.js';
import { alertsFor, ok } from './attempt.js';
import { isAboutChannel } from './health.js';

/** A claimed notification with what it is sent through. */
export interface Item {
  n: NotificationRow;
  receiver: ReceiverConfig;
  decl: ChannelDecl;
}

/** What an item sends (a webhook's payload built already when read ahead), or why it sends nothing. */
export type Prepared = { content: NotificationContent; payload?: WebhookPayload } | { skip: DeliveryOutcome };

export class Contents {
  /** Read ahead by notification id, with the channel it was read for. */
  private readonly expected = new Map<string, { decl: ChannelDecl; prepared: Promise<Prepared> }>();

  constructor(private readonly details: AlertDetails) {}

  /** What `item` sends: as read ahead for it (once), or read now. */
  prepare(item: Item): Promise<Prepared> {
    const e = this.expected.get(item.n.id);
    if (e && e.decl === item.decl) {
      this.expected.delete(item.n.id);
      return e.prepared;
    }
    return this.read(item);
  }

  /**
   * Reads ahead what these items will send, in place of what was read ahead before. A webhook's
   * payload is built too. Their alerts cannot change until they are taken: the flush that wrote them
   * waits with the database's write lock, and an alert that arrives meanwhile undoes it.
   */
  expect(items: readonly Item[]): void {
    this.expected.clear();
    for (const item of items) {
      const prepared = this.read(item).then((p): Prepared => {
        if ('skip' in p || item.decl.kind !== 'webhook') return p;
        return { ...p, payload: buildWebhookPayload(p.content, { maxAlerts: item.decl.config.maxAlerts }) };
      });
      // A failure is the sender's to report, when it takes this.
      prepared.catch(() => undefined);
      this.expected.set(item.n.id, { decl: item.decl, prepared });
    }
  }

  /** Drops what was read ahead for these notifications: from now on they are read when sent. */
  forget(ids: readonly string[]): void {
    for (const id of ids) this.expected.delete(id);
  }

  /**
   * What `item` tells through its channel, or why it sends nothing: only resolved alerts where the
   * channel does not send them, or a self-alert about this very channel (it would fail the same way;
   * the receiver's other channels and routes carry it).
   */
  private async read(item: Item): Promise<Prepared> {
    const alerts = alertsFor(item.decl, item.n.content);
    if (alerts.length === 0)
      return { skip: ok('nothing to send: only resolved alerts and send_resolved is false') };
    const content = await this.expand(item.n.content, alerts);
    if (isAboutChannel(content.alerts, item.n.receiver, item.decl.id))
      return {
        skip: ok(`not sent: it reports ${item.decl.id} itself failing, so it goes through other channels`),
      };
    return { content };
  }

  private async expand(c: StoredContent, alerts: StoredContent['alerts']): Promise<NotificationContent> {
    const details = await this.details(alerts.map((a) => a.fingerprint));
    return {
      ...c,
      alerts: alerts.map((a) => {
        const d = details.get(a.fingerprint);
        return {
          ...a,
          labels: d?.labels ?? {},
          annotations: d?.annotations ?? {},
          generatorUrl: d?.generatorUrl ?? '',
        };
      }),
    };
  }
}
