// The real Prometheus (Debian's prometheus package) using the built Watchpost as its Alertmanager:
// `alerting.alertmanagers` points at Watchpost (API v2) with an ingest token, a rule that is always
// true fires, Watchpost stores the alert and notifies its webhook receiver, and when the rule stops
// firing Prometheus' resolved alert resolves it. Skipped with a message when /usr/bin/prometheus is
// not installed, unless WATCHPOST_REQUIRE_PROMETHEUS=1 (CI), where its absence fails the run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliAdminToken, startServer } from '../support/server.js';
import { startFakeWebhook } from '../support/fake-webhook.js';

const PROMETHEUS = '/usr/bin/prometheus';
const REQUIRE = process.env.WATCHPOST_REQUIRE_PROMETHEUS === '1';
const missing = existsSync(PROMETHEUS) ? null : `${PROMETHEUS} not found (install the prometheus package)`;

/** A port nobody listens on now, for Prometheus' web server. */
async function freePort(): Promise<number> {
  const s = createServer();
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  const { port } = s.address() as AddressInfo;
  s.close();
  await once(s, 'close');
  return port;
}

/** Polls `probe` every 200 ms until it returns a value other than undefined, or fails after `ms`. */
async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const rules = (expr: string) => `
groups:
  - name: watchpost-e2e
    interval: 1s
    rules:
      - alert: OrderSyncStalled
        expr: ${expr}
        labels:
          severity: P1
          service: erp
        annotations:
          summary: 'no order synced from shopee/MY-1 (value {{ $value }})'
`;

test(
  'Prometheus sends its alerts to Watchpost: stored, notified, and resolved when the rule stops firing',
  {
    skip: missing && !REQUIRE ? `${missing}; set WATCHPOST_REQUIRE_PROMETHEUS=1 to fail instead` : false,
    timeout: 120_000,
  },
  async () => {
    if (missing) assert.fail(`WATCHPOST_REQUIRE_PROMETHEUS=1 but ${missing}`);
    const dir = mkdtempSync(join(tmpdir(), 'watchpost-prometheus-'));
    const hook = await startFakeWebhook();
    try {
      const dataDir = join(dir, 'watchpost');
      mkdirSync(dataDir);
      const configFile = join(dir, 'watchpost.yml');
      writeFileSync(
        configFile,
        [
          'route:',
          '  receiver: hook',
          '  group_by: [alertname]',
          '  group_wait: 0s',
          '  group_interval: 1s',
          '  repeat_interval: 1h',
          'receivers:',
          '  - name: hook',
          '    webhook_configs:',
          `      - url: ${hook.url}`,
          '        send_resolved: true',
          '',
        ].join('\n'),
      );
      // What users should do: Prometheus authenticates with an API token, not anonymous access.
      const token = await cliAdminToken(dataDir, 'ingest,read', 'prometheus');
      const srv = await startServer({ dataDir, args: ['--config', configFile] });
      const api = async (path: string): Promise<any> => {
        const res = await fetch(`${srv.url}${path}`, {
          headers: { authorization: `Bearer ${token}` },
          signal: AbortSignal.timeout(10_000),
        });
        assert.equal(res.status, 200, await res.clone().text());
        return res.json();
      };

      const port = await freePort();
      const prom = `http://127.0.0.1:${port}`;
      const rulesFile = join(dir, 'rules.yml');
      writeFileSync(rulesFile, rules('vector(1)'));
      const promConfig = join(dir, 'prometheus.yml');
      writeFileSync(
        promConfig,
        [
          'global:',
          '  evaluation_interval: 1s',
          'rule_files:',
          `  - ${rulesFile}`,
          'alerting:',
          '  alertmanagers:',
          '    - api_version: v2',
          '      authorization:',
          `        credentials: ${token}`,
          '      static_configs:',
          `        - targets: ['${new URL(srv.url).host}']`,
          '',
        ].join('\n'),
      );
      const proc = spawn(
        PROMETHEUS,
        [
          `--config.file=${promConfig}`,
          `--storage.tsdb.path=${join(dir, 'tsdb')}`,
          `--web.listen-address=127.0.0.1:${port}`,
          `--web.external-url=${prom}/`,
          '--web.enable-lifecycle',
          // Prometheus finds its Alertmanagers only after its first service-discovery update (~5 s),
          // and re-sends a firing alert only after this delay (default 1m): alerts of the first
          // evaluations would otherwise wait a minute.
          '--rules.alert.resend-delay=1s',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let promLog = '';
      proc.stdout.on('data', (d: Buffer) => (promLog += d.toString()));
      proc.stderr.on('data', (d: Buffer) => (promLog += d.toString()));
      const promExited = new Promise((r) => proc.on('exit', r));
      try {
        // Firing: stored with Prometheus' labels, annotations and link back to the expression.
        const firing = await until('the alert in Watchpost', 30_000, async () => {
          const alerts = (await api('/api/v2/alerts')) as any[];
          return alerts.find((a) => a.labels.alertname === 'OrderSyncStalled');
        }).catch((e: Error) =>
          assert.fail(`${e.message}\nPrometheus:\n${promLog}\nWatchpost:\n${srv.output()}`),
        );
        assert.deepEqual(firing.labels, { alertname: 'OrderSyncStalled', severity: 'P1', service: 'erp' });
        assert.equal(firing.annotations.summary, 'no order synced from shopee/MY-1 (value 1)');
        assert.ok(
          firing.generatorURL.startsWith(`${prom}/graph?g0.expr=vector%281%29`),
          `generatorURL ${firing.generatorURL}`,
        );
        assert.equal(firing.status.state, 'active');
        // Prometheus sets endsAt ahead (4 × the evaluation interval, at least its resend delay).
        assert.ok(Date.parse(firing.endsAt) > Date.now(), `endsAt ${firing.endsAt} is in the future`);

        // Notified through the route tree to the webhook receiver.
        const [first] = await hook.waitFor(1, 15_000);
        const sent = first?.body as any;
        assert.equal(sent.status, 'firing');
        assert.equal(sent.receiver, 'hook');
        assert.deepEqual(sent.groupLabels, { alertname: 'OrderSyncStalled' });
        assert.equal(sent.alerts[0].generatorURL, firing.generatorURL);

        // The rule stops firing: Prometheus sends the alert once more with endsAt = now.
        writeFileSync(rulesFile, rules('vector(1) < 0'));
        const reloaded = await fetch(`${prom}/-/reload`, {
          method: 'POST',
          signal: AbortSignal.timeout(10_000),
        });
        assert.equal(reloaded.status, 200, await reloaded.text());
        // Resolved: no longer among the firing alerts, and its episode closed in the history.
        await until('the alert to resolve in Watchpost', 30_000, async () => {
          const alerts = (await api('/api/v2/alerts')) as any[];
          if (alerts.some((a) => a.labels.alertname === 'OrderSyncStalled')) return undefined;
          const history = await api('/api/v1/alerts?alertname=OrderSyncStalled');
          return history.items[0]?.state === 'resolved' ? true : undefined;
        }).catch((e: Error) =>
          assert.fail(`${e.message}\nPrometheus:\n${promLog}\nWatchpost:\n${srv.output()}`),
        );

        const resolvedNote = await until('the resolved notification', 15_000, async () =>
          hook.requests.map((r) => r.body as any).find((b) => b?.status === 'resolved'),
        );
        assert.equal(resolvedNote.alerts[0].labels.alertname, 'OrderSyncStalled');
        assert.equal(resolvedNote.alerts[0].status, 'resolved');
      } finally {
        proc.kill('SIGTERM');
        await promExited;
        await srv.stop();
      }
    } finally {
      await hook.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
