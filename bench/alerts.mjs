#!/usr/bin/env node
// npm run bench:alerts — Watchpost against Alertmanager on the same machine, one after the other,
// with the same alert stream (am-anchor.mjs) and the same routing. Prints both results and the
// ratios (compare ratios, not absolute numbers: these machines are noisy).
// Needs `npm run build` and Debian's prometheus-alertmanager (apt-get install prometheus-alertmanager).
// Env: N = alerts for the ingest phase (default 100000), SKIP_AM=1 to run Watchpost only,
// CPU_PROF = a folder: profile Watchpost there (written when it stops).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  PROFILED_STOP_MS,
  cpuProfArgs,
  freePort,
  root,
  sleep,
  startWatchpost,
  stop,
  waitReady,
} from './lib.mjs';

const SETTLE_MS = 3000;

const here = dirname(fileURLToPath(import.meta.url));
const AM_BIN = '/usr/bin/prometheus-alertmanager';

/** The config file with the webhook receiver's port replaced, written into `dir`. */
function configWithReceiver(name, dir, port) {
  const file = join(dir, name);
  writeFileSync(
    file,
    readFileSync(join(here, name), 'utf8').replaceAll('127.0.0.1:19094', `127.0.0.1:${port}`),
  );
  return file;
}

function anchor(base, receiverPort, pid) {
  const r = spawnSync(
    process.execPath,
    [join(here, 'am-anchor.mjs'), base, String(receiverPort), String(pid)],
    {
      encoding: 'utf8',
      env: process.env,
      timeout: 600_000,
    },
  );
  if (r.status !== 0) throw new Error(`anchor failed against ${base}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}

const results = {};
if (!process.env.SKIP_AM) {
  if (!existsSync(AM_BIN)) {
    console.error(`${AM_BIN} not found: apt-get install prometheus-alertmanager (or SKIP_AM=1)`);
    process.exit(2);
  }
  const dir = mkdtempSync(join(tmpdir(), 'bench-am-'));
  const [port, receiverPort] = [await freePort(), await freePort()];
  const am = spawn(
    AM_BIN,
    [
      `--config.file=${configWithReceiver('alertmanager.yml', dir, receiverPort)}`,
      `--storage.path=${dir}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  try {
    await waitReady(`http://127.0.0.1:${port}/-/ready`, am, 'Alertmanager');
    console.error('running the anchor against Alertmanager …');
    results.alertmanager = anchor(`http://127.0.0.1:${port}`, receiverPort, am.pid);
  } finally {
    await stop(am);
    rmSync(dir, { recursive: true, force: true });
  }
}

// The same quiet start for both: the previous server's shutdown (its files, its sockets) settles first.
if (results.alertmanager) await sleep(SETTLE_MS);

const bin = join(root, 'dist', 'src', 'cli', 'main.js');
if (!existsSync(bin)) {
  console.error('dist/ is missing: run npm run build first');
  process.exit(2);
}
const dataDir = mkdtempSync(join(tmpdir(), 'bench-wp-'));
const receiverPort = await freePort();
const { proc: wp, base: wpBase } = await startWatchpost({
  configFile: configWithReceiver('watchpost.yml', dataDir, receiverPort),
  dataDir,
  nodeArgs: cpuProfArgs(process.env.CPU_PROF, 'watchpost'),
});
try {
  console.error('running the anchor against Watchpost …');
  results.watchpost = anchor(wpBase, receiverPort, wp.pid);
} finally {
  await stop(wp, process.env.CPU_PROF ? PROFILED_STOP_MS : 10_000);
  rmSync(dataDir, { recursive: true, force: true });
}

const a = results.alertmanager;
const w = results.watchpost;
const ratios = a
  ? {
      ingest_x: +(w.ingest_alerts_per_s / a.ingest_alerts_per_s).toFixed(2),
      latency_p50_x: +(w.latency_ms.p50 / a.latency_ms.p50).toFixed(2),
      storm_notifications: `${w.storm_notifications} vs ${a.storm_notifications}`,
      rss_x: a.rss_kb_after && w.rss_kb_after ? +(w.rss_kb_after / a.rss_kb_after).toFixed(2) : null,
    }
  : null;
console.log(JSON.stringify({ ...results, ratios }, null, 2));
