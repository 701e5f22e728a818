// The `inputs` section: what its schema (schema.ts) cannot say, and its normalised form (model.ts).
// Pure. JSONPath syntax is checked here, without the evaluator: paths are evaluated with script
// evaluation disabled (ingest/webhook-mapping.ts), so a filter or script expression could never
// work and is refused when the file is loaded rather than on the first delivery.

import { parseDuration } from '../kernel/duration.js';
import { checkDuration, checkUnique, get, isObject, type Report } from './checks.js';
import type { InputsConfig, ValueSpec, WebhookInputDecl } from './model.js';
import type { ConfigPath } from './problems.js';
import type { ConfigFile } from './schema.js';

/**
 * Why `p` is not a JSONPath Watchpost evaluates, or null when it is one: it must start with `$`,
 * close its brackets and quotes, and hold no filter (`?(...)`) or script (`(...)`) expression.
 */
export function jsonPathProblem(p: string): string | null {
  if (!p.startsWith('$')) return 'must be a JSONPath starting with $';
  let depth = 0;
  let quote: string | null = null;
  for (let i = 1; i < p.length; i++) {
    const c = p[i];
    if (quote !== null) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if ((c === "'" || c === '"') && depth > 0) quote = c;
    else if (c === '[') depth++;
    else if (c === ']') {
      if (depth === 0) return 'has a "]" without a matching "["';
      depth--;
    } else if (c === '(' || c === ')')
      return 'filter and script expressions (?(...), (...)) are not allowed: select fields by name, index or [*]';
  }
  if (quote !== null) return 'has an unclosed quote';
  if (depth > 0) return 'has a "[" without a matching "]"';
  return null;
}

const checkPath = (v: unknown, p: ConfigPath, report: Report): void => {
  if (typeof v !== 'string') return;
  const why = jsonPathProblem(v);
  if (why) report(p, `${JSON.stringify(v)} ${why}`);
};

/** A value spec: a string starting with `$` is a path, any other string a literal. */
const checkValueSpec = (v: unknown, p: ConfigPath, report: Report): void => {
  if (typeof v === 'string') {
    if (v.startsWith('$')) checkPath(v, p, report);
    return;
  }
  if (!isObject(v)) return;
  const hasPath = typeof v.path === 'string';
  const hasValue = typeof v.value === 'string';
  if (hasPath && hasValue) report(p, 'give either path or value, not both');
  else if (!hasPath && !hasValue) report(p, 'needs path (a JSONPath) or value (a literal)');
  checkPath(v.path, [...p, 'path'], report);
};

/** Checks `inputs`: unique names, JSONPath syntax, an alertname source, durations. */
export function checkInputs(root: unknown, report: Report): void {
  const webhooks = get(get(root, 'inputs'), 'webhooks');
  if (!Array.isArray(webhooks)) return;
  const base: ConfigPath = ['inputs', 'webhooks'];
  checkUnique(webhooks, base, 'name', 'name', report);
  webhooks.forEach((w, i) => {
    const at = (...rest: (string | number)[]): ConfigPath => [...base, i, ...rest];
    for (const key of ['alerts', 'labels_from', 'annotations_from', 'starts_at', 'ends_at'])
      checkPath(get(w, key), at(key), report);
    checkPath(get(get(w, 'status'), 'path'), at('status', 'path'), report);
    for (const section of ['labels', 'annotations']) {
      const entries = get(w, section);
      if (isObject(entries))
        for (const [name, spec] of Object.entries(entries)) checkValueSpec(spec, at(section, name), report);
    }
    checkValueSpec(get(w, 'generator_url'), at('generator_url'), report);
    checkDuration(get(w, 'resolve_timeout'), at('resolve_timeout'), report);
    const labels = get(w, 'labels');
    if (isObject(w) && get(w, 'labels_from') === undefined && !(isObject(labels) && 'alertname' in labels))
      report(
        at('labels'),
        'must give alertname (e.g. alertname: $.ruleName, or a literal), or set labels_from to an object holding it',
      );
  });
}

const valueSpec = (
  v: string | { path?: string; value?: string; map?: Record<string, string>; default?: string },
): ValueSpec =>
  typeof v === 'string'
    ? v.startsWith('$')
      ? { path: v, value: null, map: {}, default: null }
      : { path: null, value: v, map: {}, default: null }
    : { path: v.path ?? null, value: v.value ?? null, map: { ...v.map }, default: v.default ?? null };

const specs = (m: ConfigFile['inputs']['webhooks'][number]['labels']): Record<string, ValueSpec> =>
  Object.fromEntries(Object.entries(m).map(([k, v]) => [k, valueSpec(v)]));

function webhookDecl(w: ConfigFile['inputs']['webhooks'][number]): WebhookInputDecl {
  return {
    name: w.name,
    alerts: w.alerts ?? null,
    labelsFrom: w.labels_from ?? null,
    annotationsFrom: w.annotations_from ?? null,
    labels: specs(w.labels),
    annotations: specs(w.annotations),
    status: w.status ? { path: w.status.path, resolved: [...w.status.resolved] } : null,
    startsAt: w.starts_at ?? null,
    endsAt: w.ends_at ?? null,
    generatorUrl: w.generator_url === undefined ? null : valueSpec(w.generator_url),
    resolveTimeoutMs: w.resolve_timeout === undefined ? null : parseDuration(w.resolve_timeout),
  };
}

/** The validated `inputs` section in the form the rest of Watchpost uses. */
export function buildInputs(s: ConfigFile['inputs']): InputsConfig {
  return { webhooks: s.webhooks.map(webhookDecl) };
}
