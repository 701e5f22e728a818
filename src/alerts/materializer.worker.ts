// The ingest journal's materialiser (a worker thread, SQLite only; see ingest-journal.ts): applies
// journal entries in order to alerts, episodes and aggregation groups, exactly as the event loop
// used to within the request, and records how far it got in the same transaction. It has its own
// connections: the main database (written here) and the journal (read, and checkpointed, here).
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { assignToGroupsSync } from './group-assign.js';
import { SqliteIngest } from './ingest-sqlite.js';
import type { Severity } from './model.js';
import { compileRoutes } from './route.js';
import type { ToMaterializer, FromMaterializer, MaterializerInit } from './ingest-journal.types.js';
import { APPLIED_KEY, appliedValue, decodeEntry, parseApplied } from './ingest-journal.types.js';

/** Alerts per transaction, at most (whole entries): bounds how long the event loop may wait for the lock. */
const MAX_ALERTS_PER_TX = 1000;

const port = parentPort;
if (!port) throw new Error('materializer.worker.ts runs as a worker thread');
const init = workerData as MaterializerInit;
const post = (m: FromMaterializer) => port.postMessage(m);

/**
 * The scheduling priority (nice) of this thread: background work, so that on a busy machine the
 * event loop answering senders gets the cores first (ingest 62k -> 75k alerts/s, medians of eight
 * runs of bench:alerts on two cores); the tables catch up when it is quieter, and /readyz says when
 * they are more than 30 s behind.
 */
const MATERIALIZER_NICE = 10;

/** Lowers this thread's priority (Linux: a thread is a task of its own); elsewhere it stays as it is. */
function runInBackground(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid)) setPriority(tid, MATERIALIZER_NICE);
  } catch {
    // Not Linux, or not allowed: the same work at the normal priority.
  }
}
runInBackground();

const db = new SQLite(init.file);
db.pragma('busy_timeout = 10000');
db.pragma('synchronous = NORMAL');
db.pragma('cache_size = -4096'); // as the main connection's (database.ts)
// Read here, and checkpointed here (`checkpoints`): never on the event loop that appends.
const journal = new SQLite(init.journal);
journal.pragma('busy_timeout = 10000');
const st = new SqliteIngest(db);
let root = compileRoutes(init.route);
const severityMap: Readonly<Record<string, Severity>> | undefined = init.severityMap;

const readEntries = journal.prepare<[number]>(
  'select id, at, count, alerts from entries where id > ? order by id limit 200',
);
const getApplied = db.prepare<[string]>('select value from settings where key = ?').pluck();
const putApplied = db.prepare<[string, string, number]>(
  `insert into settings (key, value, updated_at) values (?, ?, ?)
   on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at`,
);

let applied = parseApplied(getApplied.get(APPLIED_KEY) as string | undefined, init.journalId);

interface Entry {
  id: number;
  at: number;
  count: number;
  alerts: string;
}

const apply = db.transaction((entries: Entry[]): number | null => {
  let wakeAt: number | null = null;
  for (const e of entries) {
    const p = st.write(decodeEntry(e.alerts, e.at), e.at, severityMap);
    const w = assignToGroupsSync(st, root, p.next, e.at);
    if (w !== null && (wakeAt === null || w < wakeAt)) wakeAt = w;
  }
  const last = entries.at(-1);
  if (last) putApplied.run(APPLIED_KEY, appliedValue(init.journalId, last.id), Date.now());
  return wakeAt;
});

let paused = false;
let stopping = false;

let scheduled = false;
let retry: NodeJS.Timeout | null = null;

const lockWaiters = new Int32Array(init.lockWaiters);
/** How often the materialiser looks again while the event loop waits for the write lock. */
const GIVE_WAY_MS = 1;

/** Applies one bounded transaction of what is journaled, then yields (messages may pause it). */
function step(): void {
  scheduled = false;
  if (paused || stopping) return;
  if (Atomics.load(lockWaiters, 0) > 0) {
    // The event loop waits for the write lock: let it have it first.
    scheduled = true;
    setTimeout(step, GIVE_WAY_MS);
    return;
  }
  try {
    const rows = readEntries.all(applied) as Entry[];
    if (rows.length === 0) return;
    const take: Entry[] = [];
    let count = 0;
    for (const r of rows) {
      if (take.length > 0 && count + r.count > MAX_ALERTS_PER_TX) break;
      take.push(r);
      count += r.count;
    }
    const wakeAt = apply.immediate(take);
    applied = take.at(-1)?.id ?? applied;
    post({ kind: 'applied', upTo: applied, wakeAt });
    work();
  } catch (e) {
    post({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
    retry ??= setTimeout(() => {
      retry = null;
      work();
    }, 200);
  }
}

/** How often the WALs are copied back into their files. */
const CHECKPOINT_EVERY_MS = 1000;

/**
 * Checkpoints (PASSIVE: never waiting for, nor blocking, a writer) the journal and the main database
 * from this thread, so that no append or commit on the event loop pays for one (an fsync; appends
 * took up to 16 ms when SQLite checkpointed the journal inside them). With a journal the server
 * starts no checkpointer thread of its own (database.ts): this one does its work.
 */
const checkpoints = setInterval(() => {
  for (const c of [journal, db])
    try {
      c.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // Busy or closing: the next round.
    }
}, CHECKPOINT_EVERY_MS);

function work(): void {
  if (scheduled || paused || stopping) return;
  scheduled = true;
  setImmediate(step);
}

port.on('message', (m: ToMaterializer) => {
  switch (m.kind) {
    case 'wake':
      work();
      break;
    case 'pause':
      paused = true;
      post({ kind: 'paused' });
      break;
    case 'resume':
      if (m.route) root = compileRoutes(m.route);
      paused = false;
      work();
      break;
    case 'stop':
      stopping = true;
      if (retry) clearTimeout(retry);
      clearInterval(checkpoints);
      db.close();
      journal.close();
      port.close();
      break;
  }
});
post({ kind: 'ready', upTo: applied });
work();
