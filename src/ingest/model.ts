// Pure: what the inputs share.

/**
 * The end time of an alert that stays firing until its sender says it resolved (a PagerDuty trigger,
 * a Grafana or Zabbix problem): senders of this kind do not re-send, so Alertmanager's resolve timeout
 * would end them by mistake. The last millisecond of year 9999: still a valid ISO 8601 time.
 */
export const OPEN_UNTIL_RESOLVED = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** Go's zero time, which Grafana (and other Go senders) put in a time they leave unset. */
export const GO_ZERO_TIME = Date.parse('0001-01-01T00:00:00Z');

/**
 * A time as senders write it: an ISO 8601 string, or epoch seconds or milliseconds (as a number or
 * a numeric string; below 10^11 counts as seconds). null when absent or Go's zero time; undefined
 * when it is not a time.
 */
export function parseTime(v: unknown): number | null | undefined {
  if (v === null || v === undefined || v === '') return null;
  let t: number;
  if (typeof v === 'number' || (typeof v === 'string' && /^\d+(\.\d+)?$/.test(v.trim()))) {
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) return undefined;
    t = Math.round(n < 1e11 ? n * 1000 : n);
  } else if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v)) {
    t = Date.parse(v);
  } else return undefined;
  if (Number.isNaN(t)) return undefined;
  if (t <= GO_ZERO_TIME) return null;
  return t > OPEN_UNTIL_RESOLVED ? undefined : t;
}
