// Pure: an alert as Alertmanager's API v2 receives it (`POST /api/v2/alerts`, what Prometheus sends),
// and what it means as a received alert. Shared by the route and the ingest journal's materialiser,
// which builds the alerts of a request journalled as it came (ingest-journal.types.ts).
import { GO_ZERO_TIME } from '../ingest/model.js';
import type { IncomingAlert } from './model.js';

/** One element of the request body, as validated by the route's schema (routes.ts `PostableAlert`). */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string> | undefined;
  startsAt?: string | undefined;
  endsAt?: string | undefined;
  generatorURL?: string | undefined;
}

/** An absent time, or Go's zero time (Alertmanager's `IsZero()`), is null: the server decides it. */
const parseTime = (s: string | undefined): number | null => {
  if (s === undefined) return null;
  const t = Date.parse(s);
  return t === GO_ZERO_TIME ? null : t;
};

export const incomingOf = (a: PostableAlert): IncomingAlert => ({
  labels: a.labels,
  annotations: a.annotations,
  startsAt: parseTime(a.startsAt),
  endsAt: parseTime(a.endsAt),
  generatorUrl: a.generatorURL,
});
