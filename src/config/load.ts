// Loading the configuration: read the file (the only I/O here), parse YAML, validate against
// schema.ts, check what a schema cannot say (duplicates, durations, addresses), then lay
// environment variables and command-line flags over it. Every problem is collected and reported
// at once, each with its dotted path and, for the file, its line.
//
// Precedence: flags > environment > file > defaults.
// Relative data folders: written in the file → against the file's folder (the file and its data
// usually travel together); from a flag, a variable, or the default → against the current directory.

import { canonicalTimeZone } from '../kernel/time-interval.js';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import type { TLocalizedValidationError } from 'typebox/error';
import { Settings } from 'typebox/system';
import { Value } from 'typebox/value';
import { LineCounter, parseDocument } from 'yaml';
import { parseByteSize, parseDuration } from '../kernel/duration.js';
import { DomainError } from '../kernel/errors.js';
import { buildAlertmanager } from './alertmanager.build.js';
import { checkAlertmanager } from './alertmanager.check.js';
import {
  checkDuration,
  checkUnique,
  get,
  isHttpUrl,
  isObject,
  type JsonObject,
  type Report,
} from './checks.js';
import { collectEnv } from './env.js';
import { buildMaintenanceWindows, checkMaintenanceWindows } from './maintenance.js';
import { buildInputs, checkInputs } from './inputs.js';
import type { Config, InhibitRule, LogLevel, ServiceDecl, TeamDecl } from './model.js';
import { severityAtLeastRegex } from '../kernel/severity.js';
import {
  type ConfigPath,
  type ConfigProblem,
  didYouMean,
  formatPath,
  formatProblems,
  lineOf,
} from './problems.js';
import {
  ConfigFileSchema,
  HTTP_URL_MESSAGE,
  PORT_MESSAGE,
  POSTGRES_URL_MESSAGE,
  POSTGRES_URL_PATTERN,
  type ConfigFile,
} from './schema.js';

export { formatProblems, type ConfigProblem } from './problems.js';

export interface LoadOptions {
  /** Path of the YAML file (`--config`); when absent, WATCHPOST_CONFIG; when neither, no file. */
  file?: string | null;
  /** The environment, passed in by the CLI (`process.env`); nothing else reads it. */
  env: Readonly<Record<string, string | undefined>>;
  /** Command-line flags; they win over everything else. */
  flags?: { port?: number; host?: string; dataDir?: string; databaseUrl?: string };
  /** Directory relative paths given by flags, variables and defaults are resolved against. */
  cwd: string;
}

export interface LoadedConfig {
  config: Config;
  /** WATCHPOST_SECRET_KEY, kept out of `config` so that logging the config cannot leak it. */
  secretKey: string | null;
  /** Things worth telling the operator that do not stop Watchpost from starting. */
  warnings: string[];
}

export type ValidationResult =
  { ok: true; config: Config; warnings: string[] } | { ok: false; problems: ConfigProblem[] };

/** Settings that replace the file's, already validated; `dataDir` is absolute. */
interface Overrides {
  port?: number;
  host?: string;
  dataDir?: string;
  databaseUrl?: string;
  logLevel?: LogLevel;
}

/**
 * Builds the configuration from defaults, the file, the environment and the flags (in rising
 * precedence). Throws one DomainError('invalid') whose `details` list every problem found in any of
 * them and whose message starts with `<file>: N problems`, one line per problem after it.
 */
export function loadConfig(opts: LoadOptions): LoadedConfig {
  const env = collectEnv(opts.env);
  const problems: ConfigProblem[] = [...env.problems];
  const warnings: string[] = [...env.warnings];
  const overrides: Overrides = {
    ...pick(env.overrides, ['port', 'host', 'databaseUrl', 'logLevel']),
    ...(env.overrides.dataDir !== undefined
      ? { dataDir: path.resolve(opts.cwd, env.overrides.dataDir) }
      : {}),
    ...checkFlags(opts.flags ?? {}, opts.cwd, problems),
  };

  const fileArg = opts.file ?? env.overrides.configFile ?? null;
  const fileOrigin = opts.file != null ? '--config' : 'WATCHPOST_CONFIG';
  let checked: CheckedFile | null = null;
  let source: string | null = null;
  if (fileArg !== null) {
    source = path.resolve(opts.cwd, fileArg);
    const text = readText(source, fileOrigin, problems);
    if (text !== null) {
      const r = checkText(text);
      problems.push(...r.problems);
      warnings.push(...r.warnings);
      checked = r.file;
    }
  }
  if (problems.length > 0) {
    throw new DomainError('invalid', formatProblems(fileArg ?? 'configuration', problems), {
      details: problems.map(({ path: p, message }) => ({ path: p, message })),
    });
  }
  const file = checked?.file ?? (Value.Default(ConfigFileSchema, {}) as ConfigFile);
  const dataDirBase = checked?.dataDirInFile && source !== null ? path.dirname(source) : opts.cwd;
  return {
    config: buildConfig(file, path.resolve(dataDirBase, file.storage.data_dir), overrides, source),
    secretKey: env.overrides.secretKey ?? null,
    warnings,
  };
}

/**
 * Validates a configuration file's text on its own, without environment or flags (for
 * `watchpost config validate <file>`). Never throws for a bad file: every problem is returned. A
 * data_dir written in the file is resolved against `baseDir` (default: the folder of `fileLabel`),
 * the default one against `cwd` (default: `baseDir`), as loadConfig does.
 */
export function validateConfigText(
  text: string,
  fileLabel: string,
  opts: { baseDir?: string; cwd?: string } = {},
): ValidationResult {
  const r = checkText(text);
  if (r.file === null) return { ok: false, problems: r.problems };
  const baseDir = opts.baseDir ?? path.dirname(path.resolve(fileLabel));
  const { file, dataDirInFile } = r.file;
  const dataDir = path.resolve(dataDirInFile ? baseDir : (opts.cwd ?? baseDir), file.storage.data_dir);
  return { ok: true, config: buildConfig(file, dataDir, {}, fileLabel), warnings: r.warnings };
}

// ---------------------------------------------------------------------------------------------
// Inputs other than the file

function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

function checkFlags(
  flags: NonNullable<LoadOptions['flags']>,
  cwd: string,
  problems: ConfigProblem[],
): Overrides {
  const out: Overrides = {};
  if (flags.port !== undefined) {
    if (Number.isInteger(flags.port) && flags.port >= 0 && flags.port <= 65535) out.port = flags.port;
    else problems.push({ path: '--port', message: `${PORT_MESSAGE}, got ${String(flags.port)}` });
  }
  if (flags.host !== undefined) {
    if (flags.host.trim() !== '') out.host = flags.host.trim();
    else problems.push({ path: '--host', message: 'must not be empty' });
  }
  if (flags.dataDir !== undefined) {
    if (flags.dataDir.trim() !== '') out.dataDir = path.resolve(cwd, flags.dataDir.trim());
    else problems.push({ path: '--data-dir', message: 'must not be empty' });
  }
  if (flags.databaseUrl !== undefined) {
    if (new RegExp(POSTGRES_URL_PATTERN).test(flags.databaseUrl)) out.databaseUrl = flags.databaseUrl;
    else problems.push({ path: '--database-url', message: POSTGRES_URL_MESSAGE });
  }
  return out;
}

function readText(file: string, origin: string, problems: ConfigProblem[]): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a folder, not a file'
          : code === 'EACCES'
            ? 'permission denied'
            : (e as Error).message;
    problems.push({ path: origin, message: `cannot read ${file}: ${why}` });
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// The file

interface CheckedFile {
  file: ConfigFile;
  /** Whether data_dir was written in the file (resolved against its folder) or is the default. */
  dataDirInFile: boolean;
}

interface CheckResult {
  /** Null when there are problems. */
  file: CheckedFile | null;
  problems: ConfigProblem[];
  warnings: string[];
}

/** YAML → schema → semantic checks, collecting every problem with its line. */
function checkText(text: string): CheckResult {
  const parsed = parseYaml(text);
  if (!parsed.ok) return { file: null, problems: parsed.problems, warnings: parsed.warnings };
  const { value, locate } = parsed;
  const warnings = [...parsed.warnings];

  dropNulls(ConfigFileSchema, value);
  const dataDirInFile = typeof get(get(value, 'storage'), 'data_dir') === 'string';
  Value.Default(ConfigFileSchema, value);

  const found: { path: ConfigPath; message: string }[] = [...schemaProblems(value)];
  semanticChecks(
    value,
    (p, message) => found.push({ path: p, message }),
    (p, message) => {
      const line = locate(p);
      warnings.push(`${formatPath(p)}: ${message}${line !== undefined ? ` (line ${line})` : ''}`);
    },
  );

  // One problem per place: the schema's (first) says it best; a semantic check of the same value
  // would only repeat it in other words.
  const seen = new Set<string>();
  const problems: ConfigProblem[] = [];
  for (const f of found) {
    const p = formatPath(f.path);
    if (seen.has(p)) continue;
    seen.add(p);
    const line = locate(f.path);
    problems.push(
      line !== undefined ? { path: p, message: f.message, line } : { path: p, message: f.message },
    );
  }
  problems.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));

  if (problems.length > 0) return { file: null, problems, warnings };
  if (!Value.Check(ConfigFileSchema, value)) {
    // Only reachable if schemaProblems misses an error kind; say so rather than start half-configured.
    const raw = Value.Errors(ConfigFileSchema, value).map((e) => ({
      path: e.instancePath || '/',
      message: e.message,
    }));
    return { file: null, problems: raw, warnings };
  }
  return { file: { file: value, dataDirInFile }, problems: [], warnings };
}

type Parsed =
  | { ok: true; value: unknown; locate: (p: ConfigPath) => number | undefined; warnings: string[] }
  | { ok: false; problems: ConfigProblem[]; warnings: string[] };

function parseYaml(text: string): Parsed {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, merge: true });
  const where = (offset: number): string => {
    const { line, col } = lines.linePos(offset);
    return `line ${line}, column ${col}`;
  };
  const warnings = doc.warnings.map((w) => `${where(w.pos[0])}: ${w.message}`);
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => ({
        path: where(e.pos[0]),
        message: `YAML syntax error: ${e.message}`,
      })),
      warnings,
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 }) as unknown;
  } catch (e) {
    return { ok: false, problems: [{ path: '(yaml)', message: (e as Error).message }], warnings };
  }
  // An empty file (or one with only comments) means "all defaults".
  return { ok: true, value: value ?? {}, locate: (p) => lineOf(doc, lines, p), warnings };
}

// ---------------------------------------------------------------------------------------------
// Schema validation, translated into plain sentences

/**
 * The schema a `$ref` (a recursive section such as the route tree) stands for, looked up in the
 * `$defs` met on the way down; any other schema as it is.
 */
function deref(schema: unknown, defs: JsonObject): unknown {
  const own = get(schema, '$defs');
  if (isObject(own)) Object.assign(defs, own);
  const ref = get(schema, '$ref');
  return typeof ref === 'string' && isObject(defs[ref]) ? defs[ref] : schema;
}

/**
 * A key left empty (`key:` or `key: null`) counts as absent, so its default applies; commenting out
 * every line under a section leaves it empty too. Unknown keys are kept so they are still reported.
 */
function dropNulls(schemaIn: unknown, value: unknown, defs: JsonObject = {}): void {
  const schema = deref(schemaIn, defs);
  const props = get(schema, 'properties');
  if (isObject(props) && isObject(value)) {
    for (const [key, sub] of Object.entries(props)) {
      if (!(key in value)) continue;
      if (value[key] === null) delete value[key];
      else dropNulls(sub, value[key], defs);
    }
  }
  const items = get(schema, 'items');
  if (isObject(items) && Array.isArray(value)) for (const v of value) dropNulls(items, v, defs);
}

const decodePointer = (s: string): string => s.replace(/~1/g, '/').replace(/~0/g, '~');

/** The schema at an error's `schemaPath`; paths run through `$ref`s as if they were written out. */
function schemaAt(schemaPath: string): JsonObject | undefined {
  const defs: JsonObject = {};
  let node: unknown = ConfigFileSchema;
  for (const seg of schemaPath.split('/').slice(1)) {
    const key = decodePointer(seg);
    node = deref(node, defs);
    node = isObject(node) || Array.isArray(node) ? (node as JsonObject)[key] : undefined;
  }
  node = deref(node, defs);
  return isObject(node) ? node : undefined;
}

function instancePath(pointer: string, root: unknown): (string | number)[] {
  const out: (string | number)[] = [];
  let node = root;
  for (const seg of pointer === '' ? [] : pointer.split('/').slice(1)) {
    const key = decodePointer(seg);
    if (Array.isArray(node)) {
      out.push(Number(key));
      node = node[Number(key)];
    } else {
      out.push(key);
      node = get(node, key);
    }
  }
  return out;
}

function valueAt(root: unknown, p: ConfigPath): unknown {
  let node = root;
  for (const seg of p) node = Array.isArray(node) ? node[Number(seg)] : get(node, String(seg));
  return node;
}

/** Every schema error, not just TypeBox's first 8. Synchronous, so the setting cannot leak. */
function allErrors(value: unknown): TLocalizedValidationError[] {
  const previous = Settings.Get().maxErrors;
  Settings.Set({ maxErrors: 100_000 });
  try {
    return Value.Errors(ConfigFileSchema, value);
  } finally {
    Settings.Set({ maxErrors: previous });
  }
}

/**
 * A union (anyOf) reports the failures of all its branches. When exactly one branch has the value's
 * type (a list given for `true | list`), its errors are the useful ones; otherwise the union's own
 * message ("must be true, false, or a list ...") says it better than each branch.
 */
function pruneUnions(errors: TLocalizedValidationError[]): TLocalizedValidationError[] {
  let kept = errors;
  const unions = errors
    .filter((e) => e.keyword === 'anyOf')
    .sort((a, b) => a.schemaPath.length - b.schemaPath.length);
  for (const u of unions) {
    if (!kept.includes(u)) continue;
    const prefix = `${u.schemaPath}/anyOf/`;
    const branchOf = (e: TLocalizedValidationError): number | undefined =>
      e.schemaPath.startsWith(prefix) &&
      (e.instancePath === u.instancePath || e.instancePath.startsWith(`${u.instancePath}/`))
        ? Number(e.schemaPath.slice(prefix.length).split('/')[0])
        : undefined;
    const branches = get(schemaAt(u.schemaPath), 'anyOf');
    const count = Array.isArray(branches) ? branches.length : 0;
    const wrongType = new Set(
      kept
        .filter((e) => e.keyword === 'type' && e.instancePath === u.instancePath)
        .filter((e) => e.schemaPath === `${prefix}${branchOf(e)}`)
        .map(branchOf),
    );
    const candidates = Array.from({ length: count }, (_, i) => i).filter((i) => !wrongType.has(i));
    if (candidates.length === 1) {
      kept = kept.filter((e) => e !== u && (branchOf(e) === undefined || branchOf(e) === candidates[0]));
    } else {
      kept = kept.filter((e) => branchOf(e) === undefined);
    }
  }
  return kept;
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  string: 'must be a string',
  integer: 'must be an integer',
  number: 'must be a number',
  boolean: 'must be true or false',
  object: 'must be a mapping (key: value lines)',
  array: 'must be a list',
  null: 'must be empty',
};

function schemaProblems(root: unknown): { path: ConfigPath; message: string }[] {
  const out: { path: ConfigPath; message: string }[] = [];
  for (const e of pruneUnions(allErrors(root))) {
    const at = instancePath(e.instancePath, root);
    const schema = schemaAt(e.schemaPath);
    const custom = get(schema, 'errorMessage');
    switch (e.keyword) {
      case 'additionalProperties': {
        const known = Object.keys(get(schema, 'properties') ?? {});
        const notSupported = get(schema, 'notSupported');
        for (const key of e.params.additionalProperties) {
          const why = get(notSupported, key);
          out.push({
            path: [...at, key],
            message:
              typeof why === 'string' ? why : `unknown key ${JSON.stringify(key)}${didYouMean(key, known)}`,
          });
        }
        break;
      }
      case 'required':
        for (const key of e.params.requiredProperties) out.push({ path: [...at, key], message: 'required' });
        break;
      case 'propertyNames': // each bad name is reported by its own pattern error
        break;
      case 'boolean': // "additionalProperties: false" per key; reported above with a suggestion
        if (e.schemaPath.endsWith('/additionalProperties')) break;
        out.push({ path: at, message: e.message });
        break;
      case 'enum': {
        const allowed = e.params.allowedValues.map(String);
        const v = valueAt(root, at);
        out.push({
          path: at,
          message: `must be one of ${allowed.join(', ')}${typeof v === 'string' ? didYouMean(v, allowed) : ''}`,
        });
        break;
      }
      default:
        out.push({ path: at, message: typeof custom === 'string' ? custom : defaultMessage(e) });
    }
  }
  return out;
}

function defaultMessage(e: TLocalizedValidationError): string {
  switch (e.keyword) {
    case 'type': {
      const t = Array.isArray(e.params.type) ? e.params.type.join(' or ') : e.params.type;
      return TYPE_WORDS[t] ?? `must be ${t}`;
    }
    case 'minLength':
      return e.params.limit === 1 ? 'must not be empty' : `must be at least ${e.params.limit} characters`;
    case 'maxLength':
      return `must be at most ${e.params.limit} characters`;
    case 'minimum':
      return `must be at least ${e.params.limit}`;
    case 'maximum':
      return `must be at most ${e.params.limit}`;
    case 'pattern':
      return `must match ${String(e.params.pattern)}`;
    case 'anyOf':
      return 'is not in any accepted form';
    default:
      return e.message;
  }
}

// ---------------------------------------------------------------------------------------------
// What the schema cannot say. The value may still be malformed here (schema problems are collected
// alongside), so every check looks before it trusts a shape.

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function isProxyAddress(s: string): boolean {
  if (PROXY_NAMES.includes(s)) return true;
  const [addr = '', bits, ...rest] = s.split('/');
  const family = isIP(addr);
  if (family === 0 || rest.length > 0) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}

function semanticChecks(root: unknown, report: Report, warn: Report): void {
  checkAlertmanager(root, report);
  checkMaintenanceWindows(root, report);
  checkInputs(root, report);

  const server = get(root, 'server');
  const bodyLimit = get(server, 'body_limit');
  if (typeof bodyLimit === 'string') {
    try {
      if (parseByteSize(bodyLimit) < 1) report(['server', 'body_limit'], 'must be at least 1 byte');
    } catch (e) {
      report(['server', 'body_limit'], (e as Error).message);
    }
  }
  const trustProxy = get(server, 'trust_proxy');
  if (Array.isArray(trustProxy)) {
    trustProxy.forEach((entry, i) => {
      if (typeof entry === 'string' && !isProxyAddress(entry)) {
        report(
          ['server', 'trust_proxy', i],
          `must be an IP address, a CIDR range such as 10.0.0.0/8, or one of ${PROXY_NAMES.join(', ')}`,
        );
      }
    });
  }
  const externalUrl = get(server, 'external_url');
  if (typeof externalUrl === 'string' && !isHttpUrl(externalUrl))
    report(['server', 'external_url'], HTTP_URL_MESSAGE);
  const zone = get(server, 'time_zone');
  if (typeof zone === 'string')
    try {
      canonicalTimeZone(zone);
    } catch (e) {
      report(['server', 'time_zone'], (e as Error).message);
    }

  const auth = get(root, 'auth');
  checkDuration(get(auth, 'session_ttl'), ['auth', 'session_ttl'], report);
  checkDuration(get(get(auth, 'login_rate_limit'), 'window'), ['auth', 'login_rate_limit', 'window'], report);

  const teams = get(root, 'teams');
  checkUnique(teams, ['teams'], 'name', 'name', report);
  if (Array.isArray(teams)) {
    teams.forEach((team, i) =>
      checkUnique(get(team, 'members'), ['teams', i, 'members'], 'user', 'user', report),
    );
  }

  const services = get(root, 'services');
  checkUnique(services, ['services'], 'name', 'name', report);
  if (Array.isArray(services)) {
    const declared = new Set(Array.isArray(teams) ? teams.map((t) => get(t, 'name')) : []);
    services.forEach((service, i) => {
      const url = get(service, 'runbook_url');
      if (typeof url === 'string' && !isHttpUrl(url))
        report(['services', i, 'runbook_url'], HTTP_URL_MESSAGE);
      const deps = get(service, 'depends_on');
      if (Array.isArray(deps)) {
        const names = new Set(services.map((s) => get(s, 'name')));
        deps.forEach((dep, j) => {
          if (dep === get(service, 'name'))
            report(['services', i, 'depends_on', j], 'a service cannot depend on itself: remove it');
          else if (typeof dep === 'string' && !names.has(dep))
            warn(
              ['services', i, 'depends_on', j],
              `service ${JSON.stringify(dep)} is not declared in this file; its alerts must carry service="${dep}"`,
            );
        });
      }
      const team = get(service, 'team');
      if (typeof team === 'string' && !declared.has(team)) {
        warn(
          ['services', i, 'team'],
          `team ${JSON.stringify(team)} is not declared in this file; it must already exist when the file is applied`,
        );
      }
    });
  }
}

// ---------------------------------------------------------------------------------------------
// From the validated file to the Config the rest of Watchpost uses: one function per section.

function serverConfig(s: ConfigFile['server'], over: Overrides): Config['server'] {
  const port = over.port ?? s.port;
  return {
    host: over.host ?? s.host,
    port,
    externalUrl: (s.external_url ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    bodyLimit: parseByteSize(s.body_limit),
    trustProxy: s.trust_proxy,
    secureCookies: s.secure_cookies,
    timeZone:
      s.time_zone === undefined
        ? new Intl.DateTimeFormat().resolvedOptions().timeZone
        : canonicalTimeZone(s.time_zone),
  };
}

function storageConfig(s: ConfigFile['storage'], dataDir: string, over: Overrides): Config['storage'] {
  return { dataDir: over.dataDir ?? dataDir, databaseUrl: over.databaseUrl ?? s.database_url };
}

function authConfig(s: ConfigFile['auth']): Config['auth'] {
  return {
    sessionTtlMs: parseDuration(s.session_ttl),
    loginRateLimit: { max: s.login_rate_limit.max, windowMs: parseDuration(s.login_rate_limit.window) },
    anonymous: [...s.anonymous],
  };
}

function teamDecl(t: ConfigFile['teams'][number]): TeamDecl {
  return {
    name: t.name,
    description: t.description ?? '',
    members: t.members.map((m) => ({ user: m.user, role: m.role })),
  };
}

function serviceDecl(s: ConfigFile['services'][number]): ServiceDecl {
  return {
    name: s.name,
    description: s.description ?? '',
    team: s.team ?? null,
    tier: s.tier ?? null,
    runbookUrl: s.runbook_url ?? null,
    labels: { ...s.labels },
    dependsOn: [...(s.depends_on ?? [])],
  };
}

/**
 * `depends_on` as inhibit rules: while a service it needs has a firing P0 or P1 alert (any word
 * that means it, e.g. `critical`), the alerts of the dependent service are muted — the database
 * being down explains the API's errors. One rule per dependency, after the file's own rules.
 */
export function dependsOnRules(services: readonly ServiceDecl[]): InhibitRule[] {
  return services.flatMap((s) =>
    s.dependsOn.map((dep) => ({
      sourceMatchers: [
        { name: 'service', type: '=' as const, value: dep },
        { name: 'severity', type: '=~' as const, value: severityAtLeastRegex('P1') },
      ],
      targetMatchers: [{ name: 'service', type: '=' as const, value: s.name }],
      equal: [],
    })),
  );
}

function buildConfig(file: ConfigFile, dataDir: string, over: Overrides, source: string | null): Config {
  const services = file.services.map(serviceDecl);
  const alerting = buildAlertmanager(file);
  return {
    server: serverConfig(file.server, over),
    storage: storageConfig(file.storage, dataDir, over),
    auth: authConfig(file.auth),
    log: { level: over.logLevel ?? file.log.level },
    teams: file.teams.map(teamDecl),
    services,
    ...alerting,
    inhibitRules: [...alerting.inhibitRules, ...dependsOnRules(services)],
    maintenanceWindows: buildMaintenanceWindows(file.maintenance_windows),
    inputs: buildInputs(file.inputs),
    source: { path: source },
  };
}
