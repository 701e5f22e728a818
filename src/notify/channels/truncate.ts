// Pure: provider limits are in bytes of UTF-8. A message over the limit is cut on a character
// boundary (never inside a multi-byte character or a surrogate pair) and ends with a footer saying
// so, e.g. "…(truncated, see https://…)", the whole staying within the limit.

const encoder = new TextEncoder();

export const utf8Bytes = (s: string): number => encoder.encode(s).length;

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
