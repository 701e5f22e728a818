import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Clock } from '../kernel/clock.js';
import type { Ids } from '../kernel/ids.js';
import { DomainError, notFound } from '../kernel/errors.js';
import { settingsRepo } from '../db/settings.repo.js';
import type { Actor, Role, Scope } from './model.js';
import { checkPassword, requirePermission, roleAtLeast } from './model.js';
import { userRepo } from './user.repo.js';
import type { UserRecord } from './user.repo.js';
import { sessionRepo, tokenRepo } from './access.repo.js';
import type { TokenRecord } from './access.repo.js';
import { audit } from './audit.js';
import { buildUser, scryptHasher, sha256, TOKEN_PREFIX } from './auth.service.js';
import type { NewUser, PasswordHasher } from './auth.service.js';

export interface AccountDeps {
  db: Kysely<DB>;
  clock: Clock;
  ids: Ids;
  hasher?: PasswordHasher;
}

export interface UserPatch {
  displayName?: string | undefined;
  role?: Role | undefined;
  disabled?: boolean | undefined;
  password?: string | undefined;
}

const MAX_TOKEN_DAYS = 3650;

/** Managing users and API tokens. Every change is audited in its own transaction. */
export class AccountService {
  private readonly hasher: PasswordHasher;
  constructor(private readonly d: AccountDeps) {
    this.hasher = d.hasher ?? scryptHasher;
  }

  async listUsers(actor: Actor): Promise<UserRecord[]> {
    requirePermission(actor, 'read');
    return userRepo.list(this.d.db);
  }

  /** Creates a user. Admins only (the CLI acts as the system actor, which is one). */
  async createUser(actor: Actor, input: NewUser): Promise<UserRecord> {
    requirePermission(actor, 'admin');
    checkPassword(input.password);
    const passwordHash = await this.hasher.hash(input.password);
    return this.d.db.transaction().execute(async (trx) => {
      if (await userRepo.byUsername(trx, input.username))
        throw new DomainError(
          'conflict',
          `a user named "${input.username}" already exists: choose another username`,
          {
            details: [{ path: '/username', message: 'already taken' }],
          },
        );
      const user = buildUser(input, this.d.clock, this.d.ids);
      await userRepo.insert(trx, user, passwordHash);
      // An admin made another way makes the setup token pointless: it must not stay usable.
      await settingsRepo.take(trx, 'setup_token');
      await audit(trx, this.d.clock, actor, 'user.create', { type: 'user', id: user.id }, null, user);
      return user;
    });
  }

  /** Changes a user. People may change their own name and password; everything else needs admin. */
  async updateUser(actor: Actor, id: string, patch: UserPatch): Promise<UserRecord> {
    const self = actor.userId === id && actor.type === 'user';
    const adminOnly = patch.role !== undefined || patch.disabled !== undefined;
    if (!self || adminOnly) requirePermission(actor, 'admin');
    if (patch.password !== undefined) checkPassword(patch.password);
    const passwordHash = patch.password !== undefined ? await this.hasher.hash(patch.password) : undefined;
    return this.d.db.transaction().execute(async (trx) => {
      const before = await userRepo.byId(trx, id);
      if (!before) throw notFound('user', id);
      const demotes = (patch.role !== undefined && patch.role !== 'admin') || patch.disabled === true;
      if (before.role === 'admin' && demotes && (await userRepo.countAdmins(trx)) <= 1)
        throw new DomainError(
          'conflict',
          `"${before.username}" is the last admin: make another user admin first`,
        );
      await userRepo.update(
        trx,
        id,
        {
          displayName: patch.displayName?.trim() || undefined,
          role: patch.role,
          disabled: patch.disabled,
          passwordHash,
        },
        this.d.clock.now(),
      );
      // A new password or a disabled account ends every open session of that user.
      if (passwordHash !== undefined || patch.disabled === true) await sessionRepo.removeForUser(trx, id);
      const after = (await userRepo.byId(trx, id)) as UserRecord;
      const changed = passwordHash !== undefined ? { ...after, password: 'changed' } : after;
      await audit(trx, this.d.clock, actor, 'user.update', { type: 'user', id }, before, changed);
      return after;
    });
  }

  async removeUser(actor: Actor, id: string): Promise<void> {
    requirePermission(actor, 'admin');
    await this.d.db.transaction().execute(async (trx) => {
      const before = await userRepo.byId(trx, id);
      if (!before) throw notFound('user', id);
      if (actor.userId === id)
        throw new DomainError('conflict', 'you cannot delete yourself: ask another admin');
      if (before.role === 'admin' && (await userRepo.countAdmins(trx)) <= 1)
        throw new DomainError(
          'conflict',
          `"${before.username}" is the last admin: make another user admin first`,
        );
      await userRepo.remove(trx, id);
      await audit(trx, this.d.clock, actor, 'user.delete', { type: 'user', id }, before, null);
    });
  }

  /** Tokens of the actor's user; every user's for admins when `all` is set. */
  async listTokens(actor: Actor, all = false): Promise<(TokenRecord & { username: string })[]> {
    requirePermission(actor, 'read');
    if (all) requirePermission(actor, 'admin');
    const tokens = await tokenRepo.list(this.d.db, all ? null : actor.userId);
    const users = new Map((await userRepo.list(this.d.db)).map((u) => [u.id, u.username]));
    return tokens.map((t) => ({ ...t, username: users.get(t.userId) ?? '?' }));
  }

  /**
   * Creates an API token for the acting user (or, for admins, for `username`). The plaintext is
   * returned once and only its hash is kept. A token can never carry more than its owner's role.
   */
  async createToken(
    actor: Actor,
    input: {
      name: string;
      scopes: Scope[];
      expiresInDays?: number | undefined;
      username?: string | undefined;
    },
  ): Promise<{ token: string; record: TokenRecord & { username: string } }> {
    requirePermission(actor, 'read');
    if (actor.type === 'token')
      throw new DomainError(
        'forbidden',
        'API tokens cannot create tokens: log in, or use `watchpost token create`',
      );
    const scopes = [...new Set(input.scopes)];
    if (scopes.length === 0)
      throw new DomainError('invalid', 'choose at least one scope: ingest, read, respond, write or admin', {
        details: [{ path: '/scopes', message: 'must not be empty' }],
      });
    if (
      input.expiresInDays !== undefined &&
      !(input.expiresInDays >= 1 && input.expiresInDays <= MAX_TOKEN_DAYS)
    )
      throw new DomainError('invalid', `expiresInDays must be between 1 and ${MAX_TOKEN_DAYS}`, {
        details: [{ path: '/expiresInDays', message: `must be 1-${MAX_TOKEN_DAYS}` }],
      });
    return this.d.db.transaction().execute(async (trx) => {
      let owner: UserRecord | null;
      if (input.username !== undefined) {
        const found = await userRepo.byUsername(trx, input.username);
        if (!found) throw notFound('user', input.username);
        if (found.id !== actor.userId) requirePermission(actor, 'admin');
        owner = found;
      } else {
        owner = actor.userId ? await userRepo.byId(trx, actor.userId) : null;
      }
      if (!owner) throw new DomainError('invalid', 'name the user the token belongs to (--user)');
      const needsRole: Record<Scope, Role> = {
        ingest: 'editor',
        read: 'viewer',
        respond: 'responder',
        write: 'editor',
        admin: 'admin',
      };
      const tooMuch = scopes.filter((s) => !roleAtLeast(owner.role, needsRole[s]));
      if (tooMuch.length)
        throw new DomainError(
          'forbidden',
          `scope ${tooMuch.join(', ')} needs a role ${tooMuch.map((s) => needsRole[s]).join('/')} or higher; ${owner.username} is a ${owner.role}`,
          { details: [{ path: '/scopes', message: `not allowed for a ${owner.role}` }] },
        );
      const now = this.d.clock.now();
      const token = TOKEN_PREFIX + this.d.ids.token(24);
      const record: TokenRecord = {
        id: this.d.ids.uuid(),
        name: input.name.trim(),
        userId: owner.id,
        prefix: token.slice(0, TOKEN_PREFIX.length + 6),
        scopes,
        createdAt: now,
        lastUsedAt: null,
        expiresAt: input.expiresInDays !== undefined ? now + input.expiresInDays * 86_400_000 : null,
        revokedAt: null,
      };
      await tokenRepo.insert(trx, record, sha256(token));
      await audit(
        trx,
        this.d.clock,
        actor,
        'token.create',
        { type: 'api_token', id: record.id },
        null,
        record,
      );
      return { token, record: { ...record, username: owner.username } };
    });
  }

  async revokeToken(actor: Actor, id: string): Promise<void> {
    requirePermission(actor, 'read');
    await this.d.db.transaction().execute(async (trx) => {
      const t = await tokenRepo.byId(trx, id);
      if (!t || t.revokedAt !== null) throw notFound('API token', id);
      if (t.userId !== actor.userId) requirePermission(actor, 'admin');
      await tokenRepo.revoke(trx, id, this.d.clock.now());
      await audit(trx, this.d.clock, actor, 'token.revoke', { type: 'api_token', id }, t, null);
    });
  }
}
