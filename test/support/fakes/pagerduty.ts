// A faithful fake of PagerDuty's Events API v2 (POST /v2/enqueue) on 127.0.0.1.
//   const pd = await startFakePagerDuty({ now: () => clock.now() });
//   cfg = { url: pd.url, routingKey: PAGERDUTY_FAKE_KEY }
//   pd.events       -> accepted events (parsed)
//   pd.alerts       -> per dedup_key: 'triggered' | 'acknowledged' | 'resolved', as PagerDuty keeps them
//   pd.respondWith(503, …) -> the next valid event gets this answer (an outage)
// Like PagerDuty: the body must be JSON; `routing_key` must be 32 characters and belong to an
// integration; `event_action` is trigger | acknowledge | resolve; a trigger needs payload.summary,
// payload.source and payload.severity (critical | error | warning | info), an optional ISO 8601
// payload.timestamp; acknowledge and resolve need `dedup_key`; dedup_key is at most 255
// characters; the event at most 512 KB. A broken rule is 400 {status:"invalid event", message:
// "Event object is invalid", errors:[…]}; more than 120 events a minute per routing key is 429
// {status:"throttle event", …}; success is 202 {status:"success", message:"Event processed",
// dedup_key} (a trigger without dedup_key gets a generated one).
import { randomBytes } from 'node:crypto';
import type { FakeAnswer, FakeRequest, RecordedExchange } from './http-fake.js';
import { startHttpFake, WindowLimiter } from './http-fake.js';

export const PAGERDUTY_FAKE_KEY = 'R0ut1ngK3yWatchpostFake0123456ab';

export interface FakePagerDuty {
  /** `http://127.0.0.1:<port>/v2/enqueue` */
  url: string;
  readonly events: readonly Record<string, any>[];
  readonly alerts: ReadonlyMap<string, 'triggered' | 'acknowledged' | 'resolved'>;
  readonly exchanges: readonly RecordedExchange[];
  respondWith(status: number, body: unknown, times?: number): void;
  waitFor(count: number, timeoutMs?: number): Promise<RecordedExchange[]>;
  close(): Promise<void>;
}

const SEVERITIES = ['critical', 'error', 'warning', 'info'];
const ACTIONS = ['trigger', 'acknowledge', 'resolve'];
const blank = (v: unknown) => typeof v !== 'string' || v.trim() === '';

/** The Events v2 validation errors of `event` (empty when PagerDuty would accept it). Exported for unit tests. */
export function eventErrors(event: unknown): string[] {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return ['Event object is invalid'];
  const e = event as Record<string, any>;
  const errors: string[] = [];
  if (typeof e.routing_key !== 'string' || e.routing_key.length !== 32)
    errors.push("Length of 'routing_key' is incorrect (should be 32 characters)");
  if (blank(e.event_action)) errors.push("'event_action' is missing or blank");
  else if (!ACTIONS.includes(e.event_action))
    errors.push(
      "'event_action' is invalid (must be one of the following: 'trigger', 'acknowledge' or 'resolve')",
    );
  if (e.dedup_key !== undefined && (typeof e.dedup_key !== 'string' || e.dedup_key.length > 255))
    errors.push("'dedup_key' is invalid (must be a string of at most 255 characters)");
  if (e.event_action === 'trigger') {
    const p = e.payload;
    if (typeof p !== 'object' || p === null) errors.push("'payload' is missing or blank");
    else {
      if (blank(p.summary)) errors.push("'payload.summary' is missing or blank");
      if (blank(p.source)) errors.push("'payload.source' is missing or blank");
      if (blank(p.severity)) errors.push("'payload.severity' is missing or blank");
      else if (!SEVERITIES.includes(p.severity))
        errors.push(
          "'payload.severity' is invalid (must be one of the following: 'critical', 'warning', 'error' or 'info')",
        );
      if (
        p.timestamp !== undefined &&
        (typeof p.timestamp !== 'string' || Number.isNaN(Date.parse(p.timestamp)))
      )
        errors.push("'payload.timestamp' is invalid (must be a valid ISO 8601 timestamp)");
    }
  } else if ((e.event_action === 'acknowledge' || e.event_action === 'resolve') && blank(e.dedup_key)) {
    errors.push("'dedup_key' is missing or blank");
  }
  if (e.links !== undefined && (!Array.isArray(e.links) || e.links.some((l: any) => blank(l?.href))))
    errors.push("'links' is invalid (each link needs an 'href')");
  return errors;
}

export async function startFakePagerDuty(
  opts: { now?: () => number; routingKeys?: string[] } = {},
): Promise<FakePagerDuty> {
  const now = opts.now ?? (() => Date.now());
  const keys = new Set(opts.routingKeys ?? [PAGERDUTY_FAKE_KEY]);
  const limiters = new Map<string, WindowLimiter>();
  const events: Record<string, any>[] = [];
  const alerts = new Map<string, 'triggered' | 'acknowledged' | 'resolved'>();
  const queue: FakeAnswer[] = [];
  const invalid = (errors: string[]): FakeAnswer => ({
    status: 400,
    body: { status: 'invalid event', message: 'Event object is invalid', errors },
  });

  const handle = (req: FakeRequest): FakeAnswer => {
    if (req.path !== '/v2/enqueue' || req.method !== 'POST')
      return { status: 404, body: { status: 'not found', message: 'Not Found' } };
    if (req.rawBody.length > 512 * 1024)
      return invalid(['Event object is too large (must be at most 512 KB)']);
    if (req.body === undefined) return invalid(['Malformed JSON']);
    const errors = eventErrors(req.body);
    if (errors.length > 0) return invalid(errors);
    const e = req.body as Record<string, any>;
    if (!keys.has(e.routing_key)) return invalid(['Invalid routing key']);

    let limiter = limiters.get(e.routing_key);
    if (!limiter)
      limiters.set(e.routing_key, (limiter = new WindowLimiter([{ max: 120, windowMs: 60_000 }])));
    if (!limiter.allow(now())) {
      return {
        status: 429,
        body: {
          status: 'throttle event',
          message: 'Requests for this service are arriving too quickly.  Please retry later.',
        },
      };
    }
    const injected = queue.shift();
    if (injected) return injected;

    const dedupKey: string = blank(e.dedup_key) ? randomBytes(16).toString('hex') : e.dedup_key;
    events.push(e);
    const state = alerts.get(dedupKey);
    if (e.event_action === 'trigger' && state !== 'acknowledged') alerts.set(dedupKey, 'triggered');
    if (e.event_action === 'acknowledge' && state === 'triggered') alerts.set(dedupKey, 'acknowledged');
    if (e.event_action === 'resolve' && state !== undefined) alerts.set(dedupKey, 'resolved');
    return { status: 202, body: { status: 'success', message: 'Event processed', dedup_key: dedupKey } };
  };

  const server = await startHttpFake(handle);
  return {
    url: `${server.origin}/v2/enqueue`,
    events,
    alerts,
    exchanges: server.exchanges,
    respondWith(status, body, times = 1) {
      for (let i = 0; i < times; i++) queue.push({ status, body });
    },
    waitFor: (count, timeoutMs) => server.waitFor(count, timeoutMs),
    close: () => server.close(),
  };
}
