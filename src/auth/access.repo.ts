import type { Kysely, Selectable } from 'kysely';
import type { ApiTokensTable, DB } from '../db/schema.js';
import type { Scope } from './model.js';

// Sessions and API tokens: both are bearer secrets stored only as SHA-256 hashes.

export interface SessionRecord {
  idHash: string;
  userId: string;
  csrfToken: string;
  createdAt: number;
  expiresAt: number;
  lastSeenAt: number;
}

export interface TokenRecord {
  id: string;
  name: string;
  userId: string;
  prefix: string;
  scopes: Scope[];
  createdAt: number;
  lastUsedAt: number | null;
  expiresAt: number | null;
  revokedAt: number | null;
}

const toToken = (r: Selectable<ApiTokensTable>): TokenRecord => ({
  id: r.id,
  name: r.name,
  userId: r.user_id,
  prefix: r.prefix,
  scopes: r.scopes.split(',').filter(Boolean) as Scope[],
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
});

export const sessionRepo = {
  async insert(
    ex: Kysely<DB>,
    s: SessionRecord & { sourceIp: string | null; userAgent: string | null },
  ): Promise<void> {
    await ex
      .insertInto('sessions')
      .values({
        id_hash: s.idHash,
        user_id: s.userId,
        csrf_token: s.csrfToken,
        created_at: s.createdAt,
        expires_at: s.expiresAt,
        last_seen_at: s.lastSeenAt,
        source_ip: s.sourceIp,
        user_agent: s.userAgent,
      })
      .execute();
  },
  async byHash(ex: Kysely<DB>, idHash: string): Promise<SessionRecord | null> {
    const r = await ex.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
    return r
      ? {
          idHash: r.id_hash,
          userId: r.user_id,
          csrfToken: r.csrf_token,
          createdAt: r.created_at,
          expiresAt: r.expires_at,
          lastSeenAt: r.last_seen_at,
        }
      : null;
  },
  async touch(ex: Kysely<DB>, idHash: string, now: number): Promise<void> {
    await ex.updateTable('sessions').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute();
  },
  async remove(ex: Kysely<DB>, idHash: string): Promise<void> {
    await ex.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
  },
  async removeForUser(ex: Kysely<DB>, userId: string): Promise<void> {
    await ex.deleteFrom('sessions').where('user_id', '=', userId).execute();
  },
  async removeExpired(ex: Kysely<DB>, now: number): Promise<void> {
    await ex.deleteFrom('sessions').where('expires_at', '<', now).execute();
  },
};

export const tokenRepo = {
  async insert(ex: Kysely<DB>, t: TokenRecord, tokenHash: string): Promise<void> {
    await ex
      .insertInto('api_tokens')
      .values({
        id: t.id,
        name: t.name,
        user_id: t.userId,
        token_hash: tokenHash,
        prefix: t.prefix,
        scopes: t.scopes.join(','),
        created_at: t.createdAt,
        last_used_at: t.lastUsedAt,
        expires_at: t.expiresAt,
        revoked_at: t.revokedAt,
      })
      .execute();
  },
  async byHash(ex: Kysely<DB>, tokenHash: string): Promise<TokenRecord | null> {
    const r = await ex
      .selectFrom('api_tokens')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return r ? toToken(r) : null;
  },
  async byId(ex: Kysely<DB>, id: string): Promise<TokenRecord | null> {
    const r = await ex.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toToken(r) : null;
  },
  /** Tokens not revoked, newest first; all users' when `userId` is null. */
  async list(ex: Kysely<DB>, userId: string | null): Promise<TokenRecord[]> {
    let q = ex.selectFrom('api_tokens').selectAll().where('revoked_at', 'is', null);
    if (userId) q = q.where('user_id', '=', userId);
    return (await q.orderBy('created_at', 'desc').execute()).map(toToken);
  },
  async markUsed(ex: Kysely<DB>, id: string, now: number): Promise<void> {
    await ex.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute();
  },
  async revoke(ex: Kysely<DB>, id: string, now: number): Promise<void> {
    await ex.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', id).execute();
  },
};
