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
import { formatMatcher, parseMatchers, type Matcher } from '../kernel/matchers.js';
import { isObject, type JsonObject } from './checks.js';
import { formatPath, formatProblems, lineOf, type ConfigPath, type ConfigProblem } from './problems.js';
import { OTHER_RECEIVER_KINDS } from './alertmanager.schema.js';

export type ImportNoteKind = 'converted' | 'not_mapped';

/** One thing the import did or could not do, at a place in the input. */
export interface ImportNote {
  /** `converted`: mapped, in another form; `not_mapped`: left out (or a placeholder), needs a look. */
  kind: ImportNoteKind;
  /** Dotted path in the Alertmanager file: `receivers[3].slack_configs`. */
  path: string;
  /** 1-based line in the Alertmanager file, when the path is in it. */
  line?: number;
  message: string;
}

export interface ImportResult {
  /** The Watchpost configuration file. */
  yaml: string;
  notes: ImportNote[];
  counts: { receivers: number; routes: number; inhibitRules: number; timeIntervals: number };
  /** The line in the input of a dotted path of the output (same paths except merged time intervals). */
  inputLine: (path: string) => number | undefined;
}

export interface ImportOptions {
  /** How the input is named in the header comment and in messages (usually its path). */
  source: string;
  /**
   * Reads a secret file named by `password_file`, `credentials_file`, `api_secret_file`, ... as
   * written in the input. When absent, those fields are reported instead of read.
   */
  readSecretFile?: (file: string) => string;
}

/**
 * Alertmanager's integrations this importer does not convert: those Watchpost does not deliver, and
 * Slack, Telegram and PagerDuty, which Watchpost delivers with its own message (Alertmanager's Go
 * templates and global URLs do not carry over; docs/channels.md shows the keys).
 */
const OTHER_KINDS = [...OTHER_RECEIVER_KINDS, 'pagerduty_configs', 'slack_configs', 'telegram_configs'];

/** Global keys that only other integrations use. */
const OTHER_GLOBALS =
  /^(slack_api_url|pagerduty_url|opsgenie_api|victorops_api|telegram_api_url|webex_api_url|rocketchat_api|jira_api_url)/;

const DEFAULT_WECHAT_API_URL = 'https://qyapi.weixin.qq.com/cgi-bin/';
const DEFAULT_RESOLVE_TIMEOUT = '5m';
/** Placeholders for required secrets that were only in files: they load, and delivery fails visibly. */
const PLACEHOLDER_SECRET = 'REPLACE_ME';
const PLACEHOLDER_URL = 'https://replace-me.invalid/';

const GO_TEMPLATE = /\{\{/;
/** `{{ template "email.default.html" . }}`: Alertmanager's own default, as `amtool config show` prints it. */
const DEFAULT_TEMPLATE = /^\s*\{\{-?\s*template\s+"[a-z0-9_]+\.default\.[a-z0-9_]+"\s+\.\s*-?\}\}\s*$/;
/** How Alertmanager prints a secret in `amtool config show` and `/api/v2/status`. */
const MASKED_SECRET = '<secret>';

const TEMPLATE_ADVICE =
  'Go templates are not supported: left out, so Watchpost’s default message is used (see docs/migrating-from-alertmanager.md)';

/** A value and where in the input it came from (the receiver's own config or `global`). */
interface Src {
  value: unknown;
  at: ConfigPath;
}
type Fields = Record<string, Src>;

interface Ctx {
  opts: ImportOptions;
  notes: ImportNote[];
  problems: ConfigProblem[];
  /** Comments for the output, keyed by the JSON of an output path. */
  comments: Map<string, { at: ConfigPath; lines: string[] }>;
  lineOf: (p: ConfigPath) => number | undefined;
  /** Raw text of a plain scalar, for label values Alertmanager reads as strings (`503`, `0x10`). */
  sourceOf: (p: ConfigPath) => string | undefined;
  global: JsonObject;
  /** Which output paths each global key was copied to. */
  globalUse: Map<string, string[]>;
}

// ---------------------------------------------------------------------------------------------
// Notes, problems and comments

function note(ctx: Ctx, kind: ImportNoteKind, at: ConfigPath, message: string, out?: ConfigPath): void {
  const path = formatPath(at);
  if (ctx.notes.some((n) => n.kind === kind && n.path === path && n.message === message)) return;
  const line = ctx.lineOf(at);
  ctx.notes.push({ kind, path, ...(line !== undefined ? { line } : {}), message });
  if (out === undefined) return;
  const key = JSON.stringify(out);
  const entry = ctx.comments.get(key) ?? { at: out, lines: [] };
  entry.lines.push(`${kind === 'not_mapped' ? 'not mapped' : 'converted'}: ${path}: ${message}`);
  ctx.comments.set(key, entry);
}

const notMapped = (ctx: Ctx, at: ConfigPath, message: string, out?: ConfigPath): void =>
  note(ctx, 'not_mapped', at, message, out);

function problem(ctx: Ctx, at: ConfigPath, message: string): void {
  const line = ctx.lineOf(at);
  ctx.problems.push({ path: formatPath(at), message, ...(line !== undefined ? { line } : {}) });
}

// ---------------------------------------------------------------------------------------------
// Small helpers

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const nonEmpty = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

/** The keys of `o` not in `known`, reported as unknown Alertmanager keys and left out. */
function unknownKeys(
  ctx: Ctx,
  o: JsonObject,
  known: readonly string[],
  at: ConfigPath,
  out: ConfigPath,
): void {
  for (const k of Object.keys(o)) {
    if (!known.includes(k) && o[k] !== null)
      notMapped(ctx, [...at, k], `not an Alertmanager key Watchpost knows: left out`, out);
  }
}

/** A label value as Alertmanager reads it: always a string, as written (`503`, `1.0`, `yes`). */
function labelValue(ctx: Ctx, v: unknown, at: ConfigPath): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return ctx.sourceOf(at) ?? String(v);
  problem(ctx, at, 'must be a label value (a string)');
  return undefined;
}

/**
 * `match` / `match_re`-style maps as matcher strings. `anchor` writes a regex as Alertmanager itself
 * stores it (`^(?:…)$`), so that a route's key, and with it the group key in webhook payloads, stays
 * the one Alertmanager computes; both forms match exactly the same values.
 */
function matcherLines(ctx: Ctx, map: unknown, type: '=' | '=~', at: ConfigPath, anchor: boolean): string[] {
  if (map === undefined || map === null) return [];
  if (!isObject(map)) {
    problem(ctx, at, 'must be a mapping of label names to values');
    return [];
  }
  const out: string[] = [];
  for (const [name, raw] of Object.entries(map)) {
    const value = labelValue(ctx, raw, [...at, name]);
    if (value === undefined) continue;
    const m: Matcher = { name, type, value };
    try {
      parseMatchers(formatMatcher(m));
    } catch (e) {
      problem(ctx, [...at, name], (e as Error).message.replace(/^column \d+: /, ''));
      continue;
    }
    out.push(formatMatcher(type === '=~' && anchor ? { ...m, value: `^(?:${value})$` } : m));
  }
  return out;
}

/** `matchers:` lines, copied after checking that Watchpost reads each the way Alertmanager does. */
function copyMatchers(ctx: Ctx, list: unknown, at: ConfigPath): string[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) {
    problem(ctx, at, 'must be a list of matchers such as \'severity="critical"\'');
    return [];
  }
  const out: string[] = [];
  list.forEach((line, i) => {
    if (typeof line !== 'string') return problem(ctx, [...at, i], 'must be a matcher in quotes');
    try {
      parseMatchers(line);
      out.push(line);
    } catch (e) {
      problem(ctx, [...at, i], `invalid matcher ${JSON.stringify(line)}: ${(e as Error).message}`);
    }
  });
  return out;
}

/**
 * The value of a secret given inline or in a file. A file is read when a reader was given;
 * otherwise (or when reading fails) the secret is reported and `undefined` returned.
 */
function secret(
  ctx: Ctx,
  fields: Fields,
  key: string,
  fileKey: string,
  out: ConfigPath,
  required = false,
): string | undefined {
  const inline = fields[key];
  if (inline !== undefined && nonEmpty(inline.value)) {
    const v = String(inline.value);
    if (v === MASKED_SECRET)
      notMapped(
        ctx,
        inline.at,
        `the secret is masked as ${MASKED_SECRET} (this is amtool config show output): replace it with the real value`,
        out,
      );
    return v;
  }
  const file = fields[fileKey];
  const path = str(file?.value);
  if (file === undefined || path === undefined || path === '') return undefined;
  const target = `${formatPath(out)}.${key}`;
  if (ctx.opts.readSecretFile) {
    try {
      const v = ctx.opts.readSecretFile(path).trim();
      note(ctx, 'converted', file.at, `read from ${path} into ${target}`);
      return v;
    } catch (e) {
      notMapped(ctx, file.at, `cannot read ${path}: ${(e as Error).message}; put the secret in ${key}`, out);
    }
  } else {
    notMapped(
      ctx,
      file.at,
      `Watchpost has no ${fileKey}: put the contents of ${path} in ${key}, or run the import with --inline-secret-files${required ? ` (a placeholder is written for now)` : ''}`,
      out,
    );
  }
  return undefined;
}

/** Own fields of a config, each with its path. */
const fieldsOf = (o: JsonObject, at: ConfigPath): Fields =>
  Object.fromEntries(Object.entries(o).map(([k, value]) => [k, { value, at: [...at, k] }]));

/** Alertmanager's inheritance: the own value unless empty, else the global one (if any). */
function inherit(ctx: Ctx, fields: Fields, key: string, globalKey: string, out: ConfigPath): void {
  if (fields[key] !== undefined && nonEmpty(fields[key].value)) return;
  const g = ctx.global[globalKey];
  if (g === undefined || g === null || g === '') return;
  fields[key] = { value: g, at: ['global', globalKey] };
  const uses = ctx.globalUse.get(globalKey) ?? [];
  uses.push(formatPath(out));
  ctx.globalUse.set(globalKey, uses);
}

/** A text field that may be a Go template: Alertmanager's default template is dropped, others reported. */
function textField(ctx: Ctx, f: Src | undefined, out: ConfigPath): string | undefined {
  if (f === undefined || f.value === null || f.value === undefined) return undefined;
  if (typeof f.value !== 'string' && typeof f.value !== 'number') return undefined;
  const v = String(f.value);
  if (DEFAULT_TEMPLATE.test(v)) {
    note(ctx, 'converted', f.at, 'Alertmanager’s default template: left out, Watchpost’s default applies');
    return undefined;
  }
  if (GO_TEMPLATE.test(v)) {
    notMapped(ctx, f.at, TEMPLATE_ADVICE, out);
    return undefined;
  }
  return v;
}

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
// Receivers

const HTTP_CONFIG_KEYS_KEPT = ['bearer_token', 'proxy_url', 'follow_redirects', 'enable_http2'];

/** Watchpost's `http_config` from Alertmanager's, reporting what it cannot use. */
function httpConfig(ctx: Ctx, h: Src | undefined, out: ConfigPath): JsonObject | undefined {
  if (h === undefined || !isObject(h.value)) return undefined;
  const at = h.at;
  const src = h.value;
  const res: JsonObject = {};
  for (const [k, v] of Object.entries(src)) {
    if (v === null || v === undefined) continue;
    const here: ConfigPath = [...at, k];
    if (HTTP_CONFIG_KEYS_KEPT.includes(k)) {
      res[k] = v;
    } else if (k === 'bearer_token_file') {
      const token = secret(ctx, fieldsOf(src, at), 'bearer_token', 'bearer_token_file', out);
      if (token !== undefined) res.bearer_token = token;
    } else if (k === 'authorization' && isObject(v)) {
      const type = str(v.type) ?? 'Bearer';
      if (type.toLowerCase() !== 'bearer') {
        notMapped(ctx, here, `authorization type ${type} is not supported: only Bearer`, out);
        continue;
      }
      const token = secret(ctx, fieldsOf(v, here), 'credentials', 'credentials_file', out);
      if (token !== undefined) {
        res.bearer_token = token;
        note(ctx, 'converted', here, 'converted to bearer_token');
      }
    } else if (k === 'basic_auth' && isObject(v)) {
      const f = fieldsOf(v, here);
      const username = str(v.username);
      if (username === undefined) {
        notMapped(
          ctx,
          [...here, 'username_file'],
          'username_file is not supported: put the user name in username',
          out,
        );
        continue;
      }
      const password = secret(ctx, f, 'password', 'password_file', out);
      res.basic_auth = { username, ...(password !== undefined ? { password } : {}) };
    } else if (k === 'tls_config' && isObject(v)) {
      for (const [tk, tv] of Object.entries(v)) {
        if (tk === 'insecure_skip_verify') res.tls_config = { insecure_skip_verify: tv };
        else if (tv !== null && tv !== '')
          notMapped(
            ctx,
            [...here, tk],
            'not supported yet: the system’s trusted CAs are used, no client certificate',
            out,
          );
      }
    } else {
      notMapped(ctx, here, 'not supported yet', out);
    }
  }
  return Object.keys(res).length > 0 ? res : undefined;
}

const WEBHOOK_KEYS = ['url', 'url_file', 'send_resolved', 'max_alerts', 'timeout', 'http_config'];

function webhookConfig(ctx: Ctx, w: JsonObject, at: ConfigPath, out: ConfigPath): JsonObject {
  unknownKeys(ctx, w, WEBHOOK_KEYS, at, out);
  const f = fieldsOf(w, at);
  if (f.http_config === undefined && isObject(ctx.global.http_config)) {
    f.http_config = { value: ctx.global.http_config, at: ['global', 'http_config'] };
    ctx.globalUse.set('http_config', [...(ctx.globalUse.get('http_config') ?? []), formatPath(out)]);
  }
  const url = secret(ctx, f, 'url', 'url_file', out, true);
  const res: JsonObject = { url: url === undefined || url === MASKED_SECRET ? PLACEHOLDER_URL : url };
  for (const k of ['send_resolved', 'max_alerts', 'timeout']) if (nonEmpty(w[k])) res[k] = w[k];
  const http = httpConfig(ctx, f.http_config, out);
  if (http) res.http_config = http;
  return res;
}

const EMAIL_KEYS = [
  'to',
  'from',
  'smarthost',
  'hello',
  'auth_username',
  'auth_password',
  'auth_password_file',
  'auth_secret',
  'auth_secret_file',
  'auth_identity',
  'require_tls',
  'tls_config',
  'headers',
  'html',
  'text',
  'send_resolved',
  'threading',
];

function emailConfig(ctx: Ctx, e: JsonObject, at: ConfigPath, out: ConfigPath): JsonObject {
  unknownKeys(ctx, e, EMAIL_KEYS, at, out);
  const f = fieldsOf(e, at);
  for (const [key, g] of [
    ['smarthost', 'smtp_smarthost'],
    ['from', 'smtp_from'],
    ['hello', 'smtp_hello'],
    ['auth_username', 'smtp_auth_username'],
    ['auth_secret', 'smtp_auth_secret'],
    ['auth_secret_file', 'smtp_auth_secret_file'],
    ['auth_identity', 'smtp_auth_identity'],
    ['require_tls', 'smtp_require_tls'],
    ['tls_config', 'smtp_tls_config'],
  ] as const)
    inherit(ctx, f, key, g, out);
  // The password and its file are taken from global together, and only when neither is set here.
  if (!nonEmpty(e.auth_password) && !nonEmpty(e.auth_password_file)) {
    inherit(ctx, f, 'auth_password', 'smtp_auth_password', out);
    inherit(ctx, f, 'auth_password_file', 'smtp_auth_password_file', out);
  }

  const res: JsonObject = {};
  for (const key of ['to', 'from', 'smarthost']) {
    const v = f[key];
    if (v === undefined || !nonEmpty(v.value)) continue;
    res[key] = v.value;
    if (typeof v.value === 'string' && GO_TEMPLATE.test(v.value))
      notMapped(ctx, v.at, 'Go templates are not supported: copied as written; put the address itself', out);
  }
  const user = f.auth_username;
  if (user !== undefined && nonEmpty(user.value)) res.auth_username = user.value;
  const password = secret(ctx, f, 'auth_password', 'auth_password_file', out);
  if (password !== undefined) res.auth_password = password;
  if (f.require_tls !== undefined && typeof f.require_tls.value === 'boolean')
    res.require_tls = f.require_tls.value;

  const hello = f.hello;
  if (hello !== undefined && nonEmpty(hello.value) && hello.value !== 'localhost')
    notMapped(ctx, hello.at, 'not supported yet: Watchpost greets the server with its own host name', out);
  for (const key of ['auth_secret', 'auth_secret_file'])
    if (f[key] !== undefined && nonEmpty(f[key].value))
      notMapped(ctx, f[key].at, 'CRAM-MD5 is not supported yet: use auth_username and auth_password', out);
  if (
    f.auth_identity !== undefined &&
    nonEmpty(f.auth_identity.value) &&
    f.auth_identity.value !== user?.value
  )
    notMapped(ctx, f.auth_identity.at, 'not supported yet: the user name is the PLAIN identity', out);
  if (
    f.tls_config !== undefined &&
    isObject(f.tls_config.value) &&
    Object.keys(f.tls_config.value).length > 0
  )
    notMapped(
      ctx,
      f.tls_config.at,
      'not supported yet: the system’s trusted CAs are used, no client certificate',
      out,
    );
  if (f.threading !== undefined && nonEmpty(f.threading.value))
    notMapped(ctx, f.threading.at, 'not supported yet', out);

  if (isObject(e.headers)) {
    const headers: JsonObject = {};
    for (const [name, v] of Object.entries(e.headers)) {
      const text = textField(ctx, { value: v, at: [...at, 'headers', name] }, out);
      if (text !== undefined) headers[name] = text;
    }
    if (Object.keys(headers).length > 0) res.headers = headers;
  }
  for (const key of ['html', 'text']) {
    const text = textField(ctx, f[key], out);
    if (text !== undefined) res[key] = text;
  }
  if (nonEmpty(e.send_resolved)) res.send_resolved = e.send_resolved;
  return res;
}

const WECHAT_KEYS = [
  'send_resolved',
  'http_config',
  'api_secret',
  'api_secret_file',
  'corp_id',
  'message',
  'message_type',
  'api_url',
  'to_user',
  'to_party',
  'to_tag',
  'agent_id',
];

function wechatConfig(ctx: Ctx, w: JsonObject, at: ConfigPath, out: ConfigPath): JsonObject {
  unknownKeys(ctx, w, WECHAT_KEYS, at, out);
  const f = fieldsOf(w, at);
  inherit(ctx, f, 'api_url', 'wechat_api_url', out);
  if (!nonEmpty(w.api_secret) && !nonEmpty(w.api_secret_file)) {
    inherit(ctx, f, 'api_secret', 'wechat_api_secret', out);
    inherit(ctx, f, 'api_secret_file', 'wechat_api_secret_file', out);
  }
  inherit(ctx, f, 'corp_id', 'wechat_api_corp_id', out);

  const res: JsonObject = {};
  const url = str(f.api_url?.value);
  if (url !== undefined && url !== DEFAULT_WECHAT_API_URL) {
    // Alertmanager adds the final slash itself.
    res.api_url = url.endsWith('/') ? url : `${url}/`;
  }
  if (f.corp_id !== undefined && nonEmpty(f.corp_id.value)) res.corp_id = f.corp_id.value;
  const apiSecret = secret(ctx, f, 'api_secret', 'api_secret_file', out, true);
  res.api_secret = apiSecret ?? PLACEHOLDER_SECRET;
  for (const key of ['agent_id', 'to_user', 'to_party', 'to_tag', 'message']) {
    const v = key === 'agent_id' && typeof w[key] === 'number' ? w[key] : textField(ctx, f[key], out);
    if (v !== undefined) res[key] = v;
  }
  for (const key of ['message_type', 'send_resolved']) if (nonEmpty(w[key])) res[key] = w[key];

  const h =
    f.http_config ??
    (isObject(ctx.global.http_config)
      ? { value: ctx.global.http_config, at: ['global', 'http_config'] }
      : undefined);
  if (h !== undefined && isObject(h.value)) {
    for (const [k, v] of Object.entries(h.value)) {
      if (v === null || k === 'follow_redirects' || k === 'enable_http2') continue;
      notMapped(ctx, [...h.at, k], 'http_config is not supported yet for wechat_configs', out);
    }
  }
  return res;
}

const CONFIG_KINDS = {
  webhook_configs: webhookConfig,
  email_configs: emailConfig,
  wechat_configs: wechatConfig,
} as const;

function receiver(ctx: Ctx, r: unknown, i: number): JsonObject {
  const at: ConfigPath = ['receivers', i];
  if (!isObject(r) || typeof r.name !== 'string' || r.name === '') {
    problem(ctx, isObject(r) ? [...at, 'name'] : at, 'every receiver needs a name');
    return {};
  }
  const res: JsonObject = { name: r.name };
  let channels = 0;
  for (const [key, convert] of Object.entries(CONFIG_KINDS)) {
    const list = r[key];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) {
      problem(ctx, [...at, key], 'must be a list');
      continue;
    }
    res[key] = list.map((c, j) => {
      if (!isObject(c)) {
        problem(ctx, [...at, key, j], 'must be a mapping');
        return {};
      }
      return convert(ctx, c, [...at, key, j], [...at, key, j]);
    });
    channels += list.length;
  }
  const dropped: string[] = [];
  for (const [key, list] of Object.entries(r)) {
    if (key === 'name' || key in CONFIG_KINDS || list === null) continue;
    if (OTHER_KINDS.includes(key)) {
      const n = Array.isArray(list) ? list.length : 1;
      dropped.push(key);
      notMapped(
        ctx,
        [...at, key],
        `${n} ${key.replace(/_configs$/, '')} integration${n === 1 ? '' : 's'} of receiver "${r.name}" not mapped: ${
          OTHER_RECEIVER_KINDS.includes(key)
            ? 'Watchpost does not deliver it yet'
            : `write it by hand (docs/channels.md): Alertmanager's templates do not carry over`
        }`,
        at,
      );
    } else {
      notMapped(ctx, [...at, key], 'not an Alertmanager key Watchpost knows: left out', at);
    }
  }
  if (channels === 0 && dropped.length > 0) {
    notMapped(
      ctx,
      at,
      `receiver "${r.name}" is kept without channels so the routes naming it stay valid: alerts routed to it are recorded but not delivered`,
      at,
    );
  }
  return res;
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
