/**
 * The length of `s` in UTF-8 bytes, as TextEncoder would encode it (a lone surrogate becomes
 * U+FFFD, 3 bytes), without encoding it: size limits are checked on every label of every alert.
 */
export function utf8Bytes(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2; // a surrogate pair: 2 units, 4 bytes
      i++;
    } else n += 2; // 3 bytes (a lone surrogate too: U+FFFD)
  }
  return n;
}
