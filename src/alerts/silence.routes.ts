import { Type } from 'typebox';
import type { Static } from 'typebox';
import type { App } from '../http/server.js';
import type { Clock } from '../kernel/clock.js';
import { IdParams, Nullable, errors, iso } from '../http/json.js';
import { actorOf } from '../auth/routes.js';
import { DomainError, isDomainError } from '../kernel/errors.js';
import type { Matcher } from '../kernel/matchers.js';
import { parseMatchers, toApiMatcher } from '../kernel/matchers.js';
import type { SilenceRequest, SilenceService } from './silence.service.js';
import type { Silence } from './silence.js';
import { matcherFromApi, silenceState } from './silence.js';
import { GettableAlert, gettableAlert } from './routes.js';

export interface SilenceRouteDeps {
  silences: SilenceService;
  /** Decides each silence's state (pending, active, expired) in answers. */
  clock: Clock;
}

const DateTime = Type.String({ format: 'date-time' });

const ApiMatcher = Type.Object({
  name: Type.String({ maxLength: 256 }),
  value: Type.String({ maxLength: 4096 }),
  isRegex: Type.Boolean(),
  isEqual: Type.Optional(Type.Boolean({ description: 'false negates the matcher (!= or !~); default true' })),
});

const PostableSilence = Type.Object({
  id: Type.Optional(
    Type.String({ maxLength: 64, description: 'An existing silence to change; omit (or "") for a new one' }),
  ),
  matchers: Type.Array(ApiMatcher, { maxItems: 64 }),
  startsAt: Type.Optional(Type.String({ format: 'date-time', description: 'Default: now' })),
  endsAt: DateTime,
  createdBy: Type.Optional(
    Type.String({ maxLength: 256, description: 'Default (or ""): the authenticated user’s name' }),
  ),
  comment: Type.String({ maxLength: 10_000 }),
  reason: Type.Optional(
    Nullable(
      Type.String({
        maxLength: 2000,
        description: 'Watchpost addition: why (a ticket, a deploy); shown by /api/v1/silences only',
      }),
    ),
  ),
});

const MatcherOut = Type.Object({
  name: Type.String(),
  value: Type.String(),
  isRegex: Type.Boolean(),
  isEqual: Type.Boolean(),
});

const gettableFields = {
  id: Type.String(),
  status: Type.Object({ state: Type.Enum(['expired', 'active', 'pending']) }),
  updatedAt: Type.String(),
  matchers: Type.Array(MatcherOut),
  startsAt: Type.String(),
  endsAt: Type.String(),
  createdBy: Type.String(),
  comment: Type.String(),
};

/** Alertmanager's gettableSilence, field for field. */
const GettableSilence = Type.Object(gettableFields);

/** Watchpost's own view: Alertmanager's fields plus the reason and the creation time. */
const WatchpostSilence = Type.Object({
  ...gettableFields,
  reason: Nullable(Type.String()),
  createdAt: Type.String(),
});

const gettableSilence = (s: Silence, now: number) => ({
  id: s.id,
  status: { state: silenceState(s, now) },
  updatedAt: iso(s.updatedAt),
  matchers: s.matchers.map(toApiMatcher),
  startsAt: iso(s.startsAt),
  endsAt: iso(s.endsAt),
  createdBy: s.createdBy,
  comment: s.comment,
});

const watchpostSilence = (s: Silence, now: number) => ({
  ...gettableSilence(s, now),
  reason: s.reason,
  createdAt: iso(s.createdAt),
});

const toRequest = (b: Static<typeof PostableSilence>): SilenceRequest => ({
  id: b.id === '' ? undefined : b.id,
  matchers: b.matchers.map(matcherFromApi),
  startsAt: b.startsAt === undefined ? null : Date.parse(b.startsAt),
  endsAt: Date.parse(b.endsAt),
  createdBy: b.createdBy,
  comment: b.comment,
  reason: b.reason,
});

/** Matcher expressions from a query parameter, each `{a="b", c=~"d"}` or `a="b"`; errors name the parameter. */
function parseQueryMatchers(param: string, exprs: readonly string[] | undefined): Matcher[] {
  return (exprs ?? []).flatMap((e, i) => {
    try {
      return parseMatchers(e);
    } catch (err) {
      if (!isDomainError(err)) throw err;
      const path = `querystring:/${param}/${i}`;
      throw new DomainError('invalid', `${param} ${JSON.stringify(e)}: ${err.message}`, {
        details: [{ path, message: err.message }],
      });
    }
  });
}

export function registerSilenceRoutes(app: App, d: SilenceRouteDeps): void {
  const now = () => d.clock.now();

  app.get(
    '/api/v2/silences',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['alertmanager'],
        summary: 'Silences, expired ones included (Alertmanager API v2)',
        description:
          'A silence is listed when every `filter` matcher is one of its matchers, with the same name, operator and value (Alertmanager’s semantics).',
        querystring: Type.Object({ filter: Type.Optional(Type.Array(Type.String())) }),
        response: { 200: Type.Array(GettableSilence), ...errors() },
      },
    },
    async (req) => {
      const list = await d.silences.list(actorOf(req), {
        matchers: req.query.filter ? parseQueryMatchers('filter', req.query.filter) : undefined,
      });
      const t = now();
      return list.map((s) => gettableSilence(s, t));
    },
  );

  app.post(
    '/api/v2/silences',
    {
      config: { permission: 'respond' },
      schema: {
        tags: ['alertmanager'],
        summary: 'Create a silence, or change one by id (Alertmanager API v2)',
        description:
          'With the id of an active or pending silence and unchanged matchers, the silence is updated in place; otherwise the old one expires and a new id is returned.',
        body: PostableSilence,
        response: { 200: Type.Object({ silenceID: Type.String() }), ...errors(404) },
      },
    },
    async (req) => {
      const r = await d.silences.upsert(actorOf(req), toRequest(req.body));
      return { silenceID: r.id };
    },
  );

  app.get(
    '/api/v2/silence/:id',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['alertmanager'],
        summary: 'One silence (Alertmanager API v2)',
        params: IdParams,
        response: { 200: GettableSilence, ...errors(404) },
      },
    },
    async (req) => gettableSilence(await d.silences.get(actorOf(req), req.params.id), now()),
  );

  app.delete(
    '/api/v2/silence/:id',
    {
      config: { permission: 'respond' },
      schema: {
        tags: ['alertmanager'],
        summary: 'Expire a silence now (Alertmanager API v2); an expired one stays expired',
        params: IdParams,
        response: errors(404),
      },
    },
    async (req, reply) => {
      await d.silences.expire(actorOf(req), req.params.id);
      return reply.status(200).send('');
    },
  );

  app.get(
    '/api/v1/silences/preview',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['silences'],
        summary: 'The firing alerts a silence with these matchers would mute now',
        querystring: Type.Object({
          matchers: Type.Array(Type.String(), {
            description: 'Alertmanager matchers, e.g. {alertname="DiskFull", instance=~"db-.*"}',
          }),
        }),
        response: { 200: Type.Object({ alerts: Type.Array(GettableAlert) }), ...errors() },
      },
    },
    async (req) => {
      const alerts = await d.silences.preview(
        actorOf(req),
        parseQueryMatchers('matchers', req.query.matchers),
      );
      return { alerts: alerts.map((a) => gettableAlert(a)) };
    },
  );

  app.get(
    '/api/v1/silences',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['silences'],
        summary: 'Silences with Watchpost’s fields (reason, createdAt), expired ones included',
        querystring: Type.Object({
          state: Type.Optional(Type.Enum(['expired', 'active', 'pending'])),
          filter: Type.Optional(Type.Array(Type.String())),
        }),
        response: { 200: Type.Object({ items: Type.Array(WatchpostSilence) }), ...errors() },
      },
    },
    async (req) => {
      const list = await d.silences.list(actorOf(req), {
        state: req.query.state,
        matchers: req.query.filter ? parseQueryMatchers('filter', req.query.filter) : undefined,
      });
      const t = now();
      return { items: list.map((s) => watchpostSilence(s, t)) };
    },
  );

  app.get(
    '/api/v1/silences/:id',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['silences'],
        summary: 'One silence with Watchpost’s fields',
        params: IdParams,
        response: { 200: WatchpostSilence, ...errors(404) },
      },
    },
    async (req) => watchpostSilence(await d.silences.get(actorOf(req), req.params.id), now()),
  );

  app.post(
    '/api/v1/silences',
    {
      config: { permission: 'respond' },
      schema: {
        tags: ['silences'],
        summary: 'Create or change a silence (as POST /api/v2/silences) and get it back whole',
        body: PostableSilence,
        response: {
          200: Type.Object({
            silence: WatchpostSilence,
            outcome: Type.Enum(['created', 'updated', 'replaced']),
            replaces: Nullable(Type.String()),
          }),
          ...errors(404),
        },
      },
    },
    async (req) => {
      const r = await d.silences.upsert(actorOf(req), toRequest(req.body));
      return { silence: watchpostSilence(r.silence, now()), outcome: r.outcome, replaces: r.replaces };
    },
  );
}
