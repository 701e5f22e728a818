// Generic JSON webhook inputs (POST /api/v1/inputs/webhook/<name>) on both dialects, with the
// ready-made Grafana and Zabbix mappings shipped in examples/inputs.yml and realistic payloads.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { parse, stringify } from 'yaml';
import { dialects } from '../support/db.js';
import { setupAdmin, startTestApp } from '../support/app.js';
import type { TestApp } from '../support/app.js';
import { startFakeWebhook } from '../support/fake-webhook.js';
import type { FakeWebhook } from '../support/fake-webhook.js';

const S = 1000;
const MIN = 60 * S;
const fixture = (name: string): any =>
  JSON.parse(readFileSync(new URL(`../fixtures/ingest/${name}.json`, import.meta.url), 'utf8'));

/** examples/inputs.yml as shipped, plus a route to a webhook receiver and one hand-written input. */
function config(hook: string): string {
  const file = parse(readFileSync(new URL('../../examples/inputs.yml', import.meta.url), 'utf8'));
  file.inputs.webhooks.push({
    name: 'jobs',
    alerts: '$.items[*]',
    labels: {
      alertname: '$.rule',
      job: '$.job.name',
      severity: { path: '$.level', map: { 1: 'critical', 2: 'warning' }, default: 'info' },
      team: 'ops',
    },
    annotations: { summary: '$.text', attempts: '$.job.attempts' },
    status: { path: '$.state', resolved: ['OK', 'recovered'] },
    starts_at: '$.since',
  });
  file.route = { receiver: 'team', group_by: ['alertname'], group_wait: '30s', group_interval: '5m' };
  file.receivers = [{ name: 'team', webhook_configs: [{ url: hook, send_resolved: true }] }];
  return stringify(file);
}

/**
 * Runs the script of the shipped Zabbix media type (examples/zabbix/watchpost-media-type.yaml) as
 * Zabbix does — the body of a function of `value`, the JSON of its parameters with macros expanded —
 * with an HttpRequest that records what it would send instead of sending it.
 */
function runZabbixScript(params: Record<string, string>) {
  const file = parse(
    readFileSync(new URL('../../examples/zabbix/watchpost-media-type.yaml', import.meta.url), 'utf8'),
  );
  const mediaType = file.zabbix_export.media_types[0];
  const sent: { url: string; headers: string[]; body: string } = { url: '', headers: [], body: '' };
  class HttpRequest {
    addHeader(h: string) {
      sent.headers.push(h);
    }
    post(url: string, body: string) {
      sent.url = url;
      sent.body = body;
      return '{"accepted":1}';
    }
    getStatus() {
      return 200;
    }
  }
  const fn = vm.runInNewContext(`(function (value) {\n${mediaType.script as string}\n})`, { HttpRequest });
  const defaults = Object.fromEntries(mediaType.parameters.map((p: any) => [p.name, p.value]));
  const result = fn(JSON.stringify({ ...defaults, ...params }));
  const auth =
    sent.headers.find((h) => h.startsWith('Authorization: '))?.slice('Authorization: '.length) ?? '';
  return { result, url: new URL(sent.url), authorization: auth, body: JSON.parse(sent.body) };
}

for (const d of await dialects()) {
  describe(`webhook inputs on ${d.name}`, { skip: d.skip ?? false }, () => {
    let t: TestApp;
    let hook: FakeWebhook;
    let ingest: Record<string, string>;
    let read: Record<string, string>;
    const post = (name: string, body: unknown, headers: Record<string, string> = ingest) =>
      t.request({ method: 'POST', url: `/api/v1/inputs/webhook/${name}`, body, headers });
    const firing = async () =>
      (await t.request({ method: 'GET', url: '/api/v2/alerts', headers: read })).body as any[];
    const history = async (qs = '') =>
      (await t.request({ method: 'GET', url: `/api/v1/alerts${qs}`, headers: read })).body.items as any[];
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
        `Bearer ${(await admin.req('POST', '/api/v1/tokens', { name, scopes })).body.token as string}`;
      ingest = { authorization: await mk('grafana', ['ingest']) };
      read = { authorization: await mk('reader', ['read']) };
    });
    after(async () => {
      await t?.close();
      await hook?.close();
    });

    test('Grafana: each alert of a notification becomes an alert with Grafana’s labels and annotations', async () => {
      const res = await post('grafana', fixture('grafana-firing'));
      assert.equal(res.status, 200, res.raw);
      assert.equal(res.body.accepted, 2);
      assert.deepEqual(
        res.body.alerts.map((a: any) => [a.alertname, a.status]),
        [
          ['High memory usage', 'firing'],
          ['Order API latency', 'firing'],
        ],
      );
      const mem = (await firing()).find((a) => a.labels.alertname === 'High memory usage');
      assert.deepEqual(mem.labels, {
        alertname: 'High memory usage',
        grafana_folder: 'ERP',
        service: 'erp',
        severity: 'warning',
        instance: 'erp-app-01:9100',
      });
      assert.equal(mem.annotations.summary, 'erp-app-01 memory at 93 %');
      assert.equal(mem.annotations.runbook_url, 'https://wiki.example.com/runbooks/erp-memory');
      assert.equal(mem.annotations.dashboard_url, 'https://grafana.example.com/d/erp-hosts?orgId=1');
      assert.match(mem.annotations.values, /value=93.1/);
      assert.equal(mem.startsAt, '2026-11-25T23:58:00.000Z', 'Grafana’s start time, zone applied');
      assert.equal(
        mem.generatorURL,
        'https://grafana.example.com/alerting/grafana/eer3ndywi1wxsf/view?orgId=1',
      );
      const oms = (await firing()).find((a) => a.labels.alertname === 'Order API latency');
      assert.equal(oms.annotations.dashboard_url, undefined, 'an empty value is left out');
      const h = await history('?alertname=Order%20API%20latency');
      assert.equal(h[0].severity, 'P0');
    });

    test('Grafana: a firing alert stays firing until Grafana says it resolved', async () => {
      await tick(60 * MIN);
      assert.ok(
        (await firing()).some((a) => a.labels.alertname === 'High memory usage'),
        'no resolve timeout',
      );
      const res = await post('grafana', fixture('grafana-resolved'));
      assert.equal(res.status, 200);
      assert.deepEqual(
        res.body.alerts.map((a: any) => a.status),
        ['resolved'],
      );
      assert.ok(!(await firing()).some((a) => a.labels.alertname === 'High memory usage'));
      const [ep] = await history('?alertname=High%20memory%20usage');
      assert.equal(ep.state, 'resolved');
      assert.equal(ep.resolvedAt, '2026-11-26T00:20:00.000Z');
      // Again firing later: a new episode.
      await tick(MIN);
      const again = fixture('grafana-firing');
      again.alerts[0].startsAt = new Date(t.clock.now()).toISOString();
      await post('grafana', again);
      assert.deepEqual(
        (await history('?alertname=High%20memory%20usage')).map((e: any) => e.state),
        ['firing', 'resolved'],
      );
    });

    test('Zabbix: a problem fires with mapped severity and tags; an update is recorded; the recovery resolves it', async () => {
      const problem = await post('zabbix', fixture('zabbix-problem'));
      assert.equal(problem.status, 200, problem.raw);
      const find = async () =>
        (await firing()).find((a) => a.labels.alertname === 'High CPU utilization (over 90% for 5m)');
      const a = await find();
      assert.deepEqual(a.labels, {
        alertname: 'High CPU utilization (over 90% for 5m)',
        host: 'erp-db-01',
        event_id: '3465',
        severity: 'error',
        service: 'erp',
        scope: 'performance',
        component: 'cpu',
      });
      assert.equal(a.annotations.zabbix_severity, 'High');
      assert.equal(a.annotations.opdata, 'Current utilization: 97.2 %');
      assert.match(a.annotations.description, /Original problem ID: 3465/);
      assert.equal(a.generatorURL, 'https://zabbix.example.com/tr_events.php?triggerid=23456&eventid=3465');
      const [h] = await history('?matchers=%7Bevent_id%3D%223465%22%7D');
      assert.equal(h.severity, 'P1', 'Zabbix High → error → P1');

      await tick(3 * MIN);
      await post('zabbix', fixture('zabbix-update'));
      const updated = await find();
      assert.equal(updated.fingerprint, a.fingerprint);
      assert.equal(updated.annotations.last_update, 'acknowledged');
      assert.equal(updated.annotations.last_update_by, 'Chen Wei');
      assert.equal(updated.startsAt, a.startsAt, 'the same episode');

      await tick(10 * MIN);
      const recovery = await post('zabbix', fixture('zabbix-recovery'));
      assert.deepEqual(
        recovery.body.alerts.map((x: any) => x.status),
        ['resolved'],
      );
      assert.equal(await find(), undefined);
      const eps = await history('?matchers=%7Bevent_id%3D%223465%22%7D');
      assert.equal(eps.length, 1);
      assert.equal(eps[0].state, 'resolved');
      assert.equal(eps[0].resolvedAt, new Date(t.clock.now()).toISOString());
    });

    test('the shipped Zabbix media type script sends what the zabbix mapping reads', async () => {
      const token = ingest.authorization?.slice('Bearer '.length) ?? '';
      const params = {
        url: 'https://watchpost.example.com/api/v1/inputs/webhook/zabbix',
        token,
        event_id: '3470',
        event_value: '1',
        event_update: '0',
        update_action: '',
        update_user: '',
        event_name: 'Free disk space is less than 10% on volume /var/lib/postgresql',
        severity: 'Average',
        tags: '[{"tag":"service","value":"erp"},{"tag":"component","value":"storage"}]',
        host: 'erp-db-01',
        host_ip: '10.0.3.14',
        trigger_id: '23500',
        opdata: 'Free: 6.2 GB (8 %)',
        event_date: '2026.11.26',
        event_time: '08:00:00',
        message: 'Problem started at 08:00:00 on 2026.11.26',
        zabbix_url: 'https://zabbix.example.com/',
      };
      const problem = runZabbixScript(params);
      assert.equal(problem.result, 'OK');
      const res = await post(problem.url.pathname.split('/').at(-1) ?? '', problem.body, {
        authorization: problem.authorization,
      });
      assert.equal(res.status, 200, res.raw);
      const a = (await firing()).find((x) => x.labels.event_id === '3470');
      assert.deepEqual(a.labels, {
        alertname: 'Free disk space is less than 10% on volume /var/lib/postgresql',
        host: 'erp-db-01',
        event_id: '3470',
        severity: 'warning',
        service: 'erp',
        component: 'storage',
      });
      assert.equal(a.generatorURL, 'https://zabbix.example.com/tr_events.php?triggerid=23500&eventid=3470');

      const recovery = runZabbixScript({ ...params, event_value: '0', zabbix_url: '{$ZABBIX.URL}' });
      assert.equal(recovery.body.url, '', 'an unexpanded macro is not a link');
      await post('zabbix', recovery.body, { authorization: recovery.authorization });
      assert.equal(
        (await firing()).find((x) => x.labels.event_id === '3470'),
        undefined,
      );
    });

    test('a hand-written mapping: value maps, defaults, literals, a status list and epoch times', async () => {
      const since = Math.floor(t.clock.now() / 1000) - 120;
      const res = await post('jobs', {
        items: [
          {
            rule: 'JobFailed',
            job: { name: 'settlement', attempts: 3 },
            level: 1,
            state: 'FAILING',
            text: 'exit 2',
            since,
          },
          { rule: 'JobSlow', job: { name: 'report' }, state: 'running' },
        ],
      });
      assert.equal(res.status, 200, res.raw);
      const list = await firing();
      const failed = list.find((a) => a.labels.alertname === 'JobFailed');
      assert.deepEqual(failed.labels, {
        alertname: 'JobFailed',
        job: 'settlement',
        severity: 'critical',
        team: 'ops',
      });
      assert.equal(failed.annotations.attempts, '3');
      assert.equal(failed.startsAt, new Date(since * 1000).toISOString());
      const slow = list.find((a) => a.labels.alertname === 'JobSlow');
      assert.equal(slow.labels.severity, 'info', 'default when the path matches nothing');
      const ok = await post('jobs', {
        items: [{ rule: 'JobFailed', job: { name: 'settlement' }, level: 1, state: 'recovered' }],
      });
      assert.deepEqual(
        ok.body.alerts.map((a: any) => a.status),
        ['resolved'],
      );
      assert.ok(!(await firing()).some((a) => a.labels.alertname === 'JobFailed'));
    });

    test('an unknown input is 404 naming the configured ones', async () => {
      const res = await post('grafna', fixture('grafana-firing'));
      assert.equal(res.status, 404);
      assert.equal(
        res.body.error.message,
        'no webhook input "grafna": the configured ones are grafana, zabbix, jobs',
      );
    });

    test('a payload the mapping cannot use is 400 naming the element and the path, and nothing is stored', async () => {
      const before = (await firing()).length;
      const noName = await post('jobs', {
        items: [
          { rule: 'Fine', state: 'FAILING' },
          { job: { name: 'x' }, state: 'FAILING' },
          { rule: 'BadTime', since: 'last tuesday' },
        ],
      });
      assert.equal(noName.status, 400);
      assert.deepEqual(noName.body.error.details, [
        {
          path: '/items/1',
          message:
            'no alertname: labels.alertname ($.rule) matched nothing; send that field or change the mapping of input "jobs"',
        },
        {
          path: '/items/2',
          message:
            'starts_at ($.since) is "last tuesday", not a time: send ISO 8601 (2026-11-26T08:00:00Z) or epoch seconds',
        },
      ]);
      const empty = await post('grafana', { receiver: 'x', alerts: [] });
      assert.equal(empty.status, 400);
      assert.match(empty.body.error.message, /alerts: \$\.alerts\[\*\] matched nothing/);
      const grafanaNoName = await post('grafana', { alerts: [{ status: 'firing', labels: { team: 'a' } }] });
      assert.equal(grafanaNoName.status, 400);
      assert.match(
        grafanaNoName.body.error.details[0].message,
        /labels_from \(\$\.labels\) has no alertname/,
      );
      assert.equal((await firing()).length, before);
      assert.ok(!(await firing()).some((a) => a.labels.alertname === 'Fine'), 'all or nothing');
    });

    test('the input needs the ingest permission', async () => {
      assert.equal((await post('grafana', fixture('grafana-firing'), {})).status, 401);
      assert.equal((await post('grafana', fixture('grafana-firing'), read)).status, 403);
    });

    test('a Grafana alert reaches a webhook receiver, and so does its resolution', async () => {
      await tick(10 * MIN);
      const body = fixture('grafana-firing');
      body.alerts = [body.alerts[1]];
      body.alerts[0].labels.alertname = 'Checkout errors';
      body.alerts[0].startsAt = new Date(t.clock.now()).toISOString();
      await post('grafana', body);
      await tick(30 * S);
      await hook.waitFor(1);
      const mine = () =>
        hook.requests.filter((r) => (r.body as any).groupLabels.alertname === 'Checkout errors');
      assert.equal(mine().length, 1);
      assert.equal((mine()[0]?.body as any).alerts[0].labels.service, 'oms');
      body.alerts[0].status = 'resolved';
      body.alerts[0].endsAt = new Date(t.clock.now()).toISOString();
      await post('grafana', body);
      await tick(5 * MIN);
      assert.equal(mine().length, 2);
      assert.equal((mine()[1]?.body as any).status, 'resolved');
    });
  });
}

describe('webhook inputs without configuration', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ configYaml: 'auth:\n  anonymous: [ingest]\n' });
  });
  after(async () => t?.close());

  test('say that none is configured and where to declare one', async () => {
    const res = await t.request({ method: 'POST', url: '/api/v1/inputs/webhook/grafana', body: {} });
    assert.equal(res.status, 404);
    assert.match(res.body.error.message, /none is configured; declare one under inputs\.webhooks/);
  });
});
