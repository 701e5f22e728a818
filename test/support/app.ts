// An in-process Watchpost on a fresh state store (SQLite or PostgreSQL), driven with Fastify's
// inject: the real routes, services and database, without sockets.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createApp } from '../../src/app.js';
import type { Watchpost } from '../../src/app.js';
import { loadConfig } from '../../src/config/load.js';
import { FakeClock } from '../../src/kernel/clock.js';
import { hashPassword, verifyPassword } from '../../src/auth/password.js';
import type { PasswordHasher } from '../../src/auth/auth.service.js';
import { PG_URL, createPgSchema } from './db.js';

/** Cheap scrypt parameters: tests log in often; the production cost is tested in password.test.ts. */
export const cheapHasher: PasswordHasher = {
  hash: (p) => hashPassword(p, { N: 1024, r: 8, p: 1 }),
  verify: verifyPassword,
};

export interface TestApp {
  app: Watchpost;
  clock: FakeClock;
  dataDir: string;
  configFile: string | null;
  /** Rewrites the configuration file (for reload tests). */
  writeConfig(yaml: string): void;
  request(opts: {
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
    url: string;
    body?: unknown;
    payload?: string;
    headers?: Record<string, string>;
  }): Promise<{ status: number; body: any; headers: Record<string, unknown>; raw: string }>;
  close(): Promise<void>;
}

export async function startTestApp(
  opts: {
    dialect?: 'sqlite' | 'postgres';
    configYaml?: string;
    env?: Record<string, string>;
    /** Reuse this data folder (a restart); it is then left in place by close(). */
    dataDir?: string;
    /** Leave the data folder in place on close(), for a restart test. */
    keepData?: boolean;
    /** Where the fake clock starts. */
    start?: number;
  } = {},
): Promise<TestApp> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'watchpost-app-'));
  const configFile = opts.configYaml !== undefined ? join(dataDir, 'watchpost.yml') : null;
  if (configFile) writeFileSync(configFile, opts.configYaml ?? '');
  const pg = opts.dialect === 'postgres' ? await createPgSchema() : null;
  const load = () =>
    loadConfig({
      file: configFile,
      env: { ...opts.env, ...(pg ? { WATCHPOST_DATABASE_URL: PG_URL } : {}) },
      flags: { dataDir, port: 0, host: '127.0.0.1' },
      cwd: dataDir,
    });
  const loaded = load();
  const clock = new FakeClock(opts.start ?? '2026-11-26T08:00:00Z');
  const app = await createApp({
    config: loaded.config,
    secretKey: loaded.secretKey,
    reloadConfig: () => load().config,
    logger: pino({ level: 'silent' }),
    clock,
    hasher: cheapHasher,
    webRoot: null,
    ...(pg ? { pgSchema: pg.schema } : {}),
  });
  await app.http.ready();
  return {
    app,
    clock,
    dataDir,
    configFile,
    writeConfig: (yaml) => {
      if (!configFile) throw new Error('started without a config file');
      writeFileSync(configFile, yaml);
    },
    async request({ method, url, body, payload, headers }) {
      const res = await app.http.inject({
        method,
        url,
        headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        ...(payload !== undefined
          ? { payload }
          : body !== undefined
            ? { payload: JSON.stringify(body) }
            : {}),
      });
      let parsed: unknown = null;
      try {
        parsed = res.body ? JSON.parse(res.body) : null;
      } catch {
        parsed = null;
      }
      return { status: res.statusCode, body: parsed, headers: res.headers, raw: res.body };
    },
    async close() {
      await app.stop();
      await pg?.drop();
      if (!opts.keepData && !opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A logged-in browser-like client: keeps the session cookie and sends the CSRF header on writes. */
export async function login(t: TestApp, username: string, password: string) {
  const res = await t.request({ method: 'POST', url: '/api/v1/auth/login', body: { username, password } });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.raw}`);
  const setCookie = String(res.headers['set-cookie']);
  const cookie = setCookie.split(';')[0] ?? '';
  const csrf = res.body.csrfToken as string;
  return {
    setCookie,
    cookie,
    csrf,
    req: (
      method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
      url: string,
      body?: unknown,
      extra: Record<string, string> = {},
    ) =>
      t.request({
        method,
        url,
        ...(body !== undefined ? { body } : {}),
        headers: { cookie, ...(method === 'GET' ? {} : { 'x-csrf-token': csrf }), ...extra },
      }),
  };
}

/** Completes first-run setup and logs the admin in. */
export async function setupAdmin(t: TestApp, username = 'admin', password = 'admin password 1') {
  const token = await t.app.services.auth.ensureSetupToken();
  const res = await t.request({
    method: 'POST',
    url: '/api/v1/setup',
    body: { token, username, password, displayName: 'Ada Admin' },
  });
  if (res.status !== 201) throw new Error(`setup failed: ${res.status} ${res.raw}`);
  return login(t, username, password);
}
