// Durability through the real binary: an alert batch answered 200 survives the process being
// killed right after (SIGKILL: no shutdown code runs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, startServer } from '../support/server.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

test('alerts acknowledged with 200 are all there after kill -9 and a restart', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'watchpost-crash-'));
  try {
    const made = await runCli(
      ['user', 'create', '--admin', '-u', 'root', '--password-stdin', '--data-dir', dataDir],
      {
        input: 'root password 1\n',
      },
    );
    assert.equal(made.code, 0, made.stderr);
    const tok = await runCli(['token', 'create', '--scope', 'ingest,read', '--data-dir', dataDir]);
    assert.equal(tok.code, 0, tok.stderr);
    const auth = { authorization: `Bearer ${tok.stdout.trim()}`, 'content-type': 'application/json' };

    const srv = await startServer({ dataDir });
    const acknowledged: string[] = [];
    let firstAck: () => void = () => undefined;
    const acked = new Promise<void>((r) => (firstAck = r));
    try {
      // Batches in flight while the process dies: every one answered 200 must have been kept.
      const sends = Array.from({ length: 40 }, async (_, b) => {
        const body = Array.from({ length: 50 }, (_, i) => ({
          labels: { alertname: 'CrashTest', batch: String(b), instance: `i${i}` },
        }));
        try {
          const res = await fetch(`${srv.url}/api/v2/alerts`, {
            method: 'POST',
            headers: auth,
            body: JSON.stringify(body),
          });
          if (res.status === 200) {
            acknowledged.push(...body.map((a) => `${a.labels.batch}/${a.labels.instance}`));
            firstAck();
          }
        } catch {
          // connection cut by the kill: not acknowledged, may or may not be stored
        }
      });
      // Kill as soon as the first batch is acknowledged, with the others still in flight.
      await acked;
      srv.proc.kill('SIGKILL');
      await Promise.all(sends);
      await srv.exited;
    } finally {
      srv.proc.kill('SIGKILL');
    }
    assert.ok(acknowledged.length > 0, 'some batches were acknowledged before the kill');

    const again = await startServer({ dataDir });
    try {
      const res = await fetch(`${again.url}/api/v2/alerts?filter=alertname%3D%22CrashTest%22`, {
        headers: auth,
      });
      assert.equal(res.status, 200);
      const stored = new Set(
        ((await res.json()) as { labels: Record<string, string> }[]).map(
          (a) => `${a.labels.batch}/${a.labels.instance}`,
        ),
      );
      const lost = acknowledged.filter((k) => !stored.has(k));
      assert.deepEqual(lost, [], `acknowledged but lost after the crash: ${lost.length}`);
    } finally {
      await again.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
