import { DELIVERED_KINDS } from './alertmanager.schema.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateConfigText } from './load.js';
import type { Config, RouteNode } from './model.js';

const configOf = (text: string): Config => {
  const r = validateConfigText(text, 'alertmanager.yml');
  assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.problems, null, 2));
  assert.deepEqual(r.warnings, []);
  return r.config;
};

const problemsOf = (text: string) => {
  const r = validateConfigText(text, 'alertmanager.yml');
  assert.ok(!r.ok, 'expected the text to be rejected');
  return r.problems.map(({ path, message }) => ({ path, message }));
};

const lines = (...l: string[]): string => `${l.join('\n')}\n`;

/** A route node: what every node must say (inherited values resolved) plus what it usually leaves out. */
const node = (
  n: Pick<RouteNode, 'id' | 'receiver' | 'groupBy' | 'groupWaitMs' | 'groupIntervalMs' | 'repeatIntervalMs'> &
    Partial<RouteNode>,
): RouteNode => ({
  continue: false,
  matchers: [],
  muteTimeIntervals: [],
  activeTimeIntervals: [],
  flapping: { threshold: 4, windowMs: 3600_000 },
  storm: { maxAlertsListed: 20 },
  routes: [],
  ...n,
});

const S = 1000;
const M = 60 * S;
const H = 60 * M;

// Adapted from Alertmanager's doc/examples/simple.yml, plus the newer keys.
const ALERTMANAGER_YML = lines(
  'route:',
  "  receiver: 'team-X-mails'",
  "  group_by: ['alertname', 'cluster', 'service']",
  '  group_wait: 30s',
  '  group_interval: 5m',
  '  repeat_interval: 3h',
  '  routes:',
  '    - match_re:',
  '        service: ^(foo1|foo2|baz)$',
  '      receiver: team-X-mails',
  '      routes:',
  '        - match:',
  '            severity: critical',
  '          receiver: team-X-pager',
  '    - match:',
  '        service: files',
  '      receiver: team-Y-mails',
  '      routes:',
  '        - match:',
  '            severity: critical',
  '          receiver: team-Y-pager',
  '    - matchers: [ \'service="database"\' ]',
  '      receiver: team-DB-pager',
  '      group_by: [alertname, cluster, database]',
  '      routes:',
  '        - matchers: [\'owner="team-X"\']',
  '          receiver: team-X-pager',
  '          continue: true',
  '        - matchers: [\'{owner="team-Y", env!~"dev|test"}\']',
  '          receiver: team-Y-pager',
  '    - receiver: on-call',
  "      group_by: ['...']",
  '      matchers: [\'severity=~"P0|P1"\']',
  '      match: { team: ops }',
  '      mute_time_intervals: [offhours]',
  '      active_time_intervals: [first-days]',
  '      group_wait: 0s',
  '',
  'inhibit_rules:',
  '  - source_match:',
  "      severity: 'critical'",
  '    target_match:',
  "      severity: 'warning'",
  "    equal: ['alertname', 'cluster', 'service']",
  '  - source_matchers: [ \'alertname="DatabaseDown"\' ]',
  '    target_match_re:',
  "      alertname: 'API.*Errors'",
  "    equal: ['service']",
  '',
  'receivers:',
  "  - name: 'team-X-mails'",
  '    email_configs:',
  "      - to: 'team-X+alerts@example.org'",
  '        from: alertmanager@example.org',
  '        smarthost: smtp.example.org:587',
  '        auth_username: alertmanager',
  '        auth_password: hunter2',
  '        headers: { Subject: "[ALERT] {{ .CommonLabels.alertname }}" }',
  "  - name: 'team-X-pager'",
  '    webhook_configs:',
  "      - url: 'http://pager.example.org/hook'",
  '        max_alerts: 10',
  '        http_config:',
  '          bearer_token: t0ken',
  '          tls_config: { insecure_skip_verify: true }',
  "  - name: 'team-Y-mails'",
  '    webhook_configs:',
  '      - url: https://y.example.org/alerts',
  '        send_resolved: false',
  '        timeout: 10s',
  '        http_config:',
  '          basic_auth: { username: am, password: pw }',
  "          proxy_url: 'http://proxy.internal:3128'",
  "  - name: 'team-Y-pager'",
  '    wechat_configs:',
  '      - corp_id: ww0123456789',
  '        api_secret: s3cret',
  '        agent_id: 1000002',
  "        to_party: '2'",
  "  - name: 'team-DB-pager'",
  '  - name: on-call',
  '',
  'time_intervals:',
  '  - name: offhours',
  '    time_intervals:',
  "      - times: [{ start_time: '00:00', end_time: '09:00' }, { start_time: '18:00', end_time: '24:00' }]",
  "        weekdays: ['monday:friday']",
  '        location: Asia/Shanghai',
  "      - weekdays: ['saturday', 'sunday']",
  '        location: asia/shanghai',
  'mute_time_intervals:',
  '  - name: first-days',
  '    time_intervals:',
  "      - days_of_month: ['1:5', '-1']",
  "        months: ['january:march', 12]",
  "        years: ['2026:2027']",
);

const alertmanagerPart = (r: Config['receivers'][number]) => ({
  name: r.name,
  webhookConfigs: r.webhookConfigs,
  emailConfigs: r.emailConfigs,
  wechatConfigs: r.wechatConfigs,
});

test('an alertmanager.yml pastes in and becomes the expected model', () => {
  const c = configOf(ALERTMANAGER_YML);
  const root = { groupWaitMs: 30 * S, groupIntervalMs: 5 * M, repeatIntervalMs: 3 * H };
  const rootGroupBy = ['alertname', 'cluster', 'service'];
  assert.deepEqual(
    c.route,
    node({
      id: '0',
      receiver: 'team-X-mails',
      groupBy: rootGroupBy,
      ...root,
      routes: [
        node({
          id: '0.0',
          receiver: 'team-X-mails',
          groupBy: rootGroupBy,
          ...root,
          matchers: [{ name: 'service', type: '=~', value: '^(?:^(foo1|foo2|baz)$)$' }],
          routes: [
            node({
              id: '0.0.0',
              receiver: 'team-X-pager',
              groupBy: rootGroupBy,
              ...root,
              matchers: [{ name: 'severity', type: '=', value: 'critical' }],
            }),
          ],
        }),
        node({
          id: '0.1',
          receiver: 'team-Y-mails',
          groupBy: rootGroupBy,
          ...root,
          matchers: [{ name: 'service', type: '=', value: 'files' }],
          routes: [
            node({
              id: '0.1.0',
              receiver: 'team-Y-pager',
              groupBy: rootGroupBy,
              ...root,
              matchers: [{ name: 'severity', type: '=', value: 'critical' }],
            }),
          ],
        }),
        node({
          id: '0.2',
          receiver: 'team-DB-pager',
          groupBy: ['alertname', 'cluster', 'database'],
          ...root,
          matchers: [{ name: 'service', type: '=', value: 'database' }],
          routes: [
            node({
              id: '0.2.0',
              receiver: 'team-X-pager',
              groupBy: ['alertname', 'cluster', 'database'],
              ...root,
              continue: true,
              matchers: [{ name: 'owner', type: '=', value: 'team-X' }],
            }),
            node({
              id: '0.2.1',
              receiver: 'team-Y-pager',
              groupBy: ['alertname', 'cluster', 'database'],
              ...root,
              // Sorted by name as Alertmanager sorts them.
              matchers: [
                { name: 'env', type: '!~', value: 'dev|test' },
                { name: 'owner', type: '=', value: 'team-Y' },
              ],
            }),
          ],
        }),
        node({
          id: '0.3',
          receiver: 'on-call',
          groupBy: 'all',
          ...root,
          groupWaitMs: 0,
          matchers: [
            { name: 'severity', type: '=~', value: 'P0|P1' },
            { name: 'team', type: '=', value: 'ops' },
          ],
          muteTimeIntervals: ['offhours'],
          activeTimeIntervals: ['first-days'],
        }),
      ],
    }),
  );

  assert.deepEqual(c.inhibitRules, [
    {
      sourceMatchers: [{ name: 'severity', type: '=', value: 'critical' }],
      targetMatchers: [{ name: 'severity', type: '=', value: 'warning' }],
      equal: ['alertname', 'cluster', 'service'],
    },
    {
      sourceMatchers: [{ name: 'alertname', type: '=', value: 'DatabaseDown' }],
      targetMatchers: [{ name: 'alertname', type: '=~', value: '^(?:API.*Errors)$' }],
      equal: ['service'],
    },
  ]);

  const noHttp = {
    bearerToken: null,
    basicAuth: null,
    tlsConfig: { insecureSkipVerify: false },
    proxyUrl: null,
  };
  // Alertmanager's part of each receiver; the channels built from it are tested in channels.test.ts.
  assert.deepEqual(c.receivers.map(alertmanagerPart), [
    {
      name: 'team-X-mails',
      webhookConfigs: [],
      emailConfigs: [
        {
          to: 'team-X+alerts@example.org',
          from: 'alertmanager@example.org',
          smarthost: { host: 'smtp.example.org', port: 587 },
          authUsername: 'alertmanager',
          authPassword: 'hunter2',
          requireTls: true,
          headers: { Subject: '[ALERT] {{ .CommonLabels.alertname }}' },
          html: null,
          text: null,
          sendResolved: false,
        },
      ],
      wechatConfigs: [],
    },
    {
      name: 'team-X-pager',
      webhookConfigs: [
        {
          url: 'http://pager.example.org/hook',
          sendResolved: true,
          maxAlerts: 10,
          timeoutMs: 0,
          httpConfig: { ...noHttp, bearerToken: 't0ken', tlsConfig: { insecureSkipVerify: true } },
          signingSecret: null,
        },
      ],
      emailConfigs: [],
      wechatConfigs: [],
    },
    {
      name: 'team-Y-mails',
      webhookConfigs: [
        {
          url: 'https://y.example.org/alerts',
          sendResolved: false,
          maxAlerts: 0,
          timeoutMs: 10 * S,
          httpConfig: {
            ...noHttp,
            basicAuth: { username: 'am', password: 'pw' },
            proxyUrl: 'http://proxy.internal:3128',
          },
          signingSecret: null,
        },
      ],
      emailConfigs: [],
      wechatConfigs: [],
    },
    {
      name: 'team-Y-pager',
      webhookConfigs: [],
      emailConfigs: [],
      wechatConfigs: [
        {
          apiUrl: 'https://qyapi.weixin.qq.com/cgi-bin/',
          corpId: 'ww0123456789',
          apiSecret: 's3cret',
          agentId: '1000002',
          toUser: '@all',
          toParty: '2',
          toTag: '',
          message: null,
          messageType: 'text',
          sendResolved: false,
        },
      ],
    },
    { name: 'team-DB-pager', webhookConfigs: [], emailConfigs: [], wechatConfigs: [] },
    { name: 'on-call', webhookConfigs: [], emailConfigs: [], wechatConfigs: [] },
  ]);

  const none = { times: [], weekdays: [], daysOfMonth: [], months: [], years: [] };
  assert.deepEqual(c.timeIntervals, {
    offhours: [
      {
        ...none,
        times: [
          { startMinute: 0, endMinute: 9 * 60 },
          { startMinute: 18 * 60, endMinute: 24 * 60 },
        ],
        weekdays: [{ start: 1, end: 5 }],
        location: 'Asia/Shanghai',
      },
      {
        ...none,
        weekdays: [
          { start: 6, end: 6 },
          { start: 0, end: 0 },
        ],
        location: 'Asia/Shanghai',
      },
    ],
    'first-days': [
      {
        ...none,
        daysOfMonth: [
          { start: 1, end: 5 },
          { start: -1, end: -1 },
        ],
        months: [
          { start: 1, end: 3 },
          { start: 12, end: 12 },
        ],
        years: [{ start: 2026, end: 2027 }],
        location: 'UTC',
      },
    ],
  });
});

test('children inherit receiver, grouping, timing and the Watchpost additions; not continue, matchers or intervals', () => {
  const c = configOf(
    lines(
      'route:',
      '  receiver: ops',
      '  group_by: [alertname]',
      '  group_wait: 10s',
      '  repeat_interval: 1h',
      '  flapping: { threshold: 6 }',
      '  storm: { max_alerts_listed: 5 }',
      '  routes:',
      '    - matchers: [severity="P3"]',
      '      group_interval: 1h',
      '      flapping: { window: 30m }',
      '      mute_time_intervals: [nights]',
      '      continue: true',
      '      routes:',
      '        - matchers: [team=db]',
      '          receiver: dba',
      '          group_by: []',
      '          storm: { max_alerts_listed: 50 }',
      'receivers: [{ name: ops }, { name: dba }]',
      "time_intervals: [{ name: nights, time_intervals: [{ times: [{ start_time: '00:00', end_time: '06:00' }] }] }]",
    ),
  );
  const [p3] = c.route.routes;
  const [db] = p3?.routes ?? [];
  assert.deepEqual(
    { ...p3, routes: undefined },
    {
      ...node({
        id: '0.0',
        receiver: 'ops',
        groupBy: ['alertname'],
        groupWaitMs: 10 * S,
        groupIntervalMs: H,
        repeatIntervalMs: H,
        continue: true,
        matchers: [{ name: 'severity', type: '=', value: 'P3' }],
        muteTimeIntervals: ['nights'],
        flapping: { threshold: 6, windowMs: 30 * M },
        storm: { maxAlertsListed: 5 },
      }),
      routes: undefined,
    },
  );
  assert.deepEqual(
    db,
    node({
      id: '0.0.0',
      receiver: 'dba',
      groupBy: [],
      groupWaitMs: 10 * S,
      groupIntervalMs: H,
      repeatIntervalMs: H,
      matchers: [{ name: 'team', type: '=', value: 'db' }],
      flapping: { threshold: 6, windowMs: 30 * M },
      storm: { maxAlertsListed: 50 },
    }),
  );
  assert.equal(c.route.groupIntervalMs, 5 * M, 'the root falls back to the defaults');
});

test('every semantic problem is listed once, with its path', () => {
  assert.deepEqual(
    problemsOf(
      lines(
        'route:',
        '  group_by: [alertname, "...", cluster, cluster]',
        '  continue: true',
        '  match: { severity: P0 }',
        '  routes:',
        '    - receiver: pager',
        '    - receiver: ops-webhok',
        "      matchers: ['service=~\"api(\"', 'a=b c']",
        '      match_re: { team: "(a|b" }',
        '      group_wait: 0s',
        '      group_interval: 0s',
        '      repeat_interval: 1.5h',
        '      mute_time_intervals: [offhours]',
        '      routes:',
        '        - { receiver: default, active_time_intervals: [weekend], flapping: { window: 0s } }',
        'receivers:',
        '  - name: default',
        '  - name: ops-webhook',
        '    webhook_configs:',
        '      - url: ftp://example.org/x',
        '        http_config: { bearer_token: x, basic_auth: { username: u } }',
        '  - name: default',
        'inhibit_rules:',
        '  - source_matchers: [\'{alertname="DbDown"\']',
        '    target_match_re: { alertname: "API(?=Errors)" }',
        "    equal: ['service']",
        'time_intervals:',
        '  - name: nights',
        '    time_intervals:',
        "      - times: [{ start_time: '22:00', end_time: '06:00' }, { start_time: '7:00', end_time: '08:00' }]",
        "        weekdays: ['friday:monday']",
        "        days_of_month: ['-1:1', 0]",
        '        months: [13]',
        "        years: ['2027:2026']",
        '        location: Mars/Olympus_Mons',
        'mute_time_intervals:',
        '  - name: nights',
      ),
    ),
    [
      {
        path: 'route.receiver',
        message: 'required: the root route needs a receiver for alerts no child route takes',
      },
      {
        path: 'route.group_by',
        message: 'cannot mix "..." with label names: use ["..."] alone to group by all labels',
      },
      { path: 'route.group_by[3]', message: 'duplicate label "cluster"' },
      { path: 'route.continue', message: 'the root route cannot have continue' },
      {
        path: 'route.match',
        message: 'the root route takes every alert and cannot have matchers; put them on a child route',
      },
      {
        path: 'route.routes[0].receiver',
        message: 'unknown receiver "pager"; defined: default, ops-webhook',
      },
      {
        path: 'route.routes[1].receiver',
        message: 'unknown receiver "ops-webhok"; defined: default, ops-webhook; did you mean "ops-webhook"?',
      },
      {
        path: 'route.routes[1].matchers[0]',
        message:
          'invalid matcher "service=~\\"api(\\"": column 10: service=~"api(": invalid regular expression: missing closing ): `api(`',
      },
      {
        path: 'route.routes[1].matchers[1]',
        message:
          'invalid matcher "a=b c": column 5: expected , or the end after a matcher, found "c"; quote values that contain spaces: name="a b"',
      },
      {
        path: 'route.routes[1].match_re.team',
        message: 'team=~"(a|b": invalid regular expression: missing closing ): `(a|b`',
      },
      { path: 'route.routes[1].group_interval', message: 'must be longer than 0' },
      {
        path: 'route.routes[1].repeat_interval',
        message:
          'invalid duration "1.5h": fractions are not allowed; combine units instead, e.g. 1h30m rather than 1.5h',
      },
      {
        path: 'route.routes[1].mute_time_intervals[0]',
        message: 'unknown time interval "offhours"; defined: nights',
      },
      { path: 'route.routes[1].routes[0].flapping.window', message: 'must be longer than 0' },
      {
        path: 'route.routes[1].routes[0].active_time_intervals[0]',
        message: 'unknown time interval "weekend"; defined: nights',
      },
      { path: 'receivers[1].webhook_configs[0].url', message: 'must be an http(s) URL' },
      {
        path: 'receivers[1].webhook_configs[0].http_config',
        message: 'set bearer_token or basic_auth, not both',
      },
      { path: 'receivers[2].name', message: 'duplicate receiver name "default" (also at receivers[0])' },
      {
        path: 'inhibit_rules[0].source_matchers[0]',
        message:
          'invalid matcher "{alertname=\\"DbDown\\"": column 20: expected } to close the { at column 1',
      },
      {
        path: 'inhibit_rules[0].target_match_re.alertname',
        message:
          'alertname=~"API(?=Errors)": invalid regular expression: invalid or unsupported Perl syntax: `(?=` (RE2 syntax: no lookaround or backreferences)',
      },
      {
        path: 'time_intervals[0].time_intervals[0].times[0]',
        message:
          'start_time 22:00 must be before end_time 06:00; to span midnight use two ranges (…–24:00 and 00:00–…)',
      },
      {
        path: 'time_intervals[0].time_intervals[0].times[1].start_time',
        message: 'invalid time "7:00": write HH:MM from 00:00 to 24:00, e.g. 09:30',
      },
      {
        path: 'time_intervals[0].time_intervals[0].weekdays[0]',
        message:
          'weekday range "friday:monday" runs backwards: weeks start on sunday, so write e.g. ["saturday", "sunday"]',
      },
      {
        path: 'time_intervals[0].time_intervals[0].days_of_month[0]',
        message: 'day range "-1:1": a negative start needs a negative end',
      },
      {
        path: 'time_intervals[0].time_intervals[0].days_of_month[1]',
        message: '0 is not a day of the month: use 1…31 or -31…-1',
      },
      {
        path: 'time_intervals[0].time_intervals[0].months[0]',
        message: '"13" is not a month: use january … december or 1 … 12',
      },
      {
        path: 'time_intervals[0].time_intervals[0].years[0]',
        message: 'year range "2027:2026" ends before it starts',
      },
      {
        path: 'time_intervals[0].time_intervals[0].location',
        message: 'unknown time zone "Mars/Olympus_Mons": use an IANA name such as Asia/Shanghai or UTC',
      },
      {
        path: 'mute_time_intervals[0].name',
        message: 'duplicate time interval name "nights" (also at time_intervals[0])',
      },
    ],
  );
});

test('Alertmanager keys Watchpost does not support yet are named as such, not as typos', () => {
  assert.deepEqual(
    problemsOf(
      lines(
        'global: { resolve_timeout: 5m }',
        "templates: ['/etc/alertmanager/*.tmpl']",
        'route: { receiver: r }',
        'receivers:',
        '  - name: r',
        '    discord_configs: [{ webhook_url: "https://discord.example/x" }]',
        '    webhook_configs:',
        '      - url_file: /run/secrets/url',
        '        http_config: { oauth2: {}, tls_config: { ca_file: /ca.pem }, basic_auth: { username: u, password_file: /pw } }',
        '        send_resolve: true',
        '    email_configs: [{ to: a@b.c, from: c@d.e, smarthost: "smtp.example.org", hello: x }]',
      ),
    ),
    [
      { path: 'global', message: 'not supported yet: give each receiver its own SMTP and WeChat settings' },
      { path: 'templates', message: 'not supported yet' },
      {
        path: 'receivers[0].discord_configs',
        message: `not supported yet: Watchpost delivers ${DELIVERED_KINDS}`,
      },
      { path: 'receivers[0].webhook_configs[0].url', message: 'required' },
      { path: 'receivers[0].webhook_configs[0].url_file', message: 'not supported: use url' },
      { path: 'receivers[0].webhook_configs[0].http_config.oauth2', message: 'not supported yet' },
      {
        path: 'receivers[0].webhook_configs[0].http_config.basic_auth.password_file',
        message: 'not supported yet',
      },
      {
        path: 'receivers[0].webhook_configs[0].http_config.tls_config.ca_file',
        message: 'not supported yet',
      },
      {
        path: 'receivers[0].webhook_configs[0].send_resolve',
        message: 'unknown key "send_resolve"; did you mean "send_resolved"?',
      },
      { path: 'receivers[0].email_configs[0].hello', message: 'not supported yet' },
      {
        path: 'receivers[0].email_configs[0].smarthost',
        message: 'must be host:port, e.g. smtp.example.com:587',
      },
    ],
  );
});

test('route and receivers go together; without both the defaults apply', () => {
  assert.deepEqual(problemsOf('receivers: [{ name: ops }]\n'), [
    {
      path: 'route',
      message:
        'required when receivers are defined: add a root route naming the receiver for alerts no child route takes',
    },
  ]);
  assert.deepEqual(problemsOf('route: { receiver: default }\n'), [
    { path: 'route.receiver', message: 'unknown receiver "default"; no receivers are defined' },
  ]);
  const c = configOf('inhibit_rules: []\n');
  assert.equal(c.route.receiver, 'default');
  assert.deepEqual(c.route.groupBy, ['alertname']);
  assert.deepEqual(c.receivers, [
    {
      name: 'default',
      webhookConfigs: [],
      emailConfigs: [],
      wechatConfigs: [],
      channels: [],
      policy: 'all',
      fallbackAfter: 2,
      language: 'zh-CN',
      templates: {},
    },
  ]);
});

test('a route tree of any depth is checked for unknown keys at every level', () => {
  const deep = lines(
    'route:',
    '  receiver: r',
    '  routes:',
    '    - routes:',
    '        - routes:',
    '            - routes:',
    '                - { recevier: r }',
    'receivers: [{ name: r }]',
  );
  assert.deepEqual(problemsOf(deep), [
    {
      path: 'route.routes[0].routes[0].routes[0].routes[0].recevier',
      message: 'unknown key "recevier"; did you mean "receiver"?',
    },
  ]);
  const c = configOf(
    deep.replace('recevier', 'receiver').replace('- { receiver: r }', '- { receiver: r, routes: }'),
  );
  assert.equal(c.route.routes[0]?.routes[0]?.routes[0]?.routes[0]?.id, '0.0.0.0.0');
});

test('examples/watchpost.yml routes by severity', async () => {
  const { readFileSync } = await import('node:fs');
  const example = new URL('../../examples/watchpost.yml', import.meta.url);
  const c = configOf(readFileSync(example, 'utf8'));
  assert.deepEqual(
    c.route.routes.map((r) => [r.id, r.receiver, r.continue, r.groupIntervalMs, r.muteTimeIntervals]),
    [
      ['0.0', 'ops-pager', true, 5 * M, []],
      ['0.1', 'ops-chat', false, 5 * M, []],
      ['0.2', 'digest', false, 6 * H, ['nights']],
    ],
  );
  assert.deepEqual(c.inhibitRules[0]?.equal, ['service']);
  assert.equal(c.timeIntervals.nights?.[0]?.location, 'Asia/Kuala_Lumpur');
});

test('numbers and booleans in match maps are label values, as Alertmanager reads them', () => {
  const r = validateConfigText(
    `
route:
  receiver: a
  routes:
    - receiver: a
      match: { http_code: 503, canary: true }
receivers: [{ name: a }]
`,
    '/tmp/watchpost.yml',
  );
  assert.ok(r.ok, JSON.stringify(!r.ok && r.problems));
  assert.deepEqual(r.config.route.routes[0]?.matchers, [
    { name: 'canary', type: '=', value: 'true' },
    { name: 'http_code', type: '=', value: '503' },
  ]);
});
