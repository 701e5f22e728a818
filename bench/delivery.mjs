#!/usr/bin/env node
// npm run bench:delivery — the delivery engine (issue 4) against a fake of DingTalk's custom robots.
// Starts `watchpost serve` (dist/) twice, each time with a fresh data folder and fresh robots:
//   latency: RATE alerts/s, each its own group, spread over ROBOTS robots for DURATION_S seconds;
//            flush → arrival at the fake for the messages the limiter let through at once, and that
//            no robot is ever sent more than 20 messages in 60 s and nothing is lost.
//   queued:  QUEUED alerts in distinct groups posted as fast as the server takes them; the server's
//            RSS before, after the ingest and during the drain, and how long until every alert was told.
// The fake robots check the signature, the timestamp and the body size, answer with DingTalk's error
// codes, and throttle a robot for 10 minutes after a 21st message within 60 s, as DingTalk does.
// Needs `npm run build:server`. Env: ROBOTS (50), RATE (100), DURATION_S (65), QUEUED (10000),
// PHASES (latency,queued), DRAIN_TIMEOUT_S (150), CPU_PROF (a folder: profile the server there).
// Progress goes to stderr; the result (JSON, then a summary in words) to stdout.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { PROFILED_STOP_MS, cpuProfArgs, root, sleep, startWatchpost as start, stop } from './lib.mjs';

const bin = join(root, 'dist', 'src', 'cli', 'main.js');

const envInt = (name, dflt) => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return dflt;
  const v = Number(raw);
  if (!Number.isFinite(v) || v <= 0) {
    console.error(`${name}=${raw}: expected a positive number`);
    process.exit(2);
  }
  return v;
};
const ROBOTS = Math.round(envInt('ROBOTS', 50));
const RATE = envInt('RATE', 100);
const DURATION_S = envInt('DURATION_S', 65);
const QUEUED = Math.round(envInt('QUEUED', 10_000));
const DRAIN_TIMEOUT_S = envInt('DRAIN_TIMEOUT_S', 150);
const PHASES = (process.env.PHASES || 'latency,queued').split(',').map((s) => s.trim());
const CPU_PROF = process.env.CPU_PROF || '';

// DingTalk's limits for a custom robot (see src/notify/channels/dingtalk.ts).
const PER_MINUTE = 20;
const WINDOW_MS = 60_000;
const PENALTY_MS = 10 * 60_000;
const MAX_BODY_BYTES = 20_000;

const log = (...a) => console.error(`[${new Date().toISOString().slice(11, 23)}]`, ...a);

/** Nearest-rank percentile of an ascending array; null when empty. */
const pct = (sorted, p) =>
  sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
const stats = (values) => {
  const s = [...values].sort((a, b) => a - b);
  const r = (v) => (v === null ? null : Math.round(v * 10) / 10);
  return { n: s.length, p50: r(pct(s, 0.5)), p99: r(pct(s, 0.99)), max: r(s.at(-1) ?? null) };
};

// ---------------------------------------------------------------------------------------------
// The fake DingTalk: one HTTP server, many robots told apart by access_token.

/**
 * DingTalk's check of a signed request, written independently of the sender's code: `sign` (the
 * query value, URL-decoded once) must be base64(HMAC-SHA256(key = secret, timestamp + "\n" + secret)).
 */
function signatureOk(secret, timestamp, sign) {
  const expected = Buffer.from(
    createHmac('sha256', Buffer.from(secret, 'utf8'))
      .update(Buffer.from(`${timestamp}\n${secret}`, 'utf8'))
      .digest('base64'),
  );
  const got = Buffer.from(sign);
  return expected.length === got.length && timingSafeEqual(expected, got);
}

/**
 * Robots `r0 … r{n-1}`, each with its own token and secret. Every request is recorded with its
 * arrival time (wall clock, ms: the server stamps notifications with the same clock) and answer.
 */
async function startFakeDingtalk(n) {
  const robots = Array.from({ length: n }, (_, i) => ({
    name: `r${i}`,
    token: randomBytes(16).toString('hex'),
    secret: `SEC${randomBytes(24).toString('hex')}`,
    /** Arrival times of the messages accepted, for the 20-a-minute window. */
    accepted: [],
    acceptedIds: [],
    throttledUntil: -Infinity,
    uuids: new Set(),
  }));
  const byToken = new Map(robots.map((r) => [r.token, r]));
  /** { robot, at, errcode, title, text, ids } for every request that named a robot. */
  const requests = [];
  const stray = { count: 0 };
  /** Each time a robot was throttled: when, and the message whose 60 s it fell into. */
  const throttles = [];

  const server = createHttpServer((req, res) => {
    const at = Date.now();
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const answer = (errcode, errmsg) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errcode, errmsg }));
        return errcode;
      };
      const raw = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', 'http://fake');
      const robot = byToken.get(url.searchParams.get('access_token') ?? '');
      if (req.method !== 'POST' || url.pathname !== '/robot/send' || !robot) {
        stray.count++;
        return answer(300005, 'token is not exist');
      }
      const rec = { robot: robot.name, at, errcode: 0, title: '', text: '', ids: [] };
      requests.push(rec);
      const ts = url.searchParams.get('timestamp') ?? '';
      if (!/^\d+$/.test(ts) || Math.abs(at - Number(ts)) > 3_600_000)
        return (rec.errcode = answer(310000, 'invalid timestamp'));
      if (!signatureOk(robot.secret, ts, url.searchParams.get('sign') ?? ''))
        return (rec.errcode = answer(310000, 'sign not match'));
      if (!/^application\/json\b/i.test(req.headers['content-type'] ?? ''))
        return (rec.errcode = answer(43004, '无效的HTTP HEADER Content-Type'));
      if (raw.length > MAX_BODY_BYTES)
        return (rec.errcode = answer(460101, `message too long, exceed ${MAX_BODY_BYTES} bytes`));
      let body;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        return (rec.errcode = answer(300001, 'param error'));
      }
      const md = body?.markdown;
      if (body?.msgtype !== 'markdown' || typeof md?.text !== 'string')
        return (rec.errcode = answer(400105, `不支持的消息类型: ${String(body?.msgtype)}`));
      rec.title = String(md.title ?? '');
      rec.text = md.text;
      // Watchpost's msgUuid is `<hash>#<notification id>`, or `<hash>#<id>,<id>,…` for a digest.
      const uuid = typeof body.msgUuid === 'string' ? body.msgUuid : '';
      rec.ids = uuid.includes('#') ? uuid.slice(uuid.indexOf('#') + 1).split(',') : [];
      // A repeated msgUuid is answered ok and not posted again.
      if (uuid && robot.uuids.has(uuid)) return (rec.errcode = answer(0, 'ok'));
      if (at < robot.throttledUntil)
        return (rec.errcode = answer(130101, 'send too fast, exceed 20 times per minute'));
      while (robot.accepted.length > 0 && robot.accepted[0] <= at - WINDOW_MS) {
        robot.accepted.shift();
        robot.acceptedIds.shift();
      }
      if (robot.accepted.length >= PER_MINUTE) {
        robot.throttledUntil = at + PENALTY_MS;
        // Which message opened the window this one did not fit in, for the report.
        throttles.push({ robot: robot.name, at, windowOpenedBy: robot.acceptedIds[0], ids: rec.ids });
        return (rec.errcode = answer(130101, 'send too fast, exceed 20 times per minute'));
      }
      robot.accepted.push(at);
      robot.acceptedIds.push(rec.ids);
      if (uuid) robot.uuids.add(uuid);
      rec.posted = true;
      return answer(0, 'ok');
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return {
    port,
    robots,
    requests,
    stray,
    throttles,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// Watchpost: config, process, RSS/CPU, its database after the run.

/**
 * One receiver per robot and one child route per receiver (label `robot`); `group_by: [bench_id]`
 * makes every alert its own group, so every alert is one notification. group_interval is
 * Alertmanager's default: the groups never change, so it only sets how often they are looked at.
 */
function configYaml(fake) {
  const lines = [
    '# Written by bench/delivery.mjs for one run.',
    'auth:',
    '  anonymous: [ingest]',
    'server:',
    '  body_limit: 4mb',
    'log:',
    '  level: warn',
    'route:',
    '  receiver: r0',
    "  group_by: ['bench_id']",
    '  group_wait: 10ms',
    '  group_interval: 5m',
    '  repeat_interval: 4h',
    '  routes:',
    ...fake.robots.flatMap((r) => [`    - matchers: ['robot="${r.name}"']`, `      receiver: ${r.name}`]),
    'receivers:',
    ...fake.robots.flatMap((r) => [
      `  - name: ${r.name}`,
      '    language: en',
      '    dingtalk_configs:',
      `      - url: 'http://127.0.0.1:${fake.port}/robot/send?access_token=${r.token}'`,
      `        secret: '${r.secret}'`,
    ]),
  ];
  return lines.join('\n') + '\n';
}

async function startWatchpost(fake, phase) {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-delivery-'));
  const configFile = join(dataDir, 'watchpost.yml');
  writeFileSync(configFile, configYaml(fake));
  const { proc, base } = await start({ configFile, dataDir, nodeArgs: cpuProfArgs(CPU_PROF, phase) });
  return { proc, base, dataDir };
}

const stopWatchpost = (wp) => stop(wp.proc, PROFILED_STOP_MS);

const rssMb = (pid) => {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/);
    return m ? Math.round(+m[1] / 102.4) / 10 : null;
  } catch {
    return null;
  }
};
/** CPU seconds (user + system) the process has used so far. */
const cpuS = (pid) => {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return null;
  }
};

/** Every notification the server wrote: id → { benchId, robot, createdAt, status, attempts }. */
function readNotifications(dataDir) {
  const db = new Database(join(dataDir, 'watchpost.db'), { readonly: true });
  try {
    const rows = db
      .prepare('SELECT id, receiver, content, created_at, status, attempts FROM notifications')
      .all();
    const byId = new Map();
    for (const r of rows) {
      const c = JSON.parse(r.content);
      byId.set(r.id, {
        benchId: c.groupLabels?.bench_id ?? null,
        groupLabels: c.groupLabels ?? {},
        robot: r.receiver,
        createdAt: Number(r.created_at),
        status: r.status,
        attempts: r.attempts,
      });
    }
    // The first attempt of each notification: `at` is when the engine recorded it (after the
    // answer), `duration_ms` the HTTP exchange, so `at - duration_ms` is about when it was sent.
    for (const a of db
      .prepare(
        'SELECT notification_id, min(id), at, duration_ms FROM delivery_attempts GROUP BY notification_id',
      )
      .all()) {
      const n = byId.get(a.notification_id);
      if (n) n.firstAttempt = { at: Number(a.at), durationMs: a.duration_ms };
    }
    const attempts = db
      .prepare(
        'SELECT count(*) AS n, sum(ok) AS ok, count(DISTINCT at || destination) AS messages FROM delivery_attempts',
      )
      .get();
    return { byId, attempts };
  } finally {
    db.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Driving and checking.

/** One robot's requests as `<s since start>s×<notifications carried>[!<errcode>]`, to read the pacing. */
const timeline = (fake, robot, start) =>
  fake.requests
    .filter((r) => r.robot === robot)
    .sort((a, b) => a.at - b.at)
    .map((r) => `${((r.at - start) / 1000).toFixed(1)}s×${r.ids.length}${r.errcode ? `!${r.errcode}` : ''}`)
    .join(' ');

const alertOf = (i, robots) => ({
  labels: { alertname: 'BenchDelivery', bench_id: `a${i}`, robot: `r${i % robots}`, severity: 'P2' },
  annotations: { summary: `bench a${i}` },
});

async function post(base, alerts) {
  const r = await fetch(`${base}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(alerts),
  });
  await r.arrayBuffer();
  if (!r.ok) throw new Error(`POST /api/v2/alerts: ${r.status}`);
}

/**
 * Waits until the fake has accepted messages naming `expected` notification ids, or the timeout, or
 * (`gaveUp`) a robot is in its 10-minute penalty and nothing has arrived for 20 s: what it holds
 * will not come before the penalty ends, long after any sensible wait.
 */
async function waitTold(fake, expected, timeoutMs, onTick) {
  const start = Date.now();
  for (;;) {
    const told = new Set();
    for (const r of fake.requests) if (r.posted) for (const id of r.ids) told.add(id);
    onTick?.();
    const now = Date.now();
    if (told.size >= expected) return { done: true, at: now, told: told.size };
    if (now - start > timeoutMs) return { done: false, at: now, told: told.size };
    const last = fake.requests.at(-1)?.at ?? start;
    if (fake.robots.some((r) => r.throttledUntil > now) && now - Math.max(last, start) > 20_000)
      return { done: false, gaveUp: true, at: now, told: told.size };
    await sleep(250);
  }
}

/**
 * What reached the fake, checked against the server's notifications and the alerts posted:
 * per robot the most requests in any 60 s (arrival times), the answers, what was lost or misrouted.
 */
function check(fake, notes, posted, phaseStart) {
  const perRobot = new Map(fake.robots.map((r) => [r.name, []]));
  for (const r of fake.requests) perRobot.get(r.robot)?.push(r);
  let maxIn60s = 0;
  let maxRobot = null;
  for (const [name, reqs] of perRobot) {
    const t = reqs.map((r) => r.at).sort((a, b) => a - b);
    for (let i = 0, j = 0; i < t.length; i++) {
      while (t[i] - t[j] >= WINDOW_MS) j++;
      if (i - j + 1 > maxIn60s) [maxIn60s, maxRobot] = [i - j + 1, name];
    }
  }
  // Messages accepted per robot, per minute since the phase started: the busiest robot each minute.
  const minutes = [];
  for (const reqs of perRobot.values()) {
    const counts = [];
    for (const r of reqs)
      if (r.posted) {
        const m = Math.floor((r.at - phaseStart) / 60_000);
        counts[m] = (counts[m] ?? 0) + 1;
      }
    counts.forEach((c, m) => (minutes[m] = Math.max(minutes[m] ?? 0, c ?? 0)));
  }
  const answers = {};
  for (const r of fake.requests) answers[r.errcode] = (answers[r.errcode] ?? 0) + 1;

  const toldBench = new Set();
  let misrouted = 0;
  let unknownIds = 0;
  let titleMismatch = 0;
  for (const r of fake.requests) {
    if (!r.posted) continue;
    for (const id of r.ids) {
      const n = notes.byId.get(id);
      if (!n) {
        unknownIds++;
        continue;
      }
      if (n.robot !== r.robot) misrouted++;
      if (n.benchId) toldBench.add(n.benchId);
    }
    // A single message's title names its alert (the summary "bench aN"): the msgUuid mapping is right.
    if (r.ids.length === 1) {
      const n = notes.byId.get(r.ids[0]);
      if (n && !new RegExp(`\\bbench ${n.benchId}\\b`).test(r.title)) titleMismatch++;
    }
  }
  const lost = posted.filter((id) => !toldBench.has(id));
  // For each throttle: how long after the message that opened its window it arrived, and when the
  // engine sent each of the two (its limiter counts send times, the robot counts arrival times).
  const sentAt = (ids) => {
    const a = notes.byId.get(ids?.[0] ?? '')?.firstAttempt;
    return a ? a.at - a.durationMs : null;
  };
  const arrivalOf = new Map(fake.requests.filter((r) => r.posted).map((r) => [r.ids.join(','), r.at]));
  const throttles = fake.throttles.map((t) => {
    const openedAt = arrivalOf.get((t.windowOpenedBy ?? []).join(',')) ?? null;
    const s0 = sentAt(t.windowOpenedBy);
    const s1 = sentAt(t.ids);
    return {
      robot: t.robot,
      at_s: +((t.at - phaseStart) / 1000).toFixed(3),
      arrival_gap_ms: openedAt === null ? null : t.at - openedAt,
      send_gap_ms: s0 === null || s1 === null ? null : s1 - s0,
      first_send_to_arrival_ms: s0 === null || openedAt === null ? null : openedAt - s0,
      refused_send_to_arrival_ms: s1 === null ? null : t.at - s1,
      carried: t.ids.length,
    };
  });
  const statuses = {};
  for (const n of notes.byId.values()) statuses[n.status] = (statuses[n.status] ?? 0) + 1;
  // Notifications of alerts the benchmark did not post: Watchpost's own (a failing channel's self-alert).
  const others = [...notes.byId.values()]
    .filter((n) => n.benchId === null)
    .map((n) => ({ robot: n.robot, status: n.status, groupLabels: n.groupLabels }));
  const singles = fake.requests.filter((r) => r.posted && r.ids.length === 1).length;
  const digests = fake.requests.filter((r) => r.posted && r.ids.length > 1);
  return {
    alerts_posted: posted.length,
    notifications: notes.byId.size,
    notification_status: statuses,
    other_notifications: others,
    requests_at_fake: fake.requests.length,
    answers,
    messages_single: singles,
    messages_digest: digests.length,
    notifications_in_digests: digests.reduce((s, r) => s + r.ids.length, 0),
    largest_digest: Math.max(0, ...digests.map((r) => r.ids.length)),
    max_requests_one_robot_any_60s: maxIn60s,
    busiest_robot: maxRobot,
    busiest_robot_messages_per_minute: minutes.map((c) => c ?? 0),
    alerts_not_told: lost.length,
    not_told_examples: lost.slice(0, 5),
    ids_misrouted: misrouted,
    ids_unknown: unknownIds,
    single_title_mismatch: titleMismatch,
    stray_requests: fake.stray.count,
    throttles,
  };
}

// ---------------------------------------------------------------------------------------------
// Phase "latency": RATE alerts/s for DURATION_S, one POST per alert, robot = i mod ROBOTS.

async function latencyPhase() {
  const fake = await startFakeDingtalk(ROBOTS);
  const wp = await startWatchpost(fake, 'latency');
  const postedAt = new Map();
  const posted = [];
  let failed = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const postMs = [];
  try {
    await sleep(1000);
    const rssStart = rssMb(wp.proc.pid);
    const cpu0 = cpuS(wp.proc.pid);
    const total = Math.round(RATE * DURATION_S);
    log(`latency: ${total} alerts at ${RATE}/s over ${ROBOTS} robots for ${DURATION_S} s …`);
    const start = Date.now();
    let i = 0;
    let lastLog = start;
    while (i < total) {
      const due = Math.min(total, Math.floor(((Date.now() - start) / 1000) * RATE) + 1);
      for (; i < due; i++) {
        const id = `a${i}`;
        const t0 = Date.now();
        postedAt.set(id, t0);
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        post(wp.base, [alertOf(i, ROBOTS)])
          .then(() => {
            posted.push(id);
            postMs.push(Date.now() - t0);
          })
          .catch(() => failed++)
          .finally(() => inFlight--);
      }
      if (Date.now() - lastLog >= 10_000) {
        lastLog = Date.now();
        const ok = fake.requests.filter((r) => r.posted).length;
        log(`  ${i} posted, ${ok} messages at the fake, RSS ${rssMb(wp.proc.pid)} MB`);
      }
      await sleep(2);
    }
    const postSeconds = (Date.now() - start) / 1000;
    while (inFlight > 0) await sleep(10);
    log(
      `latency: posted ${posted.length} (${failed} failed) in ${postSeconds.toFixed(1)} s; waiting for the backlog …`,
    );
    const w = await waitTold(fake, posted.length, DRAIN_TIMEOUT_S * 1000);
    log(
      `latency: ${w.told} of ${posted.length} told${w.done ? '' : w.gaveUp ? ' (robots throttled: the rest waits 10 min)' : ' (timed out)'}`,
    );
    const rssEnd = rssMb(wp.proc.pid);
    const cpu1 = cpuS(wp.proc.pid);
    await stopWatchpost(wp);
    const notes = readNotifications(wp.dataDir);

    // Flush → arrival for each single message; "room" = the robot had < 20 accepted messages in the
    // 60 s before the flush, so the limiter had no reason to hold it.
    const byRobot = new Map();
    for (const r of fake.requests)
      if (r.posted) byRobot.set(r.robot, [...(byRobot.get(r.robot) ?? []), r.at]);
    const hadRoom = (robot, t) =>
      (byRobot.get(robot) ?? []).filter((a) => a > t - WINDOW_MS && a < t).length < PER_MINUTE;
    const firstPerRobot = new Map();
    const first20 = { flush: [], post: [], engine: [], wire: [], http: [] };
    const room = { flush: [], post: [] };
    const held = { flush: [] };
    const digestWait = [];
    for (const r of [...fake.requests].sort((a, b) => a.at - b.at)) {
      if (!r.posted) continue;
      if (r.ids.length === 1) {
        const n = notes.byId.get(r.ids[0]);
        if (!n) continue;
        const flush = r.at - n.createdAt;
        const fromPost = r.at - (postedAt.get(n.benchId) ?? NaN);
        const k = firstPerRobot.get(r.robot) ?? 0;
        firstPerRobot.set(r.robot, k + 1);
        if (k < PER_MINUTE) {
          first20.flush.push(flush);
          first20.post.push(fromPost);
          const a = n.firstAttempt;
          if (a) {
            first20.engine.push(a.at - a.durationMs - n.createdAt);
            first20.wire.push(r.at - (a.at - a.durationMs));
            first20.http.push(a.durationMs);
          }
        }
        if (hadRoom(r.robot, n.createdAt)) {
          room.flush.push(flush);
          room.post.push(fromPost);
        } else held.flush.push(flush);
      } else {
        const oldest = Math.min(...r.ids.map((id) => notes.byId.get(id)?.createdAt ?? Infinity));
        digestWait.push((r.at - oldest) / 1000);
      }
    }
    const ds = stats(digestWait);
    return {
      config: { robots: ROBOTS, rate_per_s: RATE, duration_s: DURATION_S, group_wait: '10ms' },
      post_seconds: +postSeconds.toFixed(1),
      post_failed: failed,
      post_answer_ms: stats(postMs),
      max_posts_in_flight: maxInFlight,
      latency_ms: {
        flush_to_arrival_first_20_per_robot: stats(first20.flush),
        post_to_arrival_first_20_per_robot: stats(first20.post),
        // Where the time of the first 20 per robot goes: flush → the engine sends (claim, render,
        // limiter, the destination's earlier messages), send → the fake reads the request, and the
        // whole HTTP exchange as the server timed it.
        first_20_flush_to_send: stats(first20.engine),
        first_20_send_to_arrival: stats(first20.wire),
        first_20_http_exchange: stats(first20.http),
        flush_to_arrival_all_with_room: stats(room.flush),
        post_to_arrival_all_with_room: stats(room.post),
        flush_to_arrival_held_by_limit: stats(held.flush),
      },
      digest_wait_s: ds,
      robot_timeline: {
        r0: timeline(fake, 'r0', start),
        [`r${ROBOTS - 1}`]: timeline(fake, `r${ROBOTS - 1}`, start),
      },
      told_all: w.done,
      told_after_last_post_s: +((w.at - start) / 1000 - postSeconds).toFixed(1),
      checks: check(fake, notes, posted, start),
      server: {
        rss_mb_start: rssStart,
        rss_mb_end: rssEnd,
        cpu_s: cpu1 !== null && cpu0 !== null ? +(cpu1 - cpu0).toFixed(1) : null,
      },
    };
  } finally {
    await stopWatchpost(wp);
    await fake.close();
    rmSync(wp.dataDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Phase "queued": QUEUED alerts as fast as the server takes them (POSTs of 100, 8 in flight).

async function queuedPhase() {
  const fake = await startFakeDingtalk(ROBOTS);
  const wp = await startWatchpost(fake, 'queued');
  try {
    await sleep(2000);
    const pid = wp.proc.pid;
    const rssBefore = rssMb(pid);
    const cpu0 = cpuS(pid);
    const samples = [];
    const sample = () => samples.push({ t: Date.now(), rss: rssMb(pid) });
    const sampler = setInterval(sample, 250);
    log(`queued: ${QUEUED} alerts in distinct groups to ${ROBOTS} robots, RSS before ${rssBefore} MB …`);
    const start = Date.now();
    const posted = [];
    let next = 0;
    const worker = async () => {
      while (next < QUEUED) {
        const from = next;
        const to = Math.min(QUEUED, from + 100);
        next = to;
        const batch = [];
        for (let i = from; i < to; i++) batch.push(alertOf(i, ROBOTS));
        await post(wp.base, batch);
        for (let i = from; i < to; i++) posted.push(`a${i}`);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    const ingestS = (Date.now() - start) / 1000;
    const rssAfterIngest = rssMb(pid);
    log(`queued: ingested in ${ingestS.toFixed(1)} s, RSS ${rssAfterIngest} MB; draining …`);
    let lastLog = Date.now();
    const w = await waitTold(fake, QUEUED, DRAIN_TIMEOUT_S * 1000, () => {
      if (Date.now() - lastLog < 10_000) return;
      lastLog = Date.now();
      const told = fake.requests.filter((r) => r.posted).reduce((s, r) => s + r.ids.length, 0);
      log(`  ${told} told in ${fake.requests.length} requests, RSS ${rssMb(pid)} MB`);
    });
    sample();
    clearInterval(sampler);
    log(
      `queued: ${w.told} of ${QUEUED} told${w.done ? '' : w.gaveUp ? ' (robots throttled: the rest waits 10 min)' : ' (timed out)'}`,
    );
    const cpu1 = cpuS(pid);
    // Settled: a few seconds after the drain, what the process keeps.
    await sleep(3000);
    const rssSettled = rssMb(pid);
    await stopWatchpost(wp);
    const notes = readNotifications(wp.dataDir);
    const during = samples.filter((s) => s.t >= start + ingestS * 1000 && s.rss !== null).map((s) => s.rss);
    const all = samples.filter((s) => s.rss !== null).map((s) => s.rss);
    const maxDuring = during.length ? Math.max(...during) : null;
    const max = all.length ? Math.max(...all) : null;
    // The timeline of the busiest robot's messages, as offsets from the start (s) and sizes.
    return {
      config: { robots: ROBOTS, queued: QUEUED, group_wait: '10ms' },
      ingest_s: +ingestS.toFixed(1),
      ingest_alerts_per_s: Math.round(QUEUED / ingestS),
      told_all: w.done,
      told_after_s: +((w.at - start) / 1000).toFixed(1),
      rss_mb: {
        before_ingest: rssBefore,
        after_ingest: rssAfterIngest,
        max_during_drain: maxDuring,
        max_whole_phase: max,
        settled_after_drain: rssSettled,
        growth_max_minus_before: max !== null && rssBefore !== null ? +(max - rssBefore).toFixed(1) : null,
        growth_drain_max_minus_after_ingest:
          maxDuring !== null && rssAfterIngest !== null ? +(maxDuring - rssAfterIngest).toFixed(1) : null,
      },
      server_cpu_s: cpu1 !== null && cpu0 !== null ? +(cpu1 - cpu0).toFixed(1) : null,
      delivery_attempts: notes.attempts,
      robot_timeline: {
        r0: timeline(fake, 'r0', start),
        [`r${ROBOTS - 1}`]: timeline(fake, `r${ROBOTS - 1}`, start),
      },
      checks: check(fake, notes, posted, start),
    };
  } finally {
    await stopWatchpost(wp);
    await fake.close();
    rmSync(wp.dataDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------

if (!existsSync(bin)) {
  console.error('dist/ is missing: run npm run build:server first');
  process.exit(2);
}
const result = { machine: { cpus: (await import('node:os')).cpus().length, node: process.version } };
if (PHASES.includes('latency')) result.latency = await latencyPhase();
if (PHASES.includes('queued')) result.queued = await queuedPhase();
console.log(JSON.stringify(result, null, 2));

/** The throttles in words: how many robots, and the spread between the engine's and the robot's clocks. */
const throttleLine = (c) => {
  const t = c.throttles;
  if (t.length === 0) return '  no robot was throttled';
  const lag = t.map((x) => x.first_send_to_arrival_ms).filter((x) => x !== null);
  return (
    `  THROTTLED: ${t.length} robot(s), first at ${t[0].at_s} s; the refused message came ` +
    `${Math.min(...t.map((x) => x.arrival_gap_ms ?? Infinity))}–${Math.max(...t.map((x) => x.arrival_gap_ms ?? 0))} ms after the one opening ` +
    `its 60 s window arrived; that one had reached the robot ${Math.min(...lag)}–${Math.max(...lag)} ms after the engine sent it`
  );
};
const lines = [];
const L = result.latency;
if (L) {
  const f = L.latency_ms.flush_to_arrival_first_20_per_robot;
  const p = L.latency_ms.post_to_arrival_first_20_per_robot;
  const c = L.checks;
  lines.push(
    `latency: ${c.alerts_posted} alerts at ${L.config.rate_per_s}/s over ${L.config.robots} robots (${L.config.duration_s} s), group_wait 10ms`,
    `  flush → arrival, first 20 per robot: p50 ${f.p50} ms, p99 ${f.p99} ms (target ≤ 20 / ≤ 100), n=${f.n}`,
    `  POST → arrival (includes group_wait): p50 ${p.p50} ms, p99 ${p.p99} ms`,
    `  ${c.messages_single} single messages, ${c.messages_digest} digests carrying ${c.notifications_in_digests} notifications (largest ${c.largest_digest})`,
    `  most requests to one robot in any 60 s: ${c.max_requests_one_robot_any_60s} (limit 20); answers ${JSON.stringify(c.answers)}`,
    `  alerts not told: ${c.alerts_not_told}; told all: ${L.told_all}, ${L.told_after_last_post_s} s after the last POST`,
    throttleLine(c),
  );
}
const Q = result.queued;
if (Q) {
  const c = Q.checks;
  lines.push(
    `queued: ${c.alerts_posted} alerts to ${Q.config.robots} robots, ingested in ${Q.ingest_s} s (${Q.ingest_alerts_per_s}/s)`,
    `  RSS before ${Q.rss_mb.before_ingest} MB, after ingest ${Q.rss_mb.after_ingest} MB, max during drain ${Q.rss_mb.max_during_drain} MB: growth ${Q.rss_mb.growth_max_minus_before} MB (target < 50)`,
    `  every alert told after ${Q.told_after_s} s (${Q.told_all ? 'all' : 'NOT all'}); ${c.messages_single} singles + ${c.messages_digest} digests`,
    `  most requests to one robot in any 60 s: ${c.max_requests_one_robot_any_60s}; busiest robot per minute ${JSON.stringify(c.busiest_robot_messages_per_minute)}; answers ${JSON.stringify(c.answers)}; not told ${c.alerts_not_told}`,
    throttleLine(c),
  );
}
console.log(lines.join('\n'));
