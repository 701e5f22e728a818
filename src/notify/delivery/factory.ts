// Builds the delivery engine with its renderer and signed links, for the server and for CLI
// commands that send (a test message) without one.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { alertRepo, sqliteDetails } from '../../alerts/alert.repo.js';
import type { SecretBox } from '../../auth/secret-box.js';
import type { Config } from '../../config/model.js';
import type { DB } from '../../db/schema.js';
import type { SqliteHandle } from '../../db/sqlite-handle.js';
import type { Clock } from '../../kernel/clock.js';
import type { Ids } from '../../kernel/ids.js';
import type { HttpClient } from '../http-client.js';
import { ActionLinks } from '../links.js';
import { MessageRenderer } from '../render/index.js';
import { DeliveryEngine } from './engine.js';
import { sqliteOutbox } from './outbox-sqlite.js';
import type { ChannelHealthEvent } from './health.js';

export interface Delivery {
  engine: DeliveryEngine;
  links: ActionLinks;
  renderer: MessageRenderer;
}

export function createDelivery(o: {
  db: Kysely<DB>;
  /** The embedded SQLite handle under `db`: alert reads and bookkeeping then run prepared statements. */
  sqlite?: SqliteHandle | null;
  clock: Clock;
  ids: Ids;
  client: HttpClient;
  config: Pick<Config, 'receivers' | 'server'>;
  box: SecretBox;
  logger: Logger;
  version: string;
  onChannelHealth?: (e: ChannelHealthEvent) => void;
  onAttempted?: (groupKeys: ReadonlySet<string>) => void;
}): Delivery {
  const links = new ActionLinks({
    key: o.box.deriveKey('links'),
    externalUrl: o.config.server.externalUrl,
    clock: o.clock,
  });
  const renderer = new MessageRenderer();
  const engine: DeliveryEngine = new DeliveryEngine({
    db: o.db,
    clock: o.clock,
    client: o.client,
    receivers: o.config.receivers,
    details: o.sqlite ? sqliteDetails(o.sqlite.handle) : (fps) => alertRepo.details(o.db, fps),
    store: o.sqlite ? sqliteOutbox(o.db, o.sqlite) : undefined,
    logger: o.logger,
    version: o.version,
    newId: () => o.ids.uuid(),
    externalUrl: o.config.server.externalUrl,
    renderer,
    links: (content) => links.forContent(content, engine.receiver(content.receiver)?.language ?? 'zh-CN'),
    // Later issues (logs, traces, flows) fill related context here.
    context: () => Promise.resolve([]),
    timeZone: o.config.server.timeZone,
    ...(o.onChannelHealth ? { onChannelHealth: o.onChannelHealth } : {}),
    ...(o.onAttempted ? { onAttempted: o.onAttempted } : {}),
  });
  return { engine, links, renderer };
}
