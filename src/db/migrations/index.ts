import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001-foundation.js';

/** Every migration, in order. Names are numbered; a new one is appended here and never edited after release. */
export const migrations: Record<string, Migration> = {
  '0001-foundation': m0001,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};
