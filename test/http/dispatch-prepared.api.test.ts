// The flush prepared ahead of its time (embedded SQLite with the ingest journal): while the
// dispatcher's timer waits out the last milliseconds before a group's time, the group's flush runs in
// a transaction that waits for that time, and is committed then. What a user sees must not change:
// nothing is sent before the time, an alert that arrives meanwhile is in the notification, the group
// is notified once, and a server stopped while such a flush waits loses nothing.
//
// The test's clock stands still while the dispatcher's real timer fires: a flush prepared for the
// group's time waits until the test moves the clock there.
import { describe, test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp } from '../support/app.js';
import type { TestApp } from '../support/app.js';
import { startFakeWebhook } from '../support/fake-webhook.js';
import type { FakeWebhook } from '../support/fake-webhook.js';

const GROUP_WAIT_MS = 50;
/** The clock moves this far after an alert: far enough for a prepared flush (no alert for 5 ms). */
const QUIET_MS = 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Alerts come without credentials, as Prometheus sends them by default: authenticating a token
// reads the database, which waits while a prepared flush holds it.
const config = (hook: string) => `
auth:
  anonymous: [ingest]
route:
  receiver: team
  group_by: [alertname]
  group_wait: ${GROUP_WAIT_MS}ms
  group_interval: 5m
  repeat_interval: 4h
receivers:
  - name: team
    webhook_configs: [{ url: '${hook}', send_resolved: true }]
`;

type Payload = { groupLabels: { alertname: string }; alerts: { labels: Record<string, string> }[] };

describe('a flush prepared ahead of its time', () => {
  let t: TestApp | undefined;
  let hook: FakeWebhook | undefined;
  let dataDir: string | undefined;
  const start = async (dir?: string) => {
    hook ??= await startFakeWebhook();
    t = await startTestApp({ configYaml: config(hook.url), ...(dir ? { dataDir: dir } : {}) });
    t.app.dispatcher.start();
    t.app.outbox.start();
    return t;
  };
  const fire = (app: TestApp, alertname: string, instance: string) =>
    app.request({ method: 'POST', url: '/api/v2/alerts', body: [{ labels: { alertname, instance } }] });
  const prepared = async (app: TestApp) => {
    const raw = (await app.request({ method: 'GET', url: '/metrics' })).raw;
    const count = (outcome: string) =>
      Number(
        new RegExp(`watchpost_flushes_prepared_total\\{outcome="${outcome}"\\} (\\d+)`).exec(raw)?.[1] ?? 0,
      );
    return { committed: count('committed'), rolledBack: count('rolled_back') };
  };

  afterEach(async () => {
    await t?.close();
    t = undefined;
    await hook?.close();
    hook = undefined;
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    dataDir = undefined;
  });

  test('is committed at the group time, not before, and the group is notified once', async () => {
    const app = await start();
    assert.equal((await fire(app, 'Prepared', 'a')).status, 200);
    app.clock.advance(QUIET_MS);
    // The real timer fires ~2 ms before the group's time on the clock: the flush is prepared and waits.
    await sleep(GROUP_WAIT_MS);
    assert.equal(hook!.requests.length, 0, 'nothing is sent before the group time');
    app.clock.advance(GROUP_WAIT_MS - QUIET_MS);
    const [got] = await hook!.waitFor(1, 5_000);
    const body = got!.body as Payload;
    assert.equal(body.groupLabels.alertname, 'Prepared');
    assert.deepEqual(
      body.alerts.map((a) => a.labels.instance),
      ['a'],
    );
    const seen = await prepared(app);
    assert.ok(seen.committed >= 1, `the flush was prepared and committed (${JSON.stringify(seen)})`);
    await sleep(100); // time for a second, wrong, notification
    assert.equal(hook!.requests.length, 1, 'one notification');
  });

  test('an alert that arrives while it waits is in the notification', async () => {
    const app = await start();
    assert.equal((await fire(app, 'Joined', 'a')).status, 200);
    app.clock.advance(QUIET_MS);
    await sleep(GROUP_WAIT_MS);
    // Received before the group's time, so it joins this flush, as it would without preparing.
    assert.equal((await fire(app, 'Joined', 'b')).status, 200);
    app.clock.advance(GROUP_WAIT_MS - QUIET_MS);
    const [got] = await hook!.waitFor(1, 5_000);
    assert.deepEqual(
      (got!.body as Payload).alerts.map((a) => a.labels.instance).sort(),
      ['a', 'b'],
      'both alerts in the one notification',
    );
    const seen = await prepared(app);
    assert.equal(seen.committed, 0, 'the prepared flush was not committed');
    assert.ok(seen.rolledBack >= 1, `it was rolled back (${JSON.stringify(seen)})`);
    await sleep(100);
    assert.equal(hook!.requests.length, 1, 'one notification');
  });

  test('a server stopped while it waits sends the notification after its restart, once', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'watchpost-prepared-'));
    const first = await start(dataDir);
    const group = first.clock.now() + GROUP_WAIT_MS;
    assert.equal((await fire(first, 'Restarted', 'a')).status, 200);
    first.clock.advance(QUIET_MS);
    await sleep(GROUP_WAIT_MS);
    await first.close(); // the prepared flush is rolled back: nothing was sent, nothing is lost
    t = undefined;
    assert.equal(hook!.requests.length, 0, 'nothing sent by the stopped server');
    const second = await start(dataDir);
    second.clock.set(group);
    const [got] = await hook!.waitFor(1, 5_000);
    assert.equal((got!.body as Payload).groupLabels.alertname, 'Restarted');
    await sleep(100);
    assert.equal(hook!.requests.length, 1, 'one notification');
  });
});
