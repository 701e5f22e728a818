import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { compileRoutes, matchRoutes, type CompiledRoute } from '../alerts/route.js';
import { isDomainError } from '../kernel/errors.js';
import type { Labels } from '../kernel/labels.js';
import { importAlertmanager, type ImportNote } from './import-alertmanager.js';
import { validateConfigText } from './load.js';
import type { Config } from './model.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const FIXTURE = 'test/fixtures/alertmanager-full.yml';
const fixtureText = readFileSync(path.join(ROOT, FIXTURE), 'utf8');

const lines = (...l: string[]): string => `${l.join('\n')}\n`;

const loads = (yaml: string): Config => {
  const r = validateConfigText(yaml, 'watchpost.yml', { baseDir: ROOT });
  assert.ok(r.ok, r.ok ? '' : `${JSON.stringify(r.problems, null, 2)}\n${yaml}`);
  assert.deepEqual(r.warnings, []);
  return r.config;
};

const imported = (text: string, opts: Parameters<typeof importAlertmanager>[1] = { source: 'am.yml' }) => {
  const r = importAlertmanager(text, opts);
  return { ...r, config: loads(r.yaml), out: parse(r.yaml) as Record<string, any> };
};

const notMapped = (notes: readonly ImportNote[]) =>
  notes.filter((n) => n.kind === 'not_mapped').map((n) => n.path);

const noteAt = (notes: readonly ImportNote[], p: string): ImportNote => {
  const n = notes.find((x) => x.path === p);
  assert.ok(n, `no note at ${p}; notes: ${notes.map((x) => x.path).join(', ')}`);
  return n;
};

/** Throws the DomainError importAlertmanager throws for `text`, as its message. */
const rejection = (text: string): string => {
  try {
    importAlertmanager(text, { source: 'am.yml' });
  } catch (e) {
    assert.ok(isDomainError(e), String(e));
    assert.equal(e.code, 'invalid');
    return e.message;
  }
  return assert.fail('expected the input to be rejected');
};

/**
 * The fixture as Watchpost's own Alertmanager-syntax loader reads it directly, with what that loader
 * does not accept yet removed (global, templates, integrations other than webhook/email/wechat):
 * those do not take part in routing, inhibition or time intervals.
 */
function directConfig(text: string): Config {
  const am = parse(text) as Record<string, unknown>;
  const direct = {
    route: am.route,
    receivers: (am.receivers as { name: string }[]).map((r) => ({ name: r.name })),
    inhibit_rules: am.inhibit_rules,
    time_intervals: am.time_intervals,
    mute_time_intervals: am.mute_time_intervals,
  };
  return loads(stringify(direct));
}

/** What a user sees of routing for one alert: per route taken, its receiver and notification settings. */
const routing = (root: CompiledRoute, labels: Labels) =>
  matchRoutes(root, labels).map(({ node }) => ({
    id: node.id,
    receiver: node.receiver,
    groupBy: node.groupBy,
    groupWaitMs: node.groupWaitMs,
    groupIntervalMs: node.groupIntervalMs,
    repeatIntervalMs: node.repeatIntervalMs,
    continue: node.continue,
    muteTimeIntervals: node.muteTimeIntervals,
    activeTimeIntervals: node.activeTimeIntervals,
  }));

// Receivers read from `amtool config routes test --config.file=test/fixtures/alertmanager-full.yml
// <labels>` (Alertmanager 0.25); test/e2e/import-alertmanager.e2e.test.ts asks amtool again.
const CASES: [Labels, string[]][] = [
  [{ service: 'mysql', severity: 'critical' }, ['db-pager', 'ops-chat']],
  [{ service: 'redis' }, ['db-team']],
  [{ service: 'postgres', severity: 'warning', team: 'orders' }, ['db-team']],
  [{ team: 'orders', platform: 'shopee' }, ['orders-wechat', 'audit-hook']],
  [{ team: 'orders', platform: 'amazon' }, ['audit-hook']],
  [{ service: 'api', code: '503' }, ['api-team']],
  // match_re is anchored: "api" does not match "api-gateway", "5.." does not match "5000".
  [{ service: 'api-gateway', code: '500' }, ['ops-default']],
  [{ service: 'api', code: '5000' }, ['ops-default']],
  [{ http_code: '503', env: 'production' }, ['ops-chat']],
  [{ http_code: '503', env: 'production', service: 'api', code: '500' }, ['api-team']],
  [{ severity: 'warning', env: 'prod' }, ['email-only']],
  [{ severity: 'warning', env: 'dev' }, ['ops-default']],
  [{ alertname: 'Watchdog', severity: 'info' }, ['blackhole']],
  [{}, ['ops-default']],
];

test('the imported fixture loads and routes every alert to the same receivers with the same settings', () => {
  const r = imported(fixtureText, { source: FIXTURE });
  const direct = directConfig(fixtureText);
  const a = compileRoutes(direct.route);
  const b = compileRoutes(r.config.route);
  for (const [labels, receivers] of CASES) {
    assert.deepEqual(
      routing(b, labels).map((x) => x.receiver),
      receivers,
      `receivers for ${JSON.stringify(labels)}`,
    );
    assert.deepEqual(routing(b, labels), routing(a, labels), `routing of ${JSON.stringify(labels)}`);
  }
  assert.deepEqual(r.config.inhibitRules, direct.inhibitRules);
  assert.deepEqual(r.config.timeIntervals, direct.timeIntervals);
  assert.deepEqual(
    r.config.receivers.map((x) => x.name),
    direct.receivers.map((x) => x.name),
  );
  assert.deepEqual(r.counts, { receivers: 9, routes: 10, inhibitRules: 3, timeIntervals: 2 });
});

test('match_re becomes the anchored matcher Alertmanager itself derives, so route keys stay the same', () => {
  const { config, out, notes } = imported(fixtureText);
  assert.deepEqual(out.route.routes[0].matchers, ['service=~"^(?:mysql|postgres|redis)$"']);
  // Alertmanager's key for this route, as `amtool config routes` prints its matchers.
  assert.equal(compileRoutes(config.route).routes[0]?.key, '{}/{service=~"^(?:mysql|postgres|redis)$"}');
  // Numbers in match are label values as written (Alertmanager reads them as strings).
  assert.deepEqual(out.route.routes[4].matchers, ['http_code="503"', 'env="production"']);
  assert.equal(out.route.routes[0].match_re, undefined);
  assert.deepEqual(out.inhibit_rules[0], {
    source_matchers: ['severity="critical"'],
    target_matchers: ['severity="warning"'],
    equal: ['alertname', 'cluster', 'service'],
  });
  assert.equal(noteAt(notes, 'route.routes[0].match_re').kind, 'converted');
});

test('regular expressions keep their backslashes and quotes through the conversion', () => {
  const { config } = imported(
    lines(
      'route:',
      '  receiver: a',
      '  routes:',
      "    - match_re: { path: '/api/v1/.*\\.json', msg: 'say \"hi\"|x' }",
      '      receiver: b',
      '    - match: { code: 0x10, flag: yes, ratio: 1.50 }',
      '      receiver: c',
      'receivers: [{ name: a }, { name: b }, { name: c }]',
    ),
  );
  const root = compileRoutes(config.route);
  assert.deepEqual(
    matchRoutes(root, { path: '/api/v1/orders.json', msg: 'say "hi"' }).map((r) => r.node.receiver),
    ['b'],
  );
  assert.deepEqual(
    matchRoutes(root, { path: '/api/v1/ordersXjson', msg: 'x' }).map((r) => r.node.receiver),
    ['a'],
  );
  assert.deepEqual(
    matchRoutes(root, { code: '0x10', flag: 'yes', ratio: '1.50' }).map((r) => r.node.receiver),
    ['c'],
  );
});

test('global SMTP, WeChat and HTTP settings are folded into the receivers that inherit them', () => {
  const { out, notes } = imported(fixtureText);
  const byName = (n: string) => out.receivers.find((r: { name: string }) => r.name === n);
  assert.deepEqual(byName('ops-default').email_configs, [
    {
      to: 'ops@shop.example.com',
      from: 'alertmanager@shop.example.com',
      smarthost: 'smtp.example.com:587',
      auth_username: 'alertmanager',
      auth_password: 'smtp-secret',
      require_tls: true,
      send_resolved: true,
    },
  ]);
  // Its own from, smarthost and require_tls win; its own password file keeps the global password out.
  assert.deepEqual(byName('db-team').email_configs, [
    {
      to: 'dba@shop.example.com',
      from: 'db-alerts@shop.example.com',
      smarthost: 'smtp-db.example.com:25',
      auth_username: 'alertmanager',
      require_tls: false,
      headers: { 'X-Team': 'dba' },
    },
  ]);
  const [first, second] = byName('orders-wechat').wechat_configs;
  assert.equal(first.corp_id, 'ww0123456789abcdef');
  assert.equal(first.api_secret, 'wechat-global-secret');
  assert.equal(second.corp_id, 'wwfedcba9876543210');
  assert.equal(second.api_secret, 'orders-own-secret');
  // global.http_config applies only to webhook configs without their own http_config.
  const api = byName('api-team').webhook_configs;
  assert.deepEqual(api[0].http_config, { tls_config: { insecure_skip_verify: true } });
  assert.equal(api[1].http_config, undefined, 'its own http_config (only oauth2) replaced the global one');
  assert.deepEqual(byName('audit-hook').webhook_configs[0].http_config, { bearer_token: 'audit-token' });
  assert.equal(out.global, undefined);
  assert.match(noteAt(notes, 'global.smtp_from').message, /copied into receivers\[0\]\.email_configs\[0\]/);
  assert.match(
    noteAt(notes, 'global.slack_api_url').message,
    /copied into receivers\[2\]\.slack_configs\[0\]/,
  );
  assert.equal(
    byName('db-pager').slack_configs[0].api_url,
    'https://hooks.slack.com/services/T000/B000/XXXX',
  );
});

test('what cannot be mapped is reported with its path and line and marked in the output', () => {
  const r = imported(fixtureText, { source: FIXTURE });
  assert.deepEqual(notMapped(r.notes).sort(), [
    'global.http_config.tls_config',
    'receivers[1].email_configs[0].auth_password_file',
    'receivers[1].email_configs[0].headers.Subject',
    'receivers[1].email_configs[0].html',
    'receivers[2].slack_configs[0].title',
    'receivers[2].webhook_configs[0].http_config.basic_auth.password_file',
    'receivers[3]',
    'receivers[3].discord_configs',
    'receivers[4].wechat_configs[1].message',
    'receivers[5].telegram_configs[0].message',
    'receivers[6].webhook_configs[1].http_config.oauth2',
    'templates',
  ]);
  const discord = noteAt(r.notes, 'receivers[3].discord_configs');
  assert.equal(fixtureText.split('\n')[(discord.line ?? 0) - 1]?.trim(), 'discord_configs:');
  assert.match(discord.message, /receiver "ops-chat" not mapped yet: Watchpost does not deliver it/);
  // Slack, Telegram and PagerDuty are converted with Alertmanager's keys; their templates are left out.
  assert.deepEqual(
    (r.out.receivers as { name: string; [k: string]: unknown }[]).find((x) => x.name === 'audit-hook')
      ?.telegram_configs,
    [{ bot_token: '123456:ABC-audit', chat_id: -1001234567890 }],
  );
  assert.deepEqual(
    (r.out.receivers as { name: string; [k: string]: unknown }[]).find((x) => x.name === 'api-team')
      ?.pagerduty_configs,
    [{ routing_key: '0123456789abcdef0123456789abcdef' }],
  );
  assert.match(noteAt(r.notes, 'receivers[2].slack_configs[0].title').message, /templates/);
  assert.match(noteAt(r.notes, 'templates').message, /\/etc\/alertmanager\/templates\/\*\.tmpl/);
  // The receiver left without channels is kept, so the routes naming it stay valid.
  assert.deepEqual(
    r.out.receivers.find((x: { name: string }) => x.name === 'ops-chat'),
    { name: 'ops-chat' },
  );
  assert.match(r.yaml, /^# Watchpost configuration imported from test\/fixtures\/alertmanager-full\.yml/);
  assert.match(
    r.yaml,
    /# not mapped: receivers\[3\]\.discord_configs: [^\n]*\n( {2}# [^\n]*\n)* {2}- name: ops-chat\n/,
  );
  assert.match(r.yaml, /# not mapped: templates: /);
});

test('secrets in files are read when a reader is given, else reported with placeholders for required ones', () => {
  const text = lines(
    'route: { receiver: r }',
    'receivers:',
    '  - name: r',
    '    webhook_configs:',
    '      - url_file: secrets/url',
    '        http_config:',
    '          authorization: { credentials_file: secrets/token }',
    '    wechat_configs:',
    '      - { corp_id: ww1, api_secret_file: secrets/wechat }',
    '    email_configs:',
    '      - { to: a@b.c, from: c@d.e, smarthost: "smtp:25", auth_username: u, auth_password_file: secrets/smtp }',
  );
  const files: Record<string, string> = {
    'secrets/url': 'https://hooks.example.com/x\n',
    'secrets/token': 'tok\n',
    'secrets/wechat': 'wsecret',
    'secrets/smtp': 'spass\n',
  };
  const read = imported(text, {
    source: 'am.yml',
    readSecretFile: (p) => files[p] ?? assert.fail(`unexpected read of ${p}`),
  });
  const [r] = read.out.receivers;
  assert.deepEqual(r.webhook_configs[0], {
    url: 'https://hooks.example.com/x',
    http_config: { bearer_token: 'tok' },
  });
  assert.equal(r.wechat_configs[0].api_secret, 'wsecret');
  assert.equal(r.email_configs[0].auth_password, 'spass');
  assert.deepEqual(notMapped(read.notes), []);

  const reported = imported(text);
  const [p] = reported.out.receivers;
  assert.equal(p.webhook_configs[0].url, 'https://replace-me.invalid/');
  assert.equal(p.webhook_configs[0].http_config, undefined);
  assert.equal(p.wechat_configs[0].api_secret, 'REPLACE_ME');
  assert.equal(p.email_configs[0].auth_password, undefined);
  assert.deepEqual(notMapped(reported.notes), [
    'receivers[0].webhook_configs[0].url_file',
    'receivers[0].webhook_configs[0].http_config.authorization.credentials_file',
    'receivers[0].wechat_configs[0].api_secret_file',
    'receivers[0].email_configs[0].auth_password_file',
  ]);
  assert.match(
    noteAt(reported.notes, 'receivers[0].email_configs[0].auth_password_file').message,
    /put the contents of secrets\/smtp in auth_password, or run the import with --inline-secret-files/,
  );
});

test('amtool config show output: default templates are dropped quietly, masked secrets are flagged', () => {
  const r = imported(
    lines(
      'route: { receiver: r }',
      'receivers:',
      '  - name: r',
      '    email_configs:',
      '      - to: a@b.c',
      '        from: c@d.e',
      '        smarthost: smtp.example.com:587',
      '        hello: localhost',
      '        auth_username: u',
      '        auth_password: <secret>',
      '        html: \'{{ template "email.default.html" . }}\'',
      '        headers: { Subject: \'{{ template "email.default.subject" . }}\' }',
      '        require_tls: true',
    ),
  );
  const [email] = r.out.receivers[0].email_configs;
  assert.equal(email.html, undefined);
  assert.equal(email.headers, undefined);
  assert.equal(email.auth_password, '<secret>');
  assert.deepEqual(notMapped(r.notes), ['receivers[0].email_configs[0].auth_password']);
  assert.match(r.notes.find((n) => n.kind === 'not_mapped')?.message ?? '', /masked as <secret>/);
});

test('the benchmark alertmanager.yml imports with nothing left out and the same route tree', () => {
  const text = readFileSync(path.join(ROOT, 'bench', 'alertmanager.yml'), 'utf8');
  const r = imported(text);
  assert.deepEqual(notMapped(r.notes), []);
  assert.match(r.yaml, /# Everything was mapped\./);
  assert.deepEqual(r.config.route, directConfig(text).route);
  assert.deepEqual(r.config.receivers, loads(text).receivers);
});

test('input that is not YAML or not an Alertmanager configuration is rejected naming the line', () => {
  assert.match(
    rejection(lines('route:', '  receiver: a', '  routes: [', 'receivers: []')),
    /^am\.yml: not imported: 1 problem\n {2}line \d+, column \d+: YAML syntax error: /,
  );
  assert.match(
    rejection(lines('global:', '  scrape_interval: 15s', 'scrape_configs: []')),
    /scrape_configs: this is a Prometheus configuration, not an Alertmanager one \(line 3\)/,
  );
  assert.match(rejection(lines('server:', '  port: 9797')), /looks like a Watchpost configuration already/);
  assert.match(rejection('just text\n'), /expected a mapping with route and receivers/);
  assert.match(rejection(lines('foo: 1')), /neither route nor receivers/);
  const bad = rejection(
    lines(
      'route:',
      '  receiver: a',
      '  routes:',
      '    - matchers: ["a=~(b"]',
      '      match_re: { x: "(" }',
      'receivers: [{ name: a }]',
    ),
  );
  assert.match(bad, /2 problems/);
  assert.match(
    bad,
    /route\.routes\[0\]\.matchers\[0\]: invalid matcher "a=~\(b": .*missing closing \).*\(line 4\)/,
  );
  assert.match(bad, /route\.routes\[0\]\.match_re\.x: x=~"\(": invalid regular expression.*\(line 5\)/);
});
