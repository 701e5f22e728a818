// Pure: what one ingest transaction writes, decided from the stored alerts and the incoming ones
// (Alertmanager's merge, then the firing/resolved transition and the severity). The same plan is
// written by Kysely (PostgreSQL), by prepared statements on the event loop (SQLite), and by the
// journal's materialiser thread (SQLite with the ingest journal).
import type { StoredAlert } from './alert.repo.js';
import type { Alert, Severity } from './model.js';
import { receive, severityOf, transition } from './model.js';

export interface WritePlan {
  next: StoredAlert[];
  opens: { fingerprint: string; startedAt: number; endedAt: number | null }[];
  closes: { fingerprint: string; endedAt: number }[];
  reopens: string[];
}

export function planWrite(
  stored: ReadonlyMap<string, StoredAlert>,
  batch: Iterable<Alert>,
  now: number,
  severityMap?: Readonly<Record<string, Severity>>,
): WritePlan {
  const p: WritePlan = { next: [], opens: [], closes: [], reopens: [] };
  for (const incoming of batch) {
    const old = stored.get(incoming.fingerprint) ?? null;
    const merged = receive(old, incoming, now);
    const t = transition(old, merged, now);
    p.next.push({ ...merged, status: t.status, severity: severityOf(merged.labels, severityMap) });
    if (t.close !== null) p.closes.push({ fingerprint: merged.fingerprint, endedAt: t.close });
    if (t.open) p.opens.push({ fingerprint: merged.fingerprint, ...t.open });
    if (t.reopen) p.reopens.push(merged.fingerprint);
  }
  return p;
}
