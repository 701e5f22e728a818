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
  // 64-bit state as two 32-bit halves (BigInt per byte was the slowest step of alert ingest).
  // The prime is 2^40 + 0x1b3: h * prime = h * 0x1b3 + (h << 40), every partial exact in a double.
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  const mix = (b: number): void => {
    const x = (lo ^ b) >>> 0;
    const l = x * 0x1b3;
    hi = (hi * 0x1b3 + Math.floor(l / 0x100000000) + ((x << 8) >>> 0)) >>> 0;
    lo = l >>> 0;
  };
  const mixString = (s: string): void => {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        // Not ASCII: hash the rest as UTF-8 bytes (lone surrogates become U+FFFD, as Go does).
        for (const b of new TextEncoder().encode(s.slice(i))) mix(b);
        return;
      }
      mix(c);
    }
  };
  for (const name of Object.keys(labels).sort()) {
    mixString(name);
    mix(SEP);
    mixString(labels[name] ?? '');
    mix(SEP);
  }
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}
