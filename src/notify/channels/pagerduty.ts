// PagerDuty Events API v2 (outbound): POST {routing_key, event_action, dedup_key, payload, links}
// to https://events.pagerduty.com/v2/enqueue. A firing notification triggers, a resolved one
// resolves the same alert: both carry the same dedup_key, the group part of msg.idempotencyKey.
// Answers: 202 {status:"success", message, dedup_key}; 400 {status:"invalid event", message,
// errors[]} is permanent; 429 (too many events for the routing key) and 5xx are retryable.
import { createHash } from 'node:crypto';
import type { Severity } from '../../kernel/severity.js';
import type { Channel, ChannelMessage, DeliveryOutcome, SendContext } from './channel.js';
import type { Language, Verdict } from './common.js';
import { excerpt, networkRetryable, retryAfterMs, toOutcome, truncationFooter } from './common.js';
import { truncateChars, truncateUtf8 } from './truncate.js';

export interface PagerDutyConfig {
  /** The 32-character integration key of an Events API v2 integration; a secret. */
  routingKey: string;
  /** The Events API endpoint; https://events.pagerduty.com/v2/enqueue when absent (EU: events.eu.pagerduty.com). */
  url?: string;
  /** Where the problem is (payload.source); "watchpost" when absent. */
  source?: string;
  component?: string;
  group?: string;
  class?: string;
  /** Language of the truncation footer; zh-CN when absent. */
  language?: Language;
  /** Deadline of the request; the client's default (10 s) when absent. */
  timeoutMs?: number;
}

export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';
export type PagerDutySeverity = 'critical' | 'error' | 'warning' | 'info';

/** P0→critical, P1→error, P2→warning, P3→info; unknown is critical, as Alertmanager defaults. */
export const PAGERDUTY_SEVERITY: Record<Severity, PagerDutySeverity> = {
  P0: 'critical',
  P1: 'error',
  P2: 'warning',
  P3: 'info',
};

const SUMMARY_MAX = 1024;
const DEDUP_MAX = 255;
/** custom_details.body is bounded so the whole event stays far below PagerDuty's 512 KB. */
const DETAILS_MAX_BYTES = 256 * 1024;

/**
 * The dedup_key of a notification: the part of `idempotencyKey` before its last "#". The delivery
 * engine passes "<group key>#<notification id>…", so every notification of one alert group (the
 * trigger and the later resolve) names the same PagerDuty alert. A key without "#" is used whole.
 * Keys over PagerDuty's 255 characters become "watchpost-" + their SHA-256 in hex.
 */
export function pagerDutyDedupKey(idempotencyKey: string): string {
  const at = idempotencyKey.lastIndexOf('#');
  const group = at > 0 ? idempotencyKey.slice(0, at) : idempotencyKey;
  if (group.length <= DEDUP_MAX) return group;
  return `watchpost-${createHash('sha256').update(group, 'utf8').digest('hex')}`;
}

export interface PagerDutyEvent {
  routing_key: string;
  event_action: 'trigger' | 'resolve';
  dedup_key: string;
  client?: string;
  client_url?: string;
  payload?: {
    summary: string;
    source: string;
    severity: PagerDutySeverity;
    timestamp: string;
    component?: string;
    group?: string;
    class?: string;
    custom_details: Record<string, unknown>;
  };
  links?: { href: string; text: string }[];
}

/** The event for `msg`: a trigger with the summary and details when firing, a bare resolve otherwise. */
export function buildPagerDutyEvent(cfg: PagerDutyConfig, msg: ChannelMessage, now: number): PagerDutyEvent {
  const dedup_key = pagerDutyDedupKey(msg.idempotencyKey);
  if (msg.status === 'resolved') {
    return { routing_key: cfg.routingKey, event_action: 'resolve', dedup_key };
  }
  const footer = truncationFooter(cfg.language, msg.detailUrl);
  return {
    routing_key: cfg.routingKey,
    event_action: 'trigger',
    dedup_key,
    client: 'Watchpost',
    client_url: msg.detailUrl,
    payload: {
      summary: truncateChars(msg.title.replace(/\s+/g, ' ').trim() || 'Watchpost alert', SUMMARY_MAX, '…'),
      source: cfg.source ?? 'watchpost',
      severity: msg.severity ? PAGERDUTY_SEVERITY[msg.severity] : 'critical',
      timestamp: new Date(now).toISOString(),
      ...(cfg.component ? { component: cfg.component } : {}),
      ...(cfg.group ? { group: cfg.group } : {}),
      ...(cfg.class ? { class: cfg.class } : {}),
      custom_details: {
        severity: msg.severity,
        body: truncateUtf8(msg.text, DETAILS_MAX_BYTES, footer),
        details: msg.detailUrl,
      },
    },
    links: msg.links.filter((l) => /^https?:\/\//i.test(l.url)).map((l) => ({ href: l.url, text: l.label })),
  };
}

/** What the Events API's answer means: success is 202 with status "success". */
export function interpretPagerDutyAnswer(
  status: number,
  headers: Record<string, string>,
  body: string,
  now: number,
): Verdict {
  let parsed: { status?: unknown; message?: unknown; errors?: unknown } = {};
  try {
    const v: unknown = JSON.parse(body);
    if (typeof v === 'object' && v !== null) parsed = v;
  } catch {
    parsed = {};
  }
  const code = typeof parsed.status === 'string' ? parsed.status : String(status);
  const text = typeof parsed.message === 'string' ? parsed.message : excerpt(body).trim();
  const errors = Array.isArray(parsed.errors) ? parsed.errors.filter((e) => typeof e === 'string') : [];
  if (status >= 200 && status < 300 && parsed.status === 'success') {
    return {
      ok: true,
      retryable: false,
      providerCode: 'success',
      message: `pagerduty accepted the event: ${status} ${text}`.trim(),
    };
  }
  if (status === 429) {
    const penaltyMs = retryAfterMs(headers['retry-after'], now);
    return {
      ok: false,
      retryable: true,
      providerCode: code,
      message: `pagerduty is throttling this routing key: 429 ${text}`.trim(),
      ...(penaltyMs !== undefined ? { penaltyMs } : {}),
    };
  }
  if (status >= 500 || status === 408) {
    return {
      ok: false,
      retryable: true,
      providerCode: code,
      message: `pagerduty failed to take the event: ${status} ${text}`.trim(),
    };
  }
  const why = errors.length > 0 ? `: ${errors.join('; ')}` : '';
  const what = status >= 200 && status < 300 ? 'did not confirm the event' : 'refused the event';
  return {
    ok: false,
    retryable: false,
    providerCode: code,
    message: `pagerduty ${what}: ${status} ${text}${why}`,
  };
}

export const pagerDutyChannel: Channel<PagerDutyConfig> = {
  kind: 'pagerduty',
  async send(cfg: PagerDutyConfig, msg: ChannelMessage, ctx: SendContext): Promise<DeliveryOutcome> {
    const secrets = [cfg.routingKey];
    const res = await ctx.client.send({
      method: 'POST',
      url: cfg.url ?? PAGERDUTY_EVENTS_URL,
      headers: { 'content-type': 'application/json', 'user-agent': `Watchpost/${ctx.version}` },
      body: JSON.stringify(buildPagerDutyEvent(cfg, msg, ctx.now)),
      secrets,
      ...(cfg.timeoutMs !== undefined ? { timeoutMs: cfg.timeoutMs } : {}),
    });
    const base = { status: res.status, durationMs: res.durationMs };
    if (res.error) {
      const what =
        res.error.kind === 'invalid_url' ? 'the Events API URL is not usable' : 'could not reach PagerDuty';
      return toOutcome(
        {
          ok: false,
          retryable: networkRetryable(res.error.kind),
          providerCode: null,
          message: `pagerduty: ${what}: ${res.error.message}`,
        },
        base,
        secrets,
      );
    }
    return toOutcome(
      interpretPagerDutyAnswer(res.status ?? 0, res.headers, res.body, ctx.now),
      base,
      secrets,
    );
  },
};
