import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Clock } from '../kernel/clock.js';
import type { Ids } from '../kernel/ids.js';
import type { ErrorDetail } from '../kernel/errors.js';
import { DomainError, notFound } from '../kernel/errors.js';
import type { Labels } from '../kernel/labels.js';
import type { Matcher } from '../kernel/matchers.js';
import { compileMatcher, matchesAll } from '../kernel/matchers.js';
import type { Actor } from '../auth/model.js';
import { requirePermission } from '../auth/model.js';
import { audit } from '../auth/audit.js';
import { actorUserName } from '../auth/actor-name.js';
import type { StoredAlert } from './alert.repo.js';
import { silenceRepo } from './silence.repo.js';
import type { CompiledSilence, Silence, SilenceState } from './silence.js';
import {
  compareSilences,
  compileSilence,
  expireAt,
  planUpsert,
  silenceMatchesFilter,
  silenceState,
  validateMatchers,
  validateSilence,
} from './silence.js';

export interface SilenceServiceDeps {
  db: Kysely<DB>;
  clock: Clock;
  ids: Ids;
  /** The firing alerts, for the preview. */
  alerts: { active(actor: Actor, filter?: (labels: Labels) => boolean): Promise<StoredAlert[]> };
  /**
   * How long the flush path reuses the silences it loaded (default 10 s). A write through this
   * instance is seen at once; one made by another instance on the same database within this time.
   */
  refreshMs?: number;
}

/** A silence as a client posts it (Alertmanager's postableSilence), times in epoch ms. */
export interface SilenceRequest {
  /** Changes this silence (Alertmanager's POST with an id); absent for a new one. */
  id?: string | undefined;
  matchers: Matcher[];
  /** Absent: now. */
  startsAt?: number | null | undefined;
  endsAt: number;
  /** Absent or empty: the name of the authenticated user. */
  createdBy?: string | null | undefined;
  comment: string;
  /** Absent keeps the reason of the silence being changed; null removes it. */
  reason?: string | null | undefined;
}

export interface SilenceFilter {
  /** Alertmanager's `filter`: each must be one of the silence's matchers, verbatim. */
  matchers?: readonly Matcher[] | undefined;
  state?: SilenceState | undefined;
}

export interface UpsertResult {
  /** The id to report (Alertmanager's `silenceID`): the same one when updated in place. */
  id: string;
  silence: Silence;
  /** `replaced`: the matchers or the times could not change in place; `replaces` was expired. */
  outcome: 'created' | 'updated' | 'replaced';
  replaces: string | null;
}

/** How far before the requested time the flush cache keeps silences, so a flush for a slightly earlier scheduled time is still served. */
const CACHE_LOOKBACK_MS = 3_600_000;

const invalidSilence = (problems: ErrorDetail[]): DomainError =>
  new DomainError(
    'invalid',
    `invalid silence: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
    { details: problems },
  );

/**
 * Silences: Alertmanager API v2 semantics over a durable store, every change audited. The flush
 * path reads them through `activeCompiled`, which is served from memory until something changes.
 */
export class SilenceService {
  private readonly refreshMs: number;
  /** Bumped on every write through this instance; a cache of an older generation is stale. */
  private generation = 0;
  private cache: { generation: number; from: number; loadedAt: number; silences: CompiledSilence[] } | null =
    null;

  constructor(private readonly d: SilenceServiceDeps) {
    this.refreshMs = d.refreshMs ?? 10_000;
  }

  /** Every silence, expired ones included, in Alertmanager's order (active, pending, expired). */
  async list(actor: Actor, filter: SilenceFilter = {}): Promise<Silence[]> {
    requirePermission(actor, 'read');
    const now = this.d.clock.now();
    const all = await silenceRepo.list(this.d.db);
    return all
      .filter((s) => !filter.matchers || silenceMatchesFilter(s, filter.matchers))
      .filter((s) => !filter.state || silenceState(s, now) === filter.state)
      .sort(compareSilences(now));
  }

  async get(actor: Actor, id: string): Promise<Silence> {
    requirePermission(actor, 'read');
    const s = await silenceRepo.get(this.d.db, id);
    if (!s) throw notFound('silence', id);
    return s;
  }

  /**
   * Creates a silence, or changes the one named by `input.id` as Alertmanager does: in place when
   * the matchers are unchanged and the silence is active (same start) or pending (start not in the
   * past); otherwise the old one expires and a new id is created. A new silence starting in the
   * past starts now. Throws `invalid` listing every problem, `not_found` for an unknown id.
   */
  async upsert(actor: Actor, input: SilenceRequest): Promise<UpsertResult> {
    requirePermission(actor, 'respond');
    const now = this.d.clock.now();
    const createdBy = input.createdBy?.trim() || (await actorUserName(this.d.db, actor)) || '';
    const next = {
      matchers: input.matchers.map(({ name, type, value }) => ({ name, type, value })),
      startsAt: input.startsAt ?? now,
      endsAt: input.endsAt,
      createdBy,
      comment: input.comment,
    };
    const problems = validateSilence(next, now);
    if (problems.length) throw invalidSilence(problems);

    const result = await this.d.db.transaction().execute(async (trx): Promise<UpsertResult> => {
      const target = { type: 'silence' };
      const create = async (replaces: Silence | null): Promise<Silence> => {
        const silence: Silence = {
          ...next,
          id: this.d.ids.uuid(),
          startsAt: Math.max(next.startsAt, now),
          reason: input.reason === undefined ? (replaces?.reason ?? null) : input.reason,
          createdAt: now,
          updatedAt: now,
        };
        await silenceRepo.insert(trx, silence);
        const after = replaces ? { ...silence, replaces: replaces.id } : silence;
        await audit(trx, this.d.clock, actor, 'silence.create', { ...target, id: silence.id }, null, after);
        return silence;
      };

      if (input.id === undefined) {
        const silence = await create(null);
        return { id: silence.id, silence, outcome: 'created', replaces: null };
      }
      const prev = await silenceRepo.getForUpdate(trx, input.id);
      if (!prev) throw notFound('silence', input.id);
      if (planUpsert(prev, next, now) === 'update') {
        const silence: Silence = {
          ...prev,
          ...next,
          reason: input.reason === undefined ? prev.reason : input.reason,
          updatedAt: now,
        };
        await silenceRepo.update(trx, silence);
        await audit(trx, this.d.clock, actor, 'silence.update', { ...target, id: prev.id }, prev, silence);
        return { id: silence.id, silence, outcome: 'updated', replaces: null };
      }
      const expired = expireAt(prev, now);
      if (expired) {
        await silenceRepo.update(trx, expired);
        await audit(trx, this.d.clock, actor, 'silence.expire', { ...target, id: prev.id }, prev, expired);
      }
      const silence = await create(prev);
      return { id: silence.id, silence, outcome: 'replaced', replaces: prev.id };
    });
    this.generation += 1;
    return result;
  }

  /**
   * Ends a silence now (a pending one is expired without ever starting). Expiring an expired
   * silence changes nothing and succeeds, as in current Alertmanager. Throws `not_found`.
   */
  async expire(actor: Actor, id: string): Promise<Silence> {
    requirePermission(actor, 'respond');
    const now = this.d.clock.now();
    const result = await this.d.db.transaction().execute(async (trx) => {
      const prev = await silenceRepo.getForUpdate(trx, id);
      if (!prev) throw notFound('silence', id);
      const expired = expireAt(prev, now);
      if (!expired) return prev;
      await silenceRepo.update(trx, expired);
      await audit(trx, this.d.clock, actor, 'silence.expire', { type: 'silence', id }, prev, expired);
      return expired;
    });
    this.generation += 1;
    return result;
  }

  /** The firing alerts a silence with these matchers would mute now. Throws `invalid` for matchers a silence may not have. */
  async preview(actor: Actor, matchers: readonly Matcher[]): Promise<StoredAlert[]> {
    requirePermission(actor, 'read');
    const problems = validateMatchers(matchers);
    if (problems.length) throw invalidSilence(problems);
    const compiled = matchers.map(compileMatcher);
    return this.d.alerts.active(actor, (labels) => matchesAll(compiled, labels));
  }

  /** The silences active at `now`, for the flush path (no permission check; see activeCompiled). */
  async active(now: number = this.d.clock.now()): Promise<Silence[]> {
    return (await this.activeCompiled(now)).map((c) => c.silence);
  }

  /**
   * The silences active at `now` with their matchers compiled. Served from memory: the database is
   * read again only after a write through this service, or after `refreshMs` (for writes made by
   * another instance), so calling it on every flush is cheap.
   */
  async activeCompiled(now: number = this.d.clock.now()): Promise<CompiledSilence[]> {
    const all = await this.current(now);
    return all.filter((c) => silenceState(c.silence, now) === 'active');
  }

  /** Every silence not expired before `now` (less a look-back), compiled; cached per generation. */
  private async current(now: number): Promise<CompiledSilence[]> {
    const wall = this.d.clock.now();
    const c = this.cache;
    if (
      c &&
      c.generation === this.generation &&
      now >= c.from &&
      wall >= c.loadedAt &&
      wall - c.loadedAt < this.refreshMs
    )
      return c.silences;
    const generation = this.generation;
    const from = Math.min(now, wall) - CACHE_LOOKBACK_MS;
    const silences = (await silenceRepo.endingAfter(this.d.db, from)).map(compileSilence);
    // A write that committed while this read ran may be missing from it: keep it uncached then.
    if (generation === this.generation) this.cache = { generation, from, loadedAt: wall, silences };
    return silences;
  }
}
