/** Formats an ISO timestamp in the browser's own time zone, in the conventions of the UI language. */
export function formatTime(iso: string, language: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(language, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).format(d);
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];

/** "3 minutes ago" / "3分钟前": the largest whole unit between `iso` and `now`. */
export function formatRelative(iso: string, language: string, now: number): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const diff = t - now;
  const rtf = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms || unit === 'second') return rtf.format(Math.trunc(diff / ms), unit);
  }
  return iso;
}

/** A length of time in at most its two largest units, "1 hr 5 min" / "1小时5分钟", for how long an alert fired. */
export function formatDuration(ms: number, language: string): string {
  let rest = Math.max(0, Math.round(ms / 1000)) * 1000;
  const amounts = UNITS.map(([unit, size]) => {
    const value = Math.floor(rest / size);
    rest -= value * size;
    return { unit, value };
  });
  const first = amounts.findIndex((a) => a.value > 0);
  const shown = first === -1 ? [{ unit: 'second', value: 0 }] : amounts.slice(first, first + 2);
  return shown
    .filter((a, i) => i === 0 || a.value > 0)
    .map((a) =>
      new Intl.NumberFormat(language, { style: 'unit', unit: a.unit, unitDisplay: 'short' }).format(a.value),
    )
    .join(language.startsWith('zh') ? '' : ' ');
}
