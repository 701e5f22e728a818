import { Type } from 'typebox';
import type { App } from '../http/server.js';
import { IdParams, Nullable, errors, iso } from '../http/json.js';
import { actorOf } from '../auth/routes.js';
import type { CatalogService } from './catalog.service.js';
import type { ServiceRecord } from './service.repo.js';

const Tier = Type.Enum(['P0', 'P1', 'P2', 'P3']);
const Service = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  team: Nullable(Type.String()),
  tier: Nullable(Tier),
  runbookUrl: Nullable(Type.String()),
  labels: Type.Record(Type.String(), Type.String()),
  managedBy: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
const fields = {
  description: Type.Optional(Type.String({ maxLength: 1000 })),
  team: Type.Optional(Nullable(Type.String({ maxLength: 63 }))),
  tier: Type.Optional(Nullable(Tier)),
  runbookUrl: Type.Optional(Nullable(Type.String({ pattern: '^https?://', maxLength: 2000 }))),
  labels: Type.Optional(
    Type.Record(Type.String(), Type.String({ maxLength: 1024 }), {
      maxProperties: 64,
      propertyNames: { pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$' },
      description: 'label names as in Prometheus: letters, digits and _, not starting with a digit',
    }),
  ),
};
const Name = Type.String({
  pattern: '^[a-z0-9][a-z0-9_-]{0,62}$',
  description: 'lower-case letters, digits, _ and -',
});

const serviceJson = (s: ServiceRecord) => ({
  id: s.id,
  name: s.name,
  description: s.description,
  team: s.team,
  tier: s.tier,
  runbookUrl: s.runbookUrl,
  labels: s.labels,
  managedBy: s.managedBy,
  createdAt: iso(s.createdAt),
  updatedAt: iso(s.updatedAt),
});

export function registerCatalogRoutes(app: App, catalog: CatalogService): void {
  app.get(
    '/api/v1/services',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['services'],
        summary: 'List services',
        response: { 200: Type.Object({ items: Type.Array(Service) }) },
      },
    },
    async (req) => ({ items: (await catalog.list(actorOf(req))).map(serviceJson) }),
  );
  app.get(
    '/api/v1/services/:id',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['services'],
        summary: 'One service',
        params: IdParams,
        response: { 200: Service, ...errors(404) },
      },
    },
    async (req) => serviceJson(await catalog.get(actorOf(req), req.params.id)),
  );
  app.post(
    '/api/v1/services',
    {
      config: { permission: 'write' },
      schema: {
        tags: ['services'],
        summary: 'Create a service',
        body: Type.Object({ name: Name, ...fields }, { additionalProperties: false }),
        response: { 201: Service, ...errors(409) },
      },
    },
    async (req, reply) => reply.status(201).send(serviceJson(await catalog.create(actorOf(req), req.body))),
  );
  app.patch(
    '/api/v1/services/:id',
    {
      config: { permission: 'write' },
      schema: {
        tags: ['services'],
        summary: 'Change a service; services managed by the config file are read-only',
        params: IdParams,
        body: Type.Object({ name: Type.Optional(Name), ...fields }, { additionalProperties: false }),
        response: { 200: Service, ...errors(404, 409) },
      },
    },
    async (req) => serviceJson(await catalog.update(actorOf(req), req.params.id, req.body)),
  );
  app.delete(
    '/api/v1/services/:id',
    {
      config: { permission: 'write' },
      schema: {
        tags: ['services'],
        summary: 'Delete a service',
        params: IdParams,
        response: { 204: Type.Null(), ...errors(404, 409) },
      },
    },
    async (req, reply) => {
      await catalog.remove(actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
}
