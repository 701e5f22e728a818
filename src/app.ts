// The composition root: builds every part from the configuration, starts and stops them.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import type { Logger } from 'pino';
import type { Config } from './config/model.js';
import type { Clock } from './kernel/clock.js';
import { systemClock } from './kernel/clock.js';
import type { Ids } from './kernel/ids.js';
import { randomIds } from './kernel/ids.js';
import { DomainError } from './kernel/errors.js';
import { migrateToLatest, openDatabase, pendingMigrations } from './db/database.js';
import { IngestJournal, journalReadiness } from './alerts/ingest-journal.js';
import type { Database } from './db/database.js';
import { sqliteHandleOf } from './db/sqlite-handle.js';
import { SecretBox, loadSecretKey } from './auth/secret-box.js';
import { AuthService } from './auth/auth.service.js';
import type { PasswordHasher } from './auth/auth.service.js';
import { AccountService } from './auth/account.service.js';
import { TeamService } from './auth/team.service.js';
import { AuditService } from './auth/audit.js';
import { configActor, requirePermission, systemActor } from './auth/model.js';
import type { Actor } from './auth/model.js';
import { CatalogService } from './catalog/catalog.service.js';
import { applyDeclared } from './config/apply.js';
import type { ApplyResult } from './config/apply.js';
import type { ConfigStatus } from './config/routes.js';
import { createHttpServer } from './http/server.js';
import type { App } from './http/server.js';
import { AppMetrics } from './http/metrics.js';
import { AlertService } from './alerts/alert.service.js';
import { Dispatcher } from './alerts/dispatcher.js';
import { alertRepo } from './alerts/alert.repo.js';
import { HttpClient } from './notify/http-client.js';
import type { DeliveryEngine } from './notify/delivery/engine.js';
import { createDelivery } from './notify/delivery/factory.js';
import type { ActionLinks } from './notify/links.js';
import type { MessageRenderer } from './notify/render/index.js';
import { ChannelAlerts, REASSERT_MS } from './notify/self-alert.js';
import { uiChannelId, withUiChannels, type UiChannel } from './notify/ui-channels.js';
import { ReceiverChannelService } from './notify/ui-channels.service.js';
import { SilenceService } from './alerts/silence.service.js';
import { MuteService } from './alerts/mute.service.js';
import { MaintenanceService } from './alerts/maintenance.service.js';
import { compileRoutes } from './alerts/route.js';
import type { Readiness } from './http/health.routes.js';
import { registerAppRoutes } from './app-routes.js';

/** The package's root folder (holds package.json and dist/), found from this file's location. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
}

export const packageVersion = (): string =>
  (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;

/**
 * Runs `fn` every `ms` until stopped, one run at a time; a failing run is logged, not fatal.
 * `stop()` waits for a run in progress so the database is not closed under it.
 */
function every(ms: number, fn: () => Promise<void>, logger: Logger, failure: string) {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  const tick = () => {
    running = fn()
      .catch((e: unknown) => logger.error({ err: e }, failure))
      .finally(() => {
        running = null;
        if (timer) timer.refresh();
      });
  };
  return {
    start() {
      timer = setTimeout(tick, ms);
      timer.unref();
    },
    async stop() {
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}

export interface AppOptions {
  config: Config;
  secretKey: string | null;
  /** Re-reads the configuration file; throws DomainError('invalid') listing every problem. */
  reloadConfig?: () => Config;
  logger?: Logger;
  clock?: Clock;
  ids?: Ids;
  hasher?: PasswordHasher;
  /** Test isolation in PostgreSQL. */
  pgSchema?: string;
  /** How often alerts past their end time are resolved (default 1 s). */
  resolveEveryMs?: number;
  webRoot?: string | null;
}

export interface Services {
  alerts: AlertService;
  silences: SilenceService;
  maintenance: MaintenanceService;
  muting: MuteService;
  auth: AuthService;
  accounts: AccountService;
  teams: TeamService;
  catalog: CatalogService;
  audit: AuditService;
}

/** Opens the database (migrating it) and builds the services; used by `serve` and by CLI commands. */
export async function openState(
  o: AppOptions,
  logger: Logger,
  metrics?: AppMetrics,
  /** Builds the alert dispatcher once the database is open (the server has one; CLI commands do not). */
  makeDispatcher?: (database: Database, box: SecretBox) => Dispatcher,
): Promise<{ database: Database; services: Services; box: SecretBox; journal: IngestJournal | null }> {
  const clock = o.clock ?? systemClock;
  const ids = o.ids ?? randomIds;
  let journal: IngestJournal | null = null;
  const database = openDatabase({
    dataDir: o.config.storage.dataDir,
    databaseUrl: o.config.storage.databaseUrl,
    ...(o.pgSchema ? { pgSchema: o.pgSchema } : {}),
    ...(metrics ? { onQuery: (ms: number, failed: boolean) => metrics.observeQuery(ms, failed) } : {}),
    // A server on SQLite has an ingest journal, whose materialiser thread checkpoints the database
    // too: one thread (and its ~10 MB) fewer.
    ...(makeDispatcher ? { checkpointEveryMs: null } : {}),
  });
  try {
    const report = await migrateToLatest(database);
    if (report.applied.length)
      logger.info({ applied: report.applied, database: database.location }, 'database migrated');
    const key = loadSecretKey(o.secretKey, o.config.storage.dataDir);
    if (key.created)
      logger.warn(
        { file: key.source },
        'generated a new secret key: back it up with the data folder, or set WATCHPOST_SECRET_KEY',
      );
    const box = new SecretBox(key.key);
    const base = { db: database.db, clock, ids, ...(o.hasher ? { hasher: o.hasher } : {}) };
    const auth = new AuthService({ ...base, box, sessionTtlMs: o.config.auth.sessionTtlMs });
    await auth.checkSecretKey();
    const dispatcher = makeDispatcher?.(database, box);
    // SQLite with a server: acknowledged alerts go to the ingest journal and a worker thread writes
    // them into the tables (alerts/ingest-journal.ts); queries wait until it has.
    journal =
      dispatcher && database.sqlite
        ? new IngestJournal({
            file: database.location,
            journalFile: join(o.config.storage.dataDir, 'ingest-journal.db'),
            route: o.config.route,
            onWake: (at) => dispatcher.scheduleAt(at),
            logger,
          })
        : null;
    if (journal) {
      await journal.start();
      const j = journal;
      database.setReadBarrier(() => j.settled());
      database.setLockWaiting((on) => j.waitingForLock(on));
    }
    const services: Services = {
      alerts: new AlertService({
        db: database.db,
        // SQLite: ingest writes through prepared statements (alerts/ingest-sqlite.ts).
        sqlite: database.sqlite,
        journal,
        clock,
        ...(dispatcher ? { dispatcher } : {}),
      }),
      auth,
      accounts: new AccountService(base),
      teams: new TeamService(base),
      catalog: new CatalogService(base),
      audit: new AuditService(base),
      // Reads services.alerts only when called, after this object exists.
      maintenance: new MaintenanceService(base),
      silences: new SilenceService({
        ...base,
        alerts: { active: (a, f) => services.alerts.active(a, f) },
      }),
      muting: new MuteService({
        clock,
        silences: { activeCompiled: (now) => services.silences.activeCompiled(now) },
        inhibitRules: o.config.inhibitRules,
        firing: (now) => alertRepo.active(database.db, now),
        maintenance: (now) => services.maintenance.lookup(now),
        route: o.config.route,
        timeIntervals: o.config.timeIntervals,
      }),
    };
    return { database, services, box, journal };
  } catch (e) {
    await journal?.kill();
    await database.close();
    throw e;
  }
}

export interface Watchpost {
  http: App;
  dispatcher: Dispatcher;
  outbox: DeliveryEngine;
  services: Services;
  database: Database;
  logger: Logger;
  /** Listens; resolves with the address (port 0 picks a free one). */
  start(): Promise<string>;
  /** Stops accepting, lets in-flight requests finish, closes the database. */
  stop(): Promise<void>;
  reload(actor: Actor): Promise<ApplyResult>;
}

export async function createApp(o: AppOptions): Promise<Watchpost> {
  const config = o.config;
  const clock = o.clock ?? systemClock;
  const ids = o.ids ?? randomIds;
  const logger = o.logger ?? pino({ level: config.log.level, base: { app: 'watchpost' } });
  const metrics = new AppMetrics();
  const version = packageVersion();
  const startedAt = clock.now();
  const client = new HttpClient({ logger });
  // Built by openState's callback once the database is open.
  let outbox!: DeliveryEngine;
  let dispatcher!: Dispatcher;
  let links!: ActionLinks;
  let renderer!: MessageRenderer;
  const channelAlerts = new ChannelAlerts({
    ingest: async (alerts) => {
      await services.alerts.ingest(systemActor('delivery'), alerts, 'watchpost');
    },
    language: (name) => outbox.receiver(name)?.language ?? 'zh-CN',
    now: () => clock.now(),
  });
  // Set once openState returns; the dispatcher's regrouping asks it to pause the materialiser.
  let journal: IngestJournal | null = null;
  const state = await openState(o, logger, metrics, (opened, box) => {
    const sqliteHandle = sqliteHandleOf(opened);
    ({
      engine: outbox,
      links,
      renderer,
    } = createDelivery({
      db: opened.db,
      sqlite: sqliteHandle,
      clock,
      ids,
      client,
      config,
      box,
      logger,
      version,
      // A flush held for its group's previous notification goes on once that was attempted.
      onAttempted: (keys) => dispatcher.release(keys),
      onChannelHealth: (e) => {
        logger[e.failing ? 'error' : 'info'](
          { receiver: e.receiver, channel: e.channel, failures: e.failures },
          e.failing
            ? `channel ${e.channel} of ${e.receiver} is failing: ${e.message}`
            : `channel ${e.channel} of ${e.receiver} delivers again`,
        );
        void channelAlerts
          .onHealth(e)
          .catch((err: unknown) => logger.error({ err }, 'raising the channel self-alert failed'));
      },
    }));
    dispatcher = new Dispatcher({
      db: opened.db,
      postgres: opened.dialect === 'postgres',
      sqlite: sqliteHandle,
      clock,
      ids,
      route: config.route,
      receivers: config.receivers,
      externalUrl: config.server.externalUrl,
      logger,
      // The services exist once openState returns, before anything flushes.
      muting: { forFlush: (now) => services.muting.forFlush(now) },
      // What a flush writes goes straight to this process's delivery engine, claimed for it.
      onNotify: (written) => outbox.take(written),
      handOffLeaseMs: outbox.handOffLeaseMs,
      guardRegroup: (route, fn) => (journal ? journal.exclusive(fn, route) : fn()),
      // The journal exists once openState returns, before anything flushes (embedded SQLite only).
      journal: sqliteHandle
        ? {
            settledNow: () => journal?.settledNow() ?? false,
            lastReceivedAt: () => journal?.lastReceivedAt() ?? Number.POSITIVE_INFINITY,
          }
        : null,
      willNotify: (written) => outbox.expect(written),
      onPrepared: (outcome) => metrics.flushesPrepared.inc({ outcome }),
    });
    return dispatcher;
  });
  const { database, services, box } = state;
  journal = state.journal;

  let status: ConfigStatus = { path: config.source.path, appliedAt: null, lastResult: null };
  const apply = async (c: Config, actor: Actor): Promise<ApplyResult> => {
    const result = await applyDeclared(database.db, clock, ids, actor, c);
    // The file may have changed maintenance windows behind the service's cache.
    services.maintenance.invalidate();
    status = { path: c.source.path, appliedAt: new Date(clock.now()).toISOString(), lastResult: result };
    const changed = result.created.length + result.updated.length + result.removed.length;
    logger.info(
      { file: c.source.path, ...result },
      changed ? 'configuration applied' : 'configuration unchanged',
    );
    for (const w of result.warnings) logger.warn({ file: c.source.path }, w);
    return result;
  };
  if (config.source.path) await apply(config, configActor(config.source.path));
  // The configuration in force: a reload replaces the alerting part (routes, receivers, inhibit
  // rules, time intervals, inputs) in place; server, storage and auth settings need a restart.
  let live = config;
  let routeRoot = compileRoutes(config.route);
  // Receivers in force = the file's + channels added in the UI (notify/ui-channels.ts).
  let fileReceivers = config.receivers;
  const useReceivers = async (channels: UiChannel[]): Promise<void> => {
    const { receivers, orphans } = withUiChannels(fileReceivers, channels);
    for (const c of orphans)
      logger.warn(
        { receiver: c.receiver, channel: uiChannelId(c) },
        `channel ${uiChannelId(c)} was added to receiver ${c.receiver}, which the configuration file no longer declares: not used`,
      );
    await dispatcher.reconfigure(live.route, receivers);
    outbox.setReceivers(receivers);
    live = { ...live, receivers };
  };
  const receiverChannels = new ReceiverChannelService({
    db: database.db,
    clock,
    ids,
    box,
    fileReceivers: () => fileReceivers,
    onChange: useReceivers,
  });
  await useReceivers(await receiverChannels.all());
  const reload = async (actor: Actor): Promise<ApplyResult> => {
    requirePermission(actor, 'admin');
    const next = o.reloadConfig?.();
    if (!next?.source.path)
      throw new DomainError(
        'conflict',
        'this server was started without a configuration file: start it with --config <file> or WATCHPOST_CONFIG',
      );
    const result = await apply(
      next,
      actor.type === 'system' && next.source.path ? configActor(next.source.path) : actor,
    );
    fileReceivers = next.receivers;
    const { receivers } = withUiChannels(fileReceivers, await receiverChannels.all());
    const regrouped = await dispatcher.reconfigure(next.route, receivers);
    services.muting.reconfigure(next);
    outbox.setReceivers(receivers);
    routeRoot = compileRoutes(next.route);
    const restartNeeded = (['server', 'storage', 'auth'] as const).filter(
      (k) => JSON.stringify(next[k]) !== JSON.stringify(live[k]),
    );
    live = { ...next, receivers };
    if (regrouped)
      logger.info({ file: next.source.path, ...regrouped }, 'route tree changed: alert groups formed anew');
    if (restartNeeded.length)
      logger.warn(
        { file: next.source.path, sections: restartNeeded },
        `changes to ${restartNeeded.join(', ')} take effect after a restart`,
      );
    return result;
  };

  const http = await createHttpServer({
    logger,
    metrics,
    auth: services.auth,
    bodyLimit: config.server.bodyLimit,
    trustProxy: config.server.trustProxy,
    anonymous: config.auth.anonymous,
    webRoot: o.webRoot === undefined ? join(packageRoot(), 'dist', 'web') : o.webRoot,
    version: packageVersion(),
  });
  const j = journal;
  if (j)
    metrics.watchJournal(
      () => j.status(),
      () => clock.now(),
    );
  const ready = async (): Promise<Readiness> => {
    // A journal far behind answers at once: the queries below would wait for it (read barrier).
    const jr = j ? journalReadiness(j.status(), clock.now()) : null;
    if (jr && !jr.ok) return { ok: false, checks: { ingest_journal: jr.check } };
    const journalCheck: Record<string, string> = jr ? { ingest_journal: jr.check } : {};
    try {
      const pending = await pendingMigrations(database);
      return pending.length
        ? {
            ok: false,
            checks: { database: 'ok', migrations: `pending: ${pending.join(', ')}`, ...journalCheck },
          }
        : { ok: true, checks: { database: 'ok', migrations: 'ok', ...journalCheck } };
    } catch (e) {
      return {
        ok: false,
        checks: { database: `unreachable: ${e instanceof Error ? e.message : String(e)}` },
      };
    }
  };
  registerAppRoutes(http, {
    services,
    db: database.db,
    clock,
    ids,
    metrics,
    ready,
    reload,
    version,
    startedAt,
    anonymous: config.auth.anonymous,
    auth: config.auth,
    secureCookies: config.server.secureCookies,
    live: () => live,
    routeRoot: () => routeRoot,
    status: () => status,
    links,
    engine: () => outbox,
    renderer,
    receiverChannels,
  });
  // Alerts that were not re-sent before their end time resolve by timing out.
  const resolver = every(
    o.resolveEveryMs ?? 1000,
    async () => {
      await services.alerts.resolveExpired();
    },
    logger,
    'resolving expired alerts failed',
  );
  // A failing channel's self-alert stays firing while it fails (self-alert.ts).
  const reasserter = every(
    REASSERT_MS,
    () => channelAlerts.reassert(),
    logger,
    'renewing channel self-alerts failed',
  );
  http.addHook('onClose', async () => {
    await reasserter.stop();
    await resolver.stop();
    await dispatcher.stop();
    await outbox.stop();
    await client.close();
    await journal?.stop();
    await database.close();
  });

  return {
    http,
    dispatcher,
    outbox,
    services,
    database,
    logger,
    reload,
    async start() {
      await http.listen({ host: config.server.host, port: config.server.port });
      resolver.start();
      reasserter.start();
      dispatcher.start();
      outbox.start();
      const addr = http.server.address();
      const url =
        typeof addr === 'object' && addr
          ? `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`
          : String(addr);
      const setupToken = await services.auth.ensureSetupToken();
      logger.info(
        { url, database: database.location, version: packageVersion(), setupRequired: setupToken !== null },
        `Watchpost listening on ${url}`,
      );
      if (setupToken) {
        // With port 0 the configured URL cannot know the port the OS chose.
        const ui = config.server.port === 0 ? url : config.server.externalUrl;
        logger.warn(
          { setupToken },
          `No users yet. Open ${ui}/setup and enter the one-time setup token ${setupToken} (or run: watchpost user create --admin)`,
        );
      }
      return url;
    },
    async stop() {
      await http.close();
    },
  };
}

export { systemActor };
