import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DomainError } from '../kernel/errors.js';
import { isDomainError } from '../kernel/errors.js';
import { loadConfig, validateConfigText } from './load.js';
import type { Config } from './model.js';

const root = mkdtempSync(path.join(tmpdir(), 'watchpost-config-'));
after(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
/** A fresh folder holding `watchpost.yml` with `text`; returns the folder and the file's path. */
function configFile(text: string, name = 'watchpost.yml'): { dir: string; file: string } {
  n += 1;
  const dir = path.join(root, `case-${n}`);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return { dir, file };
}

/** The DomainError loadConfig throws for these options. */
function loadError(opts: Parameters<typeof loadConfig>[0]): DomainError {
  try {
    loadConfig(opts);
  } catch (e) {
    if (isDomainError(e)) return e;
    throw e;
  }
  assert.fail('expected loadConfig to throw');
}

/** What a file without route, receivers, inhibit_rules or time intervals gets. */
const DEFAULT_ALERTING: Pick<Config, 'route' | 'receivers' | 'inhibitRules' | 'timeIntervals'> = {
  route: {
    id: '0',
    receiver: 'default',
    groupBy: ['alertname'],
    groupWaitMs: 30_000,
    groupIntervalMs: 5 * 60_000,
    repeatIntervalMs: 4 * 3600_000,
    continue: false,
    matchers: [],
    muteTimeIntervals: [],
    activeTimeIntervals: [],
    flapping: { threshold: 4, windowMs: 3600_000 },
    storm: { maxAlertsListed: 20 },
    routes: [],
  },
  receivers: [
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
  ],
  inhibitRules: [],
  timeIntervals: {},
};

const problemsOf = (text: string) => {
  const r = validateConfigText(text, 'watchpost.yml');
  assert.ok(!r.ok, 'expected the text to be rejected');
  return r.problems.map(({ path: p, message }) => ({ path: p, message }));
};

test('a file with four different mistakes reports all four, each with its path and line', () => {
  const { file, dir } = configFile(
    [
      'server:',
      '  prot: 8080', // 2: typo
      'teams:',
      '  - name: ops',
      '    members:',
      '      - { user: alice, role: boss }', // 6: no such role
      'services:',
      '  - name: erp',
      '  - name: oms',
      '  - name: wms',
      '    runbook_url: wiki.example.com/wms', // 11: not a URL
      '  - name: erp', // 12: duplicate
      '',
    ].join('\n'),
  );
  const e = loadError({ file, env: {}, cwd: dir });
  assert.equal(e.code, 'invalid');
  assert.deepEqual(e.details, [
    { path: 'server.prot', message: 'unknown key "prot"; did you mean "port"?' },
    { path: 'teams[0].members[0].role', message: 'must be one of viewer, responder, editor, admin' },
    { path: 'services[2].runbook_url', message: 'must be an http(s) URL' },
    { path: 'services[3].name', message: 'duplicate name "erp" (also at services[0])' },
  ]);
  assert.equal(
    e.message,
    [
      `${file}: 4 problems`,
      '  server.prot: unknown key "prot"; did you mean "port"? (line 2)',
      '  teams[0].members[0].role: must be one of viewer, responder, editor, admin (line 6)',
      '  services[2].runbook_url: must be an http(s) URL (line 11)',
      '  services[3].name: duplicate name "erp" (also at services[0]) (line 12)',
    ].join('\n'),
  );
});

test('no file means defaults', () => {
  const cwd = path.join(root, 'no-file');
  const { config, secretKey, warnings } = loadConfig({ env: {}, cwd });
  const expected: Config = {
    server: {
      host: '0.0.0.0',
      port: 9797,
      externalUrl: 'http://localhost:9797',
      bodyLimit: 1024 * 1024,
      trustProxy: false,
      secureCookies: 'auto',
      timeZone: new Intl.DateTimeFormat().resolvedOptions().timeZone,
    },
    storage: { dataDir: path.join(cwd, 'data'), databaseUrl: null },
    auth: { sessionTtlMs: 7 * 24 * 3600_000, loginRateLimit: { max: 10, windowMs: 60_000 }, anonymous: [] },
    log: { level: 'info' },
    teams: [],
    services: [],
    ...DEFAULT_ALERTING,
    inputs: { webhooks: [] },
    maintenanceWindows: [],
    source: { path: null },
  };
  assert.deepEqual(config, expected);
  assert.equal(secretKey, null);
  assert.deepEqual(warnings, []);
  // An empty file, or sections left empty, mean the same.
  const empty = validateConfigText('', 'w.yml', { baseDir: cwd, cwd });
  assert.ok(empty.ok);
  assert.deepEqual({ ...empty.config, source: { path: null } }, expected);
  const blank = validateConfigText('# nothing yet\nserver:\nteams:\n', 'w.yml', { baseDir: cwd, cwd });
  assert.ok(blank.ok);
  assert.deepEqual({ ...blank.config, source: { path: null } }, expected);
});

test('precedence is flags > environment > file > defaults', () => {
  const { file, dir } = configFile(
    [
      'server: { port: 1111, host: file-host }',
      'storage: { data_dir: /srv/file-data, database_url: "postgres://file/db" }',
      'log: { level: warn }',
      'auth: { session_ttl: 12h }',
    ].join('\n'),
  );
  const env = {
    WATCHPOST_PORT: '2222',
    WATCHPOST_HOST: 'env-host',
    WATCHPOST_DATA_DIR: '/srv/env-data',
    WATCHPOST_DATABASE_URL: 'postgres://env/db',
    WATCHPOST_LOG_LEVEL: 'error',
  };
  const flags = {
    port: 3333,
    host: 'flag-host',
    dataDir: '/srv/flag-data',
    databaseUrl: 'postgresql://flag/db',
  };

  const fileOnly = loadConfig({ file, env: {}, cwd: dir }).config;
  assert.deepEqual(
    [fileOnly.server.port, fileOnly.server.host, fileOnly.storage.dataDir, fileOnly.storage.databaseUrl],
    [1111, 'file-host', '/srv/file-data', 'postgres://file/db'],
  );
  assert.equal(fileOnly.log.level, 'warn');
  assert.equal(fileOnly.auth.sessionTtlMs, 12 * 3600_000);
  assert.equal(fileOnly.server.bodyLimit, 1024 * 1024, 'what the file leaves out comes from the defaults');

  const withEnv = loadConfig({ file, env, cwd: dir }).config;
  assert.deepEqual(
    [withEnv.server.port, withEnv.server.host, withEnv.storage.dataDir, withEnv.storage.databaseUrl],
    [2222, 'env-host', '/srv/env-data', 'postgres://env/db'],
  );
  assert.equal(withEnv.log.level, 'error');

  const withFlags = loadConfig({ file, env, flags, cwd: dir }).config;
  assert.deepEqual(
    [withFlags.server.port, withFlags.server.host, withFlags.storage.dataDir, withFlags.storage.databaseUrl],
    [3333, 'flag-host', '/srv/flag-data', 'postgresql://flag/db'],
  );
  assert.equal(
    withFlags.server.externalUrl,
    'http://localhost:3333',
    'the default external URL follows the port',
  );
  assert.equal(withFlags.source.path, file);
});

test('the file comes from WATCHPOST_CONFIG when no file is given, relative to cwd', () => {
  const { dir } = configFile('server: { port: 4444 }\n', 'from-env.yml');
  const { config } = loadConfig({ env: { WATCHPOST_CONFIG: 'from-env.yml' }, cwd: dir });
  assert.equal(config.server.port, 4444);
  assert.equal(config.source.path, path.join(dir, 'from-env.yml'));
});

test('a missing file is one problem, named after where its path came from', () => {
  const cwd = path.join(root, 'missing');
  const viaFlag = loadError({ file: 'nope.yml', env: {}, cwd });
  assert.deepEqual(viaFlag.details, [
    { path: '--config', message: `cannot read ${path.join(cwd, 'nope.yml')}: no such file` },
  ]);
  assert.match(viaFlag.message, /^nope\.yml: 1 problem\n/);
  const viaEnv = loadError({ env: { WATCHPOST_CONFIG: 'nope.yml' }, cwd });
  assert.equal(viaEnv.details[0]?.path, 'WATCHPOST_CONFIG');
});

test('a relative data_dir is resolved against the file when written there, else against cwd', () => {
  const cwd = path.join(root, 'somewhere-else');
  const inFile = configFile('storage: { data_dir: ./state }\n');
  assert.equal(
    loadConfig({ file: inFile.file, env: {}, cwd }).config.storage.dataDir,
    path.join(inFile.dir, 'state'),
  );

  const notInFile = configFile('server: { port: 9797 }\n');
  assert.equal(
    loadConfig({ file: notInFile.file, env: {}, cwd }).config.storage.dataDir,
    path.join(cwd, 'data'),
  );

  const viaEnv = loadConfig({ file: inFile.file, env: { WATCHPOST_DATA_DIR: 'env-state' }, cwd });
  assert.equal(viaEnv.config.storage.dataDir, path.join(cwd, 'env-state'));
  const viaFlag = loadConfig({ file: inFile.file, env: {}, flags: { dataDir: 'flag-state' }, cwd });
  assert.equal(viaFlag.config.storage.dataDir, path.join(cwd, 'flag-state'));
});

test('a YAML syntax error names its line and column', () => {
  const { file, dir } = configFile('server:\n  port: 9797\n\thost: 127.0.0.1\n');
  const e = loadError({ file, env: {}, cwd: dir });
  assert.deepEqual(e.details, [
    { path: 'line 3, column 1', message: 'YAML syntax error: Tabs are not allowed as indentation' },
  ]);
  assert.deepEqual(problemsOf('server:\n  port: 9797\nserver:\n  host: x\n'), [
    { path: 'line 3, column 1', message: 'YAML syntax error: Map keys must be unique' },
  ]);
});

test('unknown keys are errors everywhere, with a suggestion when one is close', () => {
  assert.deepEqual(
    problemsOf(
      [
        'serverr: {}',
        'storage: { databse_url: "postgres://db/w" }',
        'auth: { login_rate_limit: { windw: 1m } }',
        'services: [{ name: erp, runbook: "https://wiki/erp", externalUrl: x }]',
        'checks: []',
      ].join('\n'),
    ),
    [
      { path: 'serverr', message: 'unknown key "serverr"; did you mean "server"?' },
      { path: 'storage.databse_url', message: 'unknown key "databse_url"; did you mean "database_url"?' },
      { path: 'auth.login_rate_limit.windw', message: 'unknown key "windw"; did you mean "window"?' },
      { path: 'services[0].runbook', message: 'unknown key "runbook"; did you mean "runbook_url"?' },
      { path: 'services[0].externalUrl', message: 'unknown key "externalUrl"' },
      { path: 'checks', message: 'unknown key "checks"' },
    ],
  );
});

test('values a schema cannot judge are checked too: durations, sizes, proxies, duplicates', () => {
  assert.deepEqual(
    problemsOf(
      [
        'server:',
        '  port: 70000',
        '  body_limit: 1zb',
        '  trust_proxy: [10.0.0.0/8, proxy.local, 10.0.0.0/33]',
        'storage: { database_url: "mysql://root@db/shop" }',
        'auth: { session_ttl: 1.5h, login_rate_limit: { max: 0, window: 0s } }',
        'teams:',
        '  - name: ops',
        '    members: [{ user: alice, role: admin }, { user: alice, role: viewer }]',
        '  - { name: Ops }',
        '  - { name: ops }',
        'services:',
        '  - { name: erp, tier: p1, labels: { platform: shopee, shop-id: "1", count: 3 } }',
        '  - { description: no name }',
      ].join('\n'),
    ),
    [
      { path: 'server.port', message: 'must be an integer 0-65535' },
      {
        path: 'server.body_limit',
        message: 'invalid size "1zb": unknown unit "zb"; use b, kb, mb, gb or tb',
      },
      {
        path: 'server.trust_proxy[1]',
        message:
          'must be an IP address, a CIDR range such as 10.0.0.0/8, or one of loopback, linklocal, uniquelocal',
      },
      {
        path: 'server.trust_proxy[2]',
        message:
          'must be an IP address, a CIDR range such as 10.0.0.0/8, or one of loopback, linklocal, uniquelocal',
      },
      { path: 'storage.database_url', message: 'must start with postgres:// or postgresql://' },
      { path: 'auth.login_rate_limit.max', message: 'must be at least 1' },
      {
        path: 'auth.session_ttl',
        message:
          'invalid duration "1.5h": fractions are not allowed; combine units instead, e.g. 1h30m rather than 1.5h',
      },
      { path: 'auth.login_rate_limit.window', message: 'must be longer than 0' },
      { path: 'teams[0].members[1].user', message: 'duplicate user "alice" (also at teams[0].members[0])' },
      {
        path: 'teams[1].name',
        message:
          'must be 1-63 lowercase letters, digits, "_" or "-", starting with a letter or digit (e.g. "order-sync")',
      },
      { path: 'teams[2].name', message: 'duplicate name "ops" (also at teams[0])' },
      { path: 'services[0].tier', message: 'must be one of P0, P1, P2, P3; did you mean "P1"?' },
      { path: 'services[0].labels.count', message: 'must be a string; put numbers and true/false in quotes' },
      {
        path: 'services[0].labels.shop-id',
        message: 'is not a valid label name: it must match ^[a-zA-Z_][a-zA-Z0-9_]*$',
      },
      { path: 'services[1].name', message: 'required' },
    ],
  );
});

test('a value of the wrong kind gets one plain sentence, not one per alternative', () => {
  assert.deepEqual(
    problemsOf(
      'server: { trust_proxy: maybe, external_url: 5, body_limit: [1] }\nteams: { ops: {} }\nservices: [erp]\n',
    ),
    [
      { path: 'server.external_url', message: 'must be an http(s) URL' },
      { path: 'server.body_limit', message: 'must be a size such as 512kb or 1mb, or a number of bytes' },
      {
        path: 'server.trust_proxy',
        message: 'must be true, false, or a list of proxy IP addresses or CIDR ranges',
      },
      { path: 'teams', message: 'must be a list' },
      { path: 'services[0]', message: 'must be a mapping (key: value lines)' },
    ],
  );
});

test('a service naming a team the file does not declare is a warning, not an error', () => {
  const r = validateConfigText(
    'teams: [{ name: ops }]\nservices:\n  - { name: erp, team: ops }\n  - { name: oms, team: finance }\n',
    'w.yml',
  );
  assert.ok(r.ok);
  assert.deepEqual(r.warnings, [
    'services[1].team: team "finance" is not declared in this file; it must already exist when the file is applied (line 4)',
  ]);
  assert.equal(r.config.services[1]?.team, 'finance');
});

test('environment, flag and file problems come together in one error', () => {
  const { file, dir } = configFile('server: { port: abc }\n');
  const e = loadError({ file, env: { WATCHPOST_LOG_LEVEL: 'loud' }, flags: { port: 99999 }, cwd: dir });
  assert.deepEqual(
    e.details.map((d) => d.path),
    ['WATCHPOST_LOG_LEVEL', '--port', 'server.port'],
  );
  assert.match(e.message, /^.*watchpost\.yml: 3 problems\n/);
});

test('the secret key is returned beside the config, never inside it', () => {
  const key = 'q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=';
  const r = loadConfig({ env: { WATCHPOST_SECRET_KEY: key }, cwd: root });
  assert.equal(r.secretKey, key);
  assert.doesNotMatch(JSON.stringify(r.config), /q83vEj/);
});

test('a full file parses to the expected Config', () => {
  const { file, dir } = configFile(
    [
      'server:',
      '  host: 127.0.0.1',
      '  port: 8080',
      '  external_url: https://watchpost.example.com/',
      '  body_limit: 512kb',
      '  trust_proxy: [127.0.0.1, "10.0.0.0/8"]',
      '  secure_cookies: always',
      'storage:',
      '  data_dir: state',
      '  database_url: postgresql://watchpost@db:5432/watchpost',
      'auth:',
      '  session_ttl: 1d12h',
      '  login_rate_limit: { max: 5, window: 30s }',
      'log: { level: debug }',
      'teams:',
      '  - name: ops',
      '    description: On call',
      '    members: [{ user: alice, role: responder }, { user: bob@example.com, role: admin }]',
      '  - name: platform',
      'services:',
      '  - name: shopee-connector',
      '    description: Orders from Shopee',
      '    team: ops',
      '    tier: P0',
      '    runbook_url: https://wiki.example.com/shopee',
      '    labels: { platform: shopee, store: "MY-1" }',
      '  - name: erp',
    ].join('\n'),
  );
  const expected: Config = {
    server: {
      host: '127.0.0.1',
      port: 8080,
      externalUrl: 'https://watchpost.example.com',
      bodyLimit: 512 * 1024,
      trustProxy: ['127.0.0.1', '10.0.0.0/8'],
      secureCookies: 'always',
      timeZone: new Intl.DateTimeFormat().resolvedOptions().timeZone,
    },
    storage: { dataDir: path.join(dir, 'state'), databaseUrl: 'postgresql://watchpost@db:5432/watchpost' },
    auth: { sessionTtlMs: 36 * 3600_000, loginRateLimit: { max: 5, windowMs: 30_000 }, anonymous: [] },
    log: { level: 'debug' },
    teams: [
      {
        name: 'ops',
        description: 'On call',
        members: [
          { user: 'alice', role: 'responder' },
          { user: 'bob@example.com', role: 'admin' },
        ],
      },
      { name: 'platform', description: '', members: [] },
    ],
    services: [
      {
        name: 'shopee-connector',
        description: 'Orders from Shopee',
        team: 'ops',
        tier: 'P0',
        runbookUrl: 'https://wiki.example.com/shopee',
        labels: { platform: 'shopee', store: 'MY-1' },
        dependsOn: [],
      },
      { name: 'erp', description: '', team: null, tier: null, runbookUrl: null, labels: {}, dependsOn: [] },
    ],
    ...DEFAULT_ALERTING,
    inputs: { webhooks: [] },
    maintenanceWindows: [],
    source: { path: file },
  };
  const r = loadConfig({ file, env: {}, cwd: root });
  assert.deepEqual(r.config, expected);
  assert.deepEqual(r.warnings, []);
});

test('examples/watchpost.yml validates', () => {
  const example = fileURLToPath(new URL('../../examples/watchpost.yml', import.meta.url));
  const r = validateConfigText(readFileSync(example, 'utf8'), example);
  assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.problems, null, 2));
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(
    r.config.services.map((s) => [s.name, s.team, s.tier]),
    [
      ['erp', 'platform', 'P1'],
      ['oms', 'ops', 'P0'],
      ['wms', 'platform', 'P1'],
      ['shopee-connector', 'ops', 'P0'],
    ],
  );
});
