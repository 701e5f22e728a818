// GET /api/v1/alerts/:fingerprint — one alert's full story for the UI's alert drawer.
import { Type } from 'typebox';
import type { App } from '../http/server.js';
import { Nullable, errors, iso } from '../http/json.js';
import { actorOf } from '../auth/routes.js';
import { invalid } from '../kernel/errors.js';
import { formatDuration } from '../kernel/duration.js';
import type { AlertDetailService } from './alert-detail.service.js';
import { GettableAlert, gettableAlert } from './routes.js';

export interface AlertDetailRouteDeps {
  details: Pick<AlertDetailService, 'detail'>;
}

const LabelSet = Type.Record(Type.String(), Type.String());

const FINGERPRINT = /^[0-9a-f]{16}$/;

const AlertDetailSchema = Type.Object({
  alert: Type.Object(GettableAlert.properties, {
    description:
      'The alert as GET /api/v2/alerts shows it (receivers, status with silencedBy, inhibitedBy, mutedBy); a resolved alert is not muted',
  }),
  severity: Nullable(
    Type.String({
      description: 'P0–P3 as the server maps the `severity` label; null when it has none it knows',
    }),
  ),
  source: Type.String({
    description: 'How it arrived: external (Alertmanager API, PagerDuty, webhooks), rule, check, flow',
  }),
  state: Type.Enum(['firing', 'resolved'], { description: 'resolved once its endsAt has passed' }),
  expected: Type.Boolean({
    description:
      'A maintenance window in mode `expected` covers it now: the alert is expected, not a surprise',
  }),
  mute: Type.Object(
    {
      silences: Type.Array(
        Type.Object({
          id: Type.String(),
          comment: Type.String(),
          createdBy: Type.String(),
          endsAt: Type.String({ format: 'date-time' }),
        }),
        { description: 'The active silences matching it' },
      ),
      inhibitedBy: Type.Array(
        Type.Object({
          fingerprint: Type.String(),
          labels: LabelSet,
        }),
        {
          description:
            'The firing alerts inhibiting it, with their labels (e.g. DatabaseDown on service oms)',
        },
      ),
      maintenance: Type.Array(
        Type.Object({ id: Type.String(), name: Type.String(), mode: Type.Enum(['mute', 'expected']) }),
        { description: 'The maintenance windows in effect that cover it' },
      ),
      timeIntervals: Type.Array(Type.String(), {
        description:
          'Time intervals muting the routes that take it now (mute_time_intervals, or active_time_intervals outside of which it is)',
      }),
    },
    { description: 'Why its notifications are held back; all empty when they are sent' },
  ),
  flapping: Type.Object(
    {
      flapping: Type.Boolean({ description: 'changes > threshold (and threshold > 0)' }),
      changes: Type.Integer({ description: 'Firing episodes that started or ended within the window' }),
      threshold: Type.Integer({ description: 'route.flapping.threshold; 0 turns flapping off' }),
      window: Type.String({ description: 'route.flapping.window as a duration, e.g. 1h' }),
    },
    { description: 'Flapping as the first route that takes the alert judges it' },
  ),
  episodes: Type.Array(
    Type.Object({
      firedAt: Type.String({ format: 'date-time' }),
      resolvedAt: Nullable(Type.String({ format: 'date-time' })),
    }),
    { description: 'Its latest 50 firing episodes, newest first; resolvedAt null while firing' },
  ),
  groups: Type.Array(
    Type.Object({
      groupKey: Type.String({ description: 'Alertmanager’s group key: route key and group_by values' }),
      receiver: Type.String(),
      labels: Type.Record(Type.String(), Type.String(), {
        description: 'The values of the route’s group_by labels',
      }),
      acknowledged: Nullable(
        Type.Object(
          { by: Type.String(), at: Type.String({ format: 'date-time' }) },
          {
            description:
              'Who acknowledged the group (this alert firing then): no repeat notifications for it',
          },
        ),
      ),
    }),
    { description: 'The aggregation groups it belongs to, one per route that takes it' },
  ),
});

export function registerAlertDetailRoutes(app: App, d: AlertDetailRouteDeps): void {
  app.get(
    '/api/v1/alerts/:fingerprint',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['alerts'],
        summary: 'One alert, firing or resolved: why it is quiet, flapping, its episodes and groups',
        params: Type.Object({
          fingerprint: Type.String({
            maxLength: 64,
            description: 'The alert’s fingerprint: 16 hexadecimal digits, as GET /api/v2/alerts lists it',
          }),
        }),
        response: { 200: AlertDetailSchema, ...errors(404) },
      },
    },
    async (req) => {
      const fp = req.params.fingerprint.toLowerCase();
      if (!FINGERPRINT.test(fp))
        throw invalid(
          'params:/fingerprint',
          `${JSON.stringify(req.params.fingerprint)} is not a fingerprint: use the 16 hexadecimal digits GET /api/v2/alerts lists (e.g. d2ece51fe95ba900)`,
        );
      const r = await d.details.detail(actorOf(req), fp);
      const receivers = r.groups.map((g) => g.receiver);
      return {
        alert: gettableAlert(r.alert, r.mute, receivers),
        severity: r.alert.severity,
        source: r.alert.source,
        state: r.state,
        expected: r.expected,
        mute: {
          silences: r.silences.map((s) => ({
            id: s.id,
            comment: s.comment,
            createdBy: s.createdBy,
            endsAt: iso(s.endsAt),
          })),
          inhibitedBy: r.inhibitors,
          maintenance: r.mute.maintenance.map((w) => ({ id: w.id, name: w.name, mode: w.mode })),
          timeIntervals: r.mute.mutedBy,
        },
        flapping: {
          flapping: r.flapping.flapping,
          changes: r.flapping.changes,
          threshold: r.flapping.threshold,
          window: formatDuration(r.flapping.windowMs),
        },
        episodes: r.episodes.map((e) => ({
          firedAt: iso(e.startedAt),
          resolvedAt: e.endedAt === null ? null : iso(e.endedAt),
        })),
        groups: r.groups.map((g) => ({
          ...g,
          acknowledged: g.acknowledged ? { by: g.acknowledged.by, at: iso(g.acknowledged.at) } : null,
        })),
      };
    },
  );
}
