// Pure: turning a JSON document a tool posted (Grafana, Zabbix, ...) into alerts, as an
// `inputs.webhooks[]` mapping says. Fields are selected with JSONPath (jsonpath-plus) with script
// evaluation disabled, so a configuration cannot run code; config/inputs.ts refuses filter and
// script expressions when the file is loaded.
import { JSONPath } from 'jsonpath-plus';
import type { ErrorDetail } from '../kernel/errors.js';
import type { ValueSpec, WebhookInputDecl } from '../config/model.js';
import type { IncomingAlert } from '../alerts/model.js';
import { DEFAULT_LIMITS, normalizeAlert } from '../alerts/model.js';
import { OPEN_UNTIL_RESOLVED, parseTime } from './model.js';

interface Match {
  value: unknown;
  /** JSON pointer of the match in the document. */
  pointer: string;
}

/** Every match of `path` in `doc`, in document order. */
export function select(path: string, doc: unknown): Match[] {
  if (doc === null || doc === undefined) return [];
  const found = JSONPath<{ value: unknown; pointer: string }[] | undefined>({
    path,
    json: doc,
    eval: false,
    wrap: true,
    resultType: 'all',
  });
  return (found ?? []).map((m) => ({ value: m.value, pointer: m.pointer }));
}

const scalar = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);

/**
 * The text of what `path` selects: a string as it is, a number or true/false written out, an object
 * or list as JSON; several matches joined with ",". undefined when nothing (or only null) matched.
 */
export function textAt(path: string, doc: unknown): string | undefined {
  const parts = select(path, doc)
    .map((m) => m.value)
    .filter((v) => v !== null && v !== undefined)
    .map(scalar);
  return parts.length ? parts.join(',') : undefined;
}

/** A value spec's value in `doc`: the literal, or the path's text translated by `map`, or `default`. */
export function resolveSpec(spec: ValueSpec, doc: unknown): string | undefined {
  if (spec.value !== null) return spec.value;
  const found = spec.path === null ? undefined : textAt(spec.path, doc);
  if (found === undefined || found === '') return spec.default ?? undefined;
  if (found in spec.map) return spec.map[found];
  const lower = found.toLowerCase();
  for (const [k, v] of Object.entries(spec.map)) if (k.toLowerCase() === lower) return v;
  return found;
}

/** A key from a sender's own object as a label name: characters Prometheus forbids become `_`. */
export const sanitizeName = (k: string): string => {
  const s = k.replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[0-9]/.test(s) ? `_${s}` : s;
};

/** The string, number and true/false entries of the object `path` selects (the first one). */
function entriesAt(path: string, doc: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const obj = select(path, doc).find(
    (m) => typeof m.value === 'object' && m.value !== null && !Array.isArray(m.value),
  );
  if (!obj) return out;
  for (const [k, v] of Object.entries(obj.value as Record<string, unknown>)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
      out[sanitizeName(k)] = String(v);
  }
  return out;
}

const describe = (spec: ValueSpec): string => (spec.path !== null ? spec.path : JSON.stringify(spec.value));

export interface MappedAlerts {
  alerts: IncomingAlert[];
  /** One per alert that could not be built; `path` points at its element in the received body. */
  problems: ErrorDetail[];
}

/**
 * The alerts a received document describes under `decl`, with explicit start and end times: a
 * resolved alert ends at its `ends_at` (at most now) or now; a firing one at its future `ends_at`,
 * else after `resolve_timeout`, else never (open until a resolved message arrives). An alert without
 * an alertname, with a time that is not a time, or with labels the alert store refuses is a problem.
 */
export function mapPayload(decl: WebhookInputDecl, body: unknown, now: number): MappedAlerts {
  const problems: ErrorDetail[] = [];
  if (typeof body !== 'object' || body === null)
    return { alerts: [], problems: [{ path: '/', message: 'the body must be a JSON object or list' }] };
  const elements: Match[] = decl.alerts === null ? [{ value: body, pointer: '' }] : select(decl.alerts, body);
  if (elements.length === 0)
    return {
      alerts: [],
      problems: [
        {
          path: '/',
          message: `alerts: ${decl.alerts ?? '$'} matched nothing in the body: check the sender's payload or the mapping of input "${decl.name}"`,
        },
      ],
    };
  const openEnd = decl.resolveTimeoutMs !== null ? now + decl.resolveTimeoutMs : OPEN_UNTIL_RESOLVED;
  const alerts: IncomingAlert[] = [];
  for (const el of elements) {
    const at = el.pointer || '/';
    const doc = el.value;
    const own: ErrorDetail[] = [];
    const labels: Record<string, string> = decl.labelsFrom ? entriesAt(decl.labelsFrom, doc) : {};
    for (const [name, spec] of Object.entries(decl.labels)) {
      const v = resolveSpec(spec, doc);
      if (v !== undefined) labels[name] = v;
      else delete labels[name];
    }
    if (!labels.alertname) {
      const spec = decl.labels.alertname;
      const from = [
        spec ? `labels.alertname (${describe(spec)}) matched nothing` : null,
        decl.labelsFrom ? `labels_from (${decl.labelsFrom}) has no alertname` : null,
      ].filter(Boolean);
      own.push({
        path: at,
        message: `no alertname: ${from.join(' and ')}; send that field or change the mapping of input "${decl.name}"`,
      });
    }
    const annotations: Record<string, string> = decl.annotationsFrom
      ? entriesAt(decl.annotationsFrom, doc)
      : {};
    for (const [name, spec] of Object.entries(decl.annotations)) {
      const v = resolveSpec(spec, doc);
      if (v !== undefined && v !== '') annotations[name] = v;
      else delete annotations[name];
    }
    const time = (key: 'starts_at' | 'ends_at', path: string | null): number | null => {
      if (path === null) return null;
      const raw = select(path, doc)[0]?.value;
      const t = parseTime(raw);
      if (t !== undefined) return t;
      own.push({
        path: at,
        message: `${key} (${path}) is ${JSON.stringify(raw)}, not a time: send ISO 8601 (2026-11-26T08:00:00Z) or epoch seconds`,
      });
      return null;
    };
    let startsAt = time('starts_at', decl.startsAt);
    let endsAt = time('ends_at', decl.endsAt);
    if (decl.status) {
      const state = textAt(decl.status.path, doc)?.trim().toLowerCase();
      const resolved = state !== undefined && decl.status.resolved.some((r) => r.toLowerCase() === state);
      if (resolved) endsAt = endsAt === null ? now : Math.min(endsAt, now);
      else if (endsAt === null || endsAt <= now) endsAt = openEnd;
    } else if (endsAt === null) endsAt = openEnd;
    startsAt ??= Math.min(now, endsAt);
    const generatorUrl = decl.generatorUrl ? resolveSpec(decl.generatorUrl, doc) : undefined;
    const alert: IncomingAlert = { labels, annotations, startsAt, endsAt, generatorUrl: generatorUrl ?? '' };
    if (!own.length) {
      const checked = normalizeAlert(alert, 'external', now, DEFAULT_LIMITS, '');
      for (const p of checked.problems) own.push({ path: at, message: `${p.path.slice(1)}: ${p.message}` });
    }
    if (own.length) problems.push(...own);
    else alerts.push(alert);
  }
  return { alerts, problems };
}
