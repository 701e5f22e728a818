import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { App } from '../http/server.js';
import { Nullable, errors, iso } from '../http/json.js';
import { actorOf } from '../auth/routes.js';
import { DomainError } from '../kernel/errors.js';
import type { Labels } from '../kernel/labels.js';
import { compileMatcher } from '../kernel/matchers.js';
import type { AlertService } from './alert.service.js';
import type { StoredAlert } from './alert.repo.js';
import type { MuteState } from './muting.js';
import { isMuted } from './muting.js';

export interface AlertRouteDeps {
  alerts: AlertService;
  /** Compiles Alertmanager matcher expressions (`filter[]`, `matchers`) into one predicate. */
  compileFilter: (exprs: string[]) => (labels: Labels) => boolean;
  /** Receivers of the routes that take these labels (Alertmanager's `receivers`); without it none are listed. */
  receiversOf?: (labels: Labels) => string[];
  /** Why each firing alert is muted (silences, inhibitions); without it nothing is shown muted. */
  muting?: {
    muteStates(firing: readonly StoredAlert[]): Promise<Map<string, MuteState>>;
  };
}

const LabelSet = Type.Record(Type.String(), Type.String());
const DateTime = Type.String({ format: 'date-time' });

// Its type is postable.ts's `PostableAlert`, which the materialiser builds alerts from.
const PostableAlert = Type.Object({
  labels: LabelSet,
  annotations: Type.Optional(LabelSet),
  startsAt: Type.Optional(DateTime),
  endsAt: Type.Optional(DateTime),
  generatorURL: Type.Optional(Type.String({ maxLength: 4096 })),
});

export const GettableAlert = Type.Object({
  labels: LabelSet,
  annotations: LabelSet,
  startsAt: Type.String(),
  endsAt: Type.String(),
  updatedAt: Type.String(),
  generatorURL: Type.String(),
  fingerprint: Type.String(),
  receivers: Type.Array(Type.Object({ name: Type.String() })),
  status: Type.Object({
    state: Type.Enum(['unprocessed', 'active', 'suppressed']),
    silencedBy: Type.Array(Type.String()),
    inhibitedBy: Type.Array(Type.String()),
    mutedBy: Type.Array(Type.String()),
  }),
});

const NOT_MUTED: MuteState = { silencedBy: [], inhibitedBy: [], maintenance: [], mutedBy: [] };

/**
 * Alertmanager API v2 view of a stored alert; `suppressed` when a silence, an inhibition, a
 * maintenance window or a time interval mutes it. `mutedBy` names the time intervals and the
 * maintenance windows (Watchpost's addition to what Alertmanager puts there).
 */
export const gettableAlert = (
  a: StoredAlert,
  mute: MuteState = NOT_MUTED,
  /** Receivers of the routes that take the alert (Alertmanager lists them); empty where unknown. */
  receivers: readonly string[] = [],
) => ({
  labels: a.labels,
  annotations: a.annotations,
  startsAt: iso(a.startsAt),
  endsAt: iso(a.endsAt),
  updatedAt: iso(a.updatedAt),
  generatorURL: a.generatorUrl,
  fingerprint: a.fingerprint,
  receivers: receivers.map((name) => ({ name })),
  status: {
    state: isMuted(mute) ? ('suppressed' as const) : ('active' as const),
    silencedBy: mute.silencedBy,
    inhibitedBy: mute.inhibitedBy,
    mutedBy: [...mute.mutedBy, ...mute.maintenance.map((w) => w.name)],
  },
});

const filterOf = (d: AlertRouteDeps, exprs: string[] | undefined) =>
  exprs && exprs.length ? d.compileFilter(exprs) : undefined;

export function registerAlertRoutes(app: App, d: AlertRouteDeps): void {
  // When each request arrived: its alerts count as received then, so a new group's `group_wait`
  // starts when the sender sent them. Taken when Node has read the request's head, before routing,
  // hooks (authentication), body parsing and validation, which take a millisecond or more until the
  // process's code is compiled; requests injected without a socket (tests) count from `onRequest`.
  const arrived = new WeakMap<object, number>();
  app.server.prependListener('request', (raw: { method?: string }) => {
    if (raw.method === 'POST') arrived.set(raw, d.alerts.now());
  });
  // The body's text, kept for the ingest journal (`AlertService.ingestPostable`): bodies are
  // validated strictly (no coercion, no defaults here), so the text parsed again is the body. A text
  // with a byte-order mark is parsed without it and is not kept.
  const texts = new WeakMap<object, string>();
  const parseJson = app.getDefaultJsonParser(
    app.initialConfig.onProtoPoisoning ?? 'error',
    app.initialConfig.onConstructorPoisoning ?? 'error',
  );
  void app.register(async (plugin) => {
    const scope = plugin.withTypeProvider<TypeBoxTypeProvider>();
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (req, text, done) => {
      if (typeof text === 'string' && text.charCodeAt(0) !== 0xfeff) texts.set(req, text);
      void parseJson(req, text as string, done);
    });
    scope.post(
      '/api/v2/alerts',
      {
        config: { permission: 'ingest' },
        onRequest: async (req) => {
          if (!arrived.has(req.raw)) arrived.set(req.raw, d.alerts.now());
        },
        schema: {
          tags: ['alertmanager'],
          summary: 'Receive alerts (Alertmanager API v2: Prometheus sends here)',
          body: Type.Array(PostableAlert, { maxItems: 10_000 }),
          response: errors(),
        },
      },
      async (req, reply) => {
        const r = await d.alerts.ingestPostable(actorOf(req), req.body, texts.get(req), arrived.get(req.raw));
        if (r.problems.length) {
          const bad = new Set(r.problems.map((p) => p.path.split('/')[1])).size;
          throw new DomainError(
            'invalid',
            `${bad} of ${req.body.length} alerts were invalid and not stored (the other ${r.accepted} were): ${r.problems
              .map((p) => `${p.path}: ${p.message}`)
              .join('; ')}`,
            { details: r.problems },
          );
        }
        // Alertmanager answers an empty 200.
        return reply.status(200).send('');
      },
    );
  });

  app.get(
    '/api/v2/alerts',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['alertmanager'],
        summary: 'Firing alerts (Alertmanager API v2)',
        querystring: Type.Object({
          active: Type.Optional(Type.Boolean()),
          silenced: Type.Optional(Type.Boolean()),
          inhibited: Type.Optional(Type.Boolean()),
          unprocessed: Type.Optional(Type.Boolean()),
          filter: Type.Optional(Type.Array(Type.String())),
          receiver: Type.Optional(Type.String()),
        }),
        response: { 200: Type.Array(GettableAlert), ...errors() },
      },
    },
    async (req) => {
      const q = req.query;
      const filter = filterOf(d, q.filter);
      // Alertmanager's `receiver`: a fully anchored regular expression, any of the alert's receivers.
      const receiver =
        q.receiver === undefined
          ? undefined
          : compileMatcher({ name: 'receiver', type: '=~', value: q.receiver });
      // Inhibition sources are all firing alerts, not only those the filter selects.
      const firing = await d.alerts.active(actorOf(req));
      const mutes = d.muting ? await d.muting.muteStates(firing) : new Map<string, MuteState>();
      // Alertmanager's flags: each absent one (default true) lets its kind of alert through.
      return firing
        .filter((a) => !filter || filter(a.labels))
        .map((a) => gettableAlert(a, mutes.get(a.fingerprint), d.receiversOf?.(a.labels)))
        .filter(
          (a) =>
            (!receiver || a.receivers.some((r) => receiver.matchesValue(r.name))) &&
            (q.active !== false || a.status.state !== 'active') &&
            (q.silenced !== false || a.status.silencedBy.length === 0) &&
            (q.inhibited !== false || a.status.inhibitedBy.length === 0),
        );
    },
  );

  app.get(
    '/api/v1/alerts',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['alerts'],
        summary: 'Search every alert that fired, firing or resolved, newest first',
        querystring: Type.Object({
          state: Type.Optional(Type.Enum(['firing', 'resolved'])),
          matchers: Type.Optional(
            Type.Array(Type.String(), {
              description: 'Alertmanager matchers, e.g. {service="erp", severity=~"P0|P1"}',
            }),
          ),
          alertname: Type.Optional(Type.String()),
          from: Type.Optional(DateTime),
          to: Type.Optional(DateTime),
          before: Type.Optional(Type.Integer({ minimum: 1 })),
          limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                episodeId: Type.Integer(),
                firedAt: Type.String(),
                resolvedAt: Nullable(Type.String()),
                state: Type.Enum(['firing', 'resolved']),
                severity: Nullable(Type.String()),
                source: Type.String(),
                alert: GettableAlert,
              }),
            ),
            nextBefore: Nullable(Type.Integer()),
          }),
          ...errors(),
        },
      },
    },
    async (req) => {
      const q = req.query;
      const page = await d.alerts.history(actorOf(req), {
        state: q.state,
        alertname: q.alertname,
        from: q.from ? Date.parse(q.from) : undefined,
        to: q.to ? Date.parse(q.to) : undefined,
        before: q.before,
        limit: q.limit,
        filter: filterOf(d, q.matchers),
      });
      return {
        items: page.items.map(({ episode, alert }) => ({
          episodeId: episode.id,
          firedAt: iso(episode.startedAt),
          resolvedAt: episode.endedAt === null ? null : iso(episode.endedAt),
          state: episode.endedAt === null ? ('firing' as const) : ('resolved' as const),
          severity: alert.severity,
          source: alert.source,
          alert: gettableAlert(alert),
        })),
        nextBefore: page.nextBefore,
      };
    },
  );
}
