import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Watchpost's own metrics, in a registry owned by one app instance (no global registry). */
export class AppMetrics {
  readonly registry = new Registry();
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route'>;
  readonly dbDuration: Histogram<'outcome'>;

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
  }

  observeQuery(ms: number, failed: boolean): void {
    this.dbDuration.observe({ outcome: failed ? 'error' : 'ok' }, ms / 1000);
  }
}
