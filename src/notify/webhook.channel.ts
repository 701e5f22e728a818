// Generic webhook channel: POSTs a JSON payload (Alertmanager's version-4 message or any other) to a
// user's URL, with optional bearer or basic auth and Watchpost's optional HMAC signature.
// Success is a 2xx status: a generic receiver has no body convention to read.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { HttpClient } from './http-client.js';
import { redact } from './http-client.js';
import { networkRetryable } from './channels/common.js';

export interface WebhookConfig {
  url: string;
  bearerToken?: string;
  basicAuth?: { username: string; password: string };
  /** When set, requests carry X-Watchpost-Timestamp and X-Watchpost-Signature. */
  signingSecret?: string;
  /** Watchpost's version for the user-agent; 'dev' when absent. */
  version?: string;
  /** Deadline for the whole request; the client's default (10 s) when absent. */
  timeoutMs?: number;
}

/** What one delivery attempt achieved; the same shape for every channel. */
export interface DeliveryOutcome {
  ok: boolean;
  /** True when trying again later may succeed (network failures, timeouts, 408, 429, 5xx). */
  retryable: boolean;
  status: number | null;
  /** The provider's own error code from the body; generic webhooks have none. */
  providerCode: string | null;
  /** For people: what happened, with secrets redacted; at most 500 characters. */
  message: string;
  durationMs: number;
  /** The provider throttled: it refuses this destination for this long (ms); the engine waits it out. */
  penaltyMs?: number;
}

export const SIGNATURE_HEADER = 'X-Watchpost-Signature';
export const TIMESTAMP_HEADER = 'X-Watchpost-Timestamp';
const MAX_MESSAGE = 500;
const MAX_EXCERPT = 200;

/**
 * The signature Watchpost puts in X-Watchpost-Signature: "sha256=" + hex HMAC-SHA256 keyed with the
 * secret over `timestamp + "." + body` (timestamp in Unix seconds, as sent in X-Watchpost-Timestamp).
 */
export function signWebhook(secret: string, timestamp: string, body: string | Buffer): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
  return `sha256=${mac}`;
}

/**
 * True when `signature` (the X-Watchpost-Signature value) matches `body` and `timestamp`, compared in
 * constant time. With `opts.nowMs`, also false when the timestamp is more than `toleranceSeconds`
 * (default 300) away from it, so a captured request cannot be replayed later.
 */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string,
  body: string | Buffer,
  signature: string,
  opts: { nowMs?: number; toleranceSeconds?: number } = {},
): boolean {
  if (!/^\d+$/.test(timestamp)) return false;
  if (opts.nowMs !== undefined) {
    const skew = Math.abs(opts.nowMs / 1000 - Number(timestamp));
    if (skew > (opts.toleranceSeconds ?? 300)) return false;
  }
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(signature.trim().toLowerCase());
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** POSTs `payload` as JSON to `cfg.url` and says whether the receiver took it. Never throws. */
export async function sendWebhook(
  client: HttpClient,
  cfg: WebhookConfig,
  payload: unknown,
  now: number,
): Promise<DeliveryOutcome> {
  const secrets = secretsOf(cfg);
  const outcome = (
    o: Omit<DeliveryOutcome, 'message' | 'providerCode'>,
    message: string,
  ): DeliveryOutcome => ({
    ...o,
    providerCode: null,
    // Redact before cutting, so a cut can never leave part of a secret unredacted.
    message: cut(redact(message, secrets), MAX_MESSAGE),
  });

  let body: string;
  try {
    body = JSON.stringify(payload) ?? 'null';
  } catch (err) {
    return outcome(
      { ok: false, retryable: false, status: null, durationMs: 0 },
      `the payload cannot be written as JSON: ${err instanceof Error ? err.message : String(err)}`,
    );
  }

  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': `Watchpost/${cfg.version ?? 'dev'}`,
  };
  if (cfg.bearerToken) headers.authorization = `Bearer ${cfg.bearerToken}`;
  else if (cfg.basicAuth) headers.authorization = `Basic ${basicCredentials(cfg.basicAuth)}`;
  if (cfg.signingSecret) {
    const ts = String(Math.floor(now / 1000));
    headers[TIMESTAMP_HEADER] = ts;
    headers[SIGNATURE_HEADER] = signWebhook(cfg.signingSecret, ts, body);
  }

  const res = await client.send({
    method: 'POST',
    url: cfg.url,
    headers,
    body,
    secrets,
    ...(cfg.timeoutMs !== undefined ? { timeoutMs: cfg.timeoutMs } : {}),
  });
  const base = { status: res.status, durationMs: res.durationMs };

  if (res.error) {
    const retryable = networkRetryable(res.error.kind);
    const what =
      res.error.kind === 'invalid_url' ? 'the webhook URL is not usable' : 'could not reach the receiver';
    return outcome({ ok: false, retryable, ...base }, `${what}: ${res.error.message}`);
  }
  const status = res.status ?? 0;
  const excerpt = excerptOf(res.body);
  if (status >= 200 && status < 300) {
    return outcome(
      { ok: true, retryable: false, ...base },
      `the receiver accepted the notification: ${status}`,
    );
  }
  if (status === 408 || status === 429 || status >= 500) {
    const why =
      status === 429 ? 'the receiver is throttling' : 'the receiver failed to take the notification';
    return outcome({ ok: false, retryable: true, ...base }, `${why}: ${status}${excerpt}`);
  }
  if (status >= 300 && status < 400) {
    const to = res.headers.location ? ` to ${res.headers.location}` : '';
    return outcome(
      { ok: false, retryable: false, ...base },
      `the receiver redirects${to} (${status}); redirects are not followed: configure the final URL`,
    );
  }
  return outcome(
    { ok: false, retryable: false, ...base },
    `the receiver refused the notification: ${status}${excerpt}`,
  );
}

function secretsOf(cfg: WebhookConfig): string[] {
  const s: string[] = [];
  if (cfg.bearerToken) s.push(cfg.bearerToken);
  if (cfg.basicAuth) s.push(cfg.basicAuth.password, basicCredentials(cfg.basicAuth));
  if (cfg.signingSecret) s.push(cfg.signingSecret);
  return s;
}

const basicCredentials = (b: { username: string; password: string }): string =>
  Buffer.from(`${b.username}:${b.password}`, 'utf8').toString('base64');

/** " <first characters of the body, whitespace collapsed>", or "" for an empty body. */
function excerptOf(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat ? ` ${cut(flat, MAX_EXCERPT)}` : '';
}

/** At most `max` UTF-16 units, ending in "…" when cut; a surrogate pair is never split. */
function cut(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = max - 1;
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return s.slice(0, end) + '…';
}
