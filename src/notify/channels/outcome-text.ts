// Helpers the e-mail, Slack, Telegram and PagerDuty senders share: the truncation footer in the
// receiver's language, character-based truncation (for providers that count characters, not bytes),
// the retryable classification of network failures, Retry-After parsing, and turning an
// interpretation of the provider's answer into a redacted, bounded DeliveryOutcome.
import type { HttpErrorKind } from '../http-client.js';
import { redact } from '../http-client.js';
import type { DeliveryOutcome } from './channel.js';

/** The language of the words a sender adds itself (the truncation footer). */
export type Language = 'zh-CN' | 'en';

/** What a sender concluded from one answer, before redaction; exported helpers return it for tests. */
export interface Interpretation {
  ok: boolean;
  retryable: boolean;
  providerCode: string | null;
  message: string;
  /** How long the provider asked to wait before the next attempt (Retry-After, retry_after). */
  penaltyMs?: number;
}

const MAX_MESSAGE = 500;
const MAX_EXCERPT = 200;

/** "…(truncated, see <url>)" or "…（内容过长已截断，详见 <url>）"; zh-CN when `language` is absent. */
export function truncationFooter(language: Language | undefined, detailUrl: string): string {
  return language === 'en' ? `…(truncated, see ${detailUrl})` : `…（内容过长已截断，详见 ${detailUrl}）`;
}

/**
 * `text` when it has at most `max` UTF-16 units; otherwise its longest prefix that fits with
 * `footer`, then `footer`. A surrogate pair is never split. UTF-16 units are what Telegram counts
 * and never fewer than the characters Slack counts, so the result fits both.
 */
export function truncateChars(text: string, max: number, footer: string): string {
  if (text.length <= max) return text;
  if (footer.length >= max) return prefixUnits(footer, max);
  return prefixUnits(text, max - footer.length) + footer;
}

function prefixUnits(s: string, max: number): string {
  let end = Math.max(0, Math.min(max, s.length));
  const last = s.charCodeAt(end - 1);
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end--;
  return s.slice(0, end);
}

/** True for failures a later attempt may not meet (everything but an unusable URL). */
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

/** A Retry-After header (seconds or an HTTP date) in ms from `now`; undefined when absent or bad. */
export function retryAfterMs(header: string | undefined, now: number): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const v = header.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** " <first characters of the body, whitespace collapsed>", or "" for an empty body. */
export function excerptOf(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat ? ` ${cut(flat, MAX_EXCERPT)}` : '';
}

/** At most `max` UTF-16 units, ending in "…" when cut; a surrogate pair is never split. */
export function cut(s: string, max: number): string {
  if (s.length <= max) return s;
  return prefixUnits(s, max - 1) + '…';
}

/** The outcome of `i`, its message redacted of `secrets` and then bounded to 500 characters. */
export function toOutcome(
  i: Interpretation,
  base: { status: number | null; durationMs: number },
  secrets: readonly string[],
): DeliveryOutcome {
  return {
    ok: i.ok,
    retryable: i.retryable,
    status: base.status,
    durationMs: base.durationMs,
    providerCode: i.providerCode === null ? null : cut(redact(i.providerCode, secrets), 100),
    // Redact before cutting, so a cut can never leave part of a secret unredacted.
    message: cut(redact(i.message, secrets), MAX_MESSAGE),
  };
}
