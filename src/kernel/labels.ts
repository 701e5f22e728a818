/** A label set: the common currency of alerts, series, checks and flows. */
export type Labels = Readonly<Record<string, string>>;

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** True when `name` is a valid Prometheus label name. */
export const isValidLabelName = (name: string): boolean => LABEL_NAME.test(name);

const SEP = 0xff;

/**
 * The label-set fingerprint exactly as Alertmanager and Prometheus compute it: FNV-1a 64 over the
 * sorted names, each name and value followed by byte 0xFF, as 16 lowercase hex digits.
 */
export function fingerprint(labels: Labels): string {
  // 64-bit state as two 32-bit halves (BigInt per byte was the slowest step of alert ingest), in
  // locals and updated inline: this runs for every byte of every label of every received alert.
  // The prime is 2^40 + 0x1b3: h * prime = h * 0x1b3 + (h << 40), every partial exact in a double.
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  const names = Object.keys(labels).sort();
  for (let n = 0; n < names.length * 2; n++) {
    const name = names[n >> 1] as string;
    const s = n & 1 ? (labels[name] ?? '') : name;
    // ASCII as it is; anything else as UTF-8 bytes (lone surrogates become U+FFFD, as Go does).
    let ascii = true;
    for (let i = 0; i < s.length && ascii; i++) ascii = s.charCodeAt(i) < 0x80;
    const bytes = ascii ? null : new TextEncoder().encode(s);
    const len = bytes ? bytes.length : s.length;
    // Every byte, then the separator.
    for (let k = 0; k <= len; k++) {
      const b = k === len ? SEP : bytes ? (bytes[k] as number) : s.charCodeAt(k);
      const x = (lo ^ b) >>> 0;
      const l = x * 0x1b3;
      hi = (Math.imul(hi, 0x1b3) + ((l / 0x100000000) >>> 0) + (x << 8)) >>> 0;
      lo = l >>> 0;
    }
  }
  return hex32(hi) + hex32(lo);
}

const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** 8 lowercase hex digits (a table per byte: `toString(16)` took a third of the fingerprint's time). */
const hex32 = (v: number): string =>
  (HEX[v >>> 24] as string) +
  (HEX[(v >>> 16) & 255] as string) +
  (HEX[(v >>> 8) & 255] as string) +
  (HEX[v & 255] as string);
