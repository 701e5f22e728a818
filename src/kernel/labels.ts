/** A label set: the common currency of alerts, series, checks and flows. */
export type Labels = Readonly<Record<string, string>>;

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** True when `name` is a valid Prometheus label name. */
export const isValidLabelName = (name: string): boolean => LABEL_NAME.test(name);

const OFFSET = 0xcbf29ce484222325n;
const PRIME = 0x100000001b3n;
const MASK = 0xffffffffffffffffn;
const SEP = 0xff;

/**
 * The label-set fingerprint exactly as Alertmanager and Prometheus compute it: FNV-1a 64 over the
 * sorted names, each name and value followed by byte 0xFF, as 16 lowercase hex digits.
 */
export function fingerprint(labels: Labels): string {
  const enc = new TextEncoder();
  let h = OFFSET;
  const mix = (bytes: Uint8Array): void => {
    for (const b of bytes) h = ((h ^ BigInt(b)) * PRIME) & MASK;
  };
  const sep = Uint8Array.of(SEP);
  for (const name of Object.keys(labels).sort()) {
    mix(enc.encode(name));
    mix(sep);
    mix(enc.encode(labels[name] ?? ''));
    mix(sep);
  }
  return h.toString(16).padStart(16, '0');
}
