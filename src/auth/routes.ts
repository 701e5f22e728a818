import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../http/server.js';
import { CSRF_HEADER, SESSION_COOKIE } from '../http/server.js';
import { IdParams, Nullable, errors, iso, isoOrNull } from '../http/json.js';
import { rateLimited } from '../http/errors.js';
import { DomainError } from '../kernel/errors.js';
import type { AuthService } from './auth.service.js';
import type { AccountService } from './account.service.js';
import type { TeamService } from './team.service.js';
import type { AuditService } from './audit.js';
import type { UserRecord } from './user.repo.js';
import type { TeamRecord } from './team.repo.js';
import type { TokenRecord } from './access.repo.js';
import type { Actor } from './model.js';
import { MAX_PASSWORD_LENGTH, ROLES, SCOPES, USERNAME_PATTERN } from './model.js';

export interface AuthRouteDeps {
  auth: AuthService;
  accounts: AccountService;
  teams: TeamService;
  audit: AuditService;
  sessionTtlMs: number;
  secureCookies: 'auto' | 'always' | 'never';
  loginRateLimit: { max: number; windowMs: number };
}

const Role = Type.Enum([...ROLES]);
const Scope = Type.Enum([...SCOPES]);
const Username = Type.String({
  pattern: USERNAME_PATTERN,
  description: 'letters, digits and . _ @ -; at most 64',
});
const Password = Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH });
const DisplayName = Type.String({ maxLength: 128 });

const User = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  role: Role,
  disabled: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
});
const Team = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  managedBy: Nullable(Type.String()),
  members: Type.Array(Type.Object({ userId: Type.String(), username: Type.String(), role: Role })),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
const Token = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String(),
  scopes: Type.Array(Scope),
  username: Type.String(),
  createdAt: Type.String(),
  lastUsedAt: Nullable(Type.String()),
  expiresAt: Nullable(Type.String()),
});
const SessionAnswer = Type.Object({ user: User, csrfToken: Type.String(), expiresAt: Type.String() });

export const userJson = (u: UserRecord) => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  role: u.role,
  disabled: u.disabled,
  createdAt: iso(u.createdAt),
});
const teamJson = (t: TeamRecord) => ({ ...t, createdAt: iso(t.createdAt), updatedAt: iso(t.updatedAt) });
const tokenJson = (t: TokenRecord & { username: string }) => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  scopes: t.scopes,
  username: t.username,
  createdAt: iso(t.createdAt),
  lastUsedAt: isoOrNull(t.lastUsedAt),
  expiresAt: isoOrNull(t.expiresAt),
});

/** The authenticated actor of a route that declared a permission (the hook guarantees it). */
export const actorOf = (req: FastifyRequest): Actor => {
  if (!req.actor) throw new DomainError('unauthorized', 'log in, or send an API token');
  return req.actor;
};

export function registerAuthRoutes(app: App, d: AuthRouteDeps): void {
  const setCookie = (req: FastifyRequest, reply: FastifyReply, value: string, maxAgeMs: number): void => {
    const secure = d.secureCookies === 'always' || (d.secureCookies === 'auto' && req.protocol === 'https');
    void reply.setCookie(SESSION_COOKIE, value, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure,
      maxAge: Math.floor(maxAgeMs / 1000),
    });
  };

  app.get(
    '/api/v1/setup',
    {
      schema: {
        tags: ['auth'],
        summary: 'Whether the first admin still has to be created',
        response: { 200: Type.Object({ needed: Type.Boolean() }) },
      },
    },
    async () => ({ needed: await d.auth.setupNeeded() }),
  );

  app.post(
    '/api/v1/setup',
    {
      config: {
        rateLimit: {
          max: d.loginRateLimit.max,
          timeWindow: d.loginRateLimit.windowMs,
          errorResponseBuilder: (_r, c) => rateLimited(c.ttl / 1000),
        },
      },
      schema: {
        tags: ['auth'],
        summary: 'Create the first admin with the one-time setup token printed on first start',
        body: Type.Object(
          {
            token: Type.String({ minLength: 1, maxLength: 200 }),
            username: Username,
            password: Password,
            displayName: Type.Optional(DisplayName),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ user: User }), ...errors(409, 429) },
      },
    },
    async (req, reply) => {
      const user = await d.auth.completeSetup(req.body, req.ip);
      return reply.status(201).send({ user: userJson(user) });
    },
  );

  app.post(
    '/api/v1/auth/login',
    {
      config: {
        rateLimit: {
          max: d.loginRateLimit.max,
          timeWindow: d.loginRateLimit.windowMs,
          errorResponseBuilder: (_r, c) => rateLimited(c.ttl / 1000),
        },
      },
      schema: {
        tags: ['auth'],
        summary: 'Log in with username and password; sets the session cookie',
        body: Type.Object(
          { username: Type.String({ minLength: 1, maxLength: 64 }), password: Password },
          { additionalProperties: false },
        ),
        response: { 200: SessionAnswer, ...errors(429) },
      },
    },
    async (req, reply) => {
      const s = await d.auth.login(req.body, { ip: req.ip, userAgent: req.headers['user-agent'] ?? null });
      setCookie(req, reply, s.sessionToken, d.sessionTtlMs);
      return { user: userJson(s.user), csrfToken: s.csrfToken, expiresAt: iso(s.expiresAt) };
    },
  );

  app.get(
    '/api/v1/auth/session',
    {
      schema: {
        tags: ['auth'],
        summary: `The logged-in user and the CSRF token to send as ${CSRF_HEADER} on writes`,
        response: { 200: SessionAnswer, ...errors() },
      },
    },
    async (req) => {
      const token = req.cookies[SESSION_COOKIE];
      const s = token ? await d.auth.authenticateSession(token, req.ip) : null;
      if (!s) throw new DomainError('unauthorized', 'not logged in');
      return { user: userJson(s.user), csrfToken: s.csrfToken, expiresAt: iso(s.expiresAt) };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      config: { permission: 'read' },
      schema: { tags: ['auth'], summary: 'End the session', response: { 204: Type.Null() } },
    },
    async (req, reply) => {
      if (req.sessionToken) await d.auth.logout(req.sessionToken, actorOf(req));
      setCookie(req, reply, '', 0);
      return reply.status(204).send(null);
    },
  );

  // Users
  app.get(
    '/api/v1/users',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['users'],
        summary: 'List users',
        response: { 200: Type.Object({ items: Type.Array(User) }) },
      },
    },
    async (req) => ({ items: (await d.accounts.listUsers(actorOf(req))).map(userJson) }),
  );
  app.post(
    '/api/v1/users',
    {
      config: { permission: 'admin' },
      schema: {
        tags: ['users'],
        summary: 'Create a user (admin)',
        body: Type.Object(
          { username: Username, password: Password, displayName: Type.Optional(DisplayName), role: Role },
          { additionalProperties: false },
        ),
        response: { 201: User, ...errors(409) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(userJson(await d.accounts.createUser(actorOf(req), req.body))),
  );
  app.patch(
    '/api/v1/users/:id',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['users'],
        summary: 'Change a user: your own name and password, or anything as admin',
        params: IdParams,
        body: Type.Object(
          {
            displayName: Type.Optional(DisplayName),
            role: Type.Optional(Role),
            disabled: Type.Optional(Type.Boolean()),
            password: Type.Optional(Password),
          },
          { additionalProperties: false },
        ),
        response: { 200: User, ...errors(404, 409) },
      },
    },
    async (req) => userJson(await d.accounts.updateUser(actorOf(req), req.params.id, req.body)),
  );
  app.delete(
    '/api/v1/users/:id',
    {
      config: { permission: 'admin' },
      schema: {
        tags: ['users'],
        summary: 'Delete a user (admin)',
        params: IdParams,
        response: { 204: Type.Null(), ...errors(404, 409) },
      },
    },
    async (req, reply) => {
      await d.accounts.removeUser(actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );

  // API tokens
  app.get(
    '/api/v1/tokens',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['tokens'],
        summary: "Your API tokens (admins: everyone's with ?all=true)",
        querystring: Type.Object({ all: Type.Optional(Type.Boolean()) }),
        response: { 200: Type.Object({ items: Type.Array(Token) }) },
      },
    },
    async (req) => ({
      items: (await d.accounts.listTokens(actorOf(req), req.query.all ?? false)).map(tokenJson),
    }),
  );
  app.post(
    '/api/v1/tokens',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['tokens'],
        summary: 'Create an API token; the plaintext is in this answer only',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 100 }),
            scopes: Type.Array(Scope, { minItems: 1 }),
            expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
            username: Type.Optional(Username),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ token: Type.String(), item: Token }), ...errors(404) },
      },
    },
    async (req, reply) => {
      const { token, record } = await d.accounts.createToken(actorOf(req), req.body);
      return reply.status(201).send({ token, item: tokenJson(record) });
    },
  );
  app.delete(
    '/api/v1/tokens/:id',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['tokens'],
        summary: 'Revoke an API token',
        params: IdParams,
        response: { 204: Type.Null(), ...errors(404) },
      },
    },
    async (req, reply) => {
      await d.accounts.revokeToken(actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );

  // Teams
  app.get(
    '/api/v1/teams',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['teams'],
        summary: 'List teams with members',
        response: { 200: Type.Object({ items: Type.Array(Team) }) },
      },
    },
    async (req) => ({ items: (await d.teams.list(actorOf(req))).map(teamJson) }),
  );
  app.get(
    '/api/v1/teams/:id',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['teams'],
        summary: 'One team',
        params: IdParams,
        response: { 200: Team, ...errors(404) },
      },
    },
    async (req) => teamJson(await d.teams.get(actorOf(req), req.params.id)),
  );
  app.post(
    '/api/v1/teams',
    {
      config: { permission: 'admin' },
      schema: {
        tags: ['teams'],
        summary: 'Create a team (admin)',
        body: Type.Object(
          {
            name: Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,62}$' }),
            description: Type.Optional(Type.String({ maxLength: 500 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Team, ...errors(409) },
      },
    },
    async (req, reply) => reply.status(201).send(teamJson(await d.teams.create(actorOf(req), req.body))),
  );
  app.patch(
    '/api/v1/teams/:id',
    {
      config: { permission: 'write' },
      schema: {
        tags: ['teams'],
        summary: 'Change a team (admin or the team’s admins); config-managed teams are read-only',
        params: IdParams,
        body: Type.Object(
          { description: Type.Optional(Type.String({ maxLength: 500 })) },
          { additionalProperties: false },
        ),
        response: { 200: Team, ...errors(404, 409) },
      },
    },
    async (req) => teamJson(await d.teams.update(actorOf(req), req.params.id, req.body)),
  );
  app.put(
    '/api/v1/teams/:id/members',
    {
      config: { permission: 'write' },
      schema: {
        tags: ['teams'],
        summary: 'Replace the member list',
        params: IdParams,
        body: Type.Object(
          {
            members: Type.Array(
              Type.Object({ username: Username, role: Role }, { additionalProperties: false }),
              { maxItems: 1000 },
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Team, ...errors(404, 409) },
      },
    },
    async (req) => teamJson(await d.teams.setMembers(actorOf(req), req.params.id, req.body.members)),
  );
  app.delete(
    '/api/v1/teams/:id',
    {
      config: { permission: 'admin' },
      schema: {
        tags: ['teams'],
        summary: 'Delete a team (admin)',
        params: IdParams,
        response: { 204: Type.Null(), ...errors(404, 409) },
      },
    },
    async (req, reply) => {
      await d.teams.remove(actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );

  // Audit log
  app.get(
    '/api/v1/audit',
    {
      config: { permission: 'admin' },
      schema: {
        tags: ['audit'],
        summary: 'The audit log, newest first (admin)',
        querystring: Type.Object({
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
          before: Type.Optional(Type.Integer({ minimum: 1 })),
          actor: Type.Optional(Type.String()),
          action: Type.Optional(Type.String()),
          targetType: Type.Optional(Type.String()),
          targetId: Type.Optional(Type.String()),
          from: Type.Optional(Type.String({ format: 'date-time' })),
          to: Type.Optional(Type.String({ format: 'date-time' })),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Type.Integer(),
                at: Type.String(),
                actor: Type.Object({ type: Type.String(), id: Nullable(Type.String()), name: Type.String() }),
                action: Type.String(),
                targetType: Type.String(),
                targetId: Nullable(Type.String()),
                before: Type.Unknown(),
                after: Type.Unknown(),
                sourceIp: Nullable(Type.String()),
              }),
            ),
            nextBefore: Nullable(Type.Integer()),
          }),
        },
      },
    },
    async (req) => {
      const q = req.query;
      const page = await d.audit.list(actorOf(req), {
        ...q,
        from: q.from ? Date.parse(q.from) : undefined,
        to: q.to ? Date.parse(q.to) : undefined,
      });
      return { items: page.items.map((e) => ({ ...e, at: iso(e.at) })), nextBefore: page.nextBefore };
    },
  );
}
