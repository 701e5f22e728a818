// Durations and byte sizes as people write them in configuration files.
// Durations follow Prometheus (`1h30m`, `7d`, `500ms`) so the same strings work in rules, routes
// and Watchpost's own settings; a year is 365 days and a week 7 days, as in Prometheus.

const MS = 1;
const SECOND = 1000 * MS;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const YEAR = 365 * DAY;

/** Units from largest to smallest: parsing requires this order, formatting produces it. */
const DURATION_UNITS = [
  ['y', YEAR],
  ['w', WEEK],
  ['d', DAY],
  ['h', HOUR],
  ['m', MINUTE],
  ['s', SECOND],
  ['ms', MS],
] as const;

const UNIT_LIST = 'ms, s, m, h, d, w or y';
const DURATION_PART = /^(\d+)([a-zA-Zµ]*)/;

/**
 * Parses a Prometheus-style duration (`500ms`, `30s`, `5m`, `1h30m`, `7d`, `2w`, `1y`; `0` alone is
 * allowed) into whole milliseconds, and throws an Error that quotes the input and says what to
 * write instead for anything else: empty, negative, fractional, unknown or repeated units.
 */
export function parseDuration(s: string): number {
  const text = s.trim();
  const bad = (why: string): Error => new Error(`invalid duration ${JSON.stringify(s)}: ${why}`);
  if (text === '') throw bad('empty; write a number and a unit such as 30s, 5m or 1h');
  if (text.startsWith('-')) throw bad('negative durations are not allowed');
  if (text === '0') return 0;
  if (text.includes('.')) {
    throw bad('fractions are not allowed; combine units instead, e.g. 1h30m rather than 1.5h');
  }
  let total = 0;
  let pos = 0;
  let lastUnitIndex = -1;
  while (pos < text.length) {
    const m = DURATION_PART.exec(text.slice(pos));
    if (!m || m[0] === '')
      throw bad(`unexpected ${JSON.stringify(text.slice(pos))}; write e.g. 30s, 5m or 1h30m`);
    const digits = m[1] ?? '';
    const unit = m[2] ?? '';
    if (unit === '') throw bad(`missing unit after ${digits}; use ${UNIT_LIST}`);
    const unitIndex = DURATION_UNITS.findIndex(([u]) => u === unit);
    const entry = DURATION_UNITS[unitIndex];
    if (entry === undefined) throw bad(`unknown unit ${JSON.stringify(unit)}; use ${UNIT_LIST}`);
    if (unitIndex <= lastUnitIndex) {
      throw bad('units must go from largest to smallest, each at most once, e.g. 1h30m');
    }
    lastUnitIndex = unitIndex;
    total += Number(digits) * entry[1];
    pos += m[0].length;
  }
  if (!Number.isSafeInteger(total)) throw bad('too large');
  return total;
}

/**
 * Formats whole milliseconds as the shortest Prometheus-style duration using the largest units first
 * (90 minutes → `1h30m`, 0 → `0s`), so that `parseDuration(formatDuration(ms)) === ms`.
 */
export function formatDuration(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0) {
    throw new RangeError(`formatDuration needs a non-negative whole number of milliseconds, got ${ms}`);
  }
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const [unit, size] of DURATION_UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

const BYTE_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  kb: 1024,
  kib: 1024,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
  tb: 1024 ** 4,
  tib: 1024 ** 4,
};

/**
 * Parses a byte size (`1048576`, `512kb`, `1mb`, `10MiB`, `1.5gb`; case-insensitive) into whole bytes.
 * A kilobyte is 1024 bytes, so `kb` and `kib` mean the same, as in Fastify's and Express's `bodyLimit`
 * conventions; fractional results are rounded down. Throws an Error quoting the input otherwise.
 */
export function parseByteSize(s: string | number): number {
  const bad = (why: string): Error => new Error(`invalid size ${JSON.stringify(s)}: ${why}`);
  if (typeof s === 'number') {
    if (!Number.isSafeInteger(s) || s < 0) throw bad('must be a whole, non-negative number of bytes');
    return s;
  }
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(s.trim());
  if (!m) {
    if (s.trim() === '') throw bad('empty; write e.g. 512kb or 1mb');
    if (s.trim().startsWith('-')) throw bad('negative sizes are not allowed');
    throw bad('write a number with an optional unit, e.g. 1048576, 512kb, 1mb or 10MiB');
  }
  const unit = (m[2] ?? '').toLowerCase();
  const factor = BYTE_UNITS[unit];
  if (factor === undefined) throw bad(`unknown unit ${JSON.stringify(m[2])}; use b, kb, mb, gb or tb`);
  const bytes = Math.floor(Number(m[1]) * factor);
  if (!Number.isSafeInteger(bytes)) throw bad('too large');
  return bytes;
}
