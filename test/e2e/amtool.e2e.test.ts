// The real amtool (Debian's prometheus-alertmanager package) against the built binary: silences and
// alerts as Alertmanager's own command-line client reads and writes them. amtool authenticates with
// an API token through its --http.config.file. Skipped with a message when amtool is not installed,
// unless WATCHPOST_REQUIRE_AMTOOL=1 (CI), where its absence fails the run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startServer } from '../support/server.js';

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

test(
  'amtool adds, queries and expires silences, and adds and queries alerts',
  {
    skip: missing && !REQUIRE ? `${missing}; set WATCHPOST_REQUIRE_AMTOOL=1 to fail instead` : false,
    timeout: 120_000,
  },
  async () => {
    if (missing) assert.fail(`WATCHPOST_REQUIRE_AMTOOL=1 but ${missing}`);
    const dataDir = mkdtempSync(join(tmpdir(), 'watchpost-amtool-'));
    try {
      const made = await runCli(
        ['user', 'create', '--admin', '-u', 'root', '--password-stdin', '--data-dir', dataDir],
        { input: 'root password 1\n' },
      );
      assert.equal(made.code, 0, made.stderr);
      const tok = await runCli([
        'token',
        'create',
        '--scope',
        'read,write,ingest',
        '--name',
        'amtool',
        '--data-dir',
        dataDir,
      ]);
      assert.equal(tok.code, 0, tok.stderr);
      const httpConfig = join(dataDir, 'amtool-http.yml');
      writeFileSync(httpConfig, `authorization:\n  credentials: ${tok.stdout.trim()}\n`);

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
  },
);
