import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Clock } from '../kernel/clock.js';
import type { ErrorDetail } from '../kernel/errors.js';
import type { Labels } from '../kernel/labels.js';
import type { Actor } from '../auth/model.js';
import { requirePermission } from '../auth/model.js';
import type SQLite from 'better-sqlite3';
import { alertRepo } from './alert.repo.js';
import type { EpisodeRow, StoredAlert } from './alert.repo.js';
import { SqliteIngest } from './ingest-sqlite.js';
import type { Alert, AlertLimits, AlertSource, AlertStatus, IncomingAlert, Severity } from './model.js';
import { DEFAULT_LIMITS, alertProblems, normalizeAlert, receiveInto } from './model.js';
import { planWrite } from './ingest-plan.js';
import type { JournalPart } from './ingest-journal.types.js';
import { mergeParts } from './ingest-journal.types.js';
import type { PostableAlert } from './postable.js';
import { incomingOf } from './postable.js';

export interface AlertServiceDeps {
  db: Kysely<DB>;
  clock: Clock;
  limits?: AlertLimits;
  severityMap?: Readonly<Record<string, Severity>>;
  /** Groups the alerts inside the ingest transaction, then is told when to wake. */
  dispatcher?: {
    assign(trx: Kysely<DB>, alerts: readonly StoredAlert[], now: number): Promise<number | null>;
    /** The same with prepared statements, when `sqlite` is given. */
    assignSync?(st: SqliteIngest, alerts: readonly StoredAlert[], now: number): number | null;
    scheduleAt(at: number): void;
  };
  /** The embedded SQLite handle under `db`: ingest then writes with prepared statements. */
  sqlite?: SQLite.Database | null;
  /**
   * SQLite with a server: ingest commits to the journal and its materialiser thread writes the
   * tables and groups (ingest-journal.ts). Takes precedence over `sqlite`.
   */
  journal?: { append(now: number, parts: readonly JournalPart[]): void } | null;
}

export interface IngestResult {
  accepted: number;
  /** One entry per invalid field; the valid alerts of the same request are stored (as Alertmanager does). */
  problems: ErrorDetail[];
}

export interface AlertQuery {
  from?: number | undefined;
  to?: number | undefined;
  state?: AlertStatus | undefined;
  alertname?: string | undefined;
  filter?: ((labels: Labels) => boolean) | undefined;
  before?: number | undefined;
  limit: number;
}

/** The durable alert store: receiving alerts from every input, their history, their resolution. */
export class AlertService {
  private readonly limits: AlertLimits;
  private pending: {
    part: JournalPart;
    receivedAt: number;
    resolve: () => void;
    reject: (e: unknown) => void;
  }[] = [];
  private writing: Promise<void> | null = null;
  private readonly fast: SqliteIngest | null;
  constructor(private readonly d: AlertServiceDeps) {
    this.limits = d.limits ?? DEFAULT_LIMITS;
    this.fast = d.sqlite ? new SqliteIngest(d.sqlite) : null;
  }

  /** The time on the service's clock (a request's arrival, for `ingest`). */
  now(): number {
    return this.d.clock.now();
  }

  /**
   * Stores a batch of alerts in one transaction: when this resolves, they are committed. Invalid
   * alerts are reported (with `/<index>/…` pointers) and skipped; the valid ones are kept.
   * `receivedAt`: when the request carrying them arrived (default: now).
   */
  async ingest(
    actor: Actor,
    raws: IncomingAlert[],
    source: AlertSource,
    receivedAt?: number,
  ): Promise<IngestResult> {
    requirePermission(actor, 'ingest');
    const now = receivedAt ?? this.d.clock.now();
    const problems: ErrorDetail[] = [];
    const alerts: Alert[] = [];
    raws.forEach((raw, i) => {
      const r = normalizeAlert(raw, source, now, this.limits, `/${i}`);
      if (r.alert) alerts.push(r.alert);
      else problems.push(...r.problems);
    });
    if (alerts.length === 0) return { accepted: 0, problems };
    const batch = receiveInto(new Map(), alerts, now);
    await this.commit({ kind: 'alerts', alerts: [...batch.values()] }, now);
    return { accepted: batch.size, problems };
  }

  /**
   * Alertmanager's API v2 (`POST /api/v2/alerts`): `ingest` of the body's alerts. With the ingest
   * journal, a body whose alerts are all valid is journalled as `text`, the JSON it was parsed from
   * (give it only when parsing it again yields `body`), and the materialiser builds the alerts: the
   * event loop checks them and writes the text, nothing more. `accepted` then counts the body's
   * alerts, a repeated one each time.
   */
  async ingestPostable(
    actor: Actor,
    body: readonly PostableAlert[],
    text: string | undefined,
    receivedAt?: number,
  ): Promise<IngestResult> {
    requirePermission(actor, 'ingest');
    const raws = body.map(incomingOf);
    if (!this.d.journal || text === undefined || raws.some((r) => alertProblems(r, this.limits, '').length))
      return this.ingest(actor, raws, 'external', receivedAt);
    if (raws.length === 0) return { accepted: 0, problems: [] };
    const now = receivedAt ?? this.d.clock.now();
    await this.commit(
      {
        kind: 'postable',
        text,
        count: raws.length,
        receivedAt: now,
        source: 'external',
        resolveTimeoutMs: this.limits.resolveTimeoutMs,
      },
      now,
    );
    return { accepted: raws.length, problems: [] };
  }

  /**
   * Group commit: batches that arrive while a transaction is being written wait and are written
   * together in the next one, so concurrent senders share one commit. Each caller's promise settles
   * only when the transaction holding its alerts has committed (or failed).
   */
  private commit(part: JournalPart, receivedAt: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ part, receivedAt, resolve, reject });
      if (!this.writing) this.writing = this.writeLoop();
    });
  }

  private async writeLoop(): Promise<void> {
    try {
      while (this.pending.length) {
        const group = this.pending.splice(0, this.pending.length);
        // Received when the first of them arrived: a group they start waits from then.
        const now = Math.min(...group.map((g) => g.receivedAt));
        try {
          const wakeAt = await this.write(
            group.map((g) => g.part),
            now,
          );
          if (wakeAt !== null) this.d.dispatcher?.scheduleAt(wakeAt);
          for (const g of group) g.resolve();
        } catch (e) {
          for (const g of group) g.reject(e);
        }
      }
    } finally {
      this.writing = null;
    }
  }

  private write(parts: readonly JournalPart[], now: number): Promise<number | null> {
    if (this.d.journal) {
      this.d.journal.append(now, parts);
      return Promise.resolve(null);
    }
    const batch = mergeParts(parts, now);
    const fast = this.fast;
    const assignSync = this.d.dispatcher?.assignSync?.bind(this.d.dispatcher);
    if (fast && (!this.d.dispatcher || assignSync))
      // Holding Kysely's one SQLite connection guarantees no Kysely transaction is open around ours.
      return this.d.db.connection().execute(() =>
        Promise.resolve(
          fast.transaction(() => {
            const p = fast.write(batch.values(), now, this.d.severityMap);
            return assignSync ? assignSync(fast, p.next, now) : null;
          }),
        ),
      );
    return this.d.db.transaction().execute(async (trx) => {
      const p = planWrite(
        await alertRepo.getMany(trx, [...batch.keys()]),
        batch.values(),
        now,
        this.d.severityMap,
      );
      await alertRepo.upsertMany(trx, p.next);
      await alertRepo.closeEpisodes(trx, p.closes);
      await alertRepo.reopenEpisodes(trx, p.reopens);
      await alertRepo.openEpisodes(trx, p.opens);
      return this.d.dispatcher ? this.d.dispatcher.assign(trx, p.next, now) : null;
    });
  }

  /**
   * Marks alerts whose end time has passed as resolved and closes their episodes; returns them.
   * Safe to run from several instances: each alert is resolved once. Their groups notice at their
   * next flush, as in Alertmanager.
   */
  async resolveExpired(now = this.d.clock.now(), batchSize = 1000): Promise<StoredAlert[]> {
    const resolved = await this.d.db.transaction().execute(async (trx) => {
      const due = await alertRepo.expired(trx, now, batchSize);
      if (due.length === 0) return [];
      const changed = new Set(
        await alertRepo.markResolved(
          trx,
          now,
          due.map((d) => d.fingerprint),
        ),
      );
      await alertRepo.closeEpisodes(
        trx,
        due
          .filter((d) => changed.has(d.fingerprint))
          .map((d) => ({ fingerprint: d.fingerprint, endedAt: d.endsAt })),
      );
      return [...(await alertRepo.getMany(trx, [...changed])).values()];
    });
    return resolved;
  }

  /** The alerts firing now (Alertmanager's GET /api/v2/alerts). */
  async active(actor: Actor, filter?: (labels: Labels) => boolean): Promise<StoredAlert[]> {
    requirePermission(actor, 'read');
    const all = await alertRepo.active(this.d.db, this.d.clock.now());
    return filter ? all.filter((a) => filter(a.labels)) : all;
  }

  /** Every firing episode in a time range, newest first, resolved ones included. */
  async history(
    actor: Actor,
    q: AlertQuery,
  ): Promise<{ items: { episode: EpisodeRow; alert: StoredAlert }[]; nextBefore: number | null }> {
    requirePermission(actor, 'read');
    const limit = Math.min(Math.max(q.limit, 1), 1000);
    const items: { episode: EpisodeRow; alert: StoredAlert }[] = [];
    // Label filters run here (regexes need RE2), so pages are read until this one is full.
    let before = q.before;
    let exhausted = false;
    for (let round = 0; round < 20 && items.length < limit && !exhausted; round++) {
      const page = await alertRepo.episodes(this.d.db, { ...q, before, limit });
      exhausted = page.length < limit;
      for (const row of page) {
        before = row.episode.id;
        if (!q.filter || q.filter(row.alert.labels)) items.push(row);
        if (items.length === limit) {
          exhausted = exhausted && row === page.at(-1);
          break;
        }
      }
    }
    return { items, nextBefore: exhausted ? null : (before ?? null) };
  }
}
