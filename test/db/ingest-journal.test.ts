// The ingest journal (SQLite): an alert acknowledged to its sender is in the journal, and a
// process that dies before the materialiser applied it applies it when the journal opens again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pino from 'pino';
import { migrateToLatest, openDatabase } from '../../src/db/database.js';
import type { Database } from '../../src/db/database.js';
import { IngestJournal, journalReadiness, MAX_READ_WAIT_MS } from '../../src/alerts/ingest-journal.js';
import { decodeEntry, encodeEntry } from '../../src/alerts/ingest-journal.types.js';
import type { JournalPart } from '../../src/alerts/ingest-journal.types.js';
import { routeNode } from '../support/route-node.js';
import { normalizeAlert, DEFAULT_LIMITS } from '../../src/alerts/model.js';
import type { Alert } from '../../src/alerts/model.js';

const T0 = Date.UTC(2026, 10, 26, 12);
const route = routeNode('root', { receiver: 'team' }); // group_by alertname, group_wait 30 s

const alert = (instance: string): Alert => {
  const r = normalizeAlert(
    { labels: { alertname: 'OrderSyncStalled', instance } },
    'external',
    T0,
    DEFAULT_LIMITS,
    '/0',
  );
  if (!r.alert) throw new Error(JSON.stringify(r.problems));
  return r.alert;
};

/** A request's built alerts, as the journal takes them. */
const built = (...alerts: Alert[]): JournalPart[] => [{ kind: 'alerts', alerts }];

async function open(dir: string): Promise<{ database: Database; journal: IngestJournal; wakes: number[] }> {
  const database = openDatabase({ dataDir: dir, databaseUrl: null });
  await migrateToLatest(database);
  const wakes: number[] = [];
  const journal = new IngestJournal({
    file: database.location,
    journalFile: join(dir, 'ingest-journal.db'),
    route,
    onWake: (at) => wakes.push(at),
    logger: pino({ level: 'silent' }),
  });
  await journal.start();
  database.setReadBarrier(() => journal.settled());
  return { database, journal, wakes };
}

test('what a crash left in the journal is applied when it opens again, with its receive time', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wp-journal-'));
  try {
    const first = await open(dir);
    await first.journal.exclusive(async () => {
      // Acknowledged (committed to the journal) while the materialiser cannot apply it …
      first.journal.append(T0, built(alert('a'), alert('b')));
      // … then the process dies.
      await first.journal.kill();
    });
    first.database.setReadBarrier(null);
    const before = await first.database.db.selectFrom('alerts').select('fingerprint').execute();
    assert.equal(before.length, 0, 'not applied before the crash');
    await first.database.close();

    const second = await open(dir);
    try {
      const rows = await second.database.db.selectFrom('alerts').select(['labels', 'starts_at']).execute();
      assert.deepEqual(rows.map((r) => JSON.parse(r.labels).instance).sort(), ['a', 'b']);
      assert.ok(rows.every((r) => r.starts_at === T0));
      const groups = await second.database.db.selectFrom('alert_groups').select(['next_flush_at']).execute();
      assert.deepEqual(groups, [{ next_flush_at: T0 + 30_000 }], 'grouped, timer from the receive time');
      assert.deepEqual(second.wakes, [T0 + 30_000], 'the dispatcher is told when the group is due');
      const episodes = await second.database.db.selectFrom('alert_episodes').select('fingerprint').execute();
      assert.equal(episodes.length, 2);

      // Later appends are applied once, in order, and queries wait for them.
      second.journal.append(T0 + 1000, built(alert('c')));
      const now = await second.database.db.selectFrom('alerts').select('fingerprint').execute();
      assert.equal(now.length, 3, 'a query after an append sees it');
    } finally {
      await second.journal.stop();
      await second.database.close();
    }

    // Reopened after a clean stop: nothing is applied twice.
    const third = await open(dir);
    try {
      const episodes = await third.database.db.selectFrom('alert_episodes').select('fingerprint').execute();
      assert.equal(episodes.length, 3);
      assert.deepEqual(third.wakes, []);
    } finally {
      await third.journal.stop();
      await third.database.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a materialiser thread that dies is started again, and applies what came meanwhile', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wp-journal-'));
  try {
    const { database, journal } = await open(dir);
    try {
      await journal.crashMaterializerForTest();
      journal.append(T0, built(alert('d')));
      const down = journalReadiness(journal.status(), T0 + 2_000);
      assert.equal(down.ok, false, '/readyz says so while nothing applies the journal');
      assert.equal(
        down.check,
        'materialiser not running (restarting): 1 journal entry not yet in the tables, the oldest received 2 s ago',
      );
      const rows = await database.db.selectFrom('alerts').select('labels').execute();
      assert.deepEqual(
        rows.map((r) => (JSON.parse(r.labels) as { instance: string }).instance),
        ['d'],
        'the query waited for the restarted thread',
      );
      assert.deepEqual(journalReadiness(journal.status(), T0 + 3_000), { ok: true, check: 'ok' });
    } finally {
      await journal.stop();
      await database.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('readiness: a journal whose oldest waiting entry is older than a reader waits, or whose materialiser fails, is not ready', () => {
  const st = { behind: 40, oldestWaitingAt: T0, running: true, failing: null };
  assert.deepEqual(
    journalReadiness(st, T0 + MAX_READ_WAIT_MS),
    { ok: true, check: 'ok' },
    'behind, but readers still wait for it',
  );
  assert.deepEqual(journalReadiness(st, T0 + MAX_READ_WAIT_MS + 1_000), {
    ok: false,
    check: 'materialiser behind: 40 journal entries not yet in the tables, the oldest received 31 s ago',
  });
  assert.deepEqual(journalReadiness({ ...st, failing: 'database or disk is full' }, T0 + 1_000), {
    ok: false,
    check:
      'materialiser failing: database or disk is full; 40 journal entries not yet in the tables, the oldest received 1 s ago',
  });
  assert.deepEqual(
    journalReadiness({ behind: 0, oldestWaitingAt: null, running: false, failing: 'x' }, T0),
    { ok: true, check: 'ok' },
    'nothing waits: nothing is stale',
  );
});

test('entries are stored compactly and read back whole; entries of the earlier object form, and requests kept as their text, are applied', async () => {
  const a = { ...alert('a'), annotations: { summary: '订单同步' }, generatorUrl: 'http://prom/graph' };
  const b = { ...alert('b'), timeout: false };
  assert.deepEqual(decodeEntry(encodeEntry(built(a, b), T0), T0), [a, b]);
  assert.ok(encodeEntry(built(a), T0).length < JSON.stringify([a]).length * 0.8);

  const dir = mkdtempSync(join(tmpdir(), 'wp-journal-'));
  try {
    // What an earlier build left unapplied when it stopped: the alerts as JSON objects.
    const j = new SQLite(join(dir, 'ingest-journal.db'));
    j.exec(`create table entries (id integer primary key autoincrement, at integer not null,
      count integer not null, alerts text not null)`);
    j.prepare('insert into entries (at, count, alerts) values (?, ?, ?)').run(T0, 1, JSON.stringify([a]));
    // And a request journalled as its body's text (Alertmanager's API), with another's built alerts.
    const text =
      '[{"labels":{"alertname":"InventoryLag","service":"wms"},"startsAt":"2026-11-26T11:59:00Z"}]';
    const parts: JournalPart[] = [
      { kind: 'postable', text, count: 1, receivedAt: T0 + 5, source: 'external', resolveTimeoutMs: 300_000 },
      ...built(b),
    ];
    j.prepare('insert into entries (at, count, alerts) values (?, ?, ?)').run(
      T0 + 5,
      2,
      encodeEntry(parts, T0 + 5),
    );
    j.close();
    const { database, journal } = await open(dir);
    try {
      const rows = await database.db
        .selectFrom('alerts')
        .select(['labels', 'annotations', 'starts_at', 'ends_at'])
        .orderBy('starts_at')
        .execute();
      assert.deepEqual(rows, [
        {
          labels: JSON.stringify({ alertname: 'InventoryLag', service: 'wms' }),
          annotations: '{}',
          starts_at: T0 - 60_000,
          ends_at: T0 + 5 + 300_000,
        },
        {
          labels: JSON.stringify(a.labels),
          annotations: JSON.stringify(a.annotations),
          starts_at: T0,
          ends_at: a.endsAt,
        },
        { labels: JSON.stringify(b.labels), annotations: '{}', starts_at: T0, ends_at: b.endsAt },
      ]);
    } finally {
      await journal.stop();
      await database.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the materialiser checkpoints the database and the journal: what they committed reaches their files', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wp-journal-'));
  // As a server opens it: no checkpointer thread of the database's own.
  const database = openDatabase({ dataDir: dir, databaseUrl: null, checkpointEveryMs: null });
  const journal = new IngestJournal({
    file: database.location,
    journalFile: join(dir, 'ingest-journal.db'),
    route,
    onWake: () => undefined,
    logger: pino({ level: 'silent' }),
  });
  try {
    await migrateToLatest(database);
    await journal.start();
    database.setReadBarrier(() => journal.settled());
    journal.append(T0, built(alert('a')));
    assert.equal((await database.db.selectFrom('alerts').select('fingerprint').execute()).length, 1);
    /** What a file holds without its write-ahead log (a copy opened alone). */
    const alone = (file: string, query: string): unknown => {
      const copy = join(dir, `copy-${Math.random()}.db`);
      copyFileSync(file, copy);
      const c = new SQLite(copy);
      try {
        return c.prepare(query).pluck().get();
      } catch {
        return null; // its tables are not in the file yet
      } finally {
        c.close();
      }
    };
    const deadline = Date.now() + 5000;
    let alerts: unknown = 0;
    let journalId: unknown;
    while (Date.now() < deadline && !(alerts === 1 && journalId)) {
      await new Promise((r) => setTimeout(r, 200));
      alerts = alone(database.location, 'select count(*) from alerts');
      journalId = alone(join(dir, 'ingest-journal.db'), "select value from meta where key = 'id'");
    }
    assert.equal(alerts, 1, 'the alert is in the database file, not only in its WAL');
    assert.ok(journalId, "the journal's identity is in its file");
  } finally {
    await journal.stop();
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test(
  'the materialiser runs at a lower priority than the event loop (Linux: nice 10)',
  { skip: process.platform !== 'linux' },
  async () => {
    /** The nice value of each thread of this process (field 19 of /proc/self/task/<tid>/stat). */
    const nices = () =>
      readdirSync('/proc/self/task').map((tid) => {
        const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
      });
    const before = nices().filter((n) => n === 10).length;
    const dir = mkdtempSync(join(tmpdir(), 'wp-journal-'));
    const { database, journal } = await open(dir);
    try {
      assert.equal(nices().filter((n) => n === 10).length, before + 1, 'one thread more at nice 10');
      assert.equal(nices()[0], 0, 'the event loop keeps its priority');
    } finally {
      await journal.stop();
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
