// Alerts → route → aggregation group → notification → webhook (Alertmanager payload v4), with the
// clock driven by the test: group_wait, group_interval, repeat_interval, resolved notifications,
// retries, and timers that survive a restart.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { dialects } from '../support/db.js';
import { setupAdmin, startTestApp } from '../support/app.js';
import type { TestApp } from '../support/app.js';
import { startFakeWebhook } from '../support/fake-webhook.js';
import type { FakeWebhook } from '../support/fake-webhook.js';

const S = 1000;
const MIN = 60 * S;

const config = (hook: string, pager: string) => `
route:
  receiver: team
  group_by: [alertname, service]
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 4h
  routes:
    - receiver: pager
      matchers: ['severity="P0"']
      continue: true
    - receiver: team
      matchers: ['service=~"erp|oms|wms"']
receivers:
  - name: team
    webhook_configs: [{ url: '${hook}', send_resolved: true }]
  - name: pager
    webhook_configs: [{ url: '${pager}', send_resolved: false }]
`;

for (const d of await dialects()) {
  describe(`dispatch on ${d.name}`, { skip: d.skip ?? false }, () => {
    let t: TestApp;
    let hook: FakeWebhook;
    let pager: FakeWebhook;
    let ingest: Record<string, string>;
    const post = (body: unknown) =>
      t.request({ method: 'POST', url: '/api/v2/alerts', body, headers: ingest });
    /** Fires alerts the way Prometheus does: with an end time well ahead, refreshed on every send. */
    const fire = (labels: Record<string, string>[]) =>
      post(labels.map((l) => ({ labels: l, endsAt: new Date(t.clock.now() + 60 * MIN).toISOString() })));
    const resolve = (labels: Record<string, string>) =>
      post([{ labels, endsAt: new Date(t.clock.now()).toISOString() }]);
    const erp = (n: number) => ({
      alertname: 'OrderSyncFailed',
      service: 'erp',
      instance: `n${n}`,
      severity: 'P1',
    });
    /** Advances the clock and runs what its timers would: flushes, then deliveries. */
    const tick = async (ms: number) => {
      t.clock.advance(ms);
      await t.app.dispatcher.flushDue();
      await t.app.outbox.drain();
    };

    before(async () => {
      hook = await startFakeWebhook();
      pager = await startFakeWebhook();
      t = await startTestApp({ dialect: d.name, configYaml: config(hook.url, pager.url) });
      const admin = await setupAdmin(t);
      ingest = {
        authorization: `Bearer ${(await admin.req('POST', '/api/v1/tokens', { name: 'i', scopes: ['ingest'] })).body.token as string}`,
      };
    });
    after(async () => {
      await t?.close();
      await hook?.close();
      await pager?.close();
    });

    test('a group waits group_wait, then sends one notification with all its alerts', async () => {
      await fire([erp(1), erp(2), erp(3)]);
      await tick(29 * S);
      assert.equal(hook.requests.length, 0, 'nothing before group_wait');
      await tick(1 * S);
      await hook.waitFor(1);
      assert.equal(hook.requests.length, 1);
      const body = hook.requests[0]?.body as any;
      assert.equal(body.version, '4');
      assert.equal(body.status, 'firing');
      assert.equal(body.receiver, 'team');
      assert.equal(body.groupKey, '{}/{service=~"erp|oms|wms"}:{alertname="OrderSyncFailed", service="erp"}');
      assert.deepEqual(body.groupLabels, { alertname: 'OrderSyncFailed', service: 'erp' });
      assert.deepEqual(body.commonLabels, { alertname: 'OrderSyncFailed', service: 'erp', severity: 'P1' });
      assert.equal(body.alerts.length, 3);
      assert.ok(body.alerts.every((a: any) => a.status === 'firing' && /^[0-9a-f]{16}$/.test(a.fingerprint)));
      assert.equal(pager.requests.length, 0, 'P1 does not page');
    });

    test('nothing new: no notification at group_interval; a new alert: one at the next group_interval', async () => {
      await tick(5 * MIN);
      assert.equal(hook.requests.length, 1);
      await fire([erp(1), erp(2), erp(3), erp(4)]);
      await tick(1 * S);
      assert.equal(hook.requests.length, 1, 'a new alert in an existing group waits for group_interval');
      await tick(5 * MIN);
      await hook.waitFor(2);
      assert.equal((hook.requests[1]?.body as any).alerts.length, 4);
    });

    test('a resolved alert is announced (send_resolved), then leaves the group', async () => {
      await resolve(erp(1));
      await tick(5 * MIN);
      await hook.waitFor(3);
      const body = hook.requests[2]?.body as any;
      assert.equal(body.status, 'firing');
      const n1 = body.alerts.find((a: any) => a.labels.instance === 'n1');
      assert.equal(n1.status, 'resolved');
      assert.notEqual(n1.endsAt, '0001-01-01T00:00:00Z');
      await tick(5 * MIN);
      assert.equal(hook.requests.length, 3, 'the resolved alert is not announced twice');
    });

    test('an unchanged group is re-sent after repeat_interval', async () => {
      // Keep the alerts firing by re-sending them, as Prometheus does.
      for (let i = 0; i < 48; i++) {
        await fire([erp(2), erp(3), erp(4)]);
        await tick(5 * MIN);
      }
      const repeats = hook.requests.length - 3;
      assert.equal(repeats, 1, `one repeat in 4 hours, got ${repeats}`);
    });

    test('P0 goes to the pager and (continue) to the team; the pager skips resolved-only news', async () => {
      const labels = { alertname: 'DatabaseDown', service: 'oms', severity: 'P0' };
      await fire([labels]);
      await tick(30 * S);
      await pager.waitFor(1);
      const before = hook.requests.length;
      await hook.waitFor(before);
      assert.equal((pager.requests[0]?.body as any).receiver, 'pager');
      await resolve(labels);
      await tick(5 * MIN);
      assert.equal(pager.requests.length, 1, 'send_resolved: false');
      assert.ok(
        hook.requests.some(
          (r) =>
            (r.body as any).status === 'resolved' && (r.body as any).groupLabels.alertname === 'DatabaseDown',
        ),
      );
    });

    test('a group that resolves before its first flush sends nothing', async () => {
      const n = hook.requests.length;
      const labels = { alertname: 'Blip', service: 'wms' };
      await fire([labels]);
      await tick(5 * S);
      await resolve(labels);
      await tick(30 * S);
      assert.equal(hook.requests.length, n);
    });

    test('a failing receiver is retried with backoff and every attempt is recorded', async () => {
      hook.respondWith(503, 'busy', 2);
      const n = hook.requests.length;
      await fire([{ alertname: 'Retry', service: 'erp' }]);
      await tick(30 * S);
      await hook.waitFor(n + 1);
      await tick(1.2 * S);
      await hook.waitFor(n + 2);
      await tick(2.4 * S);
      await hook.waitFor(n + 3);
      const rows = await t.app.database.db
        .selectFrom('delivery_attempts')
        .selectAll()
        .orderBy('id')
        .execute();
      const last3 = rows.slice(-3);
      assert.deepEqual(
        last3.map((r) => [r.ok, r.status]),
        [
          [0, 503],
          [0, 503],
          [1, 200],
        ],
      );
      const note = await t.app.database.db
        .selectFrom('notifications')
        .selectAll()
        .where('id', '=', last3[2]?.notification_id ?? '')
        .executeTakeFirst();
      assert.equal(note?.status, 'delivered');
      assert.equal(note?.attempts, 3);
    });

    /**
     * Starts a POST of alerts whose body comes later, injected or over a connection: `send(json)`
     * sends the body, `status` is the answer's status.
     */
    const slowUpload = async (over: 'inject' | 'socket') => {
      const headers = { 'content-type': 'application/json', ...ingest };
      if (over === 'inject') {
        const body = new PassThrough();
        const answered = t.app.http.inject({ method: 'POST', url: '/api/v2/alerts', headers, payload: body });
        return { send: (json: string) => body.end(json), status: answered.then((r) => r.statusCode) };
      }
      if (!t.app.http.server.listening) await t.app.http.listen({ port: 0, host: '127.0.0.1' });
      const { port } = t.app.http.server.address() as AddressInfo;
      const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/api/v2/alerts', headers });
      const status = new Promise<number>((resolve, reject) => {
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
      });
      req.flushHeaders();
      return { send: (json: string) => req.end(json), status };
    };

    for (const over of ['inject', 'socket'] as const)
      test(`alerts of a slow request (${over}) count as received when it arrived: their group_wait starts then`, async () => {
        const n = hook.requests.length;
        const alertname = `SlowUpload_${over}`;
        const upload = await slowUpload(over);
        await new Promise((r) => setTimeout(r, 50)); // the request has arrived; its body has not
        const arrival = t.clock.now();
        t.clock.advance(20 * S);
        upload.send(JSON.stringify([{ labels: { alertname, service: 'oms' } }]));
        assert.equal(await upload.status, 200);
        const [stored] = await t.app.database.db
          .selectFrom('alerts')
          .select(['starts_at', 'updated_at'])
          .where('alertname', '=', alertname)
          .execute();
        assert.deepEqual([stored?.starts_at, stored?.updated_at], [arrival, arrival]);
        await tick(10 * S - 1);
        assert.equal(hook.requests.length, n, 'not before group_wait after the arrival');
        await tick(1);
        await hook.waitFor(n + 1);
        assert.equal((hook.requests[n]?.body as any).groupLabels.alertname, alertname);
      });

    /** The instances each notification of `alertname` listed, with their status. */
    const listed = (alertname: string) =>
      hook.requests
        .map((r) => r.body as any)
        .filter((b) => b.groupLabels.alertname === alertname)
        .map((b) => b.alerts.map((a: any) => `${a.labels.instance}:${a.status}`).sort());

    test('a flush that runs late lists what had joined when it was due; later arrivals go with the next', async () => {
      const late = (i: string) => ({ alertname: 'LateFlush', service: 'oms', instance: i });
      await fire([late('a')]);
      t.clock.advance(40 * S); // due at 30 s, but the flush has not run yet …
      await fire([late('b')]); // … when b arrives
      await tick(0);
      await hook.waitFor(hook.requests.length);
      assert.deepEqual(listed('LateFlush'), [['a:firing']], 'what Alertmanager would have sent at 30 s');
      await tick(5 * MIN);
      assert.deepEqual(listed('LateFlush'), [['a:firing'], ['a:firing', 'b:firing']]);
    });

    test('a group whose listed alerts all resolved lives on for an alert that joined after its flush was due', async () => {
      const lone = (i: string) => ({ alertname: 'LateJoin', service: 'oms', instance: i });
      await fire([lone('x')]);
      await tick(30 * S);
      await resolve(lone('x'));
      t.clock.advance(5 * MIN + S); // the next flush was due at 5 min
      await fire([lone('y')]);
      await tick(0); // x's resolution goes out and x leaves; y keeps the group
      await tick(5 * MIN);
      assert.deepEqual(listed('LateJoin'), [['x:firing'], ['x:resolved'], ['y:firing']]);
    });
  });
}

test('group timers survive a restart: the group flushes when it would have, once', async () => {
  const hook = await startFakeWebhook();
  const yaml = config(hook.url, hook.url);
  const t1 = await startTestApp({ configYaml: yaml, keepData: true });
  try {
    const admin = await setupAdmin(t1);
    const tok = (await admin.req('POST', '/api/v1/tokens', { name: 'i', scopes: ['ingest'] })).body
      .token as string;
    await t1.request({
      method: 'POST',
      url: '/api/v2/alerts',
      body: [{ labels: { alertname: 'Restart', service: 'erp' } }],
      headers: { authorization: `Bearer ${tok}` },
    });
    await t1.app.stop();
    // Same data folder, new process state, clock just before the group's timer.
    const t2 = await startTestApp({ configYaml: yaml, dataDir: t1.dataDir, start: t1.clock.now() + 29 * S });
    try {
      await t2.app.dispatcher.flushDue();
      await t2.app.outbox.drain();
      assert.equal(hook.requests.length, 0, 'not earlier');
      t2.clock.advance(S);
      await t2.app.dispatcher.flushDue();
      await t2.app.dispatcher.flushDue();
      await t2.app.outbox.drain();
      await hook.waitFor(1);
      assert.equal(hook.requests.length, 1, 'exactly once');
    } finally {
      await t2.close();
    }
  } finally {
    await hook.close();
    rmSync(t1.dataDir, { recursive: true, force: true });
  }
});

for (const d of await dialects()) {
  // Alertmanager flushes a group again only once its previous notification finished, or after giving
  // it the group interval (at least notify.MinTimeout, 10 s): a slow receiver gets the latest state.
  test(
    `on ${d.name}: a group's next flush waits for its previous notification, at most 10 s`,
    { skip: d.skip ?? false },
    async () => {
      const hook = await startFakeWebhook();
      const t = await startTestApp({
        dialect: d.name,
        configYaml: `
route:
  receiver: team
  group_by: [alertname]
  group_wait: 1s
  group_interval: 2s
  repeat_interval: 4h
receivers:
  - name: team
    webhook_configs: [{ url: '${hook.url}', send_resolved: true }]
`,
      });
      try {
        const admin = await setupAdmin(t);
        const tok = (await admin.req('POST', '/api/v1/tokens', { name: 'i', scopes: ['ingest'] })).body
          .token as string;
        const fire = (instance: string) =>
          t.request({
            method: 'POST',
            url: '/api/v2/alerts',
            body: [
              {
                labels: { alertname: 'Slow', instance },
                endsAt: new Date(t.clock.now() + 60 * MIN).toISOString(),
              },
            ],
            headers: { authorization: `Bearer ${tok}` },
          });
        // This group's only: the failing receiver also raises WatchpostChannelFailing in a group of its own.
        const notifications = () =>
          t.app.database.db
            .selectFrom('notifications')
            .select(['status', 'content'])
            .where('group_key', '=', '{}:{alertname="Slow"}')
            .orderBy('created_at')
            .execute();
        const listed = (content: string) => (JSON.parse(content) as { alerts: unknown[] }).alerts.length;
        const tick = async (ms: number) => {
          t.clock.advance(ms);
          await t.app.dispatcher.flushDue();
          await t.app.outbox.drain();
          await t.app.dispatcher.flushDue(); // a flush released by that delivery
        };

        hook.respondWith(503, 'busy', 2);
        await fire('a');
        await tick(S); // group_wait: the first notification, refused
        await hook.waitFor(1);
        await fire('b');
        await tick(2 * S); // group_interval passed, but the first notification is still undelivered
        let rows = await notifications();
        assert.equal(rows.length, 1, 'no second notification while the first is undelivered');
        assert.equal(rows[0]?.status, 'pending');

        // The retry succeeds: the held flush goes on at once and tells both alerts.
        for (let i = 0; i < 20 && hook.requests.length < 4; i++) await tick(S);
        await hook.waitFor(4);
        rows = await notifications();
        assert.deepEqual(
          rows.map((r) => [r.status, listed(r.content)]),
          [
            ['delivered', 1],
            ['delivered', 2],
          ],
        );
        const last = hook.requests.at(-1)?.body as { alerts: { labels: { instance: string } }[] };
        assert.deepEqual(last.alerts.map((a) => a.labels.instance).sort(), ['a', 'b']);

        // A receiver that keeps failing holds the group for at most 10 s after its notification.
        hook.respondWith(503, 'busy', 100);
        await fire('c');
        await tick(2 * S);
        const heldFrom = t.clock.now(); // the third notification was written now
        await fire('d');
        while (t.clock.now() - heldFrom < 9 * S) await tick(S);
        assert.equal((await notifications()).length, 3, 'held for the bound');
        await tick(S);
        rows = await notifications();
        assert.equal(rows.length, 4, 'flushed after the bound');
        assert.equal(listed(rows[3]?.content ?? '{}'), 4);
      } finally {
        await t.close();
        await hook.close();
      }
    },
  );
}
