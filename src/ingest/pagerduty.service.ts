import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Clock } from '../kernel/clock.js';
import type { Ids } from '../kernel/ids.js';
import type { ErrorDetail } from '../kernel/errors.js';
import { DomainError } from '../kernel/errors.js';
import type { Actor } from '../auth/model.js';
import { anonymousActor, requirePermission } from '../auth/model.js';
import type { AlertService } from '../alerts/alert.service.js';
import { decide, fieldName, parseEvent } from './pagerduty.js';
import { pagerdutyRepo } from './pagerduty.repo.js';

export interface PagerDutyServiceDeps {
  db: Kysely<DB>;
  clock: Clock;
  ids: Ids;
  alerts: Pick<AlertService, 'ingest'>;
  /** Resolves an API token (`wp_…`) to its actor, or null when it is unknown, revoked or expired. */
  authenticateToken: (token: string, ip: string | null) => Promise<Actor | null>;
  /** `auth.anonymous`: with `ingest`, events without a Watchpost token are accepted. */
  anonymous: readonly ('ingest' | 'read')[];
}

/** `invalid`, worded as PagerDuty words it; each detail names its field. */
const invalidEvent = (problems: ErrorDetail[]): DomainError =>
  new DomainError(
    'invalid',
    `Event object is invalid: ${problems.map((p) => `${fieldName(p.path)} ${p.message}`).join('; ')}`,
    { details: problems },
  );

const TOKEN_PREFIX = 'wp_';

/** PagerDuty Events API v2: trigger, acknowledge and resolve alerts by dedup_key. */
export class PagerDutyService {
  /** Events for one key are handled one after another in this process (see README: limits). */
  private readonly busy = new Map<string, Promise<unknown>>();

  constructor(private readonly d: PagerDutyServiceDeps) {}

  /**
   * Who sent the event: the request's own credentials (`Authorization: Bearer`, a session) when it
   * has them, else the event's `routing_key` holding a Watchpost API token, else the anonymous
   * actor when `auth.anonymous` allows ingest. A routing_key that looks like a Watchpost token but
   * is not a valid one is refused even then, so a mistyped token is noticed.
   */
  async authenticate(requestActor: Actor | null, body: unknown, ip: string | null): Promise<Actor> {
    if (requestActor) return requestActor;
    const key =
      typeof body === 'object' && body !== null ? (body as Record<string, unknown>).routing_key : undefined;
    if (typeof key === 'string' && key.startsWith(TOKEN_PREFIX)) {
      const actor = await this.d.authenticateToken(key, ip);
      if (actor) return actor;
      throw new DomainError(
        'unauthorized',
        'routing_key is not a valid Watchpost API token (unknown, revoked or expired): create a token with scope ingest in Settings → API tokens',
        { details: [{ path: '/routing_key', message: 'unknown, revoked or expired API token' }] },
      );
    }
    if (this.d.anonymous.includes('ingest')) return anonymousActor(this.d.anonymous, ip);
    throw new DomainError(
      'unauthorized',
      'no credentials: put a Watchpost API token with scope ingest in routing_key (the integration key), or send Authorization: Bearer wp_…',
      { details: [{ path: '/routing_key', message: 'must be a Watchpost API token with scope ingest' }] },
    );
  }

  /**
   * Handles one event; when this resolves, its effect on the key and on the alert store is
   * committed. Returns the dedup_key (generated for a trigger without one).
   */
  async enqueue(actor: Actor, body: unknown): Promise<{ dedupKey: string }> {
    requirePermission(actor, 'ingest');
    const parsed = parseEvent(body);
    if (!parsed.event) throw invalidEvent(parsed.problems);
    const ev = parsed.event;
    // PagerDuty generates a 32-hex-digit key; so does Watchpost.
    const dedupKey = ev.dedupKey ?? this.d.ids.uuid().replace(/-/g, '');
    await this.serially(dedupKey, async () => {
      const now = this.d.clock.now();
      const decision = await this.d.db.transaction().execute(async (trx) => {
        const prior = await pagerdutyRepo.get(trx, dedupKey);
        const dec = decide(ev, dedupKey, prior, now, actor.name);
        if (dec.next) await pagerdutyRepo.put(trx, dec.next);
        return dec;
      });
      if (decision.problems.length) throw invalidEvent(decision.problems);
      // The key is stored first: if this write fails the sender retries, and the retry finds the key.
      if (decision.alert) {
        const r = await this.d.alerts.ingest(actor, [decision.alert], 'external');
        if (r.problems.length) throw invalidEvent(r.problems);
      }
    });
    return { dedupKey };
  }

  private async serially(key: string, fn: () => Promise<void>): Promise<void> {
    const before = this.busy.get(key) ?? Promise.resolve();
    const mine = before.catch(() => undefined).then(fn);
    this.busy.set(key, mine);
    try {
      await mine;
    } finally {
      if (this.busy.get(key) === mine) this.busy.delete(key);
    }
  }
}
