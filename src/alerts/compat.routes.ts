// The rest of Alertmanager API v2 (0.25) and its management endpoints, with Alertmanager's JSON
// shapes, so that amtool (`config show`, `config routes`, `alert query` grouped views, `cluster
// show`) and dashboards written for Alertmanager read Watchpost unchanged. Alerts and silences are
// in routes.ts and silence.routes.ts. Differences from Alertmanager are listed in
// docs/alertmanager-api.md.
import { Type } from 'typebox';
import type { App } from '../http/server.js';
import { errors, iso } from '../http/json.js';
import { actorOf } from '../auth/routes.js';
import type { Actor } from '../auth/model.js';
import type { Labels } from '../kernel/labels.js';
import { compileMatcher } from '../kernel/matchers.js';
import type { AlertmanagerPart } from '../config/alertmanager.export.js';
import { toAlertmanagerYaml } from '../config/alertmanager.export.js';
import type { Readiness } from '../http/health.routes.js';
import type { AlertService } from './alert.service.js';
import type { StoredAlert } from './alert.repo.js';
import type { MuteState } from './muting.js';
import { alertGroups } from './alert-groups.js';
import { compileRoutes } from './route.js';
import type { CompiledRoute } from './route.js';
import { GettableAlert, gettableAlert } from './routes.js';

export interface CompatRouteDeps {
  alerts: Pick<AlertService, 'active'>;
  /** Compiles Alertmanager matcher expressions (`filter[]`) into one predicate. */
  compileFilter: (exprs: string[]) => (labels: Labels) => boolean;
  /** Why each firing alert is muted; without it nothing is shown muted. */
  muting?: {
    muteStates(firing: readonly StoredAlert[]): Promise<Map<string, MuteState>>;
  };
  /** The route tree, receivers, inhibit rules and time intervals in force. */
  config: () => AlertmanagerPart;
  /** Watchpost's version, shown as `versionInfo.version`. */
  version: string;
  /** When this process started (epoch ms), shown as `uptime` as Alertmanager does. */
  startedAt: number;
  /** The same check as `/readyz` (the database answers, no migration pending). */
  ready: () => Promise<Readiness>;
  /** `POST /api/v1/config/reload`: re-reads the configuration file; needs `admin`. */
  reload: (actor: Actor) => Promise<unknown>;
}

const LabelSet = Type.Record(Type.String(), Type.String());

const AlertmanagerStatus = Type.Object({
  cluster: Type.Object({
    name: Type.Optional(Type.String()),
    status: Type.Enum(['ready', 'settling', 'disabled'], {
      description: 'Always "disabled": Watchpost instances share state through the database, not gossip.',
    }),
    peers: Type.Array(Type.Object({ name: Type.String(), address: Type.String() })),
  }),
  versionInfo: Type.Object({
    branch: Type.String(),
    buildDate: Type.String(),
    buildUser: Type.String(),
    goVersion: Type.String({ description: 'The Node.js version Watchpost runs on.' }),
    revision: Type.String(),
    version: Type.String({ description: 'Watchpost’s version.' }),
  }),
  config: Type.Object({
    original: Type.String({
      description:
        'The route tree, receivers, inhibit rules and time intervals in force, in Alertmanager’s YAML, credentials shown as <secret>.',
    }),
  }),
  uptime: Type.String({ format: 'date-time', description: 'When this process started.' }),
});

const Receiver = Type.Object({ name: Type.String() });

const AlertGroup = Type.Object({
  labels: LabelSet,
  receiver: Receiver,
  alerts: Type.Array(GettableAlert),
});

const PLAIN = 'text/plain; charset=utf-8';

export function registerCompatRoutes(app: App, d: CompatRouteDeps): void {
  /** The compiled route tree of the configuration in force; compiled again only when it changes. */
  let compiled: { route: AlertmanagerPart['route']; root: CompiledRoute } | null = null;
  const root = (): CompiledRoute => {
    const route = d.config().route;
    if (compiled?.route !== route) compiled = { route, root: compileRoutes(route) };
    return compiled.root;
  };

  app.get(
    '/api/v2/status',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['alertmanager'],
        summary: 'Status and configuration (Alertmanager API v2: amtool config show / config routes read it)',
        description:
          '`config.original` is the Alertmanager-compatible part of the configuration file in force, written back in Alertmanager’s syntax (`watchpost config export --format alertmanager` writes the same with credentials).',
        response: { 200: AlertmanagerStatus, ...errors() },
      },
    },
    async () => ({
      cluster: { status: 'disabled' as const, peers: [] },
      versionInfo: {
        branch: 'unknown',
        buildDate: 'unknown',
        buildUser: 'watchpost',
        goVersion: process.version,
        revision: 'unknown',
        version: d.version,
      },
      config: { original: toAlertmanagerYaml(d.config(), { secrets: 'mask' }) },
      uptime: iso(d.startedAt),
    }),
  );

  app.get(
    '/api/v2/receivers',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['alertmanager'],
        summary: 'Receiver names (Alertmanager API v2)',
        response: { 200: Type.Array(Receiver), ...errors() },
      },
    },
    async () => d.config().receivers.map((r) => ({ name: r.name })),
  );

  app.get(
    '/api/v2/alerts/groups',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['alertmanager'],
        summary: 'Firing alerts by aggregation group (Alertmanager API v2)',
        description:
          'One entry per route and values of its group_by labels, as the route tree groups the firing alerts now. `receiver` is a regular expression (fully anchored) on the group’s receiver.',
        querystring: Type.Object({
          active: Type.Optional(
            Type.Boolean({ description: 'Include alerts neither silenced nor inhibited (default true).' }),
          ),
          silenced: Type.Optional(Type.Boolean({ description: 'Include silenced alerts (default true).' })),
          inhibited: Type.Optional(Type.Boolean({ description: 'Include inhibited alerts (default true).' })),
          filter: Type.Optional(
            Type.Array(Type.String(), {
              description: 'Matchers every alert must satisfy, e.g. severity=~"P0|P1".',
            }),
          ),
          receiver: Type.Optional(Type.String({ description: 'Regular expression on the receiver name.' })),
        }),
        response: { 200: Type.Array(AlertGroup), ...errors() },
      },
    },
    async (req) => {
      const q = req.query;
      const filter = q.filter?.length ? d.compileFilter(q.filter) : undefined;
      const receiver =
        q.receiver === undefined
          ? undefined
          : compileMatcher({ name: 'receiver', type: '=~', value: q.receiver });
      // Inhibition sources are all firing alerts, not only those the filter selects.
      const firing = await d.alerts.active(actorOf(req));
      const mutes = d.muting ? await d.muting.muteStates(firing) : new Map<string, MuteState>();
      const { groups, receivers } = alertGroups(
        root(),
        firing.map((a) => ({ stored: a, labels: a.labels, fingerprint: a.fingerprint })),
        (route) => !receiver || receiver.matchesValue(route.node.receiver),
        ({ stored }) => {
          if (filter && !filter(stored.labels)) return false;
          const s = gettableAlert(stored, mutes.get(stored.fingerprint)).status;
          return (
            (q.active !== false || s.state !== 'active') &&
            (q.silenced !== false || s.silencedBy.length === 0) &&
            (q.inhibited !== false || s.inhibitedBy.length === 0)
          );
        },
      );
      return groups.map((g) => ({
        labels: g.labels,
        receiver: { name: g.receiver },
        alerts: g.alerts.map(({ stored }) =>
          gettableAlert(stored, mutes.get(stored.fingerprint), receivers.get(stored.fingerprint)),
        ),
      }));
    },
  );

  // Management endpoints: unauthenticated like Alertmanager's (load balancers and Prometheus'
  // service discovery probe them), except reload.
  for (const path of ['/-/healthy', '/-/ready'] as const) {
    const ready = path === '/-/ready';
    app.get(
      path,
      {
        schema: {
          tags: ['alertmanager'],
          summary: ready
            ? 'Ready: 200 OK when the database answers and no migration is pending, else 503 saying what is wrong'
            : 'Alive: 200 OK while the process serves requests (GET or HEAD)',
        },
      },
      async (_req, reply) => {
        if (!ready) return reply.type(PLAIN).send('OK');
        const r = await d.ready();
        if (r.ok) return reply.type(PLAIN).send('OK');
        const why = Object.entries(r.checks)
          .filter(([, v]) => v !== 'ok')
          .map(([k, v]) => `${k}: ${v}`)
          .join('; ');
        return reply.status(503).type(PLAIN).send(`Service Unavailable: ${why}`);
      },
    );
  }

  app.post(
    '/-/reload',
    {
      config: { permission: 'admin' },
      schema: {
        tags: ['alertmanager'],
        summary: 'Re-read the configuration file (as POST /api/v1/config/reload); needs the admin permission',
        description:
          'Unlike Alertmanager’s, this endpoint needs an admin session or an API token with the admin scope: Authorization: Bearer wp_…. Answers 200 with an empty body, or 400 listing every problem of the file (the previous configuration stays in force).',
        response: errors(409),
      },
    },
    async (req, reply) => {
      await d.reload(actorOf(req));
      return reply.status(200).send('');
    },
  );
  app.get('/-/reload', { schema: { hide: true } }, async (_req, reply) =>
    reply.status(405).header('allow', 'POST').type(PLAIN).send('Method Not Allowed'),
  );
}
