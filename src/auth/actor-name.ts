import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Actor } from './model.js';
import { userRepo } from './user.repo.js';

/**
 * The name to record as the creator of something when the client names none: the user's name, a
 * token's owner, the system or configuration file; null for an anonymous caller.
 */
export async function actorUserName(db: Kysely<DB>, actor: Actor): Promise<string | null> {
  switch (actor.type) {
    case 'user':
      return actor.name;
    case 'token': {
      const user = actor.userId ? await userRepo.byId(db, actor.userId) : null;
      return user?.username ?? null;
    }
    case 'system':
    case 'config':
      return actor.name;
    case 'anonymous':
      return null;
  }
}
