import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { validateConfigText } from './load.js';
import type { Config } from './model.js';
import { MASKED_SECRET, toAlertmanagerObject, toAlertmanagerYaml } from './alertmanager.export.js';

const configOf = (text: string): Config => {
  const r = validateConfigText(text, 'watchpost.yml');
  assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.problems, null, 2));
  return r.config;
};

const lines = (...l: string[]): string => `${l.join('\n')}\n`;

const FULL = lines(
  'route:',
  '  receiver: ops',
  '  group_by: [alertname, service]',
  '  group_wait: 10s',
  '  group_interval: 1m',
  '  repeat_interval: 3h',
  '  flapping: {threshold: 6, window: 2h}',
  '  storm: {max_alerts_listed: 5}',
  '  routes:',
  '    - matchers: [\'severity="P0"\', \'team=~"ops|dev"\']',
  '      receiver: pager',
  '      continue: true',
  '      group_wait: 10s',
  '      mute_time_intervals: [nights]',
  '    - match: {service: erp}',
  '      receiver: ops',
  '      group_by: ["..."]',
  '      repeat_interval: 1h',
  '      active_time_intervals: [office]',
  '      routes:',
  '        - match_re: {component: "db|cache"}',
  'receivers:',
  '  - name: ops',
  '    webhook_configs:',
  '      - url: https://hooks.example.com/ops',
  '        http_config: {bearer_token: tok-123}',
  '  - name: pager',
  '    webhook_configs:',
  '      - url: https://pager.example.com/',
  '        send_resolved: false',
  '        max_alerts: 3',
  '        http_config:',
  '          basic_auth: {username: u, password: pw-456}',
  '          tls_config: {insecure_skip_verify: true}',
  '          proxy_url: http://proxy:3128',
  '    email_configs:',
  '      - to: oncall@example.com',
  '        from: watchpost@example.com',
  '        smarthost: smtp.example.com:587',
  '        auth_username: mailer',
  '        auth_password: smtp-789',
  '        headers: {Subject: alert}',
  '    wechat_configs:',
  '      - corp_id: corp',
  '        api_secret: wx-000',
  "        agent_id: '1000002'",
  '        message_type: markdown',
  'inhibit_rules:',
  '  - source_matchers: [\'severity="P0"\']',
  '    target_matchers: [\'severity=~"P2|P3"\']',
  '    equal: [service]',
  '  - source_match: {alertname: DatabaseDown}',
  '    target_match_re: {alertname: "Order.*"}',
  'time_intervals:',
  '  - name: nights',
  '    time_intervals:',
  "      - times: [{start_time: '00:00', end_time: '06:30'}]",
  '        weekdays: [monday:friday, saturday]',
  "        days_of_month: ['1:5', -1]",
  '        months: [january:march, 12]',
  "        years: ['2026:2027']",
  '        location: Asia/Shanghai',
  'mute_time_intervals:',
  '  - name: office',
  '    time_intervals:',
  "      - times: [{start_time: '09:00', end_time: '24:00'}]",
);

const SECRETS = ['tok-123', 'pw-456', 'smtp-789', 'wx-000'];

test('exported Alertmanager YAML reads back to the same route tree, receivers, inhibitions and intervals', () => {
  const c = configOf(FULL);
  const back = configOf(toAlertmanagerYaml(c, { secrets: 'show' }));
  // Watchpost-only keys are not Alertmanager's: they come back as the defaults.
  const withoutWatchpostKeys = (r: Config['route']): unknown => ({
    ...r,
    flapping: null,
    storm: null,
    routes: r.routes.map(withoutWatchpostKeys),
  });
  assert.deepEqual(withoutWatchpostKeys(back.route), withoutWatchpostKeys(c.route));
  assert.deepEqual(back.route.flapping, { threshold: 4, windowMs: 3_600_000 });
  assert.deepEqual(back.receivers, c.receivers);
  assert.deepEqual(back.inhibitRules, c.inhibitRules);
  assert.deepEqual(back.timeIntervals, c.timeIntervals);
});

test('a child route writes only what differs from its parent, in Alertmanager syntax', () => {
  const o = toAlertmanagerObject(configOf(FULL), { secrets: 'mask' }) as any;
  assert.deepEqual(o.route, {
    receiver: 'ops',
    group_by: ['alertname', 'service'],
    continue: false,
    routes: [
      {
        receiver: 'pager',
        matchers: ['severity="P0"', 'team=~"ops|dev"'],
        mute_time_intervals: ['nights'],
        continue: true,
      },
      {
        group_by: ['...'],
        matchers: ['service="erp"'],
        active_time_intervals: ['office'],
        continue: false,
        routes: [{ matchers: ['component=~"^(?:db|cache)$"'], continue: false }],
        repeat_interval: '1h',
      },
    ],
    group_wait: '10s',
    group_interval: '1m',
    repeat_interval: '3h',
  });
  assert.equal('flapping' in o.route || 'storm' in o.route, false, 'Watchpost-only keys are dropped');
  assert.deepEqual(o.inhibit_rules, [
    { source_matchers: ['severity="P0"'], target_matchers: ['severity=~"P2|P3"'], equal: ['service'] },
    { source_matchers: ['alertname="DatabaseDown"'], target_matchers: ['alertname=~"^(?:Order.*)$"'] },
  ]);
  assert.deepEqual(o.time_intervals, [
    {
      name: 'nights',
      time_intervals: [
        {
          times: [{ start_time: '00:00', end_time: '06:30' }],
          weekdays: ['monday:friday', 'saturday'],
          days_of_month: ['1:5', '-1'],
          months: ['1:3', '12'],
          years: ['2026:2027'],
          location: 'Asia/Shanghai',
        },
      ],
    },
    { name: 'office', time_intervals: [{ times: [{ start_time: '09:00', end_time: '24:00' }] }] },
  ]);
});

test('credentials are <secret> when masked and the values when shown', () => {
  const c = configOf(FULL);
  const masked = toAlertmanagerYaml(c, { secrets: 'mask' });
  for (const s of SECRETS) assert.ok(!masked.includes(s), `${s} leaked into the masked export`);
  const o = parse(masked);
  const [ops, pager] = o.receivers;
  assert.equal(ops.webhook_configs[0].http_config.bearer_token, MASKED_SECRET);
  assert.deepEqual(pager.webhook_configs[0].http_config.basic_auth, {
    username: 'u',
    password: MASKED_SECRET,
  });
  assert.equal(pager.email_configs[0].auth_password, MASKED_SECRET);
  assert.equal(pager.wechat_configs[0].api_secret, MASKED_SECRET);
  const shown = toAlertmanagerYaml(c, { secrets: 'show' });
  for (const s of SECRETS) assert.ok(shown.includes(s), `${s} missing from the export with secrets`);
});

test('times of day are quoted so that YAML 1.1 readers (Alertmanager) do not read numbers', () => {
  const text = toAlertmanagerYaml(configOf(FULL), { secrets: 'mask' });
  assert.match(text, /start_time: "00:00"/);
  assert.match(text, /end_time: "06:30"/);
});

test('a file without route or receivers exports the default route to a receiver without channels', () => {
  assert.deepEqual(toAlertmanagerObject(configOf(''), { secrets: 'mask' }), {
    route: {
      receiver: 'default',
      group_by: ['alertname'],
      continue: false,
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '4h',
    },
    receivers: [{ name: 'default' }],
  });
});
