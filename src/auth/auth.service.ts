import { createHash, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Clock } from '../kernel/clock.js';
import type { Ids } from '../kernel/ids.js';
import { DomainError } from '../kernel/errors.js';
import { settingsRepo } from '../db/settings.repo.js';
import type { SecretBox } from './secret-box.js';
import { DUMMY_HASH, hashPassword, verifyPassword } from './password.js';
import type { Actor, Role } from './model.js';
import { checkPassword } from './model.js';
import { userRepo } from './user.repo.js';
import type { UserRecord } from './user.repo.js';
import { sessionRepo, tokenRepo } from './access.repo.js';
import { audit } from './audit.js';

export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, stored: string): Promise<boolean>;
}

export const scryptHasher: PasswordHasher = { hash: (p) => hashPassword(p), verify: verifyPassword };

export interface AuthDeps {
  db: Kysely<DB>;
  clock: Clock;
  ids: Ids;
  box: SecretBox;
  sessionTtlMs: number;
  hasher?: PasswordHasher;
}

export interface NewUser {
  username: string;
  password: string;
  displayName?: string | undefined;
  role: Role;
}

/** A new, enabled user record with fresh id and timestamps. */
export function buildUser(input: NewUser, clock: Clock, ids: Ids): UserRecord {
  const now = clock.now();
  return {
    id: ids.uuid(),
    username: input.username,
    displayName: input.displayName?.trim() || input.username,
    role: input.role,
    disabled: false,
    createdAt: now,
    updatedAt: now,
  };
}

export interface SessionInfo {
  user: UserRecord;
  actor: Actor;
  csrfToken: string;
  expiresAt: number;
}

const SETUP_KEY = 'setup_token';
const KEY_CHECK = 'secret_key_check';
const TOUCH_EVERY_MS = 60_000;
export const TOKEN_PREFIX = 'wp_';

export const userActor = (u: UserRecord, ip: string | null): Actor => ({
  type: 'user',
  id: u.id,
  userId: u.id,
  name: u.username,
  role: u.role,
  scopes: null,
  ip,
});

/** Users, first-run setup, password login, sessions and API-token authentication. */
export class AuthService {
  private readonly hasher: PasswordHasher;
  constructor(private readonly d: AuthDeps) {
    this.hasher = d.hasher ?? scryptHasher;
  }

  /**
   * Confirms the secret key opens what this database was sealed with (first start: records a
   * check value). A wrong WATCHPOST_SECRET_KEY stops the server at start, not at the first secret.
   */
  async checkSecretKey(): Promise<void> {
    const sealed = await settingsRepo.get(this.d.db, KEY_CHECK);
    if (sealed === null) {
      await settingsRepo.put(
        this.d.db,
        KEY_CHECK,
        this.d.box.seal('watchpost', KEY_CHECK),
        this.d.clock.now(),
      );
      return;
    }
    this.d.box.open(sealed, KEY_CHECK);
  }

  async setupNeeded(): Promise<boolean> {
    return (await userRepo.count(this.d.db)) === 0;
  }

  /**
   * With no users yet, returns the one-time setup token (the same one on every start until it is
   * used, so several instances print the same token); null once an admin exists.
   */
  async ensureSetupToken(): Promise<string | null> {
    if (!(await this.setupNeeded())) return null;
    const sealed = await settingsRepo.get(this.d.db, SETUP_KEY);
    if (sealed) return this.d.box.open(sealed, SETUP_KEY);
    const token = this.d.ids.token(18);
    await settingsRepo.put(this.d.db, SETUP_KEY, this.d.box.seal(token, SETUP_KEY), this.d.clock.now());
    return token;
  }

  /** Creates the first admin with the setup token, which is consumed in the same transaction. */
  async completeSetup(
    input: { token: string } & Omit<NewUser, 'role'>,
    ip: string | null,
  ): Promise<UserRecord> {
    checkPassword(input.password);
    const passwordHash = await this.hasher.hash(input.password);
    return this.d.db.transaction().execute(async (trx) => {
      const sealed = await settingsRepo.get(trx, SETUP_KEY);
      const expected = sealed ? this.d.box.open(sealed, SETUP_KEY) : null;
      if ((await userRepo.count(trx)) > 0 || expected === null)
        throw new DomainError(
          'conflict',
          'setup is already complete: log in, or ask an admin for an account',
        );
      if (!safeEqual(input.token.trim(), expected))
        throw new DomainError(
          'unauthorized',
          'the setup token is wrong: use the one printed in the server log on first start',
          { details: [{ path: '/token', message: 'does not match' }] },
        );
      if (!(await settingsRepo.take(trx, SETUP_KEY)))
        throw new DomainError(
          'conflict',
          'setup is already complete: log in, or ask an admin for an account',
        );
      const user = buildUser({ ...input, role: 'admin' }, this.d.clock, this.d.ids);
      await userRepo.insert(trx, user, passwordHash);
      await audit(
        trx,
        this.d.clock,
        userActor(user, ip),
        'setup.complete',
        { type: 'user', id: user.id },
        null,
        user,
      );
      return user;
    });
  }

  /** Checks the password and opens a session. Unknown users and wrong passwords get the same answer. */
  async login(
    input: { username: string; password: string },
    client: { ip: string | null; userAgent: string | null },
  ): Promise<SessionInfo & { sessionToken: string }> {
    const found = await userRepo.byUsername(this.d.db, input.username);
    const ok = await this.hasher.verify(input.password, found?.passwordHash ?? DUMMY_HASH);
    if (!found || !ok || found.disabled) {
      await audit(
        this.d.db,
        this.d.clock,
        {
          type: 'user',
          id: found?.id ?? null,
          userId: found?.id ?? null,
          name: input.username.slice(0, 64),
          role: 'viewer',
          scopes: null,
          ip: client.ip,
        },
        'auth.login_failed',
        { type: 'user', id: found?.id ?? null },
        null,
        { reason: found?.disabled ? 'disabled' : 'bad credentials' },
      );
      throw new DomainError('unauthorized', 'wrong username or password');
    }
    const { passwordHash: _omit, ...user } = found;
    const now = this.d.clock.now();
    const sessionToken = this.d.ids.token(32);
    const csrfToken = this.d.ids.token(24);
    const expiresAt = now + this.d.sessionTtlMs;
    await this.d.db.transaction().execute(async (trx) => {
      await sessionRepo.removeExpired(trx, now);
      await sessionRepo.insert(trx, {
        idHash: sha256(sessionToken),
        userId: user.id,
        csrfToken,
        createdAt: now,
        expiresAt,
        lastSeenAt: now,
        sourceIp: client.ip,
        userAgent: client.userAgent?.slice(0, 512) ?? null,
      });
      await audit(
        trx,
        this.d.clock,
        userActor(user, client.ip),
        'auth.login',
        { type: 'user', id: user.id },
        null,
        null,
      );
    });
    return { user, actor: userActor(user, client.ip), csrfToken, expiresAt, sessionToken };
  }

  async logout(sessionToken: string, actor: Actor): Promise<void> {
    await this.d.db.transaction().execute(async (trx) => {
      await sessionRepo.remove(trx, sha256(sessionToken));
      await audit(trx, this.d.clock, actor, 'auth.logout', { type: 'user', id: actor.userId }, null, null);
    });
  }

  /** The session behind a cookie value, or null when unknown, expired or its user is disabled. */
  async authenticateSession(sessionToken: string, ip: string | null): Promise<SessionInfo | null> {
    const idHash = sha256(sessionToken);
    const s = await sessionRepo.byHash(this.d.db, idHash);
    const now = this.d.clock.now();
    if (!s || s.expiresAt <= now) return null;
    const user = await userRepo.byId(this.d.db, s.userId);
    if (!user || user.disabled) return null;
    if (now - s.lastSeenAt > TOUCH_EVERY_MS) await sessionRepo.touch(this.d.db, idHash, now);
    return { user, actor: userActor(user, ip), csrfToken: s.csrfToken, expiresAt: s.expiresAt };
  }

  /** The actor behind `Authorization: Bearer wp_…`, or null when unknown, revoked or expired. */
  async authenticateToken(token: string, ip: string | null): Promise<Actor | null> {
    if (!token.startsWith(TOKEN_PREFIX)) return null;
    const t = await tokenRepo.byHash(this.d.db, sha256(token));
    const now = this.d.clock.now();
    if (!t || t.revokedAt !== null || (t.expiresAt !== null && t.expiresAt <= now)) return null;
    const user = await userRepo.byId(this.d.db, t.userId);
    if (!user || user.disabled) return null;
    if (t.lastUsedAt === null || now - t.lastUsedAt > TOUCH_EVERY_MS)
      await tokenRepo.markUsed(this.d.db, t.id, now);
    return {
      type: 'token',
      id: t.id,
      userId: user.id,
      name: `${user.username}/${t.name}`,
      role: user.role,
      scopes: t.scopes,
      ip,
    };
  }
}

/** Constant-time string comparison. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
