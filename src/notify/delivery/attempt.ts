// One attempt at one notification through one channel: what to say (Alertmanager's payload for a
// webhook, a rendered message for everything else) and the sender's outcome. Pure of the outbox's
// state: the engine decides what happens next.
import { createHash } from 'node:crypto';
import { SEVERITIES, severityOf } from '../../kernel/severity.js';
import type { ChannelDecl, ReceiverConfig } from '../../config/model.js';
import type { ChannelMessage, DeliveryOutcome, SendContext } from '../channels/channel.js';
import type { StoredContent } from '../outbox.js';
import type { NotificationContent, WebhookPayload } from '../payload.js';
import { buildWebhookPayload } from '../payload.js';
import { senderOf } from '../registry.js';
import type { MessageRenderer, RelatedContext } from '../render/index.js';
import { sendWebhook } from '../webhook.channel.js';

/** The links a message carries; the acknowledge and silence links are signed (notify/links.ts). */
export interface MessageLinks {
  detailUrl: string;
  ackUrl?: string;
  silenceUrl?: string;
}

/** What an attempt needs besides the notification: set once by the engine. */
export interface AttemptDeps {
  renderer: MessageRenderer;
  links: (content: NotificationContent, notificationId: string) => MessageLinks;
  /** Recent related context (log lines, trace ids) for the alerts; later issues fill it. */
  context: (content: NotificationContent) => Promise<RelatedContext[]>;
  /** Epoch ms now; the time zone messages show times in. */
  timeZone: string;
}

export const ok = (message: string): DeliveryOutcome => ({
  ok: true,
  retryable: false,
  status: null,
  providerCode: null,
  message,
  durationMs: 0,
});

/** A failure found before anything was sent (the configuration changed under a pending notification). */
export const notSent = (message: string): DeliveryOutcome => ({ ...ok(message), ok: false });

/**
 * The key a provider deduplicates retries by: `<group>#<notification id>`. The group part is a hash
 * of the group key (group keys hold quotes and braces, and DingTalk's msgUuid is an id, not text),
 * and PagerDuty's dedup_key is that part, so every notification of a group updates one incident.
 */
export function idempotencyKey(groupKey: string, notificationId: string): string {
  return `${createHash('sha256').update(groupKey).digest('hex').slice(0, 24)}#${notificationId}`;
}

/** The alerts this channel tells: resolved ones only where it sends resolved notifications. */
export function alertsFor(decl: ChannelDecl, content: StoredContent): StoredContent['alerts'] {
  return decl.sendResolved ? content.alerts : content.alerts.filter((a) => a.status === 'firing');
}

/** The message for `content` through `decl`, in the receiver's language and templates. */
export async function renderFor(
  deps: AttemptDeps,
  receiver: ReceiverConfig,
  decl: ChannelDecl,
  content: NotificationContent,
  notificationId: string,
  now: number,
): Promise<ChannelMessage> {
  const context = await deps.context(content);
  return deps.renderer.render(content, {
    language: receiver.language,
    templates: receiver.templates,
    links: deps.links(content, notificationId),
    mentions: decl.mentions,
    idempotencyKey: idempotencyKey(content.groupKey, notificationId),
    now,
    timeZone: deps.timeZone,
    context,
  });
}

/**
 * What a digest needs of a notification it counts but does not list: its status, worst severity and
 * mentions, without rendering it.
 */
export function unrenderedMessage(decl: ChannelDecl, content: NotificationContent): ChannelMessage {
  const firing = content.alerts.some((a) => a.status === 'firing');
  const severities = content.alerts.map((a) => severityOf(a.labels)).filter((s) => s !== null);
  return {
    title: Object.values(content.groupLabels).join(' · '),
    markdown: '',
    text: '',
    severity: SEVERITIES.find((s) => severities.includes(s)) ?? null,
    status: firing ? 'firing' : 'resolved',
    links: [],
    detailUrl: '',
    mentions: decl.mentions,
    idempotencyKey: '',
  };
}

/** Sends a rendered message through `decl` (any kind but the webhook). */
export async function sendMessage(
  decl: ChannelDecl,
  msg: ChannelMessage,
  ctx: SendContext,
): Promise<DeliveryOutcome> {
  const send = senderOf(decl);
  if (!send) return notSent(`${decl.id} does not send rendered messages`);
  return send(msg, ctx);
}

/** Sends Alertmanager's webhook payload for `content` through a webhook channel. */
export async function sendWebhookPayload(
  decl: Extract<ChannelDecl, { kind: 'webhook' }>,
  content: NotificationContent,
  ctx: SendContext,
  /** Built ahead (delivery/contents.ts); built here when absent. */
  payload: WebhookPayload = buildWebhookPayload(content, { maxAlerts: decl.config.maxAlerts }),
): Promise<DeliveryOutcome> {
  const cfg = decl.config;
  const h = cfg.httpConfig;
  return sendWebhook(
    ctx.client,
    {
      url: cfg.url,
      version: ctx.version,
      ...(h.bearerToken ? { bearerToken: h.bearerToken } : {}),
      ...(h.basicAuth ? { basicAuth: h.basicAuth } : {}),
      ...(cfg.signingSecret ? { signingSecret: cfg.signingSecret } : {}),
      ...(cfg.timeoutMs ? { timeoutMs: cfg.timeoutMs } : {}),
    },
    payload,
    ctx.now,
  );
}
