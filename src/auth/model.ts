// Pure: who may do what. Imports only from kernel/.
import { DomainError } from '../kernel/errors.js';

export const ROLES = ['viewer', 'responder', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const SCOPES = ['ingest', 'read', 'respond', 'write', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/**
 * What a route needs. `read` views, `respond` acts on alerts and incidents (acknowledge, silence),
 * `write` changes configuration, `admin` manages users, tokens and the audit log, `ingest` sends
 * signals (alerts, pings, metrics, events).
 */
export type Permission = 'read' | 'respond' | 'write' | 'admin' | 'ingest';

export type ActorType = 'user' | 'token' | 'anonymous' | 'system' | 'config';

/** Whoever is making a change: recorded in the audit log, checked by `allows`. */
export interface Actor {
  type: ActorType;
  /** The user's id for `user`, the token's id for `token`. */
  id: string | null;
  /** The acting user's id (the token's owner for `token`). */
  userId: string | null;
  name: string;
  role: Role;
  /** Scopes for token actors; null for sessions and internal actors. */
  scopes: readonly Scope[] | null;
  ip: string | null;
}

const RANK: Record<Role, number> = { viewer: 0, responder: 1, editor: 2, admin: 3 };

const ROLE_NEEDED: Record<Permission, Role> = {
  read: 'viewer',
  respond: 'responder',
  write: 'editor',
  admin: 'admin',
  ingest: 'editor',
};

const SCOPE_GRANTS: Record<Scope, readonly Permission[]> = {
  ingest: ['ingest'],
  read: ['read'],
  respond: ['read', 'respond'],
  write: ['read', 'respond', 'write', 'ingest'],
  admin: ['read', 'respond', 'write', 'ingest', 'admin'],
};

export const roleAtLeast = (role: Role, needed: Role): boolean => RANK[role] >= RANK[needed];

/**
 * True when the actor may exercise `permission`: its role must reach the permission's role and, for
 * an API token, one of its scopes must grant it. A token never exceeds its owner's role, and an
 * `ingest` token does nothing but ingest.
 */
export function allows(actor: Actor, permission: Permission): boolean {
  if (actor.type === 'token' || actor.type === 'anonymous') {
    const granted = (actor.scopes ?? []).some((s) => SCOPE_GRANTS[s].includes(permission));
    if (!granted) return false;
    if (permission === 'ingest') return true;
  }
  return roleAtLeast(actor.role, ROLE_NEEDED[permission]);
}

/** Throws `forbidden` naming what was missing, so the caller knows which role or scope to ask for. */
export function requirePermission(actor: Actor, permission: Permission): void {
  if (allows(actor, permission)) return;
  const why =
    actor.type === 'token'
      ? `this API token has scopes [${(actor.scopes ?? []).join(', ')}] and belongs to a ${actor.role}`
      : `you are ${actor.role === 'admin' ? 'an' : 'a'} ${actor.role}`;
  throw new DomainError(
    'forbidden',
    `${permission} permission needed (role ${ROLE_NEEDED[permission]} or higher${actor.type === 'token' ? `, token scope ${scopeFor(permission)}` : ''}); ${why}`,
  );
}

const scopeFor = (p: Permission): Scope =>
  p === 'ingest'
    ? 'ingest'
    : p === 'admin'
      ? 'admin'
      : p === 'read'
        ? 'read'
        : p === 'respond'
          ? 'respond'
          : 'write';

/**
 * A request with no credentials, where the configuration allows it (`auth.anonymous`): it holds
 * exactly those permissions as scopes, and never more than a viewer besides ingesting.
 */
export const anonymousActor = (permissions: readonly ('ingest' | 'read')[], ip: string | null): Actor => ({
  type: 'anonymous',
  id: null,
  userId: null,
  name: 'anonymous',
  role: 'viewer',
  scopes: permissions,
  ip,
});

/** The internal actors, for changes made by Watchpost itself or by the configuration file. */
export const systemActor = (name = 'watchpost'): Actor => ({
  type: 'system',
  id: null,
  userId: null,
  name,
  role: 'admin',
  scopes: null,
  ip: null,
});

export const configActor = (file: string): Actor => ({
  type: 'config',
  id: null,
  userId: null,
  name: `config:${file}`,
  role: 'admin',
  scopes: null,
  ip: null,
});

export const USERNAME_PATTERN = '^[a-zA-Z0-9][a-zA-Z0-9._@-]{0,63}$';
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;

/** Password rules a person can follow: length only (NIST SP 800-63B), no composition rules. */
export function checkPassword(password: string, path = '/password'): void {
  if (password.length < MIN_PASSWORD_LENGTH)
    throw new DomainError(
      'invalid',
      `password is too short: use at least ${MIN_PASSWORD_LENGTH} characters`,
      {
        details: [{ path, message: `must be at least ${MIN_PASSWORD_LENGTH} characters` }],
      },
    );
  if (password.length > MAX_PASSWORD_LENGTH)
    throw new DomainError('invalid', `password is too long: use at most ${MAX_PASSWORD_LENGTH} characters`, {
      details: [{ path, message: `must be at most ${MAX_PASSWORD_LENGTH} characters` }],
    });
}
