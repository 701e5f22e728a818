import type { Clock } from '../kernel/clock.js';
import { DomainError } from '../kernel/errors.js';
import { fingerprint } from '../kernel/labels.js';
import type { Actor } from '../auth/model.js';
import { requirePermission } from '../auth/model.js';
import type { WebhookInputDecl } from '../config/model.js';
import type { AlertService } from '../alerts/alert.service.js';
import { mapPayload } from './webhook-mapping.js';

export interface WebhookInputDeps {
  clock: Clock;
  alerts: Pick<AlertService, 'ingest'>;
  /** The configured inputs (`inputs.webhooks`), read on every request. */
  inputs: () => readonly WebhookInputDecl[];
}

export interface WebhookResult {
  accepted: number;
  alerts: { fingerprint: string; alertname: string; status: 'firing' | 'resolved' }[];
}

/** Generic JSON webhook inputs: a configured mapping turns each received document into alerts. */
export class WebhookInputService {
  constructor(private readonly d: WebhookInputDeps) {}

  /**
   * Maps `body` with the input called `name` and stores the alerts; resolves once they are committed.
   * All or nothing: when any alert cannot be built, none is stored and every problem is listed.
   */
  async receive(actor: Actor, name: string, body: unknown): Promise<WebhookResult> {
    requirePermission(actor, 'ingest');
    const inputs = this.d.inputs();
    const decl = inputs.find((i) => i.name === name);
    if (!decl)
      throw new DomainError(
        'not_found',
        inputs.length
          ? `no webhook input ${JSON.stringify(name)}: the configured ones are ${inputs.map((i) => i.name).join(', ')}`
          : `no webhook input ${JSON.stringify(name)}: none is configured; declare one under inputs.webhooks in the configuration file`,
      );
    const now = this.d.clock.now();
    const mapped = mapPayload(decl, body, now);
    if (mapped.problems.length)
      throw new DomainError(
        'invalid',
        `input ${JSON.stringify(name)} could not map the payload, nothing was stored: ${mapped.problems
          .map((p) => `${p.path}: ${p.message}`)
          .join('; ')}`,
        { details: mapped.problems },
      );
    const r = await this.d.alerts.ingest(actor, mapped.alerts, 'external');
    if (r.problems.length)
      throw new DomainError(
        'invalid',
        `input ${JSON.stringify(name)}: ${r.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
        { details: r.problems },
      );
    return {
      accepted: r.accepted,
      alerts: mapped.alerts.map((a) => {
        const labels = Object.fromEntries(Object.entries(a.labels).filter(([, v]) => v !== ''));
        return {
          fingerprint: fingerprint(labels),
          alertname: labels.alertname ?? '',
          status: (a.endsAt ?? Infinity) <= now ? ('resolved' as const) : ('firing' as const),
        };
      }),
    };
  }
}
