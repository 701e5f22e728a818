import { Type } from 'typebox';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../http/server.js';
import { STATUS } from '../http/errors.js';
import { errors } from '../http/json.js';
import { actorOf } from '../auth/routes.js';
import { isDomainError } from '../kernel/errors.js';
import type { PagerDutyService } from './pagerduty.service.js';
import { EVENT_ACTIONS, MAX_DEDUP_KEY, PD_SEVERITIES, fieldName } from './pagerduty.js';
import type { WebhookInputService } from './webhook.service.js';

export interface IngestRouteDeps {
  pagerduty: PagerDutyService;
  webhooks: WebhookInputService;
}

const Str = (description: string) => Type.Optional(Type.String({ description }));

/** The Events API v2 event, for the OpenAPI document; validated by ingest/pagerduty.ts. */
const PdEvent = Type.Object({
  routing_key: Str(
    'A Watchpost API token with scope ingest (wp_…) when the request has no Authorization header: PagerDuty senders only have this field.',
  ),
  event_action: Type.Enum(EVENT_ACTIONS),
  dedup_key: Type.Optional(
    Type.String({
      maxLength: MAX_DEDUP_KEY,
      description:
        'Identifies the alert across trigger, acknowledge and resolve; generated for a trigger without one.',
    }),
  ),
  payload: Type.Optional(
    Type.Object(
      {
        summary: Type.String({ description: 'Annotation summary (cut at 1024 characters).' }),
        source: Type.String({ description: 'Label source: the affected system.' }),
        severity: Type.Enum(PD_SEVERITIES, {
          description: 'Label severity; critical → P0, error → P1, warning → P2, info → P3.',
        }),
        timestamp: Str('ISO 8601; the alert starts then (never later than now).'),
        component: Str('Label component.'),
        group: Str('Label group.'),
        class: Str('Label alertname (default PagerDutyEvent).'),
        custom_details: Type.Optional(Type.Unknown({ description: 'Annotation custom_details (as JSON).' })),
      },
      { description: 'Required for trigger; ignored for acknowledge and resolve.' },
    ),
  ),
  client: Str('Annotation client.'),
  client_url: Str('Annotation client_url; the alert’s generator URL.'),
  links: Type.Optional(Type.Array(Type.Object({ href: Type.String(), text: Type.Optional(Type.String()) }))),
  images: Type.Optional(
    Type.Array(
      Type.Object({
        src: Type.String(),
        href: Type.Optional(Type.String()),
        alt: Type.Optional(Type.String()),
      }),
    ),
  ),
});

const PdAnswer = Type.Object({
  status: Type.String(),
  message: Type.String(),
  dedup_key: Type.Optional(Type.String()),
  errors: Type.Optional(Type.Array(Type.String())),
});

/** A PagerDuty-shaped error body: senders log `errors`, so each entry names its field and the fix. */
const pdError = (status: string, message: string, errs: string[]) => ({ status, message, errors: errs });

/**
 * /v2/enqueue answers errors as PagerDuty does (`{status, message, errors[]}`), not with Watchpost's
 * `{error: {...}}`, because PagerDuty clients parse and log that shape.
 */
function pagerDutyErrors(err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply): void {
  if (isDomainError(err)) {
    const status = STATUS[err.code];
    const list = err.details.length
      ? err.details.map((d) => (err.code === 'invalid' ? `${fieldName(d.path)} ${d.message}` : err.message))
      : [err.message];
    const uniq = [...new Set(list)];
    if (err.code === 'invalid')
      void reply.status(400).send(pdError('invalid event', 'Event object is invalid', uniq));
    else if (err.code === 'unauthorized')
      void reply.status(status).send(pdError('unauthorized', 'Invalid routing key', uniq));
    else if (err.code === 'forbidden')
      void reply.status(status).send(pdError('forbidden', 'Forbidden', uniq));
    else void reply.status(status).send(pdError(err.code, err.message, uniq));
    return;
  }
  const fe = err as FastifyError;
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    void reply
      .status(413)
      .send(
        pdError('request too large', 'Request entity too large', [
          "the event is larger than the server's limit (server.body_limit)",
        ]),
      );
    return;
  }
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    void reply
      .status(415)
      .send(
        pdError('invalid event', 'Event object is invalid', [
          `Content-Type ${String(req.headers['content-type'])} is not supported: send application/json`,
        ]),
      );
    return;
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    // Malformed JSON, an empty body.
    void reply.status(400).send(pdError('invalid event', 'Event object is invalid', [fe.message]));
    return;
  }
  req.log.error({ err }, 'PagerDuty event failed');
  void reply
    .status(500)
    .send(pdError('error', 'Internal error', ['see the Watchpost server log for details']));
}

export function registerIngestRoutes(app: App, d: IngestRouteDeps): void {
  app.post(
    '/v2/enqueue',
    {
      // No `permission` here: the token may be in the body (routing_key), which the shared onRequest
      // hook cannot read. The service authenticates, then requires `ingest`.
      schema: {
        tags: ['pagerduty'],
        summary: 'Receive an event (PagerDuty Events API v2: trigger, acknowledge, resolve)',
        description:
          'Drop-in for https://events.pagerduty.com/v2/enqueue. Credentials: `Authorization: Bearer <token>`, or the token (scope ingest) as `routing_key`, or none when `auth.anonymous` holds `ingest`. A trigger opens an alert labelled {alertname: payload.class or PagerDutyEvent, dedup_key, severity, source, component, group}; a trigger with the dedup_key of an open alert appends to it; acknowledge records acknowledged_at/acknowledged_by; resolve ends it, and the same key then opens a new alert. Answers 202 once stored.',
        body: PdEvent,
        response: {
          202: PdAnswer,
          400: PdAnswer,
          401: PdAnswer,
          403: PdAnswer,
          413: PdAnswer,
          415: PdAnswer,
        },
      },
      // Validation is ingest/pagerduty.ts's, so that every message is worded as PagerDuty words it.
      validatorCompiler: () => () => true,
      errorHandler: pagerDutyErrors,
    },
    async (req, reply) => {
      const body: unknown = req.body;
      const actor = await d.pagerduty.authenticate(req.actor, body, req.ip);
      const r = await d.pagerduty.enqueue(actor, body);
      return reply.status(202).send({ status: 'success', message: 'Event processed', dedup_key: r.dedupKey });
    },
  );

  app.post(
    '/api/v1/inputs/webhook/:name',
    {
      config: { permission: 'ingest' },
      schema: {
        tags: ['inputs'],
        summary: 'Receive alerts from any tool that posts JSON (Grafana, Zabbix, ...)',
        description:
          'The configured mapping `inputs.webhooks[name]` selects labels, annotations, status and times from the body with JSONPath. All or nothing: when any alert in the body cannot be mapped (no alertname, a bad time), nothing is stored and 400 lists each problem with the JSON pointer of its element. 404 names the configured inputs.',
        params: Type.Object({ name: Type.String({ minLength: 1, maxLength: 63 }) }),
        body: Type.Unknown({ description: 'Any JSON document the mapping understands.' }),
        response: {
          200: Type.Object({
            accepted: Type.Integer({ description: 'Alerts stored.' }),
            alerts: Type.Array(
              Type.Object({
                fingerprint: Type.String(),
                alertname: Type.String(),
                status: Type.Enum(['firing', 'resolved']),
              }),
            ),
          }),
          ...errors(404),
        },
      },
    },
    async (req) => d.webhooks.receive(actorOf(req), req.params.name, req.body),
  );
}
