// A delivery engine over a test store, with the real renderer and signed links, for engine tests.
import pino from 'pino';
import type { ReceiverConfig } from '../../src/config/model.js';
import type { Clock } from '../../src/kernel/clock.js';
import { DeliveryEngine } from '../../src/notify/delivery/engine.js';
import { sqliteOutbox } from '../../src/notify/delivery/outbox-sqlite.js';
import { sqliteHandleOf } from '../../src/db/sqlite-handle.js';
import type { DeliveryEngineOptions } from '../../src/notify/delivery/engine.js';
import { HttpClient } from '../../src/notify/http-client.js';
import { ActionLinks } from '../../src/notify/links.js';
import { MessageRenderer } from '../../src/notify/render/index.js';
import type { TestStore } from './db.js';

/** Every fingerprint's labels are `{alertname: <fingerprint>}` unless `labels` says otherwise. */
export function testEngine(
  store: TestStore,
  clock: Clock,
  receivers: ReceiverConfig[],
  over: Partial<DeliveryEngineOptions> & { labels?: (fp: string) => Record<string, string> } = {},
): DeliveryEngine {
  const links = new ActionLinks({ key: Buffer.alloc(32, 7), externalUrl: 'http://wp.test', clock });
  let n = 0;
  const db = store.database;
  const sqlite = sqliteHandleOf(db);
  const labels = over.labels ?? ((fp: string) => ({ alertname: fp }));
  return new DeliveryEngine({
    db: store.database.db,
    clock,
    client: new HttpClient(),
    receivers,
    details: (fps) =>
      Promise.resolve(new Map(fps.map((f) => [f, { labels: labels(f), annotations: {}, generatorUrl: '' }]))),
    logger: pino({ level: 'silent' }),
    version: 'test',
    newId: () => `fallback-${++n}`,
    externalUrl: 'http://wp.test',
    renderer: new MessageRenderer(),
    links: (content) => links.forContent(content, 'en'),
    context: () => Promise.resolve([]),
    timeZone: 'UTC',
    random: () => 0.5,
    // As the server wires it: SQLite records attempts through prepared statements.
    ...(sqlite ? { store: sqliteOutbox(db.db, sqlite) } : {}),
    ...over,
  });
}
