// What the event loop and the materialiser thread say to each other (ingest-journal.ts,
// materializer.worker.ts), and how the applied position is kept in `settings`.
import type { RouteNode } from '../config/model.js';
import type { Alert, AlertSource, Severity } from './model.js';
import { buildAlert, receiveInto } from './model.js';
import type { PostableAlert } from './postable.js';
import { incomingOf } from './postable.js';

export interface MaterializerInit {
  /** The main database file (watchpost.db). */
  file: string;
  /** The journal file. */
  journal: string;
  /** The journal file's identity: a position recorded for another journal file counts as 0. */
  journalId: string;
  route: RouteNode;
  severityMap?: Readonly<Record<string, Severity>>;
  /**
   * One Int32: how many transactions of the event loop wait for the write lock. While it is above
   * zero the materialiser starts no transaction, so the event loop's flushes and deliveries are not
   * starved by a stream of materialiser transactions.
   */
  lockWaiters: SharedArrayBuffer;
}

export type ToMaterializer =
  { kind: 'wake' } | { kind: 'pause' } | { kind: 'resume'; route?: RouteNode } | { kind: 'stop' };

export type FromMaterializer =
  | { kind: 'ready'; upTo: number }
  | { kind: 'applied'; upTo: number; wakeAt: number | null }
  | { kind: 'paused' }
  | { kind: 'error'; message: string };

/** The `settings` key holding `<journal id>:<last entry applied>`. */
export const APPLIED_KEY = 'ingest_journal_applied';

export const appliedValue = (journalId: string, upTo: number): string => `${journalId}:${upTo}`;

export function parseApplied(value: string | undefined | null, journalId: string): number {
  if (!value) return 0;
  const at = value.lastIndexOf(':');
  return value.slice(0, at) === journalId ? Number(value.slice(at + 1)) || 0 : 0;
}

/** One alert in a journal entry: its fields in `Alert`'s order, without the keys. */
type JournalAlert = [
  fingerprint: string,
  labels: Alert['labels'],
  annotations: Alert['annotations'],
  startsAt: number,
  endsAt: number,
  timeout: 0 | 1,
  updatedAt: number,
  generatorUrl: string,
  source: Alert['source'],
];

/**
 * What one request hands to the journal: its alerts, built and validated (every input), or — through
 * Alertmanager's API, when all of them are valid — the request body's text as it came, which the
 * materialiser builds into alerts exactly as the event loop would have (`buildAlert`, `receiveInto`),
 * so that the event loop neither builds nor encodes them.
 */
export type JournalPart =
  | { kind: 'alerts'; alerts: readonly Alert[] }
  | {
      kind: 'postable';
      /** The body's JSON text: an array of `PostableAlert`, exactly what the route validated. */
      text: string;
      /** Its length. */
      count: number;
      receivedAt: number;
      source: AlertSource;
      resolveTimeoutMs: number;
    };

/** An entry with a request's text: `{"v":2,"parts":[...]}`, each part a `JournalPartV2`. */
type JournalPartV2 =
  | [kind: 0, alerts: JournalAlert[]]
  | [kind: 1, receivedAt: number, source: AlertSource, resolveTimeoutMs: number, alerts: PostableAlert[]];

const journalAlert = (a: Alert): JournalAlert => [
  a.fingerprint,
  a.labels,
  a.annotations,
  a.startsAt,
  a.endsAt,
  a.timeout ? 1 : 0,
  a.updatedAt,
  a.generatorUrl,
  a.source,
];

const fromJournalAlert = (a: JournalAlert | Alert): Alert =>
  Array.isArray(a)
    ? {
        fingerprint: a[0],
        labels: a[1],
        annotations: a[2],
        startsAt: a[3],
        endsAt: a[4],
        timeout: a[5] === 1,
        updatedAt: a[6],
        generatorUrl: a[7],
        source: a[8],
      }
    : a;

/** The alerts of one request's body, built as `AlertService.ingest` builds them. */
export const postableAlerts = (
  alerts: readonly PostableAlert[],
  source: AlertSource,
  receivedAt: number,
  resolveTimeoutMs: number,
): Map<string, Alert> =>
  receiveInto(
    new Map(),
    alerts.map((a) => buildAlert(incomingOf(a), source, receivedAt, resolveTimeoutMs)),
    receivedAt,
  );

/** A part's alerts, built: a request kept as its text is built here as the materialiser would. */
export const partAlerts = (p: JournalPart): Iterable<Alert> =>
  p.kind === 'alerts'
    ? p.alerts
    : postableAlerts(
        JSON.parse(p.text) as PostableAlert[],
        p.source,
        p.receivedAt,
        p.resolveTimeoutMs,
      ).values();

/**
 * The alerts of parts committed together, received in order from `at` on (the group commit): what
 * the entry applies, and what the write without the journal stores.
 */
export function mergeParts(parts: readonly JournalPart[], at: number): Map<string, Alert> {
  const merged = new Map<string, Alert>();
  for (const p of parts) receiveInto(merged, partAlerts(p), at);
  return merged;
}

/**
 * One entry's text for the parts committed together, received from `at` on. Built alerts only: one
 * batch, merged here, as arrays (a third fewer bytes to write and to parse than objects). With a
 * request's text: the parts, the text spliced in as it came (it is the JSON it was parsed from).
 */
export function encodeEntry(parts: readonly JournalPart[], at: number): string {
  if (parts.every((p) => p.kind === 'alerts')) {
    const merged = parts.length === 1 ? parts[0]!.alerts : [...mergeParts(parts, at).values()];
    return JSON.stringify(merged.map(journalAlert));
  }
  const encoded = parts.map((p) =>
    p.kind === 'alerts'
      ? JSON.stringify([0, p.alerts.map(journalAlert)])
      : `[1,${p.receivedAt},${JSON.stringify(p.source)},${p.resolveTimeoutMs},${p.text}]`,
  );
  return `{"v":2,"parts":[${encoded.join(',')}]}`;
}

/**
 * An entry's alerts, received from `at` on. Entries of every earlier form are read: arrays of alerts
 * as arrays, and before that as `Alert` objects.
 */
export function decodeEntry(text: string, at: number): Alert[] {
  const parsed = JSON.parse(text) as (JournalAlert | Alert)[] | { v: 2; parts: JournalPartV2[] };
  if (Array.isArray(parsed)) return parsed.map(fromJournalAlert);
  const merged = new Map<string, Alert>();
  for (const p of parsed.parts)
    receiveInto(
      merged,
      p[0] === 0 ? p[1].map(fromJournalAlert) : postableAlerts(p[4], p[2], p[1], p[3]).values(),
      at,
    );
  return [...merged.values()];
}
