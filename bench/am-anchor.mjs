// Anchor benchmark: drives any Alertmanager-v2-compatible server (the real Alertmanager, or ours)
// with the same alert stream and measures (1) ingest throughput, (2) alert-to-webhook latency,
// (3) notifications sent for an alert storm (grouping/convergence), (4) RSS of the server if pid given.
// usage: node am-anchor.mjs BASE_URL RECEIVER_PORT [server_pid]
import http from 'node:http';
const [base, rport, pid] = [process.argv[2], +process.argv[3], process.argv[4]];
const got = [];
const recv = http
  .createServer((req, res) => {
    let b = '';
    req.on('data', (d) => (b += d));
    req.on('end', () => {
      try {
        got.push({ t: performance.now(), body: JSON.parse(b) });
      } catch {
        got.push({ t: performance.now(), body: null });
      }
      res.end('ok');
    });
  })
  .listen(rport, '127.0.0.1');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const post = (alerts) =>
  fetch(base + '/api/v2/alerts', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(alerts),
  }).then((r) => {
    if (!r.ok) throw new Error('status ' + r.status);
    return r.text();
  });
import fs from 'node:fs';
const rssKb = () => {
  if (!pid) return null;
  const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/);
  return m ? +m[1] : null;
};

// (2) latency: one alert, new group, measure arrival at the receiver (server group_wait must be tiny)
await sleep(300);
const lat = [];
for (let i = 0; i < 20; i++) {
  const n = got.length;
  const t0 = performance.now();
  await post([
    {
      labels: { alertname: 'LatencyProbe', service: 'probe-' + i, severity: 'P1' },
      annotations: { summary: 'probe' },
    },
  ]);
  while (got.length === n && performance.now() - t0 < 10000) await sleep(1);
  lat.push(got.length > n ? got[got.length - 1].t - t0 : NaN);
}
lat.sort((a, b) => a - b);
// (3) storm: 2000 alerts, one service, one alertname, distinct instance -> ideally 1 notification
const before = got.length;
const storm = Array.from({ length: 2000 }, (_, i) => ({
  labels: { alertname: 'OrderSyncFailed', service: 'erp', instance: 'node-' + i, severity: 'P1' },
}));
for (let i = 0; i < storm.length; i += 200) await post(storm.slice(i, i + 200));
await sleep(3000);
const stormNotifs = got.length - before;
// (1) ingest throughput: 100k distinct alerts, batches of 100, 8 in flight
const N = +(process.env.N || 100000),
  B = 100,
  C = 8;
let next = 0;
const t0 = performance.now();
async function worker() {
  while (next < N) {
    const s = next;
    next += B;
    await post(
      Array.from({ length: B }, (_, k) => ({
        labels: {
          alertname: 'Load',
          service: 'svc' + ((s + k) % 50),
          instance: 'i' + (s + k),
          severity: 'P3',
        },
      })),
    );
  }
}
await Promise.all(Array.from({ length: C }, worker));
const secs = (performance.now() - t0) / 1000;
console.log(
  JSON.stringify({
    latency_ms: { p50: +lat[10].toFixed(1), p95: +lat[18].toFixed(1), max: +lat[19].toFixed(1) },
    storm_alerts: 2000,
    storm_notifications: stormNotifs,
    ingest_alerts_per_s: Math.round(N / secs),
    rss_kb_after: rssKb(),
  }),
);
recv.close();
process.exit(0);
