// The contract every notification channel implements (issue 4). A channel turns one rendered
// message into the provider's request, signs it, sends it through the shared HttpClient, and reads
// the provider's answer: success is decided by the body's code, never by HTTP 200 alone.
// Rendering (templates, links, storm summaries) happens before; rate limits, retries, fallback and
// the delivery log happen after, in the delivery engine. A sender never throws.
import type { Severity } from '../../kernel/severity.js';
import type { HttpClient } from '../http-client.js';
import type { DeliveryOutcome } from '../webhook.channel.js';

export type { DeliveryOutcome };

/** One notification as people should read it, already rendered in the receiver's language. */
export interface ChannelMessage {
  /** One line: severity, state and what is wrong, e.g. "[P1 告警] 订单同步停滞 · shopee MY-1". */
  title: string;
  /** The body in Markdown (headings, bold, lists, links): DingTalk, WeCom, Feishu lark_md, Slack, Telegram. */
  markdown: string;
  /** The same without markup, for SMS, plain-text e-mail and text messages. */
  text: string;
  severity: Severity | null;
  status: 'firing' | 'resolved';
  /** Buttons or links: open in Watchpost, acknowledge, silence for 1 h (signed, expiring). */
  links: { label: string; url: string }[];
  /** Where the full alert is, for the "truncated, see link" footer. */
  detailUrl: string;
  /** People to notify by name in chat channels that support it. */
  mentions: { mobiles: string[]; userIds: string[]; all: boolean };
  /**
   * Stable across retries of the same notification to the same destination (e.g. the notification
   * id + the channel index): DingTalk's `msgUuid`, PagerDuty's `dedup_key` where applicable.
   */
  idempotencyKey: string;
}

/** What a send needs besides the message and the channel's own configuration. */
export interface SendContext {
  client: HttpClient;
  /** Epoch ms from the injected clock: signatures' timestamps. */
  now: number;
  /** Watchpost's version, for the user-agent. */
  version: string;
}

/** A channel kind: `dingtalk`, `wecom`, `feishu`, … with its configuration type `C`. */
export interface Channel<C> {
  readonly kind: string;
  /** Sends one message; the outcome says whether it arrived and, if not, whether to retry. */
  send(cfg: C, msg: ChannelMessage, ctx: SendContext): Promise<DeliveryOutcome>;
}

/**
 * An outcome for a provider that answered: `providerCode` is the body's code as text, `message`
 * what people should read (already redacted by the caller).
 */
export const answered = (
  o: Pick<DeliveryOutcome, 'ok' | 'retryable' | 'status' | 'durationMs'>,
  providerCode: string | null,
  message: string,
): DeliveryOutcome => ({ ...o, providerCode, message });
