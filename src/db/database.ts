import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, SqliteDialect, sql } from 'kysely';
import type { LogEvent } from 'kysely';
import type { DB } from './schema.js';
import { CurrentSchemaPostgresDialect } from './pg-introspector.js';
import { BarrierDialect } from './read-barrier.js';
import { beginImmediate } from './sqlite-begin.js';
import type { LockWaiting } from './sqlite-begin.js';
import type { ReadBarrier } from './read-barrier.js';
import type { Dialect } from './dialect.js';
import { migrationProvider } from './migrations/index.js';
import { DomainError } from '../kernel/errors.js';

export interface DatabaseOptions {
  /** SQLite lives at `<dataDir>/watchpost.db` unless `databaseUrl` names a PostgreSQL server. */
  dataDir: string;
  databaseUrl: string | null;
  /** PostgreSQL schema to use (tests isolate themselves in one); default `public`. */
  pgSchema?: string;
  /** Called after every query with its duration, for the latency metric. */
  onQuery?: (durationMs: number, failed: boolean) => void;
  poolSize?: number;
  /**
   * SQLite: how often the background thread checkpoints the WAL (default 1 s); null: start no such
   * thread, another one checkpoints (the server's ingest journal materialiser does).
   */
  checkpointEveryMs?: number | null;
}

export interface Database {
  db: Kysely<DB>;
  dialect: Dialect;
  /**
   * The embedded SQLite handle Kysely runs on (null on PostgreSQL), for hot paths that use prepared
   * statements. Use it only inside `db.connection().execute(...)`, which holds Kysely's one SQLite
   * connection, so that no Kysely transaction is open around it.
   */
  sqlite: SQLite.Database | null;
  /** Where the state lives, with any password removed, for logs and /status. */
  location: string;
  /** SQLite: every query first waits for this (the ingest journal's `settled`); null: none. */
  setReadBarrier(barrier: ReadBarrier | null): void;
  /** Resolves when the read barrier lets a query through now (at once without one). */
  settled(): Promise<void>;
  /**
   * SQLite: begins an immediate transaction on `sqlite` without blocking the event loop while
   * another connection holds the write lock (sqlite-begin.ts); Kysely's transactions begin this
   * way too. Hold Kysely's connection around it, as for `sqlite`. PostgreSQL: rejects.
   */
  beginImmediate(): Promise<void>;
  /** SQLite: told when a transaction of this connection waits for the write lock (the materialiser gives way). */
  setLockWaiting(waiting: LockWaiting | null): void;
  close(): Promise<void>;
}

const INT8_OID = 20;
/** How long a statement waits for another connection's write lock before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5_000;

/** Opens the state store. Migrations are not run here: see `migrateToLatest`. */
export function openDatabase(opts: DatabaseOptions): Database {
  const log = opts.onQuery
    ? (e: LogEvent) => opts.onQuery?.(e.queryDurationMillis, e.level === 'error')
    : undefined;
  if (opts.databaseUrl) {
    const url = new URL(opts.databaseUrl);
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolSize ?? 10,
      ...(opts.pgSchema ? { options: `-c search_path=${opts.pgSchema}` } : {}),
      // Epoch-millisecond times and counts are bigint: parse them as numbers (exact below 2^53).
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === INT8_OID
            ? (v: string) => Number(v)
            : (pg.types.getTypeParser(oid, format ?? 'text') as (
                v: string,
              ) => unknown)) as typeof pg.types.getTypeParser,
      },
    });
    // An idle client that loses its connection must not crash the process; the next query reconnects.
    pool.on('error', () => undefined);
    const db = new Kysely<DB>({
      dialect: new CurrentSchemaPostgresDialect({ pool }),
      ...(log ? { log } : {}),
    });
    url.password = url.password ? '***' : '';
    return {
      db,
      dialect: 'postgres',
      sqlite: null,
      location: url.toString(),
      setReadBarrier: () => undefined,
      settled: () => Promise.resolve(),
      beginImmediate: () => Promise.reject(new Error('beginImmediate is for SQLite')),
      setLockWaiting: () => undefined,
      close: () => db.destroy(),
    };
  }
  mkdirSync(opts.dataDir, { recursive: true });
  const file = join(opts.dataDir, 'watchpost.db');
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL'); // WAL + NORMAL: a committed transaction survives a process crash
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // 4 MiB of page cache per connection (SQLite's default is 2): the operating system caches the file
  // too, and at 100k alerts 16 MiB each cost resident memory with no measurable gain in speed.
  sqlite.pragma('cache_size = -4096');
  // Checkpoints (copying the WAL into the database file, with an fsync) run on a worker thread with
  // its own connection, so that no commit on the event loop pays for one. Should that thread stop,
  // SQLite's own checkpoint at 100,000 pages (400 MB) still bounds the WAL.
  sqlite.pragma('wal_autocheckpoint = 100000');
  sqlite.pragma('journal_size_limit = 67108864');
  const checkpointer =
    opts.checkpointEveryMs === null ? null : startCheckpointer(file, opts.checkpointEveryMs ?? 1000);
  const beginStatement = sqlite.prepare('begin immediate');
  let lockWaiting: LockWaiting | null = null;
  const begin = () => beginImmediate(sqlite, beginStatement, BUSY_TIMEOUT_MS, lockWaiting);
  let barrier: ReadBarrier | null = null;
  const db = new Kysely<DB>({
    dialect: new BarrierDialect(
      new SqliteDialect({ database: cachingStatements(sqlite) }),
      () => barrier,
      // Kysely's transactions take the write lock when they begin: a transaction that read first and
      // wrote later would otherwise fail (SQLITE_BUSY_SNAPSHOT) when another connection (the ingest
      // journal's materialiser, a CLI command) committed in between. And they take it without
      // blocking the event loop while another connection holds it (sqlite-begin.ts).
      () => begin(),
    ),
    ...(log ? { log } : {}),
  });
  const close = async (): Promise<void> => {
    await checkpointer?.stop();
    await db.destroy();
  };
  return {
    db,
    dialect: 'sqlite',
    sqlite,
    location: file,
    setReadBarrier: (b) => {
      barrier = b;
    },
    settled: () => (barrier ? barrier() : Promise.resolve()),
    beginImmediate: begin,
    setLockWaiting: (w) => {
      lockWaiting = w;
    },
    close,
  };
}

/**
 * The database as Kysely's SQLite driver sees it, with prepared statements reused by SQL text.
 * Kysely prepares every query anew, and SQLite's parse and plan was about a third of the time of a
 * small query (one flush: ~1 ms of ~3; see bench/README.md). A statement is reused only when it is
 * not being iterated (Kysely's streaming), and the cache is bounded: queries built with lists of
 * varying length give new SQL texts.
 */
function cachingStatements(sqlite: SQLite.Database, max = 500): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>();
  const prepare = (source: string): SQLite.Statement => {
    let stmt = cache.get(source);
    if (stmt && !stmt.busy) {
      // Most recently used last, so the oldest is evicted first.
      cache.delete(source);
      cache.set(source, stmt);
      return stmt;
    }
    stmt = sqlite.prepare(source);
    cache.set(source, stmt);
    if (cache.size > max) cache.delete(cache.keys().next().value as string);
    return stmt;
  };
  return new Proxy(sqlite, {
    get(target, key, receiver) {
      if (key === 'prepare') return prepare;
      const v: unknown = Reflect.get(target, key, receiver);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/**
 * A worker thread that runs `PRAGMA wal_checkpoint(PASSIVE)` on the database every `everyMs`.
 * PASSIVE never waits for, nor blocks, the writer on the main thread: it copies what it can.
 */
function startCheckpointer(file: string, everyMs: number): { stop(): Promise<void> } {
  const worker = new Worker(CHECKPOINTER, {
    eval: true,
    workerData: { file, everyMs, module: createRequire(import.meta.url).resolve('better-sqlite3') },
  });
  // It must not keep the process alive; stop() holds it (ref) until it has closed its connection.
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  // A failing checkpointer costs only the WAL's size (bounded above): never the process.
  worker.on('error', () => undefined);
  return {
    stop: async () => {
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}

const CHECKPOINTER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file);
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 0');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy or closing: next round */ }
}, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * Our own bookkeeping tables, in the schema the connection works in: Kysely otherwise finds a
 * `kysely_migration` table of any schema (another app's, or a parallel test's) and trusts it.
 */
async function migratorFor(database: Database): Promise<Migrator> {
  let schema: string | undefined;
  if (database.dialect === 'postgres') {
    const r = await sql<{ schema: string }>`select current_schema() as schema`.execute(database.db);
    schema = r.rows[0]?.schema;
  }
  return new Migrator({
    db: database.db,
    provider: migrationProvider,
    migrationTableName: 'watchpost_migration',
    migrationLockTableName: 'watchpost_migration_lock',
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
}

export interface MigrationReport {
  applied: string[];
  current: string | null;
}

/** Brings the schema to the newest migration; safe to call on every start and from several instances. */
export async function migrateToLatest(database: Database): Promise<MigrationReport> {
  const migrator = await migratorFor(database);
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new DomainError(
      'unavailable',
      `database migration ${failed} failed on ${database.location}: ${error instanceof Error ? error.message : JSON.stringify(error)}`,
    );
  }
  const all = await migrator.getMigrations();
  const executed = all.filter((m) => m.executedAt !== undefined);
  return {
    applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName),
    current: executed.at(-1)?.name ?? null,
  };
}

/** Migrations known to this build that the database has not applied yet. */
export async function pendingMigrations(database: Database): Promise<string[]> {
  const migrator = await migratorFor(database);
  const all = await migrator.getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
