// The delivery API: the receivers in force with their channels' health, recent deliveries and rate
// state (secrets never leave: each channel is described by its endpoint and the last four characters
// of its credential); the delivery log; a test message through a receiver; and the template preview.
import { Type } from 'typebox';
import type { Kysely } from 'kysely';
import type { App } from '../http/server.js';
import { Nullable, errors, iso, isoOrNull } from '../http/json.js';
import type { ReceiverConfig } from '../config/model.js';
import type { DB } from '../db/schema.js';
import type { Clock } from '../kernel/clock.js';
import type { Ids } from '../kernel/ids.js';
import { deliveryLog } from './delivery-log.js';
import type { DeliveryEngine } from './delivery/engine.js';
import { describeChannel, destinationOf, limitOf } from './registry.js';
import type { MessageRenderer } from './render/index.js';
import { previewMessage } from './preview.js';
import type { ActionLinks } from './links.js';
import { uiChannelId, type UiChannel } from './ui-channels.js';

export interface DeliveryRouteDeps {
  db: Kysely<DB>;
  clock: Clock;
  ids: Ids;
  engine: () => DeliveryEngine;
  receivers: () => readonly ReceiverConfig[];
  /** Channels added in the UI, secrets masked. */
  uiChannels: () => Promise<UiChannel[]>;
  renderer: MessageRenderer;
  links: ActionLinks;
  timeZone: string;
  externalUrl: string;
}

const Delivery = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  notificationId: Type.String({ description: 'Test messages have ids starting with "test:".' }),
  receiver: Nullable(Type.String()),
  channel: Nullable(Type.String({ description: 'The receiver’s channel: dingtalk/0, webhook/1, …' })),
  destination: Nullable(
    Type.String({ description: 'What the rate limit counts against (no secret in it).' }),
  ),
  ok: Type.Boolean(),
  status: Nullable(Type.Integer({ description: 'HTTP status, when the provider answered over HTTP.' })),
  providerCode: Nullable(
    Type.String({ description: 'The provider’s own code (errcode, Code, SMTP reply).' }),
  ),
  message: Type.String({ description: 'What happened, secrets and phone numbers redacted.' }),
  durationMs: Type.Integer(),
  merged: Type.Integer({ description: 'Notifications this attempt carried: more than 1 for a digest.' }),
  groupKey: Nullable(Type.String()),
  alertCount: Nullable(Type.Integer()),
});

const ChannelState = Type.Object({
  id: Type.String(),
  source: Type.Union([Type.Literal('file'), Type.Literal('ui')], {
    description: '`file`: read-only here; `ui`: added in the UI or the API, editable.',
  }),
  uid: Nullable(
    Type.String({ description: 'For a `ui` channel: its id for PUT/DELETE /api/v1/receiver-channels/:id.' }),
  ),
  config: Nullable(
    Type.Record(Type.String(), Type.Unknown(), {
      description: 'For a `ui` channel: its settings, secrets as "<secret>".',
    }),
  ),
  kind: Type.String(),
  target: Type.String({ description: 'Endpoint and the last 4 characters of the credential.' }),
  sendResolved: Type.Boolean(),
  destination: Type.String(),
  rateLimit: Type.Object({ perSecond: Nullable(Type.Integer()), perMinute: Nullable(Type.Integer()) }),
  mentions: Type.Object({
    mobiles: Type.Array(Type.String()),
    userIds: Type.Array(Type.String()),
    all: Type.Boolean(),
  }),
  health: Type.Object({
    failing: Type.Boolean(),
    failures: Type.Integer({ description: 'Consecutive failed attempts, when failing.' }),
    since: Nullable(Type.String({ format: 'date-time' })),
  }),
  penaltyEndsAt: Nullable(
    Type.String({ format: 'date-time', description: 'The provider throttled it until then.' }),
  ),
  last24h: Type.Object({ ok: Type.Integer(), failed: Type.Integer(), lastAt: Nullable(Type.String()) }),
});

const Receiver = Type.Object({
  name: Type.String(),
  /** Channels added in the UI to this receiver that are not used (no longer valid). */
  unusedChannels: Type.Array(Type.Object({ uid: Type.String(), id: Type.String(), kind: Type.String() })),
  source: Type.Literal('file', {
    description: 'Receivers and routes are declared in the configuration file.',
  }),
  policy: Type.Union([Type.Literal('all'), Type.Literal('fallback')]),
  fallbackAfter: Type.Integer(),
  language: Type.String(),
  templates: Type.Object({
    title: Type.Optional(Type.String()),
    markdown: Type.Optional(Type.String()),
    text: Type.Optional(Type.String()),
  }),
  channels: Type.Array(ChannelState),
});

const Templates = Type.Object(
  {
    title: Type.Optional(Type.String({ maxLength: 20_000 })),
    markdown: Type.Optional(Type.String({ maxLength: 100_000 })),
    text: Type.Optional(Type.String({ maxLength: 20_000 })),
  },
  { additionalProperties: false },
);

const Message = Type.Object({
  title: Type.String(),
  markdown: Type.String(),
  text: Type.String(),
  severity: Nullable(Type.String()),
  status: Type.String(),
  links: Type.Array(Type.Object({ label: Type.String(), url: Type.String() })),
  detailUrl: Type.String(),
});

export function registerDeliveryRoutes(app: App, d: DeliveryRouteDeps): void {
  app.get(
    '/api/v1/receivers',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['delivery'],
        summary: 'Receivers in force, each channel with its health, rate state and last 24 h of deliveries',
        response: {
          200: Type.Object({
            receivers: Type.Array(Receiver),
            orphanChannels: Type.Array(
              Type.Object({
                uid: Type.String(),
                id: Type.String(),
                kind: Type.String(),
                receiver: Type.String(),
              }),
              {
                description:
                  'Channels added in the UI to receivers the configuration file no longer declares: kept, not used.',
              },
            ),
          }),
          ...errors(),
        },
      },
    },
    async () => {
      const now = d.clock.now();
      const engine = d.engine();
      const summary = await deliveryLog.summary(d.db, now - 24 * 3_600_000);
      const failing = new Map(engine.failingChannels().map((f) => [`${f.receiver}\u0000${f.channel}`, f]));
      const ui = await d.uiChannels();
      const uiById = new Map(ui.map((c) => [uiChannelId(c), c]));
      const inForce = new Set(d.receivers().map((r) => r.name));
      return {
        orphanChannels: ui
          .filter((c) => !inForce.has(c.receiver))
          .map((c) => ({ uid: c.id, id: uiChannelId(c), kind: c.kind, receiver: c.receiver })),
        receivers: d.receivers().map((r) => ({
          name: r.name,
          source: 'file' as const,
          policy: r.policy,
          fallbackAfter: r.fallbackAfter,
          language: r.language,
          templates: r.templates,
          unusedChannels: ui
            .filter((c) => c.receiver === r.name && !r.channels.some((x) => x.id === uiChannelId(c)))
            .map((c) => ({ uid: c.id, id: uiChannelId(c), kind: c.kind })),
          channels: r.channels.map((c) => {
            const added = uiById.get(c.id);
            const key = `${r.name}\u0000${c.id}`;
            const f = failing.get(key);
            const s = summary.get(key);
            const destination = destinationOf(c);
            return {
              id: c.id,
              source: added ? ('ui' as const) : ('file' as const),
              uid: added?.id ?? null,
              config: added?.config ?? null,
              kind: c.kind,
              target: describeChannel(c),
              sendResolved: c.sendResolved,
              destination,
              rateLimit: limitOf(c),
              mentions: c.mentions,
              health: {
                failing: f !== undefined,
                failures: f?.failures ?? 0,
                since: f ? iso(f.since) : null,
              },
              penaltyEndsAt: isoOrNull(engine.penaltyEnds(destination)),
              last24h: { ok: s?.ok ?? 0, failed: s?.failed ?? 0, lastAt: s?.lastAt ? iso(s.lastAt) : null },
            };
          }),
        })),
      };
    },
  );

  app.get(
    '/api/v1/deliveries',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['delivery'],
        summary: 'The delivery log: every attempt, newest first',
        querystring: Type.Object({
          receiver: Type.Optional(Type.String({ maxLength: 256 })),
          channel: Type.Optional(Type.String({ maxLength: 64, description: 'e.g. dingtalk/0' })),
          outcome: Type.Optional(Type.Union([Type.Literal('ok'), Type.Literal('failed')])),
          fingerprint: Type.Optional(
            Type.String({
              pattern: '^[0-9a-fA-F]{16}$',
              description: 'Attempts for notifications listing this alert.',
            }),
          ),
          before: Type.Optional(
            Type.Integer({ minimum: 1, description: 'Older than this id (the previous page’s next).' }),
          ),
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
        }),
        response: {
          200: Type.Object({ deliveries: Type.Array(Delivery), next: Nullable(Type.Integer()) }),
          ...errors(),
        },
      },
    },
    async (req) => {
      const q = req.query;
      const rows = await deliveryLog.list(d.db, {
        receiver: q.receiver,
        channel: q.channel,
        outcome: q.outcome,
        fingerprint: q.fingerprint?.toLowerCase(),
        before: q.before,
        limit: q.limit + 1,
      });
      const page = rows.slice(0, q.limit);
      return {
        deliveries: page.map((r) => ({ ...r, at: iso(r.at) })),
        next: rows.length > q.limit ? (page[page.length - 1]?.id ?? null) : null,
      };
    },
  );

  app.post(
    '/api/v1/receivers/:name/test',
    {
      config: { permission: 'write' },
      schema: {
        tags: ['delivery'],
        summary:
          'Send a test message through a receiver’s channels (or one), and say what each provider answered',
        params: Type.Object({ name: Type.String({ minLength: 1, maxLength: 256 }) }),
        body: Type.Optional(
          Type.Object(
            {
              channel: Type.Optional(
                Type.String({ maxLength: 64, description: 'Only this channel, e.g. dingtalk/0.' }),
              ),
            },
            { additionalProperties: false },
          ),
        ),
        response: {
          200: Type.Object({
            results: Type.Array(
              Type.Object({
                channel: Type.String(),
                ok: Type.Boolean(),
                status: Nullable(Type.Integer()),
                providerCode: Nullable(Type.String()),
                message: Type.String(),
                durationMs: Type.Integer(),
              }),
            ),
          }),
          ...errors(404),
        },
      },
    },
    async (req) => {
      const results = await d.engine().sendTest(req.params.name, d.ids.uuid(), req.body?.channel);
      return {
        results: results.map((r) => ({
          channel: r.channel,
          ok: r.outcome.ok,
          status: r.outcome.status,
          providerCode: r.outcome.providerCode,
          message: r.outcome.message,
          durationMs: Math.round(r.outcome.durationMs),
        })),
      };
    },
  );

  app.post(
    '/api/v1/templates/preview',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['delivery'],
        summary: 'Render a sample notification with a receiver’s templates, or with the templates given',
        body: Type.Object(
          {
            receiver: Type.Optional(
              Type.String({
                maxLength: 256,
                description: 'Start from this receiver’s language and templates.',
              }),
            ),
            language: Type.Optional(Type.Union([Type.Literal('zh-CN'), Type.Literal('en')])),
            templates: Type.Optional(Templates),
            resolved: Type.Optional(Type.Boolean({ description: 'Preview the resolved notification.' })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            message: Message,
            problems: Type.Array(Type.Object({ template: Type.String(), message: Type.String() })),
          }),
          ...errors(404),
        },
      },
    },
    async (req) => {
      const { message: msg, problems } = previewMessage(d, d.receivers(), req.body, d.clock.now());
      return {
        message: {
          title: msg.title,
          markdown: msg.markdown,
          text: msg.text,
          severity: msg.severity,
          status: msg.status,
          links: msg.links,
          detailUrl: msg.detailUrl,
        },
        problems,
      };
    },
  );
}
