// The alert store through the Alertmanager API v2 and Watchpost's history search, on both stores.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../support/db.js';
import { setupAdmin, startTestApp } from '../support/app.js';
import type { TestApp } from '../support/app.js';

const MIN = 60_000;

for (const d of await dialects()) {
  describe(`alert store on ${d.name}`, { skip: d.skip ?? false }, () => {
    let t: TestApp;
    let ingest: Record<string, string>;
    let read: Record<string, string>;
    const post = (body: unknown, headers = ingest) =>
      t.request({ method: 'POST', url: '/api/v2/alerts', body, headers });
    const firing = async () =>
      (await t.request({ method: 'GET', url: '/api/v2/alerts', headers: read })).body as any[];
    const history = async (qs = '') =>
      (await t.request({ method: 'GET', url: `/api/v1/alerts${qs}`, headers: read })).body;

    before(async () => {
      t = await startTestApp({ dialect: d.name });
      const admin = await setupAdmin(t);
      const mk = async (scopes: string[]) =>
        `Bearer ${(await admin.req('POST', '/api/v1/tokens', { name: scopes.join('-'), scopes })).body.token as string}`;
      ingest = { authorization: await mk(['ingest']) };
      read = { authorization: await mk(['read']) };
    });
    after(async () => t?.close());

    test('posting needs an ingest token; a read token or none is refused', async () => {
      const alert = [{ labels: { alertname: 'X' } }];
      assert.equal((await post(alert, {})).status, 401);
      assert.equal((await post(alert, read)).status, 403);
      const ok = await post([]);
      assert.equal(ok.status, 200);
      assert.equal(ok.raw, '');
    });

    test('a posted alert is stored under Alertmanager’s fingerprint and listed as firing', async () => {
      const res = await post([
        {
          labels: {
            alertname: 'OrderSyncStalled',
            platform: 'shopee',
            store: 'MY-1',
            severity: 'P1',
            empty: '',
          },
          annotations: { summary: '虾皮 MY-1 订单同步 15 分钟无成功' },
          generatorURL: 'http://prometheus:9090/graph',
        },
      ]);
      assert.equal(res.status, 200);
      const list = await firing();
      assert.equal(list.length, 1);
      const a = list[0];
      assert.equal(a.fingerprint, 'd2ece51fe95ba900');
      assert.deepEqual(a.labels, {
        alertname: 'OrderSyncStalled',
        platform: 'shopee',
        store: 'MY-1',
        severity: 'P1',
      });
      assert.equal(a.annotations.summary, '虾皮 MY-1 订单同步 15 分钟无成功');
      assert.equal(a.startsAt, new Date(t.clock.now()).toISOString());
      assert.equal(
        a.endsAt,
        new Date(t.clock.now() + 5 * MIN).toISOString(),
        'no endsAt: now + resolve_timeout',
      );
      assert.equal(a.status.state, 'active');
    });

    test('re-sending the same alert keeps one alert and its start time', async () => {
      const startsAt = new Date(t.clock.now()).toISOString();
      t.clock.advance(MIN);
      await post([
        {
          labels: { alertname: 'OrderSyncStalled', platform: 'shopee', store: 'MY-1', severity: 'P1' },
          startsAt,
        },
      ]);
      const list = await firing();
      assert.equal(list.length, 1);
      assert.equal(list[0].startsAt, startsAt);
      assert.equal(list[0].endsAt, new Date(t.clock.now() + 5 * MIN).toISOString());
    });

    test('invalid alerts are refused with their index and field; the valid ones of the batch are kept', async () => {
      const res = await post([
        { labels: { alertname: 'Good', service: 'erp' } },
        { labels: { '0bad': 'x' } },
        {
          labels: { alertname: 'Backwards' },
          startsAt: '2026-11-26T09:00:00Z',
          endsAt: '2026-11-26T08:00:00Z',
        },
      ]);
      assert.equal(res.status, 400);
      assert.deepEqual(
        res.body.error.details.map((x: { path: string }) => x.path),
        ['/1/labels/0bad', '/2/endsAt'],
      );
      assert.match(res.body.error.message, /2 of 3 alerts were invalid/);
      assert.ok((await firing()).some((a) => a.labels.alertname === 'Good'));
      const shape = await post([{ labels: { alertname: 7 } }]);
      assert.equal(shape.status, 400);
      assert.match(shape.body.error.details[0].path, /\/0\/labels\/alertname/);
      const notJson = await t.request({
        method: 'POST',
        url: '/api/v2/alerts',
        payload: '[{',
        headers: { ...ingest, 'content-type': 'application/json' },
      });
      assert.equal(notJson.status, 400);
    });

    test('a body is stored as it was sent: with a byte-order mark, spacing, escapes and a repeated alert', async () => {
      const send = (payload: string) =>
        t.request({
          method: 'POST',
          url: '/api/v2/alerts',
          payload,
          headers: { ...ingest, 'content-type': 'application/json; charset=utf-8' },
        });
      assert.equal((await send('\ufeff[{"labels":{"alertname":"BomSender","service":"wms"}}]')).status, 200);
      const spaced = `[
        {"labels": {"alertname": "Escaped\\u0053ender", "service": "\\u4ed3\\u50a8", "empty": ""},
         "annotations": {"summary": "first"}},
        {"labels": {"service": "仓储", "alertname": "EscapedSender"},
         "annotations": {"summary": "line one\\nline \\"two\\""}}
      ]`;
      assert.equal((await send(spaced)).status, 200);
      const list = await firing();
      const bom = list.filter((a) => a.labels.alertname === 'BomSender');
      assert.deepEqual(
        bom.map((a) => a.labels),
        [{ alertname: 'BomSender', service: 'wms' }],
      );
      const escaped = list.filter((a) => a.labels.alertname === 'EscapedSender');
      assert.equal(escaped.length, 1, 'the repeat in the same body is the same alert');
      assert.deepEqual(escaped[0].labels, { alertname: 'EscapedSender', service: '仓储' });
      // Alertmanager's merge of the two: the later one's annotations.
      assert.equal(escaped[0].annotations.summary, 'line one\nline "two"');
    });

    test('an alert past its end time resolves by itself and its episode closes at that time', async () => {
      await post([{ labels: { alertname: 'DiskFull', instance: 'db-1' } }]);
      const fired = t.clock.now();
      t.clock.advance(6 * MIN);
      const resolved = await t.app.services.alerts.resolveExpired();
      assert.ok(resolved.some((a) => a.labels.alertname === 'DiskFull'));
      assert.ok(!(await firing()).some((a) => a.labels.alertname === 'DiskFull'));
      const h = await history('?alertname=DiskFull');
      assert.equal(h.items.length, 1);
      assert.equal(h.items[0].state, 'resolved');
      assert.equal(h.items[0].firedAt, new Date(fired).toISOString());
      assert.equal(h.items[0].resolvedAt, new Date(fired + 5 * MIN).toISOString());
      assert.equal((await t.app.services.alerts.resolveExpired()).length, 0, 'resolved once');
    });

    test('an explicit resolve, then a new firing, give two episodes, newest first', async () => {
      const labels = { alertname: 'ApiErrors', service: 'oms', severity: 'warning' };
      await post([{ labels }]);
      t.clock.advance(MIN);
      await post([{ labels, endsAt: new Date(t.clock.now()).toISOString() }]);
      assert.ok(!(await firing()).some((a) => a.labels.alertname === 'ApiErrors'));
      t.clock.advance(30 * MIN);
      await post([{ labels }]);
      const h = await history('?alertname=ApiErrors');
      assert.deepEqual(
        h.items.map((i: { state: string }) => i.state),
        ['firing', 'resolved'],
      );
      assert.equal(h.items[0].severity, 'P2', 'warning maps to P2; the label itself is kept');
      assert.equal(h.items[0].alert.labels.severity, 'warning');
      const onlyResolved = await history('?alertname=ApiErrors&state=resolved');
      assert.equal(onlyResolved.items.length, 1);
      const later = await history(`?from=${encodeURIComponent(new Date(t.clock.now() - MIN).toISOString())}`);
      assert.ok(
        later.items.every(
          (i: { resolvedAt: string | null }) =>
            i.resolvedAt === null || Date.parse(i.resolvedAt) >= t.clock.now() - MIN,
        ),
      );
    });

    test('history pages with nextBefore and never repeats an episode', async () => {
      await post(
        Array.from({ length: 25 }, (_, i) => ({ labels: { alertname: 'Paged', instance: `i${i}` } })),
      );
      const seen: number[] = [];
      let qs = '?alertname=Paged&limit=10';
      for (let guard = 0; guard < 5; guard++) {
        const page = await history(qs);
        seen.push(...page.items.map((i: { episodeId: number }) => i.episodeId));
        if (page.nextBefore === null) break;
        qs = `?alertname=Paged&limit=10&before=${page.nextBefore}`;
      }
      assert.equal(seen.length, 25);
      assert.equal(new Set(seen).size, 25);
    });
  });
}

test('auth.anonymous: [ingest] lets credential-less senders post alerts, and nothing more', async () => {
  const t = await startTestApp({ configYaml: 'auth:\n  anonymous: [ingest]\n' });
  try {
    const res = await t.request({
      method: 'POST',
      url: '/api/v2/alerts',
      body: [{ labels: { alertname: 'FromPrometheus' } }],
    });
    assert.equal(res.status, 200);
    assert.equal(
      (await t.request({ method: 'GET', url: '/api/v2/alerts' })).status,
      401,
      'reading still needs credentials',
    );
    assert.equal((await t.request({ method: 'GET', url: '/api/v1/users' })).status, 401);
  } finally {
    await t.close();
  }
});
