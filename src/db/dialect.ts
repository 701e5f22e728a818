import { PostgresAdapter } from 'kysely';
import type { Kysely } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

/** Which SQL dialect a Kysely instance speaks, for the few statements that differ. */
export const dialectOf = (db: Kysely<unknown>): Dialect =>
  db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';

/** True for a unique-constraint violation from either dialect. */
export function isUniqueViolation(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const code = (e as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
