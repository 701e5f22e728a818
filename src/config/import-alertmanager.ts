// Pure: `watchpost import alertmanager` — an alertmanager.yml turned into a Watchpost configuration
// file (YAML text) plus a report of what was converted and what could not be mapped, each with its
// path and line in the input. Nothing here reads files: the CLI passes the text in, optionally a
// reader for `*_file` secrets, and checks the output with the loader (load.ts) before writing it.
//
// Watchpost's `route`, `receivers`, `inhibit_rules` and `time_intervals` already use Alertmanager's
// syntax, so most of a file is copied. What changes:
// - `global` is folded into the receivers that inherit from it, with Alertmanager's rules (an email
//   config takes `smtp_*` for each field it leaves empty; webhook and WeChat configs without their
//   own `http_config` take the global one), because Watchpost has no `global` section;
// - deprecated forms become their successors: `match` / `match_re` → `matchers`, `source_match*` /
//   `target_match*` → `source_matchers` / `target_matchers`, `mute_time_intervals` (top level) →
//   `time_intervals`, `authorization: {type: Bearer}` → `bearer_token`;
// - what Watchpost cannot do yet (other integrations, Go templates, `*_file` secrets unless read,
//   TLS client certificates, OAuth 2, ...) is left out, reported, and marked by a comment in the
//   output at the nearest place that remains. A receiver left without channels is kept (Alertmanager
//   allows that too), so the routes naming it stay valid; alerts routed to it are not delivered.

import { Document, isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { DomainError } from '../kernel/errors.js';
import { isObject, type JsonObject } from './checks.js';
import { formatProblems, lineOf, type ConfigPath, type ConfigProblem } from './problems.js';
import {
  DEFAULT_RESOLVE_TIMEOUT,
  OTHER_GLOBALS,
  copyMatchers,
  matcherLines,
  nonEmpty,
  note,
  notMapped,
  problem,
  unknownKeys,
  type Ctx,
  type ImportOptions,
  type ImportResult,
  type ImportNote,
} from './import-alertmanager.context.js';
import { receiver } from './import-alertmanager.receivers.js';

export type {
  ImportNote,
  ImportNoteKind,
  ImportOptions,
  ImportResult,
} from './import-alertmanager.context.js';

// ---------------------------------------------------------------------------------------------
// Routes

const ROUTE_KEYS = [
  'receiver',
  'group_by',
  'continue',
  'matchers',
  'match',
  'match_re',
  'group_wait',
  'group_interval',
  'repeat_interval',
  'mute_time_intervals',
  'active_time_intervals',
  'routes',
];

function route(ctx: Ctx, r: unknown, at: ConfigPath, counter: { n: number }): JsonObject {
  const out: JsonObject = {};
  if (!isObject(r)) {
    problem(ctx, at, 'must be a route (a mapping with receiver, matchers, routes, ...)');
    return out;
  }
  counter.n += 1;
  unknownKeys(ctx, r, ROUTE_KEYS, at, at);
  if (r.receiver !== undefined && r.receiver !== null) out.receiver = r.receiver;
  if (r.group_by !== undefined && r.group_by !== null) out.group_by = r.group_by;
  if (r.continue !== undefined && r.continue !== null) out.continue = r.continue;

  const converted = [
    ...matcherLines(ctx, r.match, '=', [...at, 'match'], false),
    ...matcherLines(ctx, r.match_re, '=~', [...at, 'match_re'], true),
  ];
  for (const key of ['match', 'match_re']) {
    if (isObject(r[key]) && Object.keys(r[key]).length > 0)
      note(ctx, 'converted', [...at, key], `converted to matchers (${key} is deprecated in Alertmanager)`);
  }
  const matchers = [...converted, ...copyMatchers(ctx, r.matchers, [...at, 'matchers'])];
  if (matchers.length > 0) out.matchers = matchers;

  for (const key of [
    'group_wait',
    'group_interval',
    'repeat_interval',
    'mute_time_intervals',
    'active_time_intervals',
  ]) {
    if (r[key] !== undefined && r[key] !== null) out[key] = r[key];
  }
  if (Array.isArray(r.routes) && r.routes.length > 0)
    out.routes = r.routes.map((child, i) => route(ctx, child, [...at, 'routes', i], counter));
  else if (r.routes !== undefined && r.routes !== null && !Array.isArray(r.routes))
    problem(ctx, [...at, 'routes'], 'must be a list of routes');
  return out;
}

// ---------------------------------------------------------------------------------------------
// Inhibition rules and time intervals

const INHIBIT_KEYS = [
  'source_matchers',
  'target_matchers',
  'source_match',
  'source_match_re',
  'target_match',
  'target_match_re',
  'equal',
];

function inhibitRule(ctx: Ctx, r: unknown, i: number): JsonObject {
  const at: ConfigPath = ['inhibit_rules', i];
  if (!isObject(r)) {
    problem(ctx, at, 'must be a mapping with source_matchers, target_matchers and equal');
    return {};
  }
  unknownKeys(ctx, r, INHIBIT_KEYS, at, at);
  const res: JsonObject = {};
  for (const side of ['source', 'target'] as const) {
    const lines = [
      ...matcherLines(ctx, r[`${side}_match`], '=', [...at, `${side}_match`], false),
      ...matcherLines(ctx, r[`${side}_match_re`], '=~', [...at, `${side}_match_re`], true),
    ];
    for (const key of [`${side}_match`, `${side}_match_re`]) {
      if (isObject(r[key]) && Object.keys(r[key]).length > 0)
        note(
          ctx,
          'converted',
          [...at, key],
          `converted to ${side}_matchers (${key} is deprecated in Alertmanager)`,
        );
    }
    lines.push(...copyMatchers(ctx, r[`${side}_matchers`], [...at, `${side}_matchers`]));
    if (lines.length > 0) res[`${side}_matchers`] = lines;
  }
  if (nonEmpty(r.equal)) res.equal = r.equal;
  return res;
}

const INTERVAL_KEYS = ['times', 'weekdays', 'days_of_month', 'months', 'years', 'location'];

function namedInterval(ctx: Ctx, t: unknown, at: ConfigPath, out: ConfigPath): JsonObject {
  if (!isObject(t) || typeof t.name !== 'string') {
    problem(ctx, at, 'must be a mapping with name and time_intervals');
    return {};
  }
  unknownKeys(ctx, t, ['name', 'time_intervals'], at, out);
  const list: unknown[] = Array.isArray(t.time_intervals) ? t.time_intervals : [];
  return {
    name: t.name,
    time_intervals: list.map((ti, j): unknown => {
      if (!isObject(ti)) return ti;
      unknownKeys(ctx, ti, INTERVAL_KEYS, [...at, 'time_intervals', j], out);
      return Object.fromEntries(
        Object.entries(ti).filter(([k, v]) => INTERVAL_KEYS.includes(k) && v !== null),
      );
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// Global and top level

function reportGlobal(ctx: Ctx): void {
  for (const [key, value] of Object.entries(ctx.global)) {
    if (value === null || value === undefined) continue;
    const at: ConfigPath = ['global', key];
    const uses = ctx.globalUse.get(key) ?? [];
    if (key === 'resolve_timeout') {
      if (value === DEFAULT_RESOLVE_TIMEOUT) note(ctx, 'converted', at, 'the same as Watchpost’s (5m)');
      else
        notMapped(
          ctx,
          at,
          `not configurable yet: Watchpost resolves alerts sent without endsAt after ${DEFAULT_RESOLVE_TIMEOUT} (Prometheus always sends endsAt)`,
          [],
        );
    } else if (OTHER_GLOBALS.test(key)) {
      notMapped(ctx, at, 'used only by integrations Watchpost does not deliver yet', []);
    } else if (uses.length > 0) {
      note(ctx, 'converted', at, `copied into ${uses.join(', ')}`);
    } else if (/^(smtp_|wechat_api_)/.test(key) || key === 'http_config') {
      note(ctx, 'converted', at, 'no receiver inherits it: nothing to copy');
    } else {
      notMapped(ctx, at, 'not an Alertmanager global setting Watchpost knows: left out', []);
    }
  }
}

const TOP_LEVEL = [
  'global',
  'templates',
  'route',
  'receivers',
  'inhibit_rules',
  'time_intervals',
  'mute_time_intervals',
];
const PROMETHEUS_KEYS = ['scrape_configs', 'rule_files', 'alerting', 'remote_write', 'remote_read'];
const WATCHPOST_KEYS = ['server', 'storage', 'auth', 'log', 'teams', 'services'];

function checkTopLevel(ctx: Ctx, root: JsonObject): boolean {
  const keys = Object.keys(root);
  const prom = keys.filter((k) => PROMETHEUS_KEYS.includes(k));
  if (prom.length > 0) {
    problem(ctx, [prom[0] ?? ''], 'this is a Prometheus configuration, not an Alertmanager one');
    return false;
  }
  const wp = keys.filter((k) => WATCHPOST_KEYS.includes(k));
  if (wp.length > 0) {
    problem(
      ctx,
      [wp[0] ?? ''],
      'this looks like a Watchpost configuration already: check it with watchpost config validate',
    );
    return false;
  }
  if (root.route === undefined && root.receivers === undefined) {
    problem(ctx, [], 'not an Alertmanager configuration: it has neither route nor receivers');
    return false;
  }
  if (root.route !== undefined && !isObject(root.route)) {
    problem(ctx, ['route'], 'must be a mapping (the root route)');
    return false;
  }
  if (root.receivers !== undefined && root.receivers !== null && !Array.isArray(root.receivers)) {
    problem(ctx, ['receivers'], 'must be a list of receivers');
    return false;
  }
  return true;
}

/** Short lists read better in flow style: `group_by: [alertname, cluster]`. */
const FLOW_KEYS = new Set([
  'group_by',
  'equal',
  'mute_time_intervals',
  'active_time_intervals',
  'weekdays',
  'days_of_month',
  'months',
  'years',
]);

function styleFlow(node: unknown): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (isScalar(pair.key) && FLOW_KEYS.has(String(pair.key.value)) && isSeq(pair.value))
        pair.value.flow = true;
      styleFlow(pair.value);
    }
  } else if (isSeq(node)) {
    for (const item of node.items) styleFlow(item);
  }
}

/** Puts a comment before the node at `p`, or the nearest ancestor that exists in the output. */
function attachComment(doc: Document, p: ConfigPath, lines: readonly string[]): void {
  const text = lines.map((l) => ` ${l}`).join('\n');
  const add = (n: { commentBefore?: string | null }) => {
    n.commentBefore = n.commentBefore ? `${n.commentBefore}\n${text}` : text;
  };
  for (let len = p.length; len > 0; len--) {
    const parent = len === 1 ? doc.contents : doc.getIn(p.slice(0, len - 1), true);
    const seg = p[len - 1];
    if (isMap(parent)) {
      const pair = parent.items.find((it) => isScalar(it.key) && String(it.key.value) === String(seg));
      if (pair && isScalar(pair.key)) return add(pair.key);
    } else if (isSeq(parent) && typeof seg === 'number') {
      const item = parent.items[seg] as Node | undefined;
      if (item) return add(item);
    }
  }
  add(doc);
}

/** `receivers[3].email_configs[0]` → `['receivers', 3, 'email_configs', 0]` (formatPath's inverse). */
export function parsePath(s: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /(?:^|\.)([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[3] !== undefined) out.push(JSON.parse(m[3]) as string);
  }
  return out;
}

/**
 * Converts an Alertmanager configuration into a Watchpost configuration file, noting everything it
 * converted or left out with its path and line in the input. Throws DomainError('invalid') listing
 * every problem (with its line) when the text is not YAML or not an Alertmanager configuration.
 * The output is not validated here: load.ts's validateConfigText does that.
 */
export function importAlertmanager(text: string, opts: ImportOptions): ImportResult {
  const lines = new LineCounter();
  const parsed = parseDocument(text, { lineCounter: lines, prettyErrors: false, merge: true });
  if (parsed.errors.length > 0) {
    const problems = parsed.errors.map((e) => {
      const { line, col } = lines.linePos(e.pos[0]);
      return { path: `line ${line}, column ${col}`, message: `YAML syntax error: ${e.message}` };
    });
    throw invalidInput(opts.source, problems);
  }
  const root = parsed.toJS({ maxAliasCount: 1000 }) as unknown;
  const ctx: Ctx = {
    opts,
    notes: [],
    problems: [],
    comments: new Map(),
    lineOf: (p) => lineOf(parsed, lines, p),
    sourceOf: (p) => {
      const n = parsed.getIn(p, true);
      return isScalar(n) && typeof n.source === 'string' ? n.source : undefined;
    },
    global: {},
    globalUse: new Map(),
  };
  if (!isObject(root)) {
    problem(ctx, [], 'not an Alertmanager configuration: expected a mapping with route and receivers');
    throw invalidInput(opts.source, ctx.problems);
  }
  if (!checkTopLevel(ctx, root)) throw invalidInput(opts.source, ctx.problems);
  ctx.global = isObject(root.global) ? root.global : {};

  const out: JsonObject = {};
  const counter = { n: 0 };
  if (isObject(root.route)) out.route = route(ctx, root.route, ['route'], counter);
  const receivers = Array.isArray(root.receivers) ? root.receivers : [];
  out.receivers = receivers.map((r, i) => receiver(ctx, r, i));
  const inhibit = Array.isArray(root.inhibit_rules) ? root.inhibit_rules : [];
  if (inhibit.length > 0) out.inhibit_rules = inhibit.map((r, i) => inhibitRule(ctx, r, i));
  const intervals = Array.isArray(root.time_intervals) ? root.time_intervals : [];
  const old = Array.isArray(root.mute_time_intervals) ? root.mute_time_intervals : [];
  const named = [
    ...intervals.map((t, i) => namedInterval(ctx, t, ['time_intervals', i], ['time_intervals', i])),
    ...old.map((t, i) =>
      namedInterval(ctx, t, ['mute_time_intervals', i], ['time_intervals', intervals.length + i]),
    ),
  ];
  if (old.length > 0)
    note(
      ctx,
      'converted',
      ['mute_time_intervals'],
      'merged into time_intervals (mute_time_intervals is deprecated in Alertmanager)',
    );
  if (named.length > 0) out.time_intervals = named;

  if (Array.isArray(root.templates) && root.templates.length > 0) {
    notMapped(
      ctx,
      ['templates'],
      `Go template files (${root.templates.map(String).join(', ')}) are not supported: fields that use them are left out, so Watchpost’s default messages are used`,
      [],
    );
  }
  for (const key of Object.keys(root)) {
    if (!TOP_LEVEL.includes(key) && root[key] !== null)
      notMapped(ctx, [key], 'not an Alertmanager key Watchpost knows: left out', []);
  }
  reportGlobal(ctx);
  if (ctx.problems.length > 0) throw invalidInput(opts.source, ctx.problems);

  const doc = new Document(out);
  styleFlow(doc.contents);
  const notMappedCount = ctx.notes.filter((n) => n.kind === 'not_mapped').length;
  doc.commentBefore = [
    ` Watchpost configuration imported from ${opts.source} by \`watchpost import alertmanager\`.`,
    ` route, receivers, inhibit_rules and time_intervals use Alertmanager's syntax and meaning.`,
    notMappedCount > 0
      ? ` ${notMappedCount} part${notMappedCount === 1 ? ' was' : 's were'} not mapped: see the "not mapped" comments.`
      : ' Everything was mapped.',
    ' Server, storage, teams and services: see examples/watchpost.yml.',
  ].join('\n');
  for (const { at, lines: text } of ctx.comments.values()) attachComment(doc, at, text);

  return {
    yaml: doc.toString({ lineWidth: 0, flowCollectionPadding: false }),
    notes: ctx.notes.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity)),
    counts: {
      receivers: receivers.length,
      routes: counter.n,
      inhibitRules: inhibit.length,
      timeIntervals: named.length,
    },
    inputLine: (p) => ctx.lineOf(parsePath(p)),
  };
}

function invalidInput(source: string, found: readonly ConfigProblem[]): DomainError {
  const problems = [...found].sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
  return new DomainError('invalid', formatProblems(`${source}: not imported`, problems), {
    details: problems.map(({ path, message }) => ({ path, message })),
  });
}

/** The report as lines for a terminal: `<file>:<line>: not mapped: <path>: <message>`. */
export function formatImportNotes(source: string, notes: readonly ImportNote[]): string[] {
  return notes.map(
    (n) =>
      `${source}${n.line !== undefined ? `:${n.line}` : ''}: ${n.kind === 'not_mapped' ? 'not mapped' : 'converted'}: ${n.path}: ${n.message}`,
  );
}
