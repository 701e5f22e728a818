// What every sender shares, pure except for the types it names: the truncation footer in the
// receiver's language, reading a JSON answer, classifying network failures, Retry-After, and
// turning a sender's verdict on an answer into a redacted, bounded `DeliveryOutcome`.
// Cutting text to a limit is in `truncate.ts`; SMS-only pieces are in `sms.ts`.
import type { HttpErrorKind, HttpResult } from '../http-client.js';
import { redact } from '../http-client.js';
import type { DeliveryOutcome, SendContext } from './channel.js';
import { cut } from './truncate.js';

/** The language of the fixed words a sender adds (truncation footer, status words). Default zh-CN. */
export type Language = 'zh-CN' | 'en';

/**
 * "…(truncated, see <url>)" or "…（内容过长已截断，详见 <url>）", zh-CN when `language` is absent.
 * Chat robots put it on a line of its own ("\n" before it).
 */
export function truncationFooter(language: Language | undefined, detailUrl: string): string {
  return language === 'en' ? `…(truncated, see ${detailUrl})` : `…（内容过长已截断，详见 ${detailUrl}）`;
}

/** The user-agent the chat senders send. */
export const userAgent = (version: string): string => `Watchpost/${version || 'dev'}`;

/** POSTs the JSON `body` to `url` with the chat senders' headers; `secrets` are kept out of errors. */
export function postJson(
  ctx: SendContext,
  url: string,
  body: string,
  secrets: string[],
  timeoutMs: number | undefined,
): Promise<HttpResult> {
  return ctx.client.send({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': userAgent(ctx.version) },
    body,
    secrets,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  });
}

/** What a sender concluded from one answer, before redaction (exported interpreters return it). */
export interface Verdict {
  ok: boolean;
  retryable: boolean;
  /** The body's code as text (`"130101"`), or null when the answer had none. */
  providerCode: string | null;
  /** For people; redacted and cut by `toOutcome`. */
  message: string;
  /** How long the provider keeps refusing (throttle answer, Retry-After, retry_after), in ms. */
  penaltyMs?: number;
}

/** The `base` of `toOutcome` when nothing was sent (a configuration error found before sending). */
export const NOT_SENT = { status: null, durationMs: 0 } as const;

const MAX_MESSAGE = 500;
const MAX_PROVIDER_CODE = 100;
const MAX_EXCERPT = 200;

/**
 * The outcome of one attempt: `verdict` with its message (and code) redacted of `secrets` and then
 * bounded. Redacting before cutting means a cut can never leave part of a secret unredacted.
 */
export function toOutcome(
  verdict: Verdict,
  base: { status: number | null; durationMs: number },
  secrets: readonly string[],
): DeliveryOutcome {
  return {
    ok: verdict.ok,
    retryable: verdict.retryable,
    status: base.status,
    providerCode:
      verdict.providerCode === null ? null : cut(redact(verdict.providerCode, secrets), MAX_PROVIDER_CODE),
    message: cut(redact(verdict.message, secrets), MAX_MESSAGE),
    durationMs: base.durationMs,
    ...(verdict.penaltyMs !== undefined ? { penaltyMs: verdict.penaltyMs } : {}),
  };
}

/** Network failures worth retrying: everything but an unusable URL. */
export function networkRetryable(kind: HttpErrorKind): boolean {
  switch (kind) {
    case 'invalid_url':
      return false;
    case 'timeout':
    case 'connect':
    case 'dns':
    case 'tls':
    case 'reset':
    case 'too_large':
    case 'other':
      return true;
  }
}

/** The verdict when no answer came (network failure, timeout, unusable URL). */
export function networkVerdict(provider: string, kind: HttpErrorKind, message: string): Verdict {
  const retryable = networkRetryable(kind);
  return {
    ok: false,
    retryable,
    providerCode: null,
    message: retryable
      ? `${provider}: could not reach the service: ${message}`
      : `${provider}: the URL is not usable: ${message}`,
  };
}

/** The verdict for an answer without the provider's code (a proxy's page, an outage). */
export function uncodedVerdict(provider: string, status: number, body: string): Verdict {
  const retryable = status === 408 || status === 429 || status >= 500;
  return {
    ok: false,
    retryable,
    providerCode: null,
    message: `${provider}: unexpected answer without a result code: ${status}${excerpt(body)}`,
  };
}

/** A Retry-After header (seconds or an HTTP date) in ms from `now`; undefined when absent or bad. */
export function retryAfterMs(header: string | undefined, now: number): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const v = header.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** " <first 200 characters of the body, whitespace collapsed>", or "" (redacted by `toOutcome`). */
export function excerpt(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat ? ` ${cut(flat, MAX_EXCERPT)}` : '';
}

/** The answer's body as a JSON object, or null when it is not one. */
export function parseJsonObject(body: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(body);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A code that may come as a number or as a numeric string (`"0"`), as a number; else null. */
export function numericCode(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v.trim());
  return null;
}

/** `o[key]` as a string when it is one (or a number, as text), else undefined. */
export function field(o: unknown, key: string): string | undefined {
  if (typeof o !== 'object' || o === null) return undefined;
  const v = (o as Record<string, unknown>)[key];
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}

/**
 * The verdicts of a provider that answered with a numeric code and a text: `accepted` for its
 * success code, `fail(retryable, why)` for the rest, each message ending with "(code text)".
 */
export function codedVerdicts(provider: string, code: number, text: string) {
  const providerCode = String(code);
  const said = `${providerCode} ${text}`.trim();
  return {
    accepted: (): Verdict => ({
      ok: true,
      retryable: false,
      providerCode,
      message: `${provider} accepted the message (${said})`,
    }),
    fail: (retryable: boolean, why: string, extra: Partial<Verdict> = {}): Verdict => ({
      ok: false,
      retryable,
      providerCode,
      message: `${provider}: ${why} (${said})`,
      ...extra,
    }),
  };
}
