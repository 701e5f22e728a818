// The real amtool (Debian's prometheus-alertmanager package) against the built binary: silences and
// alerts as Alertmanager's own command-line client reads and writes them. amtool authenticates with
// an API token through its --http.config.file. Skipped with a message when amtool is not installed,
// unless WATCHPOST_REQUIRE_AMTOOL=1 (CI), where its absence fails the run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliAdminToken, runCli, startServer } from '../support/server.js';

const AMTOOL = 'amtool';
const REQUIRE = process.env.WATCHPOST_REQUIRE_AMTOOL === '1';
const found = spawnSync(AMTOOL, ['--version'], { encoding: 'utf8' });
const missing =
  found.error || found.status !== 0
    ? 'amtool not found on PATH (install the prometheus-alertmanager package)'
    : null;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Skipped with the reason when amtool is missing, unless WATCHPOST_REQUIRE_AMTOOL=1 makes it fail. */
const AMTOOL_TEST = {
  skip: missing && !REQUIRE ? `${missing}; set WATCHPOST_REQUIRE_AMTOOL=1 to fail instead` : false,
  timeout: 120_000,
};
const requireAmtool = (): void => {
  if (missing) assert.fail(`WATCHPOST_REQUIRE_AMTOOL=1 but ${missing}`);
};

test('amtool adds, queries and expires silences, and adds and queries alerts', AMTOOL_TEST, async () => {
  requireAmtool();
  const dataDir = mkdtempSync(join(tmpdir(), 'watchpost-amtool-'));
  try {
    const token = await cliAdminToken(dataDir, 'read,respond,ingest', 'amtool');
    const httpConfig = join(dataDir, 'amtool-http.yml');
    writeFileSync(httpConfig, `authorization:\n  credentials: ${token}\n`);

    const srv = await startServer({ dataDir });
    const amtool = (...args: string[]): Promise<Run> =>
      new Promise((resolve) => {
        execFile(
          AMTOOL,
          [`--alertmanager.url=${srv.url}`, `--http.config.file=${httpConfig}`, ...args],
          { timeout: 30_000, env: { PATH: process.env.PATH ?? '', HOME: dataDir } },
          (err, stdout, stderr) =>
            resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
      });
    const ok = async (...args: string[]): Promise<string> => {
      const r = await amtool(...args);
      assert.equal(r.code, 0, `amtool ${args.join(' ')} failed:\n${r.stderr}\n${r.stdout}`);
      return r.stdout;
    };
    const json = async (...args: string[]) => JSON.parse(await ok(...args, '-o', 'json')) as any[];

    try {
      // Silences
      const id = (
        await ok('silence', 'add', 'alertname=Foo', '--comment=x', '--author=y', '--duration=1h')
      ).trim();
      assert.match(id, /^[0-9a-f-]{36}$/);
      const [s, ...more] = await json('silence', 'query');
      assert.equal(more.length, 0);
      assert.equal(s.id, id);
      assert.equal(s.status.state, 'active');
      assert.equal(s.createdBy, 'y');
      assert.equal(s.comment, 'x');
      assert.deepEqual(s.matchers, [{ name: 'alertname', value: 'Foo', isRegex: false, isEqual: true }]);
      const hour = Date.parse(s.endsAt) - Date.parse(s.startsAt);
      assert.ok(Math.abs(hour - 3_600_000) < 5_000, `lasts an hour, not ${hour} ms`);
      assert.deepEqual(
        (await json('silence', 'query', 'alertname=Foo')).map((x) => x.id),
        [id],
      );
      assert.deepEqual(await json('silence', 'query', 'alertname=Other'), []);

      // `silence update` re-posts it with its id: the same silence, now longer. (amtool 0.25
      // prints a pointer instead of the id with --quiet, so its output is not checked.)
      await ok('silence', 'update', id, '--duration=2h');
      const [longer] = await json('silence', 'query');
      assert.equal(longer.id, id);
      assert.equal(Date.parse(longer.endsAt) - Date.parse(longer.startsAt), 2 * 3_600_000);

      await ok('silence', 'expire', id);
      assert.deepEqual(await json('silence', 'query'), [], 'an expired silence is no longer listed');
      const expired = await json('silence', 'query', '--expired');
      assert.deepEqual(
        expired.map((x) => [x.id, x.status.state]),
        [[id, 'expired']],
      );

      // Alerts: amtool leaves startsAt and endsAt at Go's zero time, which means "now" and
      // "now + resolve_timeout".
      await ok('alert', 'add', 'alertname=Bar', 'service=erp', '--annotation=summary=ERP is slow');
      const [bar, ...others] = await json('alert', 'query');
      assert.equal(others.length, 0);
      assert.deepEqual(bar.labels, { alertname: 'Bar', service: 'erp' });
      assert.equal(bar.annotations.summary, 'ERP is slow');
      assert.equal(bar.status.state, 'active');
      assert.ok(Math.abs(Date.parse(bar.startsAt) - Date.now()) < 60_000, `startsAt ${bar.startsAt}`);
      assert.ok(Date.parse(bar.endsAt) > Date.now(), `endsAt ${bar.endsAt} is in the future`);
      assert.match(bar.fingerprint, /^[0-9a-f]{16}$/);

      // A silenced alert is hidden from the default query, and shown with --silenced.
      const mute = (await ok('silence', 'add', 'service=erp', '--comment=deploy', '--author=y')).trim();
      assert.deepEqual(await json('alert', 'query'), []);
      const silenced = await json('alert', 'query', '--silenced');
      assert.deepEqual(
        silenced.map((a) => [a.labels.alertname, a.status.state, a.status.silencedBy]),
        [['Bar', 'suppressed', [mute]]],
      );
      await ok('silence', 'expire', mute);
      assert.deepEqual(
        (await json('alert', 'query')).map((a) => a.labels.alertname),
        ['Bar'],
      );
    } finally {
      await srv.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

const WATCHPOST_YML = `
route:
  receiver: ops
  group_by: [alertname, service]
  group_wait: 5s
  routes:
    - matchers: ['severity="P0"']
      receiver: pager
      continue: true
      mute_time_intervals: [nights]
    - match: {service: erp}
      receiver: erp-team
      group_by: ['...']
      flapping: {threshold: 3}
receivers:
  - name: ops
    webhook_configs:
      - url: https://hooks.example.com/ops
        http_config: {bearer_token: ops-token-do-not-leak}
  - name: pager
    email_configs:
      - to: oncall@example.com
        from: watchpost@example.com
        smarthost: smtp.example.com:587
        auth_username: mailer
        auth_password: smtp-password-do-not-leak
  - name: erp-team
    wechat_configs:
      - corp_id: corp
        api_secret: wechat-secret-do-not-leak
        agent_id: '1000002'
inhibit_rules:
  - source_matchers: ['severity="P0"']
    target_matchers: ['severity="P2"']
    equal: [service]
time_intervals:
  - name: nights
    time_intervals:
      - times: [{start_time: '00:00', end_time: '06:00'}]
        weekdays: ['monday:friday']
        location: Asia/Shanghai
`;

const LEAKS = ['ops-token-do-not-leak', 'smtp-password-do-not-leak', 'wechat-secret-do-not-leak'];

/** Runs amtool with `args`; never rejects. */
const runAmtool = (args: string[], home: string): Promise<Run> =>
  new Promise((resolve) => {
    execFile(
      AMTOOL,
      args,
      { timeout: 30_000, env: { PATH: process.env.PATH ?? '', HOME: home } },
      (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });

test(
  'amtool check-config accepts the exported configuration, and config show / config routes read a running Watchpost',
  AMTOOL_TEST,
  async () => {
    requireAmtool();
    const dataDir = mkdtempSync(join(tmpdir(), 'watchpost-amtool-config-'));
    try {
      const configFile = join(dataDir, 'watchpost.yml');
      writeFileSync(configFile, WATCHPOST_YML);

      // The export with credentials is what to deploy to an Alertmanager: amtool accepts it.
      const exported = join(dataDir, 'alertmanager.yml');
      const ex = await runCli([
        'config',
        'export',
        '--format',
        'alertmanager',
        '-c',
        configFile,
        '-o',
        exported,
      ]);
      assert.equal(ex.code, 0, ex.stderr);
      assert.equal(statSync(exported).mode & 0o777, 0o600, 'credentials are readable by the owner only');
      const text = readFileSync(exported, 'utf8');
      for (const s of LEAKS) assert.ok(text.includes(s), `${s} is in the export to deploy`);
      assert.ok(!text.includes('flapping'), 'Watchpost-only keys are dropped');
      const check = await runAmtool(['check-config', exported], dataDir);
      assert.equal(
        check.code,
        0,
        `amtool check-config rejected the export:\n${check.stdout}${check.stderr}\n${text}`,
      );
      assert.match(check.stdout, /SUCCESS/);
      assert.match(check.stdout, /3 receivers/);
      assert.match(check.stdout, /1 inhibit rules/);

      const again = await runCli([
        'config',
        'export',
        '--format',
        'alertmanager',
        '-c',
        configFile,
        '-o',
        exported,
      ]);
      assert.equal(again.code, 4, 'an existing file is not overwritten');
      assert.match(again.stderr, /exists: add --force/);
      const forced = await runCli([
        'config',
        'export',
        '--format',
        'alertmanager',
        '-c',
        configFile,
        '-o',
        exported,
        '--force',
      ]);
      assert.equal(forced.code, 0, forced.stderr);

      // Masked, to standard output: still a configuration amtool accepts, without the credentials.
      const masked = await runCli([
        'config',
        'export',
        '--format',
        'alertmanager',
        '--mask-secrets',
        '-c',
        configFile,
      ]);
      assert.equal(masked.code, 0, masked.stderr);
      for (const s of LEAKS) assert.ok(!masked.stdout.includes(s), `${s} leaked`);
      writeFileSync(join(dataDir, 'masked.yml'), masked.stdout);
      assert.equal((await runAmtool(['check-config', join(dataDir, 'masked.yml')], dataDir)).code, 0);

      const noFormat = await runCli(['config', 'export', '-c', configFile]);
      assert.equal(noFormat.code, 2, 'the format is required');
      assert.match(noFormat.stderr, /--format/);

      // A running Watchpost, read by amtool with a read-only token.
      const token = await cliAdminToken(dataDir, 'read', 'amtool');
      const httpConfig = join(dataDir, 'amtool-http.yml');
      writeFileSync(httpConfig, `authorization:\n  credentials: ${token}\n`);
      const srv = await startServer({ dataDir, args: ['--config', configFile] });
      const amtool = async (...args: string[]): Promise<string> => {
        const r = await runAmtool(
          [`--alertmanager.url=${srv.url}`, `--http.config.file=${httpConfig}`, ...args],
          dataDir,
        );
        assert.equal(r.code, 0, `amtool ${args.join(' ')} failed:\n${r.stderr}\n${r.stdout}`);
        return r.stdout;
      };
      try {
        const shown = await amtool('config', 'show');
        for (const s of LEAKS) assert.ok(!shown.includes(s), `config show leaked ${s}`);
        assert.match(shown, /bearer_token: <secret>/);
        assert.match(shown, /receiver: erp-team/);

        assert.equal(
          (await amtool('config', 'routes')).trim(),
          [
            'Routing tree:',
            '.',
            '└── default-route  receiver: ops',
            '    ├── {severity="P0"}  continue: true  receiver: pager',
            '    └── {service="erp"}  receiver: erp-team',
          ].join('\n'),
        );
        assert.equal(
          (await amtool('config', 'routes', 'test', 'severity=P0', 'service=erp')).trim(),
          'pager,erp-team',
        );
        assert.equal((await amtool('config', 'routes', 'test', 'service=oms')).trim(), 'ops');
        assert.match(await amtool('cluster', 'show'), /Cluster Status:\s+disabled/);
      } finally {
        await srv.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
);
