import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDomainError } from '../kernel/errors.js';
import { collectEnv, readEnv } from './env.js';

const KEY_B64 = 'q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=';
const KEY_HEX = 'abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789';

test('every documented variable is read into its override', () => {
  assert.deepEqual(
    readEnv({
      WATCHPOST_CONFIG: '/etc/watchpost/watchpost.yml',
      WATCHPOST_PORT: '8080',
      WATCHPOST_HOST: '127.0.0.1',
      WATCHPOST_DATA_DIR: '/var/lib/watchpost',
      WATCHPOST_DATABASE_URL: 'postgres://watchpost:pw@db:5432/watchpost',
      WATCHPOST_SECRET_KEY: KEY_B64,
      WATCHPOST_LOG_LEVEL: 'DEBUG',
    }),
    {
      configFile: '/etc/watchpost/watchpost.yml',
      port: 8080,
      host: '127.0.0.1',
      dataDir: '/var/lib/watchpost',
      databaseUrl: 'postgres://watchpost:pw@db:5432/watchpost',
      secretKey: KEY_B64,
      logLevel: 'debug',
    },
  );
  assert.equal(readEnv({ WATCHPOST_SECRET_KEY: KEY_HEX }).secretKey, KEY_HEX);
  assert.equal(readEnv({ WATCHPOST_DATABASE_URL: 'postgresql://db/w' }).databaseUrl, 'postgresql://db/w');
});

test('unset, empty and blank variables change nothing; other variables are ignored', () => {
  assert.deepEqual(readEnv({}), {});
  assert.deepEqual(readEnv({ WATCHPOST_PORT: '', WATCHPOST_HOST: '   ', PATH: '/usr/bin', PORT: '80' }), {});
  assert.equal(readEnv({ WATCHPOST_PORT: ' 9000 ' }).port, 9000);
});

test('every invalid variable is reported at once, named by the variable', () => {
  try {
    readEnv({
      WATCHPOST_PORT: 'abc',
      WATCHPOST_DATABASE_URL: 'mysql://root:hunter2@db/shop',
      WATCHPOST_SECRET_KEY: 'changeme',
      WATCHPOST_LOG_LEVEL: 'verbose',
    });
    assert.fail('expected an error');
  } catch (e) {
    assert.ok(isDomainError(e));
    assert.equal(e.code, 'invalid');
    assert.deepEqual(e.details, [
      { path: 'WATCHPOST_PORT', message: 'must be an integer 0-65535, got "abc"' },
      { path: 'WATCHPOST_DATABASE_URL', message: 'must start with postgres:// or postgresql://' },
      {
        path: 'WATCHPOST_SECRET_KEY',
        message: 'must be 32 random bytes as base64 or 64 hex digits; make one with: openssl rand -base64 32',
      },
      {
        path: 'WATCHPOST_LOG_LEVEL',
        message: 'must be one of trace, debug, info, warn, error, fatal, silent, got "verbose"',
      },
    ]);
    assert.match(
      e.message,
      /^environment: 4 problems\n {2}WATCHPOST_PORT: must be an integer 0-65535, got "abc"\n/,
    );
    // Secrets are never shown back.
    assert.doesNotMatch(e.message, /hunter2|changeme/);
  }
});

test('a port must be a whole number in range', () => {
  for (const bad of ['70000', '-1', '80.5', '0x50', '1e3']) {
    assert.deepEqual(collectEnv({ WATCHPOST_PORT: bad }).problems, [
      { path: 'WATCHPOST_PORT', message: `must be an integer 0-65535, got ${JSON.stringify(bad)}` },
    ]);
  }
  assert.equal(readEnv({ WATCHPOST_PORT: '0' }).port, 0);
  assert.equal(readEnv({ WATCHPOST_PORT: '65535' }).port, 65535);
});

test('a misspelt WATCHPOST_ variable is a warning that names the right one', () => {
  const r = collectEnv({ WATCHPOST_PROT: '8080' });
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.warnings, [
    'environment variable WATCHPOST_PROT is not used by Watchpost; did you mean WATCHPOST_PORT?',
  ]);
});
