// What every route shares: error bodies, limits, health, metrics and the OpenAPI document.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setupAdmin, startTestApp } from '../support/app.js';
import type { TestApp } from '../support/app.js';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { openState } from '../../src/app.js';
import { loadConfig } from '../../src/config/load.js';

let t: TestApp;
let admin: Awaited<ReturnType<typeof setupAdmin>>;
before(async () => {
  t = await startTestApp({ configYaml: 'server:\n  body_limit: 4kb\n' });
  admin = await setupAdmin(t);
});
after(async () => t?.close());

test('health: /healthz is alive, /readyz reports the database and migrations', async () => {
  assert.deepEqual((await t.request({ method: 'GET', url: '/healthz' })).body, { status: 'ok' });
  const ready = await t.request({ method: 'GET', url: '/readyz' });
  assert.equal(ready.status, 200);
  assert.deepEqual(ready.body, {
    status: 'ready',
    checks: {
      database: 'ok',
      migrations: 'ok',
      // SQLite: acknowledged alerts reach the tables through the ingest journal.
      ...(t.app.database.dialect === 'sqlite' ? { ingest_journal: 'ok' } : {}),
    },
  });
  if (t.app.database.dialect === 'sqlite') {
    const metrics = await t.request({ method: 'GET', url: '/metrics' });
    assert.match(metrics.raw, /watchpost_ingest_journal_behind_entries 0/);
    assert.match(metrics.raw, /watchpost_ingest_journal_lag_seconds 0/);
  }
});

test('/readyz answers 503 once the database is gone', async () => {
  const other = await startTestApp();
  try {
    await other.app.database.close();
    const res = await other.request({ method: 'GET', url: '/readyz' });
    assert.equal(res.status, 503);
    assert.equal(res.body.status, 'not ready');
    assert.match(res.body.checks.database, /unreachable/);
  } finally {
    await other.app.http.close().catch(() => undefined);
  }
});

test('/metrics exposes process metrics and watchpost_ request and database latency', async () => {
  await t.request({ method: 'GET', url: '/api/v1/setup' });
  const res = await t.request({ method: 'GET', url: '/metrics' });
  assert.equal(res.status, 200);
  assert.match(String(res.headers['content-type']), /text\/plain/);
  assert.match(res.raw, /watchpost_process_resident_memory_bytes/);
  assert.match(
    res.raw,
    /watchpost_http_requests_total\{method="GET",route="\/api\/v1\/setup",status="200"\} \d+/,
  );
  assert.match(res.raw, /watchpost_http_request_duration_seconds_bucket/);
  assert.match(res.raw, /watchpost_db_query_duration_seconds_count\{outcome="ok"\} [1-9]/);
});

test('the OpenAPI document lists the API with its schemas, and /api/docs renders it', async () => {
  const res = await t.request({ method: 'GET', url: '/api/openapi.json' });
  assert.equal(res.status, 200);
  assert.equal(res.body.openapi, '3.1.0');
  for (const p of [
    '/api/v1/users',
    '/api/v1/tokens',
    '/api/v1/audit',
    '/api/v1/services',
    '/api/v1/auth/login',
  ])
    assert.ok(res.body.paths[p], `documents ${p}`);
  assert.ok(res.body.paths['/api/v1/users'].post.requestBody, 'request bodies are described');
  assert.equal(res.body.paths['/healthz'], undefined, 'probes stay out of the API reference');
  const docs = await t.request({ method: 'GET', url: '/api/docs/' });
  assert.equal(docs.status, 200);
  assert.match(docs.raw, /swagger/i);
});

test('unknown routes give a JSON 404 that points at the API reference', async () => {
  const res = await t.request({ method: 'GET', url: '/api/v1/nothing-here' });
  assert.equal(res.status, 404);
  assert.equal(res.body.error.code, 'not_found');
  assert.match(res.body.error.message, /\/api\/docs/);
  // Without a built UI, a page URL says how to build it.
  const page = await t.request({ method: 'GET', url: '/alerts' });
  assert.equal(page.status, 404);
  assert.match(page.body.error.message, /npm run build:web/);
});

test('malformed JSON and wrong content types get a 4xx with a JSON body', async () => {
  const bad = await admin.req('POST', '/api/v1/teams', undefined, { 'content-type': 'application/json' });
  assert.equal(bad.status, 400);
  const broken = await t.request({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: '{"username": "a", ',
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(broken.status, 400);
  assert.equal(broken.body.error.code, 'invalid');
  const form = await t.request({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: 'a=b',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(form.status, 415);
  assert.match(form.body.error.message, /application\/json/);
});

test('a body over server.body_limit is refused with 413 and nothing is stored', async () => {
  const big = await admin.req('POST', '/api/v1/services', { name: 'big', description: 'x'.repeat(5000) });
  assert.equal(big.status, 413);
  assert.equal(big.body.error.code, 'too_large');
  assert.match(big.body.error.message, /body_limit/);
  assert.equal((await admin.req('GET', '/api/v1/services')).body.items.length, 0);
  // Alertmanager's API reads its body with a parser of its own (it keeps the text): the same limit.
  const alerts = await admin.req('POST', '/api/v2/alerts', [
    { labels: { alertname: 'Big' }, annotations: { summary: 'x'.repeat(5000) } },
  ]);
  assert.equal(alerts.status, 413);
  assert.match(alerts.body.error.message, /body_limit/);
  assert.equal((await admin.req('GET', '/api/v2/alerts')).body.length, 0);
});

test('a failed multi-row write leaves the previous state intact', async () => {
  const team = await admin.req('POST', '/api/v1/teams', { name: 'platform' });
  assert.equal(team.status, 201);
  const ok = await admin.req('PUT', `/api/v1/teams/${team.body.id}/members`, {
    members: [{ username: 'admin', role: 'admin' }],
  });
  assert.equal(ok.status, 200);
  const bad = await admin.req('PUT', `/api/v1/teams/${team.body.id}/members`, {
    members: [
      { username: 'admin', role: 'responder' },
      { username: 'ghost', role: 'viewer' },
    ],
  });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.details[0].path, '/members/1/username');
  const after = await admin.req('GET', `/api/v1/teams/${team.body.id}`);
  assert.deepEqual(
    after.body.members.map((m: { role: string }) => m.role),
    ['admin'],
  );
});

test('services: created through the API, with team, labels and runbook, and their errors name the field', async () => {
  const created = await admin.req('POST', '/api/v1/services', {
    name: 'oms',
    team: 'platform',
    tier: 'P1',
    runbookUrl: 'https://wiki.example.com/oms',
    labels: { platform: 'lazada' },
  });
  assert.equal(created.status, 201);
  assert.equal(created.body.team, 'platform');
  assert.equal(created.body.managedBy, null);
  const noTeam = await admin.req('POST', '/api/v1/services', { name: 'wms', team: 'nobody' });
  assert.equal(noTeam.status, 400);
  assert.equal(noTeam.body.error.details[0].path, '/team');
  const badLabel = await admin.req('POST', '/api/v1/services', {
    name: 'wms',
    labels: { 'bad-name': 'x' },
    tier: 'P9',
  });
  assert.equal(badLabel.status, 400);
  const paths = badLabel.body.error.details.map((d: { path: string }) => d.path);
  assert.ok(paths.includes('/tier'));
  assert.ok(paths.some((p: string) => p.startsWith('/labels')));
  const dup = await admin.req('POST', '/api/v1/services', { name: 'oms' });
  assert.equal(dup.status, 409);
  const patched = await admin.req('PATCH', `/api/v1/services/${created.body.id}`, { tier: 'P0' });
  assert.equal(patched.body.tier, 'P0');
  assert.equal(patched.body.runbookUrl, 'https://wiki.example.com/oms');
  assert.equal((await admin.req('DELETE', `/api/v1/services/${created.body.id}`)).status, 204);
  assert.equal((await admin.req('GET', `/api/v1/services/${created.body.id}`)).status, 404);
});

test('a wrong secret key refuses to open a database sealed with another', async () => {
  const { config } = loadConfig({ env: {}, flags: { dataDir: t.dataDir }, cwd: t.dataDir });
  const otherKey = randomBytes(32).toString('base64');
  await assert.rejects(
    openState({ config, secretKey: otherKey }, pino({ level: 'silent' })),
    /secret key differs/,
  );
});
