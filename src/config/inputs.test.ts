import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { jsonPathProblem } from './inputs.js';
import { validateConfigText } from './load.js';

const problems = (yaml: string) => {
  const r = validateConfigText(yaml, '/tmp/w.yml');
  return r.ok ? [] : r.problems.map(({ path, message }) => ({ path, message }));
};

test('examples/inputs.yml validates and normalises', () => {
  const file = fileURLToPath(new URL('../../examples/inputs.yml', import.meta.url));
  const r = validateConfigText(readFileSync(file, 'utf8'), file);
  assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.problems, null, 2));
  assert.deepEqual(r.warnings, []);
  const [grafana, zabbix] = r.config.inputs.webhooks;
  assert.equal(grafana?.alerts, '$.alerts[*]');
  assert.deepEqual(grafana?.status, { path: '$.status', resolved: ['resolved'] });
  assert.equal(grafana?.resolveTimeoutMs, null);
  assert.deepEqual(zabbix?.labels.severity, {
    path: '$.severity',
    value: null,
    map: {
      Disaster: 'critical',
      High: 'error',
      Average: 'warning',
      Warning: 'warning',
      Information: 'info',
      'Not classified': 'info',
    },
    default: null,
  });
  assert.deepEqual(zabbix?.generatorUrl, { path: '$.url', value: null, map: {}, default: null });
});

test('a literal is any string not starting with $; {value} holds one that does', () => {
  const r = validateConfigText(
    `inputs:\n  webhooks:\n    - name: x\n      labels: { alertname: Fixed, cost: { value: '$5' }, resolve_timeout: '$.t' }\n      resolve_timeout: 10m\n`,
    '/tmp/w.yml',
  );
  assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.problems));
  const w = r.config.inputs.webhooks[0];
  assert.equal(w?.labels.alertname?.value, 'Fixed');
  assert.equal(w?.labels.cost?.value, '$5');
  assert.equal(w?.labels.resolve_timeout?.path, '$.t');
  assert.equal(w?.resolveTimeoutMs, 600_000);
});

test('every problem in inputs is reported with its path', () => {
  assert.deepEqual(
    problems(`inputs:
  webhooks:
    - name: grafana
      labels_from: $.labels
      status: { path: $.status }
    - name: grafana
      alerts: alerts
      labels:
        alertname: '$.items[?(@.x)]'
        bad-name: x
        sev: { path: $.s, value: v }
        empty: {}
      generator_url: 5
      resolve_timeout: soon
    - name: Bad Name
      lables: {}
`),
    [
      { path: 'inputs.webhooks[0].status.resolved', message: 'required' },
      { path: 'inputs.webhooks[1].name', message: 'duplicate name "grafana" (also at inputs.webhooks[0])' },
      {
        path: 'inputs.webhooks[1].alerts',
        message: 'must be a JSONPath starting with $, such as $.alerts[*] or $.labels.severity',
      },
      {
        path: 'inputs.webhooks[1].labels.alertname',
        message:
          '"$.items[?(@.x)]" filter and script expressions (?(...), (...)) are not allowed: select fields by name, index or [*]',
      },
      {
        path: 'inputs.webhooks[1].labels.bad-name',
        message: 'is not a valid label name: it must match ^[a-zA-Z_][a-zA-Z0-9_]*$',
      },
      { path: 'inputs.webhooks[1].labels.sev', message: 'give either path or value, not both' },
      { path: 'inputs.webhooks[1].labels.empty', message: 'needs path (a JSONPath) or value (a literal)' },
      {
        path: 'inputs.webhooks[1].generator_url',
        message:
          'must be a JSONPath such as $.labels.severity, a literal string, or a mapping {path, map, default} / {value}',
      },
      {
        path: 'inputs.webhooks[1].resolve_timeout',
        message: 'invalid duration "soon": unexpected "soon"; write e.g. 30s, 5m or 1h30m',
      },
      {
        path: 'inputs.webhooks[2].name',
        message:
          'must be 1-63 lowercase letters, digits, "_" or "-", starting with a letter or digit (e.g. "order-sync")',
      },
      {
        path: 'inputs.webhooks[2].labels',
        message:
          'must give alertname (e.g. alertname: $.ruleName, or a literal), or set labels_from to an object holding it',
      },
      { path: 'inputs.webhooks[2].lables', message: 'unknown key "lables"; did you mean "labels"?' },
    ],
  );
});

test('jsonPathProblem: brackets and quotes close; no scripts', () => {
  assert.equal(jsonPathProblem('$.alerts[*].labels'), null);
  assert.equal(jsonPathProblem("$['a (b)'][0]"), null, 'parentheses inside quotes are names');
  assert.equal(jsonPathProblem('$..x'), null);
  assert.match(jsonPathProblem('$.a[0') ?? '', /without a matching "]"/);
  assert.match(jsonPathProblem("$['a]") ?? '', /unclosed quote/);
  assert.match(jsonPathProblem('$.a]') ?? '', /without a matching "\["/);
  assert.match(jsonPathProblem('$.a[(@.length-1)]') ?? '', /not allowed/);
  assert.match(jsonPathProblem('a.b') ?? '', /starting with \$/);
});
