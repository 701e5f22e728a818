import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { isUniqueViolation } from '../db/dialect.js';
import type { Clock } from '../kernel/clock.js';
import type { Ids } from '../kernel/ids.js';
import type { ErrorDetail } from '../kernel/errors.js';
import { DomainError, notFound } from '../kernel/errors.js';
import type { Labels } from '../kernel/labels.js';
import { matchesAll } from '../kernel/matchers.js';
import { canonicalTimeZone } from '../kernel/time-interval.js';
import type { Actor } from '../auth/model.js';
import { requirePermission } from '../auth/model.js';
import { audit } from '../auth/audit.js';
import { actorUserName } from '../auth/actor-name.js';
import { assertNotManaged } from '../auth/team.service.js';
import { maintenanceRepo } from './maintenance.repo.js';
import type {
  CompiledWindow,
  MaintenanceMode,
  MaintenanceWindow,
  MaintenanceWindowInput,
  WindowMatch,
} from './maintenance.js';
import { activeAt, compileWindow, occurrences, validateWindow } from './maintenance.js';
import { RefreshCache } from './refresh-cache.js';

export interface MaintenanceServiceDeps {
  db: Kysely<DB>;
  clock: Clock;
  ids: Ids;
  /**
   * How long the flush path reuses the windows it loaded (default 10 s). A write through this
   * instance, or `invalidate()`, is seen at once; one made by another instance within this time.
   */
  refreshMs?: number;
}

/** A window as a client sends it. */
export interface MaintenanceRequest extends MaintenanceWindowInput {
  /** Absent or empty: the name of the authenticated user. */
  createdBy?: string | null | undefined;
}

/** One time a window is in effect, for the maintenance calendar. */
export interface CalendarEntry {
  windowId: string;
  name: string;
  mode: MaintenanceMode;
  startsAt: number;
  endsAt: number;
}

/** The longest range `calendar` answers for (92 days: a quarter). */
export const CALENDAR_MAX_RANGE_MS = 92 * 86_400_000;

const invalidWindow = (problems: ErrorDetail[]): DomainError =>
  new DomainError(
    'invalid',
    `invalid maintenance window: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
    { details: problems },
  );

const nameTaken = (name: string): DomainError =>
  new DomainError(
    'conflict',
    `a maintenance window named ${JSON.stringify(name)} already exists: choose another name`,
    {
      details: [{ path: '/name', message: 'already taken' }],
    },
  );

/**
 * Maintenance windows: stored, every change audited, and served to the flush path from memory
 * (`activeCompiled`, `lookup`). Windows the configuration file declares are read-only here.
 */
export class MaintenanceService {
  private readonly cache: RefreshCache<CompiledWindow[]>;

  constructor(private readonly d: MaintenanceServiceDeps) {
    this.cache = new RefreshCache(d.clock, d.refreshMs ?? 10_000);
  }

  /** Every window, by name. */
  async list(actor: Actor): Promise<MaintenanceWindow[]> {
    requirePermission(actor, 'read');
    return maintenanceRepo.list(this.d.db);
  }

  async get(actor: Actor, id: string): Promise<MaintenanceWindow> {
    requirePermission(actor, 'read');
    const w = await maintenanceRepo.get(this.d.db, id);
    if (!w) throw notFound('maintenance window', id);
    return w;
  }

  /** Creates a window. Throws `invalid` listing every problem, `conflict` for a name in use. */
  async create(actor: Actor, input: MaintenanceRequest): Promise<MaintenanceWindow> {
    requirePermission(actor, 'write');
    const fields = this.checked(input);
    const now = this.d.clock.now();
    const w: MaintenanceWindow = {
      ...fields,
      id: this.d.ids.uuid(),
      createdBy: input.createdBy?.trim() || (await actorUserName(this.d.db, actor)) || '',
      source: 'api',
      managedBy: null,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.d.db.transaction().execute(async (trx) => {
        await maintenanceRepo.insert(trx, w);
        await audit(
          trx,
          this.d.clock,
          actor,
          'maintenance.create',
          { type: 'maintenance_window', id: w.id },
          null,
          w,
        );
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw nameTaken(w.name);
      throw e;
    }
    this.cache.invalidate();
    return w;
  }

  /**
   * Replaces a window's fields (its id, creator and creation time stay). Throws `not_found`,
   * `invalid`, `conflict` for a name in use or a window the configuration file declares.
   */
  async update(actor: Actor, id: string, input: MaintenanceRequest): Promise<MaintenanceWindow> {
    requirePermission(actor, 'write');
    const fields = this.checked(input);
    let after: MaintenanceWindow;
    try {
      after = await this.d.db.transaction().execute(async (trx) => {
        const before = await maintenanceRepo.get(trx, id);
        if (!before) throw notFound('maintenance window', id);
        assertNotManaged('maintenance window', before.name, before.managedBy);
        const next: MaintenanceWindow = {
          ...before,
          ...fields,
          createdBy: input.createdBy?.trim() || before.createdBy,
          updatedAt: this.d.clock.now(),
        };
        await maintenanceRepo.update(trx, next);
        await audit(
          trx,
          this.d.clock,
          actor,
          'maintenance.update',
          { type: 'maintenance_window', id },
          before,
          next,
        );
        return next;
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw nameTaken(fields.name);
      throw e;
    }
    this.cache.invalidate();
    return after;
  }

  /** Deletes a window (the audit log keeps what it was). Throws `not_found`, `conflict` for a declared one. */
  async remove(actor: Actor, id: string): Promise<void> {
    requirePermission(actor, 'write');
    await this.d.db.transaction().execute(async (trx) => {
      const before = await maintenanceRepo.get(trx, id);
      if (!before) throw notFound('maintenance window', id);
      assertNotManaged('maintenance window', before.name, before.managedBy);
      await maintenanceRepo.remove(trx, id);
      await audit(
        trx,
        this.d.clock,
        actor,
        'maintenance.delete',
        { type: 'maintenance_window', id },
        before,
        null,
      );
    });
    this.cache.invalidate();
  }

  /**
   * Every time a window is in effect that overlaps [from, to), ordered by start (a window's
   * occurrences are capped at MAX_OCCURRENCES). Throws `invalid` naming `from` or `to` when the
   * range is empty or longer than CALENDAR_MAX_RANGE_MS.
   */
  async calendar(actor: Actor, from: number, to: number): Promise<CalendarEntry[]> {
    requirePermission(actor, 'read');
    if (!(to > from))
      throw new DomainError('invalid', 'to must be after from', {
        details: [{ path: 'to', message: 'must be after from' }],
      });
    if (to - from > CALENDAR_MAX_RANGE_MS)
      throw new DomainError(
        'invalid',
        'the range from … to may span at most 92 days: ask for one quarter at a time',
        {
          details: [{ path: 'to', message: 'at most 92 days after from' }],
        },
      );
    const entries: CalendarEntry[] = [];
    for (const cw of await this.compiled())
      for (const o of occurrences(cw, from, to))
        entries.push({ windowId: cw.window.id, name: cw.window.name, mode: cw.window.mode, ...o });
    return entries.sort((a, b) => a.startsAt - b.startsAt || a.name.localeCompare(b.name));
  }

  /**
   * The windows active at `now`, compiled, for the flush path (no permission check). Served from
   * memory: read again only after a write through this service, `invalidate()`, or `refreshMs`.
   */
  async activeCompiled(now: number = this.d.clock.now()): Promise<CompiledWindow[]> {
    return (await this.compiled()).filter((cw) => activeAt(cw, now));
  }

  /**
   * The windows covering an alert with these labels at `now`, as a lookup built once per flush;
   * undefined when no window is active (nothing to look up).
   */
  async lookup(now: number = this.d.clock.now()): Promise<((labels: Labels) => WindowMatch[]) | undefined> {
    const active = await this.activeCompiled(now);
    if (active.length === 0) return undefined;
    // Already known to be active at `now`: only the matchers are left to check per alert.
    return (labels) =>
      active
        .filter((cw) => matchesAll(cw.matchers, labels))
        .map(({ window: w }) => ({ id: w.id, name: w.name, mode: w.mode }));
  }

  /** Every window, compiled, from the cache. */
  async compiled(): Promise<CompiledWindow[]> {
    return this.cache.get(async () => (await maintenanceRepo.list(this.d.db)).map(compileWindow));
  }

  /** Forgets the cached windows: call after changing them other than through this service (applying the configuration file). */
  invalidate(): void {
    this.cache.invalidate();
  }

  /** The input validated and normalised (trimmed name, canonical zone, plain matchers); throws `invalid`. */
  private checked(input: MaintenanceRequest): MaintenanceWindowInput {
    const problems = validateWindow(input);
    if (problems.length) throw invalidWindow(problems);
    return {
      name: input.name.trim(),
      matchers: input.matchers.map(({ name, type, value }) => ({ name, type, value })),
      schedule: input.schedule,
      timeZone: canonicalTimeZone(input.timeZone),
      mode: input.mode,
      comment: input.comment,
    };
  }
}
