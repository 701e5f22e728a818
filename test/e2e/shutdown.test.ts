// Graceful shutdown of `watchpost serve`: on SIGTERM/SIGINT it stops accepting connections,
// finishes the requests in flight, closes the database and exits 0; a second signal exits at once.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import SQLite from 'better-sqlite3';
import { startServer } from '../support/server.js';
import type { StartedServer } from '../support/server.js';

const TIMEOUT = { timeout: 60_000 };
const PASSWORD = 'correct horse battery staple';

const dirs: string[] = [];
const servers: StartedServer[] = [];

after(async () => {
  for (const s of servers) if (s.proc.exitCode === null && s.proc.signalCode === null) s.proc.kill('SIGKILL');
  await Promise.all(servers.map((s) => s.exited));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function serve(dataDir?: string): Promise<StartedServer> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'watchpost-shutdown-'));
  if (!dataDir) dirs.push(dir);
  const s = await startServer({ dataDir: dir });
  servers.push(s);
  return s;
}

/** Runs `fn`; when it fails, the server's output is added to the error. */
async function withOutput<T>(srv: StartedServer, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    throw new Error(`${err.stack ?? err.message}\n--- watchpost output ---\n${srv.output()}`, { cause: e });
  }
}

/** Resolves with the exit code, or rejects when the process is still running after `ms`. */
async function exitWithin(srv: StartedServer, ms: number): Promise<number | null> {
  const timer = delay(ms).then(() => {
    throw new Error(`watchpost had not exited ${ms} ms after the signal`);
  });
  return Promise.race([srv.exited, timer]);
}

interface HeldRequest {
  req: http.ClientRequest;
  socket: Socket;
  /** Sends the rest of the body. */
  finish(): void;
  response: Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>;
}

/**
 * Starts a login POST whose Content-Length announces the whole body but sends only its first half,
 * so the server has the request in hand and is waiting for the rest.
 */
async function holdLogin(srv: StartedServer): Promise<HeldRequest> {
  const url = new URL(srv.url);
  const body = JSON.stringify({ username: 'nobody', password: 'not the password' });
  const half = Math.floor(body.length / 2);
  const req = http.request({
    host: url.hostname,
    port: Number(url.port),
    method: 'POST',
    path: '/api/v1/auth/login',
    agent: false,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
  });
  const response = new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>(
    (resolve, reject) => {
      req.on('error', reject);
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        res.on('error', reject);
      });
    },
  );
  response.catch(() => undefined); // observed by the test when it matters
  req.write(body.slice(0, half));
  const [socket] = (await once(req, 'socket')) as [Socket];
  if (socket.connecting) await once(socket, 'connect');
  // The headers and half the body are on their way; give the server a moment to read them.
  await delay(200);
  return { req, socket, finish: () => req.end(body.slice(half)), response };
}

test('SIGTERM: the request in flight is answered, new connections are refused, exit 0', TIMEOUT, async () => {
  const srv = await serve();
  await withOutput(srv, async () => {
    const held = await holdLogin(srv);
    let answered = false;
    void held.response.then(() => (answered = true));

    srv.proc.kill('SIGTERM');
    await srv.waitForLog((r) => String(r.msg).startsWith('shutting down'));

    // While the held request is still open, the listener closes: a new client is refused.
    let refused = false;
    for (let i = 0; i < 100 && !refused; i++) {
      try {
        await fetch(`${srv.url}/healthz`, { signal: AbortSignal.timeout(2_000) });
        await delay(20);
      } catch {
        refused = true;
      }
    }
    assert.ok(refused, 'new connections are refused once shutdown has begun');
    assert.equal(answered, false, 'the held request is still waiting for its body');
    assert.equal(srv.proc.exitCode, null, 'watchpost waits for the request in flight');

    held.finish();
    const res = await held.response;
    assert.equal(res.status, 401, res.body);
    assert.match(String(res.headers['content-type']), /application\/json/);
    const body = JSON.parse(res.body) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'unauthorized');
    assert.equal(body.error.message, 'wrong username or password');

    assert.equal(await exitWithin(srv, 10_000), 0);
    assert.match(srv.output(), /"signal":"SIGTERM".*shutting down/);
    assert.match(srv.output(), /"msg":"stopped"/);
    await assert.rejects(fetch(`${srv.url}/healthz`), 'nothing answers after the exit');
  });
});

for (const [signal, code] of [
  ['SIGTERM', 143],
  ['SIGINT', 130],
] as const) {
  test(
    `a second ${signal} exits at once with ${code}, without waiting for the request in flight`,
    TIMEOUT,
    async () => {
      const srv = await serve();
      const held = await holdLogin(srv);
      try {
        await withOutput(srv, async () => {
          srv.proc.kill(signal);
          await srv.waitForLog((r) => String(r.msg).startsWith('shutting down'));
          assert.equal(srv.proc.exitCode, null, 'the first signal waits for the request in flight');
          srv.proc.kill(signal);
          assert.equal(await exitWithin(srv, 5_000), code);
          assert.match(srv.output(), new RegExp(`"signal":"${signal}".*second signal: exiting now`));
          assert.doesNotMatch(srv.output(), /"msg":"stopped"/);
          await assert.rejects(held.response, 'the held request was cut off, not answered');
        });
      } finally {
        held.socket.destroy();
      }
    },
  );
}

test(
  'after a clean SIGTERM the database is closed and consistent, and a restart finds its data',
  TIMEOUT,
  async () => {
    const data = mkdtempSync(join(tmpdir(), 'watchpost-shutdown-'));
    dirs.push(data);
    const first = await serve(data);
    await withOutput(first, async () => {
      assert.ok(first.setupToken, 'a fresh server prints a setup token');
      const setup = await fetch(`${first.url}/api/v1/setup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: first.setupToken, username: 'admin', password: PASSWORD }),
      });
      assert.equal(setup.status, 201, await setup.text());
      assert.equal(await first.stop(), 0);
    });

    // Closing the last connection checkpoints the write-ahead log into the database file.
    const db = join(data, 'watchpost.db');
    assert.ok(!existsSync(`${db}-wal`), 'the database was closed, not abandoned');
    const sqlite = new SQLite(db, { readonly: true });
    try {
      assert.equal(sqlite.pragma('integrity_check', { simple: true }), 'ok');
    } finally {
      sqlite.close();
    }

    const second = await serve(data);
    await withOutput(second, async () => {
      assert.equal(second.setupToken, null, 'the admin made before the restart is still there');
      const ready = await fetch(`${second.url}/readyz`);
      assert.equal(ready.status, 200);
      assert.deepEqual(await ready.json(), {
        status: 'ready',
        // The ingest journal left by the clean stop was applied before serving.
        checks: { database: 'ok', migrations: 'ok', ingest_journal: 'ok' },
      });
      const login = await fetch(`${second.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: PASSWORD }),
      });
      assert.equal(login.status, 200, await login.text());
      assert.equal(await second.stop(), 0);
    });
  },
);
