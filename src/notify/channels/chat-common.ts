// What the chat-robot senders (DingTalk, WeCom, Feishu) share: the truncation footer in the
// receiver's language, fitting a JSON body within a byte limit, reading a JSON answer, and turning
// a provider's verdict into a redacted `DeliveryOutcome`. Pure except for the types it names.
import type { HttpErrorKind, HttpResult } from '../http-client.js';
import { redact } from '../http-client.js';
import type { DeliveryOutcome } from './channel.js';
import { truncateUtf8, utf8Bytes } from './truncate.js';

/** The language of the fixed words a sender adds (truncation footer). Default zh-CN. */
export type ChatLanguage = 'zh-CN' | 'en';

/** The footer that ends a truncated message, pointing at the full alert. */
export function truncationFooter(language: ChatLanguage | undefined, detailUrl: string): string {
  return language === 'en' ? `\n…(truncated, see ${detailUrl})` : `\n…（内容过长已截断，详见 ${detailUrl}）`;
}

/**
 * The JSON body `build(text)` with `text` cut (UTF-8 boundary, `footer` appended) so that the
 * whole body has at most `maxBytes` bytes. JSON escaping makes some characters longer in the body
 * than in the text, so the budget shrinks until the body fits.
 */
export function fitJsonBody(
  text: string,
  maxBytes: number,
  footer: string,
  build: (text: string) => unknown,
): { body: string; text: string; truncated: boolean } {
  const whole = JSON.stringify(build(text));
  if (utf8Bytes(whole) <= maxBytes) return { body: whole, text, truncated: false };
  const overhead = utf8Bytes(JSON.stringify(build('')));
  let budget = maxBytes - overhead;
  for (let i = 0; i < 20 && budget > 0; i++) {
    const cut = truncateUtf8(text, budget, footer);
    const body = JSON.stringify(build(cut));
    const excess = utf8Bytes(body) - maxBytes;
    if (excess <= 0) return { body, text: cut, truncated: true };
    budget -= excess;
  }
  const cut = truncateUtf8(text, 0, '');
  return { body: JSON.stringify(build(cut)), text: cut, truncated: true };
}

/** A provider's answer read: what `send` returns, plus a penalty hint for the delivery engine. */
export interface ChatVerdict {
  ok: boolean;
  retryable: boolean;
  /** The body's code as text (`"130101"`), or null when the answer had none. */
  providerCode: string | null;
  /** For people; redacted and cut by `toOutcome`. */
  message: string;
  /** After a throttle answer: how long the provider keeps refusing this destination. */
  penaltyMs?: number;
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

/** The verdict when no answer came (network failure, timeout, unusable URL). */
export function networkVerdict(provider: string, kind: HttpErrorKind, message: string): ChatVerdict {
  if (kind === 'invalid_url') {
    return {
      ok: false,
      retryable: false,
      providerCode: null,
      message: `${provider}: the URL is not usable: ${message}`,
    };
  }
  return {
    ok: false,
    retryable: true,
    providerCode: null,
    message: `${provider}: could not reach the service: ${message}`,
  };
}

/** The verdict for an answer without the provider's code (a proxy's page, an outage). */
export function uncodedVerdict(provider: string, status: number, body: string): ChatVerdict {
  const retryable = status === 408 || status === 429 || status >= 500;
  return {
    ok: false,
    retryable,
    providerCode: null,
    message: `${provider}: unexpected answer without a result code: ${status}${excerpt(body)}`,
  };
}

/** The outcome of one attempt: `verdict` with the message redacted (secrets, then cut to 500). */
export function toOutcome(
  verdict: ChatVerdict,
  res: HttpResult,
  secrets: readonly string[],
): DeliveryOutcome {
  return {
    ok: verdict.ok,
    retryable: verdict.retryable,
    status: res.status,
    providerCode: verdict.providerCode,
    message: cut(redact(verdict.message, secrets), 500),
    durationMs: res.durationMs,
  };
}

/** " <first 200 characters of the body, whitespace collapsed>", or "". */
export function excerpt(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat ? ` ${cut(flat, 200)}` : '';
}

/** At most `max` UTF-16 units, ending in "…" when cut; a surrogate pair is never split. */
export function cut(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = max - 1;
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return s.slice(0, end) + '…';
}

/** The user-agent every chat sender sends. */
export const userAgent = (version: string): string => `Watchpost/${version || 'dev'}`;
