// Every HTTP route of the server, registered on the app with what each needs. The composition
// root (app.ts) builds the parts; this file only wires them to their routes.
import type { Kysely } from 'kysely';
import type { Config } from './config/model.js';
import type { DB } from './db/schema.js';
import type { Clock } from './kernel/clock.js';
import type { Ids } from './kernel/ids.js';
import type { Labels } from './kernel/labels.js';
import { compileMatcher, matchesAll, parseMatchers } from './kernel/matchers.js';
import type { Actor } from './auth/model.js';
import { requirePermission, systemActor } from './auth/model.js';
import { registerAuthRoutes } from './auth/routes.js';
import { registerCatalogRoutes } from './catalog/routes.js';
import type { ApplyResult } from './config/apply.js';
import { registerConfigRoutes } from './config/routes.js';
import type { ConfigStatus } from './config/routes.js';
import type { App } from './http/server.js';
import type { AppMetrics } from './http/metrics.js';
import { registerHealthRoutes } from './http/health.routes.js';
import type { Readiness } from './http/health.routes.js';
import { registerAlertRoutes } from './alerts/routes.js';
import { registerAlertDetailRoutes } from './alerts/alert-detail.routes.js';
import { AlertDetailService } from './alerts/alert-detail.service.js';
import { registerSilenceRoutes } from './alerts/silence.routes.js';
import { registerMaintenanceRoutes } from './alerts/maintenance.routes.js';
import { registerCompatRoutes } from './alerts/compat.routes.js';
import { AckService } from './alerts/ack.service.js';
import { registerAckRoutes } from './alerts/ack.routes.js';
import { receiversOf } from './alerts/alert-groups.js';
import type { CompiledRoute } from './alerts/route.js';
import { PagerDutyService } from './ingest/pagerduty.service.js';
import { WebhookInputService } from './ingest/webhook.service.js';
import { registerIngestRoutes } from './ingest/routes.js';
import type { Services } from './app.js';
import type { ActionLinks } from './notify/links.js';
import { registerLinkRoutes } from './notify/links.routes.js';
import { registerDeliveryRoutes } from './notify/delivery.routes.js';
import type { DeliveryEngine } from './notify/delivery/engine.js';
import type { MessageRenderer } from './notify/render/index.js';
import type { ReceiverChannelService } from './notify/ui-channels.service.js';
import { registerUiChannelRoutes } from './notify/ui-channels.routes.js';

export interface AppRouteDeps {
  services: Services;
  db: Kysely<DB>;
  clock: Clock;
  ids: Ids;
  metrics: AppMetrics;
  ready: () => Promise<Readiness>;
  reload: (actor: Actor) => Promise<ApplyResult>;
  version: string;
  startedAt: number;
  anonymous: Config['auth']['anonymous'];
  auth: Config['auth'];
  secureCookies: Config['server']['secureCookies'];
  /** The configuration in force (a reload replaces it). */
  live: () => Config;
  /** Its route tree, compiled. */
  routeRoot: () => CompiledRoute;
  status: () => ConfigStatus;
  /** Signs and checks the links notifications carry. */
  links: ActionLinks;
  engine: () => DeliveryEngine;
  renderer: MessageRenderer;
  receiverChannels: ReceiverChannelService;
}

/** Alertmanager matcher expressions (each may hold several: `{a="b", c=~"d"}`) as one predicate. */
const compileFilter = (exprs: string[]): ((labels: Labels) => boolean) => {
  const matchers = exprs.flatMap((e) => parseMatchers(e)).map(compileMatcher);
  return (labels) => matchesAll(matchers, labels);
};

export function registerAppRoutes(http: App, d: AppRouteDeps): void {
  registerHealthRoutes(http, { metrics: d.metrics, ready: d.ready });
  registerAuthRoutes(http, {
    ...d.services,
    sessionTtlMs: d.auth.sessionTtlMs,
    secureCookies: d.secureCookies,
    loginRateLimit: d.auth.loginRateLimit,
  });
  registerCatalogRoutes(http, d.services.catalog);
  registerAlertRoutes(http, {
    alerts: d.services.alerts,
    compileFilter,
    muting: d.services.muting,
    receiversOf: (labels) => receiversOf(d.routeRoot(), labels),
  });
  registerAlertDetailRoutes(http, {
    details: new AlertDetailService({
      db: d.db,
      clock: d.clock,
      routes: d.routeRoot,
      muting: d.services.muting,
      silences: d.services.silences,
    }),
  });
  registerSilenceRoutes(http, { silences: d.services.silences, clock: d.clock });
  const acks = new AckService({ db: d.db, clock: d.clock });
  registerAckRoutes(http, { acks });
  registerLinkRoutes(http, { links: d.links, silences: d.services.silences, acks, clock: d.clock });
  registerUiChannelRoutes(http, { channels: d.receiverChannels });
  registerDeliveryRoutes(http, {
    db: d.db,
    clock: d.clock,
    ids: d.ids,
    engine: d.engine,
    receivers: () => d.live().receivers,
    uiChannels: () => d.receiverChannels.list(systemActor('receivers')),
    renderer: d.renderer,
    links: d.links,
    timeZone: d.live().server.timeZone,
    externalUrl: d.live().server.externalUrl,
  });
  registerMaintenanceRoutes(http, { maintenance: d.services.maintenance, clock: d.clock });
  registerIngestRoutes(http, {
    pagerduty: new PagerDutyService({
      db: d.db,
      clock: d.clock,
      ids: d.ids,
      alerts: d.services.alerts,
      authenticateToken: (token, ip) => d.services.auth.authenticateToken(token, ip),
      anonymous: d.anonymous,
    }),
    webhooks: new WebhookInputService({
      clock: d.clock,
      alerts: d.services.alerts,
      inputs: () => d.live().inputs.webhooks,
    }),
  });
  registerCompatRoutes(http, {
    alerts: d.services.alerts,
    compileFilter,
    muting: d.services.muting,
    config: d.live,
    version: d.version,
    startedAt: d.startedAt,
    ready: d.ready,
    reload: d.reload,
  });
  registerConfigRoutes(http, {
    status: (actor) => {
      requirePermission(actor, 'read');
      return d.status();
    },
    reload: d.reload,
  });
}
