// `watchpost import alertmanager` as an operator runs it: the built binary on a realistic
// alertmanager.yml, its report, its exit codes, the file it writes, and — when Debian's amtool is
// installed — Alertmanager's own routing of the input compared with the routing of the output (the
// output uses only Alertmanager's syntax, so amtool reads it too). amtool is optional unless
// WATCHPOST_REQUIRE_AMTOOL=1, as in amtool.e2e.test.ts.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runCli } from '../support/server.js';

const TIMEOUT = { timeout: 60_000 };
const FIXTURE = 'test/fixtures/alertmanager-full.yml';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'watchpost-import-'));
  dirs.push(d);
  return d;
}

test(
  'import prints a configuration that loads, and reports what it did not map with file:line',
  TIMEOUT,
  async () => {
    const r = await runCli(['import', 'alertmanager', FIXTURE]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^# Watchpost configuration imported from test\/fixtures\/alertmanager-full\.yml/);
    assert.match(
      r.stderr,
      /^test\/fixtures\/alertmanager-full\.yml:136: not mapped: receivers\[3\]\.discord_configs: 1 discord integration of receiver "ops-chat" not mapped yet: Watchpost does not deliver it/m,
    );
    assert.match(
      r.stderr,
      /alertmanager-full\.yml:33: converted: route\.routes\[0\]\.match_re: converted to matchers/,
    );
    assert.match(r.stderr, /9 receivers, 10 routes, 3 inhibit rules, 2 time intervals; 12 not mapped/);

    const out = join(tempDir(), 'watchpost.yml');
    writeFileSync(out, r.stdout);
    const v = await runCli(['config', 'validate', out]);
    assert.equal(v.code, 0, v.stderr);
    assert.match(v.stdout, /: ok /);
  },
);

test(
  '--output writes a private file once; --force overwrites; --strict writes nothing and exits 8',
  TIMEOUT,
  async () => {
    const dir = tempDir();
    const out = join(dir, 'watchpost.yml');
    const first = await runCli(['import', 'alertmanager', FIXTURE, '-o', out]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout, '');
    assert.match(first.stderr, new RegExp(`wrote ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.equal(statSync(out).mode & 0o777, 0o600, 'receivers hold secrets: owner only');
    const written = readFileSync(out, 'utf8');
    assert.match(written, /name: ops-chat/);

    writeFileSync(out, 'mine\n');
    const again = await runCli(['import', 'alertmanager', FIXTURE, '-o', out]);
    assert.equal(again.code, 4, again.stderr);
    assert.match(again.stderr, /exists: add --force to overwrite it/);
    assert.equal(readFileSync(out, 'utf8'), 'mine\n', 'left alone');

    const forced = await runCli(['import', 'alertmanager', FIXTURE, '-o', out, '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(readFileSync(out, 'utf8'), written);

    const strictOut = join(dir, 'strict.yml');
    const strict = await runCli(['import', 'alertmanager', FIXTURE, '--strict', '-o', strictOut]);
    assert.equal(strict.code, 8, strict.stderr);
    assert.match(strict.stderr, /nothing written: --strict and some parts were not mapped/);
    assert.throws(() => statSync(strictOut), /ENOENT/);

    const clean = await runCli(['import', 'alertmanager', 'bench/alertmanager.yml', '--strict']);
    assert.equal(clean.code, 0, clean.stderr);
    assert.match(clean.stderr, /everything mapped/);
    assert.match(clean.stdout, /url: http:\/\/127\.0\.0\.1:19094\//);
  },
);

test('--inline-secret-files reads secrets relative to the Alertmanager file', TIMEOUT, async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'pager.pw'), 's3cret\n');
  writeFileSync(
    join(dir, 'alertmanager.yml'),
    [
      'route: { receiver: pager }',
      'receivers:',
      '  - name: pager',
      '    webhook_configs:',
      '      - url: https://pager.example.com/hook',
      '        http_config: { basic_auth: { username: am, password_file: pager.pw } }',
      '',
    ].join('\n'),
  );
  const reported = await runCli(['import', 'alertmanager', 'alertmanager.yml'], { cwd: dir });
  assert.equal(reported.code, 0, reported.stderr);
  assert.doesNotMatch(reported.stdout, /s3cret/);
  assert.match(reported.stderr, /alertmanager\.yml:6: not mapped: .*password_file: .*--inline-secret-files/);

  const inlined = await runCli(
    ['import', 'alertmanager', 'alertmanager.yml', '--inline-secret-files', '--strict'],
    {
      cwd: dir,
    },
  );
  assert.equal(inlined.code, 0, inlined.stderr);
  assert.match(inlined.stdout, /password: s3cret\n/);
});

test(
  'bad input: a missing file exits 3, invalid YAML and non-Alertmanager files exit 2 naming the line',
  TIMEOUT,
  async () => {
    const dir = tempDir();
    const missing = await runCli(['import', 'alertmanager', join(dir, 'nope.yml')]);
    assert.equal(missing.code, 3);
    assert.match(missing.stderr, /cannot read .*nope\.yml: no such file/);

    const broken = join(dir, 'broken.yml');
    writeFileSync(broken, 'route:\n  receiver: a\n  routes: [\nreceivers: []\n');
    const b = await runCli(['import', 'alertmanager', broken]);
    assert.equal(b.code, 2);
    assert.equal(b.stdout, '');
    assert.match(b.stderr, /not imported: 1 problem\n {2}line \d+, column \d+: YAML syntax error/);

    const prom = join(dir, 'prometheus.yml');
    writeFileSync(prom, 'global:\n  scrape_interval: 15s\nscrape_configs: []\n');
    const p = await runCli(['import', 'alertmanager', prom]);
    assert.equal(p.code, 2);
    assert.match(
      p.stderr,
      /scrape_configs: this is a Prometheus configuration, not an Alertmanager one \(line 3\)/,
    );

    // Alertmanager would refuse this too; the result would not load, so nothing is written.
    const badDuration = join(dir, 'bad-duration.yml');
    writeFileSync(badDuration, 'route:\n  receiver: a\n  group_wait: soon\nreceivers: [{ name: a }]\n');
    const d = await runCli(['import', 'alertmanager', badDuration]);
    assert.equal(d.code, 2);
    assert.equal(d.stdout, '');
    assert.match(d.stderr, /Watchpost cannot load the result \(nothing written\)/);
    assert.match(d.stderr, /route\.group_wait: .*\(line 3\)/);
  },
);

const AMTOOL = 'amtool';
const REQUIRE = process.env.WATCHPOST_REQUIRE_AMTOOL === '1';
const found = spawnSync(AMTOOL, ['--version'], { encoding: 'utf8' });
const amtoolMissing = found.error || found.status !== 0 ? 'amtool not found on PATH' : null;

test(
  'amtool accepts the output and routes every alert to the same receivers as the input',
  {
    skip:
      amtoolMissing && !REQUIRE ? `${amtoolMissing}; set WATCHPOST_REQUIRE_AMTOOL=1 to fail instead` : false,
    timeout: 120_000,
  },
  async () => {
    if (amtoolMissing) assert.fail(`WATCHPOST_REQUIRE_AMTOOL=1 but ${amtoolMissing}`);
    const out = join(tempDir(), 'watchpost.yml');
    const r = await runCli(['import', 'alertmanager', FIXTURE, '-o', out]);
    assert.equal(r.code, 0, r.stderr);
    const amtool = (...args: string[]): string =>
      execFileSync(AMTOOL, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
    assert.match(amtool('check-config', out), /SUCCESS/);
    const labelSets = [
      'service=mysql severity=critical',
      'service=redis',
      'team=orders platform=shopee',
      'team=orders platform=amazon',
      'service=api code=503',
      'service=api-gateway code=500',
      'http_code=503 env=production',
      'severity=warning env=prod',
      'severity=warning env=dev',
      'alertname=Watchdog severity=info',
    ];
    for (const labels of labelSets) {
      const test = (file: string) =>
        amtool('config', 'routes', 'test', `--config.file=${file}`, ...labels.split(' '));
      assert.equal(test(out), test(join(ROOT, FIXTURE)), `receivers for ${labels}`);
    }
  },
);
