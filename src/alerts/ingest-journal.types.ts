// What the event loop and the materialiser thread say to each other (ingest-journal.ts,
// materializer.worker.ts), and how the applied position is kept in `settings`.
import type { RouteNode } from '../config/model.js';
import type { Alert, Severity } from './model.js';

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
 * An entry's alerts as stored in the journal: arrays rather than objects, a third fewer bytes to
 * write on the event loop and to parse in the materialiser.
 */
export const encodeEntry = (alerts: readonly Alert[]): string =>
  JSON.stringify(
    alerts.map((a): JournalAlert => [
      a.fingerprint,
      a.labels,
      a.annotations,
      a.startsAt,
      a.endsAt,
      a.timeout ? 1 : 0,
      a.updatedAt,
      a.generatorUrl,
      a.source,
    ]),
  );

/** An entry's alerts. Entries written before this encoding hold `Alert` objects: read as they are. */
export function decodeEntry(text: string): Alert[] {
  const parsed = JSON.parse(text) as (JournalAlert | Alert)[];
  return parsed.map((a) =>
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
      : a,
  );
}
