// Taking SQLite's write lock while another connection holds it: the event loop keeps running, the
// transaction starts once the lock is free, and a lock held past the timeout fails as SQLITE_BUSY.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { beginImmediate } from '../../src/db/sqlite-begin.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function pair(): { a: SQLite.Database; b: SQLite.Database; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'wp-begin-'));
  const file = join(dir, 'x.db');
  const a = new SQLite(file);
  a.pragma('journal_mode = WAL');
  a.pragma('busy_timeout = 5000');
  a.exec('create table t (v integer)');
  const b = new SQLite(file);
  return {
    a,
    b,
    done: () => {
      a.close();
      b.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

test('while another connection holds the write lock, the event loop runs on; the transaction starts when it is free', async () => {
  const { a, b, done } = pair();
  try {
    b.exec('begin immediate; insert into t values (1)');
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 5);
    const started = beginImmediate(a);
    await sleep(60);
    assert.ok(ticks >= 5, `timers ran while waiting for the lock (${ticks})`);
    assert.equal(a.inTransaction, false, 'not begun while the lock is taken');
    b.exec('commit');
    await started;
    clearInterval(ticker);
    assert.equal(a.inTransaction, true);
    a.exec('insert into t values (2); commit');
    assert.deepEqual(a.prepare('select v from t order by v').pluck().all(), [1, 2]);
    assert.equal(a.pragma('busy_timeout', { simple: true }), 5000, 'the busy timeout is as before');
  } finally {
    done();
  }
});

test('a lock held past the timeout fails as SQLITE_BUSY and leaves no transaction open', async () => {
  const { a, b, done } = pair();
  try {
    b.exec('begin immediate');
    await assert.rejects(beginImmediate(a, undefined, 50), { code: 'SQLITE_BUSY' });
    assert.equal(a.inTransaction, false);
    assert.equal(a.pragma('busy_timeout', { simple: true }), 5000);
    b.exec('commit');
  } finally {
    done();
  }
});
