// Pure: what an alert is, how a received alert is normalised and validated, and how a re-sent alert
// merges with the stored one — each exactly as Alertmanager does it.
import type { Labels } from '../kernel/labels.js';
import { fingerprint, isValidLabelName } from '../kernel/labels.js';
import type { ErrorDetail } from '../kernel/errors.js';
import { utf8Bytes } from '../kernel/text.js';

/** Where an alert came from; `watchpost`: Watchpost about itself (a failing channel). */
export type AlertSource = 'external' | 'rule' | 'check' | 'flow' | 'watchpost';
export type AlertStatus = 'firing' | 'resolved';
export type { Severity } from '../kernel/severity.js';
export { severityOf } from '../kernel/severity.js';

export interface Alert {
  fingerprint: string;
  labels: Labels;
  annotations: Labels;
  /** Epoch milliseconds. */
  startsAt: number;
  endsAt: number;
  /** endsAt was not given by the sender but set to now + resolve_timeout. */
  timeout: boolean;
  /** When Watchpost last received this alert. */
  updatedAt: number;
  generatorUrl: string;
  source: AlertSource;
}

/** An alert as a sender describes it; times are epoch ms or null when absent. */
export interface IncomingAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string> | undefined;
  startsAt?: number | null | undefined;
  endsAt?: number | null | undefined;
  generatorUrl?: string | undefined;
}

export interface AlertLimits {
  maxLabels: number;
  maxLabelValueBytes: number;
  maxAnnotationValueBytes: number;
  resolveTimeoutMs: number;
}

export const DEFAULT_LIMITS: AlertLimits = {
  maxLabels: 64,
  maxLabelValueBytes: 2048,
  maxAnnotationValueBytes: 16384,
  resolveTimeoutMs: 5 * 60_000,
};

/** Alertmanager's `Resolved()`: an end time that is not in the future. */
export const statusAt = (a: Pick<Alert, 'endsAt'>, now: number): AlertStatus =>
  a.endsAt <= now ? 'resolved' : 'firing';

/**
 * What is wrong with one received alert, as JSON pointers under `base` (none: it is valid). The
 * checks of `normalizeAlert`, without building the alert: a request whose alerts are all valid can be
 * journalled as it came (ingest-journal.types.ts) and built by the materialiser.
 */
export function alertProblems(raw: IncomingAlert, limits: AlertLimits, base: string): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  let count = 0;
  for (const n in raw.labels) {
    const v = raw.labels[n] ?? '';
    if (v === '') continue;
    count++;
    if (!isValidLabelName(n))
      problems.push({
        path: `${base}/labels/${n}`,
        message: 'invalid label name: use letters, digits and _, not starting with a digit',
      });
    else if (utf8Bytes(v) > limits.maxLabelValueBytes)
      problems.push({
        path: `${base}/labels/${n}`,
        message: `value is longer than ${limits.maxLabelValueBytes} bytes`,
      });
  }
  if (count === 0)
    problems.unshift({ path: `${base}/labels`, message: 'at least one label with a value is required' });
  if (count > limits.maxLabels)
    problems.unshift({
      path: `${base}/labels`,
      message: `has ${count} labels; at most ${limits.maxLabels} are allowed`,
    });
  for (const k in raw.annotations) {
    const v = raw.annotations[k] ?? '';
    if (!isValidLabelName(k))
      problems.push({ path: `${base}/annotations/${k}`, message: 'invalid annotation name' });
    else if (utf8Bytes(v) > limits.maxAnnotationValueBytes)
      problems.push({
        path: `${base}/annotations/${k}`,
        message: `value is longer than ${limits.maxAnnotationValueBytes} bytes`,
      });
  }
  const endsGiven = raw.endsAt ?? null;
  if (endsGiven !== null && endsGiven < (raw.startsAt ?? endsGiven))
    problems.push({ path: `${base}/endsAt`, message: 'endsAt is before startsAt' });
  return problems;
}

/**
 * The alert Alertmanager's API makes of a valid received alert (see `alertProblems`): empty labels
 * dropped, a missing startsAt is now — or endsAt when only that is given —, a missing endsAt is now
 * + resolve timeout.
 */
export function buildAlert(
  raw: IncomingAlert,
  source: AlertSource,
  now: number,
  resolveTimeoutMs: number,
): Alert {
  const labels: Record<string, string> = {};
  for (const n in raw.labels) {
    const v = raw.labels[n];
    if (v !== '' && v !== undefined) labels[n] = v;
  }
  const annotations: Record<string, string> = {};
  for (const k in raw.annotations) annotations[k] = raw.annotations[k] ?? '';
  const endsGiven = raw.endsAt ?? null;
  return {
    fingerprint: fingerprint(labels),
    labels,
    annotations,
    startsAt: raw.startsAt ?? endsGiven ?? now,
    endsAt: endsGiven ?? now + resolveTimeoutMs,
    timeout: endsGiven === null,
    updatedAt: now,
    generatorUrl: raw.generatorUrl ?? '',
    source,
  };
}

/**
 * Normalises one received alert as Alertmanager's API does (`buildAlert`) and validates it
 * (`alertProblems`). Problems carry JSON pointers under `base`.
 */
export function normalizeAlert(
  raw: IncomingAlert,
  source: AlertSource,
  now: number,
  limits: AlertLimits,
  base: string,
): { alert: Alert; problems: [] } | { alert: null; problems: ErrorDetail[] } {
  const problems = alertProblems(raw, limits, base);
  if (problems.length) return { alert: null, problems };
  return { alert: buildAlert(raw, source, now, limits.resolveTimeoutMs), problems: [] };
}

/** Alertmanager's `Alert.Merge`: the younger alert wins, keeping the earliest start and the right end. */
export function mergeAlerts(a: Alert, o: Alert, now: number): Alert {
  if (o.updatedAt < a.updatedAt) return mergeAlerts(o, a, now);
  const res: Alert = { ...o };
  if (a.startsAt < o.startsAt) res.startsAt = a.startsAt;
  if (statusAt(o, now) === 'resolved') {
    if (statusAt(a, now) === 'resolved' && a.endsAt > o.endsAt) res.endsAt = a.endsAt;
  } else if (a.endsAt > o.endsAt && !a.timeout) {
    res.endsAt = a.endsAt;
  }
  return res;
}

/**
 * What the store keeps when `incoming` arrives for a fingerprint it holds as `old`: merged when
 * their activity ranges overlap (Alertmanager's provider `Put`), otherwise the new alert replaces it.
 */
export function receive(old: Alert | null, incoming: Alert, now: number): Alert {
  if (!old) return incoming;
  const overlaps =
    (incoming.endsAt > old.startsAt && incoming.endsAt < old.endsAt) ||
    (incoming.startsAt > old.startsAt && incoming.startsAt < old.endsAt);
  return overlaps ? mergeAlerts(old, incoming, now) : incoming;
}

/**
 * Receives `alerts` in order into `into` (by fingerprint), each as the store would receive it after
 * the one before (`receive` at `now`): how a request's repeated alerts, and the requests committed
 * together, become one batch.
 */
export function receiveInto(
  into: Map<string, Alert>,
  alerts: Iterable<Alert>,
  now: number,
): Map<string, Alert> {
  for (const a of alerts) {
    const prior = into.get(a.fingerprint);
    into.set(a.fingerprint, prior ? receive(prior, a, now) : a);
  }
  return into;
}

export interface Transition {
  status: AlertStatus;
  /** Close the alert's open episode at this time. */
  close: number | null;
  /** Re-open its latest episode (a resolved alert that a merge made fire again). */
  reopen: boolean;
  /** Start a new episode. */
  open: { startedAt: number; endedAt: number | null } | null;
}

/**
 * How the episode history changes when `next` replaces `old`. An alert continues its episode when
 * the new activity range touches the old one; otherwise the old episode ends and a new one starts.
 */
export function transition(
  old: (Pick<Alert, 'startsAt' | 'endsAt'> & { status: AlertStatus }) | null,
  next: Alert,
  now: number,
): Transition {
  const status = statusAt(next, now);
  const fresh = { startedAt: next.startsAt, endedAt: status === 'resolved' ? next.endsAt : null };
  if (!old) return { status, close: null, reopen: false, open: fresh };
  const wasOpen = old.status === 'firing';
  if (next.startsAt <= old.endsAt) {
    if (wasOpen && status === 'resolved') return { status, close: next.endsAt, reopen: false, open: null };
    if (!wasOpen && status === 'firing') return { status, close: null, reopen: true, open: null };
    return { status, close: null, reopen: false, open: null };
  }
  return { status, close: wasOpen ? old.endsAt : null, reopen: false, open: fresh };
}
