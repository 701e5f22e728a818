// The rest of Alertmanager API v2 (status, receivers, alert groups) and the management endpoints
// (/-/healthy, /-/ready, /-/reload), on both stores, compared with what Alertmanager 0.25 answers.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { dialects } from '../support/db.js';
import { setupAdmin, startTestApp } from '../support/app.js';
import type { TestApp } from '../support/app.js';

const CONFIG = `
route:
  receiver: hook
  group_by: [alertname, service]
  group_wait: 10s
  routes:
    - matchers: ['severity="P0"']
      receiver: pager
      continue: true
    - matchers: ['service="erp"']
      group_by: ['...']
receivers:
  - name: hook
    webhook_configs:
      - url: http://127.0.0.1:9/hook
        http_config: {bearer_token: hook-token-secret}
  - name: pager
    webhook_configs:
      - url: http://127.0.0.1:9/pager
        http_config: {basic_auth: {username: pager, password: pager-password-secret}}
inhibit_rules:
  - source_matchers: ['alertname="DatabaseDown"']
    target_matchers: ['alertname="OrderSyncStalled"']
    equal: [service]
`;

for (const d of await dialects()) {
  describe(
    `Alertmanager status, receivers, groups and management on ${d.name}`,
    { skip: d.skip ?? false },
    () => {
      let t: TestApp;
      let read: Record<string, string>;
      let write: Record<string, string>;
      let adminToken: Record<string, string>;

      const get = async (url: string, headers = read) => {
        const res = await t.request({ method: 'GET', url, headers });
        assert.equal(res.status, 200, res.raw);
        return res.body;
      };
      const post = (alerts: unknown[]) =>
        t.request({ method: 'POST', url: '/api/v2/alerts', headers: write, body: alerts });
      const groupsOf = async (query = '') =>
        ((await get(`/api/v2/alerts/groups${query}`)) as any[]).map((g) => [
          g.receiver.name,
          g.labels,
          g.alerts.map((a: any) => a.labels.alertname),
        ]);

      before(async () => {
        t = await startTestApp({ dialect: d.name, configYaml: CONFIG });
        const admin = await setupAdmin(t);
        const token = async (scopes: string[]) => {
          const res = await admin.req('POST', '/api/v1/tokens', { name: scopes.join('-'), scopes });
          assert.equal(res.status, 201, res.raw);
          return { authorization: `Bearer ${res.body.token as string}` };
        };
        read = await token(['read']);
        write = await token(['write', 'ingest']);
        adminToken = await token(['admin']);
        const res = await post([
          { labels: { alertname: 'DatabaseDown', service: 'erp', severity: 'P0' } },
          { labels: { alertname: 'OrderSyncStalled', service: 'erp', store: 'MY-1' } },
          { labels: { alertname: 'DiskFull', service: 'oms', instance: 'b' } },
          { labels: { alertname: 'DiskFull', service: 'oms', instance: 'a' } },
        ]);
        assert.equal(res.status, 200, res.raw);
      });
      after(() => t.close());

      test('status: Alertmanager’s shape, cluster disabled, the configuration in force with secrets masked', async () => {
        const s = await get('/api/v2/status');
        assert.deepEqual(Object.keys(s).sort(), ['cluster', 'config', 'uptime', 'versionInfo']);
        assert.deepEqual(s.cluster, { status: 'disabled', peers: [] });
        assert.deepEqual(Object.keys(s.versionInfo).sort(), [
          'branch',
          'buildDate',
          'buildUser',
          'goVersion',
          'revision',
          'version',
        ]);
        assert.match(s.versionInfo.version, /^\d+\.\d+\.\d+/);
        assert.equal(s.uptime, '2026-11-26T08:00:00.000Z', 'the start time, as Alertmanager shows it');
        const original: string = s.config.original;
        assert.ok(!original.includes('hook-token-secret') && !original.includes('pager-password-secret'));
        const yaml = parse(original);
        assert.equal(yaml.route.receiver, 'hook');
        assert.deepEqual(
          yaml.route.routes.map((r: any) => r.matchers),
          [['severity="P0"'], ['service="erp"']],
        );
        assert.equal(yaml.receivers[0].webhook_configs[0].http_config.bearer_token, '<secret>');
        assert.equal(yaml.receivers[1].webhook_configs[0].http_config.basic_auth.password, '<secret>');
        assert.deepEqual(yaml.inhibit_rules[0].equal, ['service']);
      });

      test('receivers: every receiver of the configuration, by name', async () => {
        assert.deepEqual(await get('/api/v2/receivers'), [{ name: 'hook' }, { name: 'pager' }]);
      });

      test('groups: one per route and group_by values, in Alertmanager’s order, with mute state', async () => {
        assert.deepEqual(await groupsOf(), [
          ['pager', { alertname: 'DatabaseDown', service: 'erp' }, ['DatabaseDown']],
          ['hook', { alertname: 'DiskFull', service: 'oms' }, ['DiskFull', 'DiskFull']],
          ['hook', { alertname: 'DatabaseDown', service: 'erp', severity: 'P0' }, ['DatabaseDown']],
          ['hook', { alertname: 'OrderSyncStalled', service: 'erp', store: 'MY-1' }, ['OrderSyncStalled']],
        ]);
        const groups = (await get('/api/v2/alerts/groups')) as any[];
        const disk = groups[1].alerts;
        assert.deepEqual(
          disk.map((a: any) => a.labels.instance),
          ['a', 'b'],
          'alerts of a group sorted by instance',
        );
        const down = groups[0].alerts[0];
        assert.deepEqual(down.receivers, [{ name: 'hook' }, { name: 'pager' }]);
        assert.match(down.fingerprint, /^[0-9a-f]{16}$/);
        const stalled = groups[3].alerts[0];
        assert.equal(stalled.status.state, 'suppressed');
        assert.deepEqual(stalled.status.inhibitedBy, [down.fingerprint]);
      });

      test('groups: filter, receiver (an anchored regular expression), inhibited and silenced', async () => {
        assert.deepEqual(
          (await groupsOf('?filter=service%3D%22oms%22')).map((g) => g[0]),
          ['hook'],
        );
        assert.deepEqual(
          (await groupsOf('?receiver=pag')).map((g) => g[0]),
          [],
          'the receiver expression is anchored',
        );
        assert.deepEqual(
          (await groupsOf('?receiver=pag.*')).map((g) => g[0]),
          ['pager'],
        );
        assert.deepEqual((await groupsOf('?inhibited=false')).map((g) => g[2]).flat(), [
          'DatabaseDown',
          'DiskFull',
          'DiskFull',
          'DatabaseDown',
        ]);
        const sil = await t.request({
          method: 'POST',
          url: '/api/v2/silences',
          headers: write,
          body: {
            matchers: [{ name: 'alertname', value: 'DiskFull', isRegex: false, isEqual: true }],
            startsAt: new Date(t.clock.now()).toISOString(),
            endsAt: new Date(t.clock.now() + 3_600_000).toISOString(),
            createdBy: 'ada',
            comment: 'replacing disks',
          },
        });
        assert.equal(sil.status, 200, sil.raw);
        try {
          const silenced = (await groupsOf('?active=false&inhibited=false')).map((g) => g[2]).flat();
          assert.deepEqual(silenced, ['DiskFull', 'DiskFull'], 'only the silenced ones');
          assert.ok(!(await groupsOf('?silenced=false')).some((g) => g[2].includes('DiskFull')));
        } finally {
          const del = await t.request({
            method: 'DELETE',
            url: `/api/v2/silence/${sil.body.silenceID as string}`,
            headers: write,
          });
          assert.equal(del.status, 200, del.raw);
        }
      });

      test('alerts list the receivers of their routes in route order, and filter by receiver', async () => {
        const alerts = (await get('/api/v2/alerts')) as any[];
        const down = alerts.find((a) => a.labels.alertname === 'DatabaseDown');
        assert.deepEqual(down.receivers, [{ name: 'pager' }, { name: 'hook' }]);
        const byPager = (await get('/api/v2/alerts?receiver=pager')) as any[];
        assert.deepEqual(
          byPager.map((a) => a.labels.alertname),
          ['DatabaseDown'],
        );
        assert.deepEqual(await get('/api/v2/alerts?receiver=pag'), [], 'anchored');
      });

      test('groups: a bad receiver expression or filter is a 400 naming it', async () => {
        const bad = await t.request({
          method: 'GET',
          url: '/api/v2/alerts/groups?receiver=(',
          headers: read,
        });
        assert.equal(bad.status, 400, bad.raw);
        assert.match(bad.body.error.message, /receiver=~"\("/);
        const badFilter = await t.request({
          method: 'GET',
          url: '/api/v2/alerts/groups?filter=service%3D~%22(%22',
          headers: read,
        });
        assert.equal(badFilter.status, 400, badFilter.raw);
      });

      test('status, receivers and groups need the read permission', async () => {
        for (const url of ['/api/v2/status', '/api/v2/receivers', '/api/v2/alerts/groups']) {
          const res = await t.request({ method: 'GET', url });
          assert.equal(res.status, 401, `${url}: ${res.raw}`);
        }
      });

      test('/-/healthy and /-/ready answer OK without credentials, also to HEAD', async () => {
        for (const url of ['/-/healthy', '/-/ready']) {
          const res = await t.app.http.inject({ method: 'GET', url });
          assert.equal(res.statusCode, 200);
          assert.equal(res.body, 'OK');
          assert.match(String(res.headers['content-type']), /^text\/plain/);
          const head = await t.app.http.inject({ method: 'HEAD', url });
          assert.equal(head.statusCode, 200);
          assert.equal(head.body, '');
        }
      });

      test('/-/reload re-reads the file for admins only; a broken file is a 400 and changes nothing', async () => {
        const anon = await t.request({ method: 'POST', url: '/-/reload' });
        assert.equal(anon.status, 401, anon.raw);
        const reader = await t.request({ method: 'POST', url: '/-/reload', headers: read });
        assert.equal(reader.status, 403, reader.raw);
        const ok = await t.request({ method: 'POST', url: '/-/reload', headers: adminToken });
        assert.equal(ok.status, 200, ok.raw);
        assert.equal(ok.raw, '');
        t.writeConfig(CONFIG + 'route_typo: 1\n');
        try {
          const broken = await t.request({ method: 'POST', url: '/-/reload', headers: adminToken });
          assert.equal(broken.status, 400, broken.raw);
          assert.match(broken.body.error.message, /route_typo/);
        } finally {
          t.writeConfig(CONFIG);
        }
        const getReload = await t.app.http.inject({ method: 'GET', url: '/-/reload' });
        assert.equal(getReload.statusCode, 405);
        assert.equal(getReload.headers.allow, 'POST');
      });
    },
  );
}
