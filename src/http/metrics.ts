import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Watchpost's own metrics, in a registry owned by one app instance (no global registry). */
export class AppMetrics {
  readonly registry = new Registry();
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route'>;
  readonly dbDuration: Histogram<'outcome'>;
  readonly flushesPrepared: Counter<'outcome'>;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'watchpost_' });
    this.httpRequests = new Counter({
      name: 'watchpost_http_requests_total',
      help: 'HTTP requests served, by route template and status code.',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    this.httpDuration = new Histogram({
      name: 'watchpost_http_request_duration_seconds',
      help: 'Time to answer an HTTP request.',
      labelNames: ['method', 'route'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    this.dbDuration = new Histogram({
      name: 'watchpost_db_query_duration_seconds',
      help: 'Time of one state-store query.',
      labelNames: ['outcome'],
      buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [this.registry],
    });
    this.flushesPrepared = new Counter({
      name: 'watchpost_flushes_prepared_total',
      help: 'Group flushes run ahead of their time in a transaction waiting for it (embedded SQLite): committed at the time, or rolled back because alerts arrived meanwhile or the wait ended early.',
      labelNames: ['outcome'],
      registers: [this.registry],
    });
  }

  /** Exposes the ingest journal's lag (SQLite with a server): entries waiting, and the oldest one's age. */
  watchJournal(status: () => { behind: number; oldestWaitingAt: number | null }, now: () => number): void {
    new Gauge({
      name: 'watchpost_ingest_journal_behind_entries',
      help: 'Acknowledged ingest journal entries the materialiser has not written into the tables yet.',
      registers: [this.registry],
      collect() {
        this.set(status().behind);
      },
    });
    new Gauge({
      name: 'watchpost_ingest_journal_lag_seconds',
      help: 'Age of the oldest ingest journal entry not yet in the tables (0 when none waits).',
      registers: [this.registry],
      collect() {
        const at = status().oldestWaitingAt;
        this.set(at === null ? 0 : Math.max(0, now() - at) / 1000);
      },
    });
  }

  observeQuery(ms: number, failed: boolean): void {
    this.dbDuration.observe({ outcome: failed ? 'error' : 'ok' }, ms / 1000);
  }
}
