import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { validateConfigText } from '../config/load.js';
import type { WebhookInputDecl } from '../config/model.js';
import { OPEN_UNTIL_RESOLVED, parseTime } from './model.js';
import { mapPayload, resolveSpec, select, textAt } from './webhook-mapping.js';

const NOW = Date.parse('2026-11-26T08:00:00Z');
const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../test/fixtures/ingest/${name}.json`, import.meta.url), 'utf8'));

/** The mappings shipped in examples/inputs.yml, loaded as Watchpost loads them. */
const shipped = (name: string): WebhookInputDecl => {
  const file = new URL('../../examples/inputs.yml', import.meta.url);
  const r = validateConfigText(readFileSync(file, 'utf8'), file.pathname);
  assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.problems));
  const decl = r.config.inputs.webhooks.find((w) => w.name === name);
  assert.ok(decl);
  return decl;
};

const decl = (over: Partial<WebhookInputDecl>): WebhookInputDecl => ({
  name: 't',
  alerts: null,
  labelsFrom: null,
  annotationsFrom: null,
  labels: {},
  annotations: {},
  status: null,
  startsAt: null,
  endsAt: null,
  generatorUrl: null,
  resolveTimeoutMs: null,
  ...over,
});
const path = (p: string) => ({ path: p, value: null, map: {}, default: null });

test('parseTime reads ISO 8601 and epoch seconds or milliseconds; Go’s zero time is absent', () => {
  assert.equal(parseTime('2026-11-26T16:00:00+08:00'), NOW);
  assert.equal(parseTime(NOW / 1000), NOW);
  assert.equal(parseTime(String(NOW / 1000)), NOW);
  assert.equal(parseTime(NOW), NOW);
  assert.equal(parseTime('0001-01-01T00:00:00Z'), null);
  assert.equal(parseTime(undefined), null);
  assert.equal(parseTime('2026.11.26 08:00:00'), undefined);
  assert.equal(parseTime({}), undefined);
});

test('text: strings as they are, numbers and booleans written out, objects as JSON, several joined', () => {
  const doc = { a: 'x', n: 1.5, b: false, o: { k: 1 }, list: [{ v: 'p' }, { v: 'q' }], nil: null };
  assert.equal(textAt('$.a', doc), 'x');
  assert.equal(textAt('$.n', doc), '1.5');
  assert.equal(textAt('$.b', doc), 'false');
  assert.equal(textAt('$.o', doc), '{"k":1}');
  assert.equal(textAt('$.list[*].v', doc), 'p,q');
  assert.equal(textAt('$.nil', doc), undefined);
  assert.equal(textAt('$.missing', doc), undefined);
});

test('value specs: literal, map (exact, then case-insensitive), default', () => {
  const spec = { path: '$.s', value: null, map: { High: 'error', disaster: 'critical' }, default: 'info' };
  assert.equal(resolveSpec(spec, { s: 'High' }), 'error');
  assert.equal(resolveSpec(spec, { s: 'DISASTER' }), 'critical');
  assert.equal(resolveSpec(spec, { s: 'Average' }), 'Average', 'unmapped values pass through');
  assert.equal(resolveSpec(spec, {}), 'info');
  assert.equal(resolveSpec({ path: null, value: '$not-a-path', map: {}, default: null }, {}), '$not-a-path');
});

test('script and filter expressions are never evaluated', () => {
  assert.throws(
    () => select('$..[?(@.constructor.constructor("return process")())]', { a: {} }),
    /prevented/,
  );
  assert.throws(() => select('$[(this.x = 1)]', { a: 1 }), /prevented/);
});

test('the shipped Grafana mapping: one alert per element, Grafana’s labels, firing until resolved', () => {
  const r = mapPayload(shipped('grafana'), fixture('grafana-firing'), NOW);
  assert.deepEqual(r.problems, []);
  assert.equal(r.alerts.length, 2);
  const [mem] = r.alerts;
  assert.equal(mem?.labels.alertname, 'High memory usage');
  assert.equal(mem?.labels.grafana_folder, 'ERP');
  assert.equal(
    mem?.annotations?.silence_url?.startsWith('https://grafana.example.com/alerting/silence'),
    true,
  );
  assert.equal(mem?.startsAt, Date.parse('2026-11-25T23:58:00Z'));
  assert.equal(mem?.endsAt, OPEN_UNTIL_RESOLVED);
  const resolved = mapPayload(shipped('grafana'), fixture('grafana-resolved'), NOW);
  assert.equal(resolved.alerts[0]?.endsAt, Date.parse('2026-11-26T00:20:00Z'));
});

test('the shipped Zabbix mapping: severity translated, tags as labels, event_value 0 resolves now', () => {
  const p = mapPayload(shipped('zabbix'), fixture('zabbix-problem'), NOW);
  assert.deepEqual(p.problems, []);
  assert.equal(p.alerts[0]?.labels.severity, 'error');
  assert.equal(p.alerts[0]?.labels.service, 'erp');
  assert.equal(p.alerts[0]?.startsAt, NOW);
  assert.equal(p.alerts[0]?.endsAt, OPEN_UNTIL_RESOLVED);
  assert.equal(p.alerts[0]?.annotations?.last_update, undefined, 'empty values are left out');
  const r = mapPayload(shipped('zabbix'), fixture('zabbix-recovery'), NOW);
  assert.deepEqual(r.alerts[0]?.labels, p.alerts[0]?.labels, 'the recovery names the same alert');
  assert.equal(r.alerts[0]?.endsAt, NOW);
});

test('without a status mapping an ends_at in the past resolves, as in Alertmanager; resolve_timeout bounds firing', () => {
  const d = decl({ labels: { alertname: path('$.n') }, endsAt: '$.end', resolveTimeoutMs: 300_000 });
  assert.equal(
    mapPayload(d, { n: 'A', end: '2026-11-26T07:00:00Z' }, NOW).alerts[0]?.endsAt,
    NOW - 3_600_000,
  );
  assert.equal(mapPayload(d, { n: 'A' }, NOW).alerts[0]?.endsAt, NOW + 300_000);
});

test('labels_from keys Prometheus would refuse are made valid; explicit labels win', () => {
  const d = decl({
    labelsFrom: '$.tags',
    labels: { alertname: path('$.n'), env: { path: null, value: 'prod', map: {}, default: null } },
  });
  const r = mapPayload(
    d,
    { n: 'A', tags: { 'app.kubernetes.io/name': 'erp', '9lives': 'x', env: 'dev', nested: { a: 1 } } },
    NOW,
  );
  assert.deepEqual(r.alerts[0]?.labels, {
    app_kubernetes_io_name: 'erp',
    _9lives: 'x',
    env: 'prod',
    alertname: 'A',
  });
});

test('problems point at the element and name the mapping', () => {
  const d = decl({ name: 'jobs', alerts: '$.items[*]', labels: { alertname: path('$.rule') } });
  assert.deepEqual(mapPayload(d, { items: [{ rule: 'ok' }, {}] }, NOW).problems, [
    {
      path: '/items/1',
      message:
        'no alertname: labels.alertname ($.rule) matched nothing; send that field or change the mapping of input "jobs"',
    },
  ]);
  assert.match(mapPayload(d, { other: [] }, NOW).problems[0]?.message ?? '', /matched nothing in the body/);
  assert.match(mapPayload(d, 'text', NOW).problems[0]?.message ?? '', /JSON object or list/);
});
