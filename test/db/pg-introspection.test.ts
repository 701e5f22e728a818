// Watchpost migrates while another schema of the same PostgreSQL database is being dropped (another
// application, or a parallel test): its introspection looks at its own schema only, so the drop
// cannot fail the migration with `schema "…" does not exist`, as Kysely's own introspector did.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { PG_URL, createPgSchema, pgUnavailable } from '../support/db.js';
import { migrateToLatest, openDatabase } from '../../src/db/database.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REQUIRE_PG = process.env.WATCHPOST_REQUIRE_PG === '1';
const why = await pgUnavailable();

test(
  'migrations succeed while other schemas are created and dropped',
  { skip: why && !REQUIRE_PG ? why : false, timeout: 120_000 },
  async () => {
    const churn = new pg.Client({ connectionString: PG_URL });
    await churn.connect();
    let stop = false;
    // Other schemas with tables come and go as fast as the server allows.
    const churning = (async () => {
      for (let i = 0; !stop; i++) {
        const s = `wp_churn_${process.pid}_${i}`;
        await churn.query(`create schema ${s}; create table ${s}.t (id serial primary key, v text)`);
        await churn.query(`drop schema ${s} cascade`);
      }
    })();
    const dir = mkdtempSync(join(tmpdir(), 'watchpost-introspect-'));
    try {
      for (let i = 0; i < 8; i++) {
        const own = await createPgSchema();
        const database = openDatabase({
          dataDir: dir,
          databaseUrl: PG_URL,
          pgSchema: own.schema,
          poolSize: 2,
        });
        try {
          const r = await migrateToLatest(database);
          assert.ok(r.applied.length > 0 && r.current !== null);
        } finally {
          await database.close();
          await own.drop();
        }
      }
    } finally {
      stop = true;
      await churning;
      await churn.end();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
