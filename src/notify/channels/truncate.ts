// Pure: cutting text to a provider's limit. Most limits are in bytes of UTF-8 (`truncateUtf8`,
// `fitJsonBody`); some are in characters, counted here as UTF-16 units (`truncateChars`, `cut`).
// A message over the limit is cut on a character boundary (never inside a multi-byte character or
// a surrogate pair) and ends with a footer saying so, e.g. "…(truncated, see https://…)", the whole
// staying within the limit.

import { utf8Bytes } from '../../kernel/text.js';

/**
 * `text` when it fits in `maxBytes`; otherwise its longest prefix that fits together with
 * `footer`, followed by `footer`. When even the footer does not fit, the footer itself is cut.
 */
export function truncateUtf8(text: string, maxBytes: number, footer: string): string {
  if (utf8Bytes(text) <= maxBytes) return text;
  const room = maxBytes - utf8Bytes(footer);
  if (room <= 0) return prefixWithin(footer, maxBytes);
  return prefixWithin(text, room) + footer;
}

/** The longest prefix of `s` (whole code points) whose UTF-8 encoding has at most `maxBytes`. */
export function prefixWithin(s: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    const n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (bytes + n > maxBytes) break;
    bytes += n;
    end += ch.length;
  }
  return s.slice(0, end);
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

/**
 * `text` when it has at most `max` UTF-16 units; otherwise its longest prefix that fits with
 * `footer`, then `footer`. UTF-16 units are what Telegram and Twilio count (an emoji counts as two)
 * and never fewer than the characters Slack counts, so the result fits all three.
 */
export function truncateChars(text: string, max: number, footer: string): string {
  if (text.length <= max) return text;
  if (footer.length >= max) return prefixUnits(footer, max);
  return prefixUnits(text, max - footer.length) + footer;
}

/** At most `max` UTF-16 units, ending in "…" when cut; a surrogate pair is never split. */
export function cut(s: string, max: number): string {
  if (s.length <= max) return s;
  return prefixUnits(s, max - 1) + '…';
}

/** The longest prefix of `s` with at most `max` UTF-16 units that does not split a surrogate pair. */
function prefixUnits(s: string, max: number): string {
  let end = Math.max(0, Math.min(max, s.length));
  const last = s.charCodeAt(end - 1);
  if (end > 0 && end < s.length && last >= 0xd800 && last <= 0xdbff) end--;
  return s.slice(0, end);
}
