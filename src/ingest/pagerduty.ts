// Pure: the PagerDuty Events API v2 (POST /v2/enqueue) — validating an event as PagerDuty does, and
// deciding what it does to the alert its dedup_key stands for. No I/O; the service loads and stores.
import type { ErrorDetail } from '../kernel/errors.js';
import type { Labels } from '../kernel/labels.js';
import { fingerprint } from '../kernel/labels.js';
import type { IncomingAlert } from '../alerts/model.js';
import { DEFAULT_LIMITS, normalizeAlert } from '../alerts/model.js';
import { OPEN_UNTIL_RESOLVED, parseTime } from './model.js';

export const EVENT_ACTIONS = ['trigger', 'acknowledge', 'resolve'] as const;
export type EventAction = (typeof EVENT_ACTIONS)[number];
export const PD_SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
export type PdSeverity = (typeof PD_SEVERITIES)[number];

export const MAX_DEDUP_KEY = 255;
/** PagerDuty cuts longer summaries to this length; so does Watchpost. */
export const MAX_SUMMARY = 1024;
/** `alertname` of a trigger without `payload.class`. */
export const DEFAULT_ALERTNAME = 'PagerDutyEvent';

export interface PdLink {
  href: string;
  text?: string;
}
export interface PdImage {
  src: string;
  href?: string;
  alt?: string;
}

export interface PdPayload {
  summary: string;
  source: string;
  severity: PdSeverity;
  timestamp: number | null;
  component: string | null;
  group: string | null;
  class: string | null;
  customDetails: unknown;
}

/** A valid event. `payload` is present for triggers; acknowledge and resolve carry none. */
export interface PdEvent {
  routingKey: string | null;
  action: EventAction;
  dedupKey: string | null;
  payload: PdPayload | null;
  client: string | null;
  clientUrl: string | null;
  links: PdLink[];
  images: PdImage[];
}

/** What Watchpost remembers about one dedup_key: the alert its latest trigger opened. */
export interface KeyState {
  dedupKey: string;
  fingerprint: string;
  labels: Labels;
  annotations: Labels;
  generatorUrl: string;
  status: 'open' | 'resolved';
  openedAt: number;
  resolvedAt: number | null;
  updatedAt: number;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A JSON pointer (`/payload/severity`) as PagerDuty names fields (`payload.severity`). */
export const fieldName = (pointer: string): string =>
  pointer
    .split('/')
    .slice(1)
    .map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`))
    .join('') || 'event';

/**
 * Validates a request body as an Events API v2 event. Every problem is listed, each with the JSON
 * pointer of its field; fields PagerDuty ignores for the action (a payload on resolve) are ignored.
 */
export function parseEvent(
  body: unknown,
): { event: PdEvent; problems: [] } | { event: null; problems: ErrorDetail[] } {
  const problems: ErrorDetail[] = [];
  const bad = (path: string, message: string) => problems.push({ path, message });
  if (!isObject(body)) {
    bad('/', 'must be a JSON object (an Events API v2 event)');
    return { event: null, problems };
  }
  const optString = (v: unknown, path: string, max?: number): string | null => {
    if (v === undefined || v === null) return null;
    if (typeof v !== 'string') {
      bad(path, 'must be a string');
      return null;
    }
    if (max !== undefined && v.length > max) bad(path, `must be at most ${max} characters`);
    return v;
  };

  const routingKey = optString(body.routing_key, '/routing_key');
  const action = body.event_action;
  if (action === undefined || action === null)
    bad('/event_action', `is required: one of ${EVENT_ACTIONS.join(', ')}`);
  else if (typeof action !== 'string' || !(EVENT_ACTIONS as readonly string[]).includes(action))
    bad('/event_action', `must be one of ${EVENT_ACTIONS.join(', ')}`);
  const dedupKey = optString(body.dedup_key, '/dedup_key', MAX_DEDUP_KEY);
  if (dedupKey === '') bad('/dedup_key', 'must not be empty: leave it out to have one generated');
  if (dedupKey === null && (action === 'acknowledge' || action === 'resolve'))
    bad('/dedup_key', `is required for ${action}: send the dedup_key the trigger answered with`);

  let payload: PdPayload | null = null;
  if (action === 'trigger') {
    const p = body.payload;
    if (!isObject(p))
      bad('/payload', p === undefined || p === null ? 'is required for trigger' : 'must be an object');
    else {
      const need = (key: string): string => {
        const v = p[key];
        if (typeof v === 'string' && v.trim() !== '') return v;
        bad(`/payload/${key}`, v === undefined || v === null ? 'is required' : 'must be a non-empty string');
        return '';
      };
      const summary = need('summary');
      const source = need('source');
      const severity = p.severity;
      if (severity === undefined || severity === null)
        bad('/payload/severity', `is required: one of ${PD_SEVERITIES.join(', ')}`);
      else if (typeof severity !== 'string' || !(PD_SEVERITIES as readonly string[]).includes(severity))
        bad('/payload/severity', `must be one of ${PD_SEVERITIES.join(', ')}`);
      const timestamp =
        typeof p.timestamp === 'string' || p.timestamp === undefined || p.timestamp === null
          ? parseTime(p.timestamp)
          : undefined;
      if (timestamp === undefined)
        bad('/payload/timestamp', 'must be an ISO 8601 date-time such as 2026-11-26T08:00:00Z');
      payload = {
        summary: summary.slice(0, MAX_SUMMARY),
        source,
        severity: severity as PdSeverity,
        timestamp: timestamp ?? null,
        component: optString(p.component, '/payload/component'),
        group: optString(p.group, '/payload/group'),
        class: optString(p.class, '/payload/class'),
        customDetails: p.custom_details ?? null,
      };
    }
  }

  const list = <T>(key: 'links' | 'images', need: string, keys: string[]): T[] => {
    const v = body[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) {
      bad(`/${key}`, 'must be a list');
      return [];
    }
    const out: T[] = [];
    v.forEach((item, i) => {
      if (!isObject(item) || typeof item[need] !== 'string') {
        bad(`/${key}/${i}/${need}`, 'is required (a string)');
        return;
      }
      const kept: Record<string, string> = {};
      for (const k of keys) if (typeof item[k] === 'string') kept[k] = item[k];
      out.push(kept as T);
    });
    return out;
  };
  const links = list<PdLink>('links', 'href', ['href', 'text']);
  const images = list<PdImage>('images', 'src', ['src', 'href', 'alt']);
  const client = optString(body.client, '/client');
  const clientUrl = optString(body.client_url, '/client_url');

  if (problems.length) return { event: null, problems };
  return {
    event: {
      routingKey,
      action: action as EventAction,
      dedupKey,
      payload,
      client,
      clientUrl,
      links,
      images,
    },
    problems: [],
  };
}

const json = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/**
 * The labels a trigger opens an alert with. They identify the alert, so they hold only what is
 * stable and low-cardinality: the class (as alertname), the dedup_key, severity, source, component
 * and group. Everything else is an annotation.
 */
export function triggerLabels(dedupKey: string, p: PdPayload): Labels {
  const labels: Record<string, string> = {
    alertname: p.class?.trim() || DEFAULT_ALERTNAME,
    dedup_key: dedupKey,
    severity: p.severity,
    source: p.source,
  };
  if (p.component) labels.component = p.component;
  if (p.group) labels.group = p.group;
  return labels;
}

/** The annotations of a trigger: the summary and the details PagerDuty would show on the alert. */
export function triggerAnnotations(ev: PdEvent, p: PdPayload): Labels {
  const a: Record<string, string> = { summary: p.summary };
  if (p.class) a.class = p.class;
  if (p.customDetails !== null) a.custom_details = json(p.customDetails);
  if (p.timestamp !== null) a.timestamp = new Date(p.timestamp).toISOString();
  if (ev.client) a.client = ev.client;
  if (ev.clientUrl) a.client_url = ev.clientUrl;
  if (ev.links.length) a.links = json(ev.links);
  if (ev.images.length) a.images = json(ev.images);
  return a;
}

/** Where each annotation or label came from in the event, to name the field in a problem. */
const FIELD_OF: Record<string, string> = {
  summary: '/payload/summary',
  class: '/payload/class',
  alertname: '/payload/class',
  custom_details: '/payload/custom_details',
  source: '/payload/source',
  component: '/payload/component',
  group: '/payload/group',
  dedup_key: '/dedup_key',
  client: '/client',
  client_url: '/client_url',
  links: '/links',
  images: '/images',
};

export interface Decision {
  /** The key's state to store, or null when the event changes nothing (acknowledging an unknown key). */
  next: KeyState | null;
  /** The alert to send to the alert store, with explicit times. */
  alert: IncomingAlert | null;
  problems: ErrorDetail[];
}

/**
 * What an event does, given what is known about its dedup_key (`prior`) at `now`:
 * - trigger on an open key: appends to its alert (same labels, annotations refreshed);
 * - trigger on an unknown or resolved key: opens a new alert, starting after the previous one ended
 *   so that it is a new firing episode;
 * - acknowledge: keeps the alert firing and records `acknowledged_at` / `acknowledged_by`;
 * - resolve: ends the alert now. Acknowledging or resolving a key with no open alert changes nothing.
 */
export function decide(
  ev: PdEvent,
  dedupKey: string,
  prior: KeyState | null,
  now: number,
  by: string,
): Decision {
  const none: Decision = { next: null, alert: null, problems: [] };
  const open = prior?.status === 'open' ? prior : null;
  let next: KeyState;
  switch (ev.action) {
    case 'trigger': {
      const p = ev.payload;
      if (!p) return none;
      const fresh = triggerAnnotations(ev, p);
      if (open) {
        const kept: Record<string, string> = {};
        for (const k of ['acknowledged_at', 'acknowledged_by'])
          if (open.annotations[k]) kept[k] = open.annotations[k];
        next = { ...open, annotations: { ...fresh, ...kept }, updatedAt: now };
      } else {
        const floor = prior?.resolvedAt != null ? prior.resolvedAt + 1 : -Infinity;
        const startsAt = Math.max(Math.min(p.timestamp ?? now, now), floor);
        const labels = triggerLabels(dedupKey, p);
        next = {
          dedupKey,
          fingerprint: fingerprint(labels),
          labels,
          annotations: fresh,
          generatorUrl: ev.clientUrl ?? ev.links[0]?.href ?? '',
          status: 'open',
          openedAt: startsAt,
          resolvedAt: null,
          updatedAt: now,
        };
      }
      break;
    }
    case 'acknowledge':
      if (!open) return none;
      next = {
        ...open,
        annotations: {
          ...open.annotations,
          acknowledged_at: new Date(now).toISOString(),
          acknowledged_by: by,
        },
        updatedAt: now,
      };
      break;
    case 'resolve':
      if (!prior) return none;
      // Resolving a resolved key re-sends its resolution (repairs a store that missed it); no change.
      next = open ? { ...open, status: 'resolved', resolvedAt: now, updatedAt: now } : prior;
      break;
  }
  const alert: IncomingAlert = {
    labels: next.labels,
    annotations: next.annotations,
    startsAt: next.openedAt,
    endsAt: next.status === 'open' ? OPEN_UNTIL_RESOLVED : (next.resolvedAt ?? now),
    generatorUrl: next.generatorUrl,
  };
  const checked = normalizeAlert(alert, 'external', now, DEFAULT_LIMITS, '');
  if (!checked.alert) {
    const problems = checked.problems.map((pr) => {
      const name = pr.path.split('/').at(-1) ?? '';
      return { path: FIELD_OF[name] ?? pr.path, message: pr.message };
    });
    return { next: null, alert: null, problems };
  }
  return { next, alert, problems: [] };
}
