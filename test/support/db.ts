// Gives each test a fresh state store on both dialects: a temporary SQLite file, and a schema of its
// own in the PostgreSQL server (WATCHPOST_TEST_DATABASE_URL, default the local `test` database).
// PostgreSQL cases are skipped with a clear message when the server is absent, unless
// WATCHPOST_REQUIRE_PG=1 (CI), where absence fails the run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrateToLatest, openDatabase } from '../../src/db/database.js';
import type { Database } from '../../src/db/database.js';

export const PG_URL = process.env.WATCHPOST_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REQUIRE_PG = process.env.WATCHPOST_REQUIRE_PG === '1';

let reachable: Promise<string | null> | undefined;
/** null when PostgreSQL answers, else why not. */
export function pgUnavailable(): Promise<string | null> {
  reachable ??= (async () => {
    const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
    try {
      await c.connect();
      await c.query('select 1');
      return null;
    } catch (e) {
      return `PostgreSQL not reachable at ${PG_URL} (${(e as Error).message}); set WATCHPOST_TEST_DATABASE_URL`;
    } finally {
      await c.end().catch(() => undefined);
    }
  })();
  return reachable;
}

export interface TestStore {
  database: Database;
  dataDir: string;
  pgSchema?: string;
  databaseUrl: string | null;
  cleanup(): Promise<void>;
}

export async function createPgSchema(): Promise<{ schema: string; drop(): Promise<void> }> {
  const schema = `wp_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  await c.query(`create schema ${schema}`);
  await c.end();
  return {
    schema,
    drop: async () => {
      const d = new pg.Client({ connectionString: PG_URL });
      await d.connect();
      await d.query(`drop schema if exists ${schema} cascade`);
      await d.end();
    },
  };
}

export async function openTestStore(dialect: 'sqlite' | 'postgres', migrate = true): Promise<TestStore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'watchpost-test-'));
  if (dialect === 'sqlite') {
    const database = openDatabase({ dataDir, databaseUrl: null });
    if (migrate) await migrateToLatest(database);
    return {
      database,
      dataDir,
      databaseUrl: null,
      cleanup: async () => {
        await database.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const s = await createPgSchema();
  const database = openDatabase({ dataDir, databaseUrl: PG_URL, pgSchema: s.schema, poolSize: 4 });
  if (migrate) await migrateToLatest(database);
  return {
    database,
    dataDir,
    pgSchema: s.schema,
    databaseUrl: PG_URL,
    cleanup: async () => {
      await database.close();
      await s.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The dialects to run a contract suite on, each with a reason to skip (or null). With
 * WATCHPOST_REQUIRE_PG=1 an unreachable PostgreSQL is not skipped: its tests run and fail.
 */
export async function dialects(): Promise<{ name: 'sqlite' | 'postgres'; skip: string | null }[]> {
  const why = await pgUnavailable();
  return [
    { name: 'sqlite', skip: null },
    { name: 'postgres', skip: why && !REQUIRE_PG ? why : null },
  ];
}
