// Channels added to a receiver from the UI or the API. The receiver must be declared in the
// configuration file (routes name it there); its channels from the file stay read-only. Secrets are
// write-only: answers show `<secret>`, and sending `<secret>` back keeps the stored value.
import { Type } from 'typebox';
import type { App } from '../http/server.js';
import { IdParams, errors, iso } from '../http/json.js';
import { actorOf } from '../auth/routes.js';
import type { ReceiverChannelService } from './ui-channels.service.js';
import { UI_CHANNEL_KINDS, uiChannelId, type UiChannel } from './ui-channels.js';

const ChannelConfig = Type.Record(Type.String(), Type.Unknown(), {
  description:
    'The channel as one entry of the file’s `<kind>_configs` (snake_case keys, see docs/receivers.md).',
});

const UiChannelSchema = Type.Object({
  uid: Type.String({ description: 'The stored channel’s id, for PUT and DELETE.' }),
  id: Type.String({
    description: 'The channel id in notifications and the delivery log: <kind>/u<8 characters>.',
  }),
  receiver: Type.String(),
  kind: Type.String(),
  config: ChannelConfig,
  position: Type.Integer(),
  createdBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

const json = (c: UiChannel) => ({
  uid: c.id,
  id: uiChannelId(c),
  receiver: c.receiver,
  kind: c.kind,
  config: c.config,
  position: c.position,
  createdBy: c.createdBy,
  createdAt: iso(c.createdAt),
  updatedAt: iso(c.updatedAt),
});

export function registerUiChannelRoutes(app: App, d: { channels: ReceiverChannelService }): void {
  app.get(
    '/api/v1/receiver-channels',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['delivery'],
        summary: 'Channels added to receivers in the UI or the API (secrets masked)',
        response: { 200: Type.Object({ channels: Type.Array(UiChannelSchema) }), ...errors() },
      },
    },
    async (req) => ({ channels: (await d.channels.list(actorOf(req))).map(json) }),
  );

  app.post(
    '/api/v1/receivers/:name/channels',
    {
      config: { permission: 'write' },
      schema: {
        tags: ['delivery'],
        summary: 'Add a channel to a receiver the configuration file declares',
        params: Type.Object({ name: Type.String({ minLength: 1, maxLength: 256 }) }),
        body: Type.Object(
          {
            kind: Type.String({ description: `One of ${UI_CHANNEL_KINDS.join(', ')}.` }),
            config: ChannelConfig,
          },
          { additionalProperties: false },
        ),
        response: { 201: UiChannelSchema, ...errors(404) },
      },
    },
    async (req, reply) => {
      const c = await d.channels.create(actorOf(req), req.params.name, req.body.kind, req.body.config);
      return reply.status(201).send(json(c));
    },
  );

  app.put(
    '/api/v1/receiver-channels/:id',
    {
      config: { permission: 'write' },
      schema: {
        tags: ['delivery'],
        summary: 'Replace a channel’s settings (secret fields sent as "<secret>" are kept)',
        params: IdParams,
        body: Type.Object({ config: ChannelConfig }, { additionalProperties: false }),
        response: { 200: UiChannelSchema, ...errors(404) },
      },
    },
    async (req) => json(await d.channels.update(actorOf(req), req.params.id, req.body.config)),
  );

  app.delete(
    '/api/v1/receiver-channels/:id',
    {
      config: { permission: 'write' },
      schema: {
        tags: ['delivery'],
        summary: 'Remove a channel added in the UI or the API',
        params: IdParams,
        response: { 204: Type.Null(), ...errors(404) },
      },
    },
    async (req, reply) => {
      await d.channels.remove(actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
}
