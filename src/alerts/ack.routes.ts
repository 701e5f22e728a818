// `POST /api/v1/alert-groups/acknowledge`: "I am on it" for an alert group, from the UI or a script
// (the same as the notification's signed link, but in the name of the user or token).
import { Type } from 'typebox';
import type { App } from '../http/server.js';
import { errors, iso } from '../http/json.js';
import { actorOf } from '../auth/routes.js';
import type { AckService } from './ack.service.js';

export function registerAckRoutes(app: App, d: { acks: AckService }): void {
  app.post(
    '/api/v1/alert-groups/acknowledge',
    {
      config: { permission: 'respond' },
      schema: {
        tags: ['alerts'],
        summary: 'Acknowledge an alert group: no more repeat notifications until another alert fires in it',
        body: Type.Object(
          {
            groupKey: Type.String({
              minLength: 1,
              maxLength: 10_000,
              description:
                'As GET /api/v1/alerts/:fingerprint lists it under groups, or a webhook payload’s groupKey.',
            }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            groupKey: Type.String(),
            acknowledgedBy: Type.String(),
            acknowledgedAt: Type.String({ format: 'date-time' }),
            firing: Type.Integer({ description: 'Alerts firing when it was acknowledged.' }),
          }),
          ...errors(404),
        },
      },
    },
    async (req) => {
      const a = await d.acks.acknowledge(actorOf(req), req.body.groupKey);
      return {
        groupKey: a.groupKey,
        acknowledgedBy: a.by,
        acknowledgedAt: iso(a.at),
        firing: a.firing.length,
      };
    },
  );
}
