// The import's shared pieces: its result types, the context every converter writes notes and
// problems to (with the input's line of each path), and the small helpers that read Alertmanager's
// fields the way Alertmanager does (global inheritance, secrets inline or in files, templates).

import { isObject, type JsonObject } from './checks.js';
import { formatMatcher, parseMatchers, type Matcher } from '../kernel/matchers.js';
import { formatPath, type ConfigPath, type ConfigProblem } from './problems.js';
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

/** Alertmanager's integrations Watchpost does not deliver: reported, not converted. */
export const OTHER_KINDS = OTHER_RECEIVER_KINDS;

/** Global keys that only other integrations use. */
export const OTHER_GLOBALS = /^(opsgenie_api|victorops_api|webex_api_url|rocketchat_api|jira_api_url)/;

export const DEFAULT_WECHAT_API_URL = 'https://qyapi.weixin.qq.com/cgi-bin/';
export const DEFAULT_RESOLVE_TIMEOUT = '5m';
/** Placeholders for required secrets that were only in files: they load, and delivery fails visibly. */
export const PLACEHOLDER_SECRET = 'REPLACE_ME';
export const PLACEHOLDER_URL = 'https://replace-me.invalid/';

export const GO_TEMPLATE = /\{\{/;
/** `{{ template "email.default.html" . }}`: Alertmanager's own default, as `amtool config show` prints it. */
export const DEFAULT_TEMPLATE = /^\s*\{\{-?\s*template\s+"[a-z0-9_]+\.default\.[a-z0-9_]+"\s+\.\s*-?\}\}\s*$/;
/** How Alertmanager prints a secret in `amtool config show` and `/api/v2/status`. */
export const MASKED_SECRET = '<secret>';

export const TEMPLATE_ADVICE =
  'Go templates are not supported: left out, so Watchpost’s default message is used (see docs/migrating-from-alertmanager.md)';

/** A value and where in the input it came from (the receiver's own config or `global`). */
export interface Src {
  value: unknown;
  at: ConfigPath;
}
export type Fields = Record<string, Src>;

export interface Ctx {
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

export function note(
  ctx: Ctx,
  kind: ImportNoteKind,
  at: ConfigPath,
  message: string,
  out?: ConfigPath,
): void {
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

export const notMapped = (ctx: Ctx, at: ConfigPath, message: string, out?: ConfigPath): void =>
  note(ctx, 'not_mapped', at, message, out);

export function problem(ctx: Ctx, at: ConfigPath, message: string): void {
  const line = ctx.lineOf(at);
  ctx.problems.push({ path: formatPath(at), message, ...(line !== undefined ? { line } : {}) });
}

// ---------------------------------------------------------------------------------------------
// Small helpers

export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const nonEmpty = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

/** The keys of `o` not in `known`, reported as unknown Alertmanager keys and left out. */
export function unknownKeys(
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
export function labelValue(ctx: Ctx, v: unknown, at: ConfigPath): string | undefined {
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
export function matcherLines(
  ctx: Ctx,
  map: unknown,
  type: '=' | '=~',
  at: ConfigPath,
  anchor: boolean,
): string[] {
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
export function copyMatchers(ctx: Ctx, list: unknown, at: ConfigPath): string[] {
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
export function secret(
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
export const fieldsOf = (o: JsonObject, at: ConfigPath): Fields =>
  Object.fromEntries(Object.entries(o).map(([k, value]) => [k, { value, at: [...at, k] }]));

/** Alertmanager's inheritance: the own value unless empty, else the global one (if any). */
export function inherit(ctx: Ctx, fields: Fields, key: string, globalKey: string, out: ConfigPath): void {
  if (fields[key] !== undefined && nonEmpty(fields[key].value)) return;
  const g = ctx.global[globalKey];
  if (g === undefined || g === null || g === '') return;
  fields[key] = { value: g, at: ['global', globalKey] };
  const uses = ctx.globalUse.get(globalKey) ?? [];
  uses.push(formatPath(out));
  ctx.globalUse.set(globalKey, uses);
}

/** A text field that may be a Go template: Alertmanager's default template is dropped, others reported. */
export function textField(ctx: Ctx, f: Src | undefined, out: ConfigPath): string | undefined {
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
