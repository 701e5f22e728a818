import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001-foundation.js';
import * as m0002 from './0002-alerts.js';
import * as m0003 from './0003-groups-outbox.js';
import * as m0004 from './0004-silences.js';
import * as m0005 from './0005-pagerduty.js';
import * as m0006 from './0006-group-flapping.js';
import * as m0007 from './0007-maintenance.js';
import * as m0008 from './0008-ingest-indexes.js';
import * as m0009 from './0009-delivery-log.js';
import * as m0010 from './0010-receiver-channels.js';
import * as m0011 from './0011-group-ack.js';
import * as m0012 from './0012-member-joined.js';

/** Every migration, in order. Names are numbered; a new one is appended here and never edited after release. */
export const migrations: Record<string, Migration> = {
  '0001-foundation': m0001,
  '0002-alerts': m0002,
  '0003-groups-outbox': m0003,
  '0004-silences': m0004,
  '0005-pagerduty': m0005,
  '0006-group-flapping': m0006,
  '0007-maintenance': m0007,
  '0008-ingest-indexes': m0008,
  '0009-delivery-log': m0009,
  '0010-receiver-channels': m0010,
  '0011-group-ack': m0011,
  '0012-member-joined': m0012,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};
