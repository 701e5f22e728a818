// PagerDuty Events API v2 (POST /v2/enqueue) against the real alert store on both dialects:
// trigger / acknowledge / resolve by dedup_key, PagerDuty's answers, routing_key authentication,
// and an event travelling all the way to a webhook receiver.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../support/db.js';
import { setupAdmin, startTestApp } from '../support/app.js';
import type { TestApp } from '../support/app.js';
import { startFakeWebhook } from '../support/fake-webhook.js';
import type { FakeWebhook } from '../support/fake-webhook.js';

const S = 1000;
const MIN = 60 * S;

const config = (hook: string) => `
route:
  receiver: team
  group_by: [alertname]
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 4h
receivers:
  - name: team
    webhook_configs: [{ url: '${hook}', send_resolved: true }]
`;

const trigger = (over: Record<string, unknown> = {}, payload: Record<string, unknown> = {}) => ({
  event_action: 'trigger',
  dedup_key: 'erp-db-01/cpu',
  client: 'Nagios',
  client_url: 'https://nagios.example.com/host/erp-db-01',
  payload: {
    summary: 'CPU on erp-db-01 at 97 %',
    source: 'erp-db-01',
    severity: 'critical',
    component: 'postgres',
    group: 'erp',
    class: 'cpu load',
    custom_details: { load_1m: 12.4, cores: 8 },
    ...payload,
  },
  ...over,
});

for (const d of await dialects()) {
  describe(`PagerDuty Events API v2 on ${d.name}`, { skip: d.skip ?? false }, () => {
    let t: TestApp;
    let hook: FakeWebhook;
    let token: string;
    let ingest: Record<string, string>;
    let read: Record<string, string>;
    const enqueue = (body: unknown, headers: Record<string, string> = ingest) =>
      t.request({ method: 'POST', url: '/v2/enqueue', body, headers });
    const firing = async () =>
      (await t.request({ method: 'GET', url: '/api/v2/alerts', headers: read })).body as any[];
    const history = async (qs = '') =>
      (await t.request({ method: 'GET', url: `/api/v1/alerts${qs}`, headers: read })).body.items as any[];
    const byKey = async (key: string) => (await firing()).filter((a) => a.labels.dedup_key === key);
    const tick = async (ms: number) => {
      t.clock.advance(ms);
      await t.app.dispatcher.flushDue();
      await t.app.outbox.drain();
    };

    before(async () => {
      hook = await startFakeWebhook();
      t = await startTestApp({ dialect: d.name, configYaml: config(hook.url) });
      const admin = await setupAdmin(t);
      const mk = async (name: string, scopes: string[]) =>
        (await admin.req('POST', '/api/v1/tokens', { name, scopes })).body.token as string;
      token = await mk('pd', ['ingest']);
      ingest = { authorization: `Bearer ${token}` };
      read = { authorization: `Bearer ${await mk('reader', ['read'])}` };
    });
    after(async () => {
      await t?.close();
      await hook?.close();
    });

    test('a trigger answers 202 as PagerDuty does and opens a firing alert with the mapped labels', async () => {
      const res = await enqueue(trigger());
      assert.equal(res.status, 202);
      assert.deepEqual(res.body, {
        status: 'success',
        message: 'Event processed',
        dedup_key: 'erp-db-01/cpu',
      });
      const [a, ...rest] = await byKey('erp-db-01/cpu');
      assert.equal(rest.length, 0);
      assert.deepEqual(a.labels, {
        alertname: 'cpu load',
        dedup_key: 'erp-db-01/cpu',
        severity: 'critical',
        source: 'erp-db-01',
        component: 'postgres',
        group: 'erp',
      });
      assert.equal(a.annotations.summary, 'CPU on erp-db-01 at 97 %');
      assert.deepEqual(JSON.parse(a.annotations.custom_details), { load_1m: 12.4, cores: 8 });
      assert.equal(a.annotations.client, 'Nagios');
      assert.equal(a.generatorURL, 'https://nagios.example.com/host/erp-db-01');
      assert.equal(a.startsAt, new Date(t.clock.now()).toISOString());
      const [h] = await history('?alertname=cpu%20load');
      assert.equal(h.severity, 'P0', 'critical maps to P0');
      assert.equal(h.source, 'external');
    });

    test('a later trigger with the same dedup_key appends to the same alert (no resolve timeout)', async () => {
      const before = (await byKey('erp-db-01/cpu'))[0];
      await tick(30 * MIN);
      const res = await enqueue(trigger({}, { summary: 'CPU on erp-db-01 at 99 %', severity: 'warning' }));
      assert.equal(res.status, 202);
      const list = await byKey('erp-db-01/cpu');
      assert.equal(list.length, 1, 'still one alert after 30 minutes without a re-send');
      assert.equal(list[0].fingerprint, before.fingerprint);
      assert.equal(list[0].startsAt, before.startsAt);
      assert.equal(
        list[0].annotations.summary,
        'CPU on erp-db-01 at 99 %',
        'annotations follow the latest trigger',
      );
      assert.equal(list[0].labels.severity, 'critical', 'labels stay those the alert was opened with');
      assert.equal((await history('?alertname=cpu%20load')).length, 1, 'one episode');
    });

    test('acknowledge keeps the alert firing and records when and by whom', async () => {
      await tick(MIN);
      const res = await enqueue(
        { routing_key: token, event_action: 'acknowledge', dedup_key: 'erp-db-01/cpu' },
        {},
      );
      assert.equal(res.status, 202);
      assert.equal(res.body.dedup_key, 'erp-db-01/cpu');
      const [a] = await byKey('erp-db-01/cpu');
      assert.ok(a, 'still firing');
      assert.equal(a.annotations.acknowledged_at, new Date(t.clock.now()).toISOString());
      assert.equal(a.annotations.acknowledged_by, 'admin/pd');
      assert.equal(a.annotations.summary, 'CPU on erp-db-01 at 99 %', 'other annotations kept');
    });

    test('resolve ends the alert now; the same key then opens a new firing episode', async () => {
      await tick(MIN);
      const resolvedAt = t.clock.now();
      assert.equal((await enqueue({ event_action: 'resolve', dedup_key: 'erp-db-01/cpu' })).status, 202);
      assert.deepEqual(await byKey('erp-db-01/cpu'), [], 'no longer firing');
      let eps = await history('?alertname=cpu%20load');
      assert.equal(eps.length, 1);
      assert.equal(eps[0].state, 'resolved');
      assert.equal(eps[0].resolvedAt, new Date(resolvedAt).toISOString());

      await tick(10 * MIN);
      assert.equal((await enqueue(trigger({}, { summary: 'CPU high again' }))).status, 202);
      const [again] = await byKey('erp-db-01/cpu');
      assert.equal(again.annotations.summary, 'CPU high again');
      assert.equal(again.annotations.acknowledged_at, undefined, 'a new episode is not acknowledged');
      eps = await history('?alertname=cpu%20load');
      assert.deepEqual(
        eps.map((e: any) => e.state),
        ['firing', 'resolved'],
        'two episodes, newest first',
      );
      assert.equal(eps[0].alert.fingerprint, eps[1].alert.fingerprint);
      assert.equal(eps[0].firedAt, new Date(t.clock.now()).toISOString());
    });

    test('resolve in the same millisecond as the trigger after it still opens a new episode', async () => {
      await enqueue({ event_action: 'resolve', dedup_key: 'erp-db-01/cpu' });
      await enqueue(trigger());
      const eps = await history('?alertname=cpu%20load');
      assert.deepEqual(
        eps.map((e: any) => e.state),
        ['firing', 'resolved', 'resolved'],
      );
    });

    test('a trigger without dedup_key gets a generated one that acknowledge and resolve accept', async () => {
      const res = await enqueue({ ...trigger(), dedup_key: undefined });
      assert.equal(res.status, 202);
      const key = res.body.dedup_key as string;
      assert.match(key, /^[0-9a-f]{32}$/);
      assert.equal((await byKey(key)).length, 1);
      const other = await enqueue({ ...trigger(), dedup_key: undefined });
      assert.notEqual(other.body.dedup_key, key, 'each trigger without a key is its own alert');
      assert.equal((await enqueue({ event_action: 'resolve', dedup_key: key })).status, 202);
      assert.equal((await byKey(key)).length, 0);
      await enqueue({ event_action: 'resolve', dedup_key: other.body.dedup_key });
    });

    test('a class-less trigger is alertname PagerDutyEvent; error and info map to P1 and P3', async () => {
      await enqueue(
        trigger({ dedup_key: 'k-error' }, { class: undefined, severity: 'error', component: undefined }),
      );
      await enqueue(
        trigger({ dedup_key: 'k-info' }, { class: undefined, severity: 'info', group: undefined }),
      );
      const [e] = await byKey('k-error');
      assert.equal(e.labels.alertname, 'PagerDutyEvent');
      assert.equal(e.labels.component, undefined);
      const h = await history('?alertname=PagerDutyEvent');
      const sev = Object.fromEntries(h.map((x: any) => [x.alert.labels.dedup_key, x.severity]));
      assert.deepEqual(sev, { 'k-error': 'P1', 'k-info': 'P3' });
    });

    test('acknowledging or resolving an unknown key is accepted and changes nothing', async () => {
      const before = (await firing()).length;
      for (const action of ['acknowledge', 'resolve']) {
        const res = await enqueue({ event_action: action, dedup_key: 'never-triggered' });
        assert.equal(res.status, 202);
        assert.equal(res.body.status, 'success');
      }
      assert.equal((await firing()).length, before);
      assert.equal((await history('?matchers=%7Bdedup_key%3D%22never-triggered%22%7D')).length, 0);
    });

    test('routing_key holding an ingest token authenticates a sender without headers', async () => {
      const res = await enqueue({ ...trigger({ dedup_key: 'rk-1' }), routing_key: token }, {});
      assert.equal(res.status, 202);
      assert.equal((await byKey('rk-1')).length, 1);
    });

    test('a wrong or missing token is 401 in PagerDuty’s shape; a read-only token 403', async () => {
      const before = (await firing()).length;
      const wrong = await enqueue(
        { ...trigger({ dedup_key: 'x1' }), routing_key: 'wp_not-a-real-token' },
        {},
      );
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body.status, 'unauthorized');
      assert.equal(wrong.body.message, 'Invalid routing key');
      assert.match(wrong.body.errors[0], /routing_key is not a valid Watchpost API token/);

      const pdKey = await enqueue(
        { ...trigger({ dedup_key: 'x2' }), routing_key: 'R0UT1NGK3YR0UT1NGK3YR0UT1NGK3Y00' },
        {},
      );
      assert.equal(pdKey.status, 401);
      assert.match(pdKey.body.errors[0], /API token with scope ingest in routing_key/);

      const badHeader = await enqueue(trigger({ dedup_key: 'x3' }), { authorization: 'Bearer wp_nope' });
      assert.equal(badHeader.status, 401);
      assert.deepEqual(Object.keys(badHeader.body).sort(), ['errors', 'message', 'status']);

      const readOnly = await enqueue(trigger({ dedup_key: 'x4' }), read);
      assert.equal(readOnly.status, 403);
      assert.equal(readOnly.body.status, 'forbidden');
      assert.match(readOnly.body.errors[0], /ingest permission needed/);
      assert.equal((await firing()).length, before, 'nothing stored');
    });

    test('invalid events are 400 "Event object is invalid", naming every field, and store nothing', async () => {
      const before = (await firing()).length;
      const bad = await enqueue({
        event_action: 'trigger',
        dedup_key: 'x'.repeat(256),
        payload: { summary: 'disk', severity: 'fatal', timestamp: 'yesterday' },
        links: [{ text: 'no href' }],
      });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.status, 'invalid event');
      assert.equal(bad.body.message, 'Event object is invalid');
      assert.deepEqual(bad.body.errors, [
        'dedup_key must be at most 255 characters',
        'payload.source is required',
        'payload.severity must be one of critical, error, warning, info',
        'payload.timestamp must be an ISO 8601 date-time such as 2026-11-26T08:00:00Z',
        'links[0].href is required (a string)',
      ]);

      const cases: [unknown, string][] = [
        [{ dedup_key: 'a' }, 'event_action is required: one of trigger, acknowledge, resolve'],
        [
          { event_action: 'escalate', dedup_key: 'a' },
          'event_action must be one of trigger, acknowledge, resolve',
        ],
        [{ event_action: 'trigger' }, 'payload is required for trigger'],
        [
          { event_action: 'resolve' },
          'dedup_key is required for resolve: send the dedup_key the trigger answered with',
        ],
        [[trigger()], 'event must be a JSON object (an Events API v2 event)'],
      ];
      for (const [body, error] of cases) {
        const res = await enqueue(body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.deepEqual(res.body.errors, [error]);
      }
      const notJson = await t.request({
        method: 'POST',
        url: '/v2/enqueue',
        payload: '{"event_action": ',
        headers: { ...ingest, 'content-type': 'application/json' },
      });
      assert.equal(notJson.status, 400);
      assert.equal(notJson.body.status, 'invalid event');
      assert.equal((await firing()).length, before);
    });

    test('a trigger reaches a webhook receiver; its resolve is announced there too', async () => {
      await tick(10 * MIN);
      const n = hook.requests.length;
      await enqueue(trigger({ dedup_key: 'disk/erp-db-01' }, { class: 'disk full', summary: 'disk 98 %' }));
      await tick(30 * S);
      const got = await hook.waitFor(n + 1);
      const mine = got.filter((r) => (r.body as any).groupLabels.alertname === 'disk full');
      assert.equal(mine.length, 1);
      const body = mine[0]?.body as any;
      assert.equal(body.status, 'firing');
      assert.equal(body.alerts[0].labels.dedup_key, 'disk/erp-db-01');
      assert.equal(body.alerts[0].annotations.summary, 'disk 98 %');
      assert.equal(body.alerts[0].endsAt, '0001-01-01T00:00:00Z');

      await enqueue({ event_action: 'resolve', dedup_key: 'disk/erp-db-01' });
      await tick(5 * MIN);
      const later = hook.requests.filter((r) => (r.body as any).groupLabels.alertname === 'disk full');
      assert.equal(later.length, 2);
      assert.equal((later[1]?.body as any).status, 'resolved');
      assert.equal((later[1]?.body as any).alerts[0].status, 'resolved');
    });
  });
}

describe('PagerDuty events without credentials', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ configYaml: 'auth:\n  anonymous: [ingest]\n' });
  });
  after(async () => t?.close());

  test('are accepted with a PagerDuty routing key when auth.anonymous holds ingest; a wrong wp_ token is still refused', async () => {
    const ok = await t.request({
      method: 'POST',
      url: '/v2/enqueue',
      body: { ...trigger(), routing_key: 'R0UT1NGK3YR0UT1NGK3YR0UT1NGK3Y00' },
    });
    assert.equal(ok.status, 202);
    const alerts = await t.app.services.alerts.active({
      type: 'system',
      id: null,
      userId: null,
      name: 'test',
      role: 'admin',
      scopes: null,
      ip: null,
    });
    assert.equal(alerts.length, 1);
    const wrong = await t.request({
      method: 'POST',
      url: '/v2/enqueue',
      body: { ...trigger(), routing_key: 'wp_typo' },
    });
    assert.equal(wrong.status, 401);
  });
});
