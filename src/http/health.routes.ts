import type { App } from './server.js';
import type { AppMetrics } from './metrics.js';

export interface Readiness {
  ok: boolean;
  checks: Record<string, string>;
}

export function registerHealthRoutes(
  app: App,
  o: { metrics: AppMetrics; ready: () => Promise<Readiness> },
): void {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    const r = await o.ready();
    return reply.status(r.ok ? 200 : 503).send({ status: r.ok ? 'ready' : 'not ready', checks: r.checks });
  });
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) =>
    reply.header('content-type', o.metrics.registry.contentType).send(await o.metrics.registry.metrics()),
  );
}
