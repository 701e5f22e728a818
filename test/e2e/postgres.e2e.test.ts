// The built binary with its state in PostgreSQL: WATCHPOST_DATABASE_URL switches the store, and a
// second instance with the same key sees the same state. Each run works in a schema of its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { PG_URL, createPgSchema, pgUnavailable } from '../support/db.js';
import { runCli, startServer } from '../support/server.js';

const REQUIRE_PG = process.env.WATCHPOST_REQUIRE_PG === '1';
const why = await pgUnavailable();

test(
  'serve and migrate keep state in PostgreSQL; instances sharing it share users and need the same key',
  { skip: why && !REQUIRE_PG ? why : false },
  async () => {
    const schema = await createPgSchema();
    const url = `${PG_URL}?options=${encodeURIComponent(`-c search_path=${schema.schema}`)}`;
    const env = { WATCHPOST_DATABASE_URL: url, WATCHPOST_SECRET_KEY: randomBytes(32).toString('base64') };
    try {
      const migrated = await runCli(['migrate'], { env });
      assert.equal(migrated.code, 0, migrated.stderr);
      assert.match(migrated.stdout, /applied 0001-foundation, .* to postgres:\/\//);

      const first = await startServer({ env });
      try {
        assert.match(first.output(), /"database":"postgres:\/\//);
        assert.ok(first.setupToken, 'no users yet: a setup token is printed');
        const setup = await fetch(`${first.url}/api/v1/setup`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            token: first.setupToken,
            username: 'pgadmin',
            password: 'postgres admin pw',
          }),
        });
        assert.equal(setup.status, 201);
      } finally {
        assert.equal(await first.stop(), 0);
      }

      // Another instance, another data folder, same database and key: the admin exists there.
      const second = await startServer({ env });
      try {
        assert.equal(second.setupToken, null);
        const login = await fetch(`${second.url}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'pgadmin', password: 'postgres admin pw' }),
        });
        assert.equal(login.status, 200);
        assert.equal((await fetch(`${second.url}/readyz`)).status, 200);
      } finally {
        assert.equal(await second.stop(), 0);
      }

      // An instance with another key refuses to start rather than fail later on every secret.
      const wrong = await runCli(['serve', '--port', '0', '--host', '127.0.0.1'], {
        env: { ...env, WATCHPOST_SECRET_KEY: randomBytes(32).toString('base64') },
      });
      assert.notEqual(wrong.code, 0);
      assert.match(wrong.stderr + wrong.stdout, /secret key differs/);
    } finally {
      await schema.drop();
    }
  },
);
