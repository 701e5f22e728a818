// Environment variables: the only place that knows their names. It is a pure function of an env
// record — the CLI passes `process.env` once at start; nothing else in Watchpost reads it.
// Every variable is documented beside its parsing; an empty value counts as unset (so
// `WATCHPOST_PORT=` in a compose file does nothing), and surrounding whitespace is ignored.

import { DomainError, type ErrorDetail } from '../kernel/errors.js';
import { LOG_LEVELS, type LogLevel } from './model.js';
import { PORT_MESSAGE, POSTGRES_URL_MESSAGE, POSTGRES_URL_PATTERN } from './schema.js';
import { closestMatch, formatProblems } from './problems.js';

/** Values taken from the environment; a field is present only when its variable is set. */
export interface EnvOverrides {
  configFile?: string;
  port?: number;
  host?: string;
  dataDir?: string;
  databaseUrl?: string;
  secretKey?: string;
  logLevel?: LogLevel;
}

/** Thrown by a parser below; becomes `<VARIABLE>: <message>`. */
class BadValue extends Error {}

/** Shows a user's value back to them, shortened; never used for secrets or URLs with passwords. */
const quote = (raw: string): string => JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw);

const parsePort = (raw: string): number => {
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n > 65535) throw new BadValue(`${PORT_MESSAGE}, got ${quote(raw)}`);
  return n;
};

const parseDatabaseUrl = (raw: string): string => {
  // The value is not echoed: it usually holds a password.
  if (!new RegExp(POSTGRES_URL_PATTERN).test(raw)) throw new BadValue(POSTGRES_URL_MESSAGE);
  return raw;
};

const parseSecretKey = (raw: string): string => {
  // Same rule as auth/secret-box.ts parseSecretKey, checked here too so a bad key is listed with
  // every other configuration problem at start. The value is never echoed.
  if (/^[0-9a-fA-F]{64}$/.test(raw) || /^[A-Za-z0-9+/_-]{43}=?$/.test(raw)) return raw;
  throw new BadValue(
    'must be 32 random bytes as base64 or 64 hex digits; make one with: openssl rand -base64 32',
  );
};

const parseLogLevel = (raw: string): LogLevel => {
  const level = LOG_LEVELS.find((l) => l === raw.toLowerCase());
  if (level === undefined) throw new BadValue(`must be one of ${LOG_LEVELS.join(', ')}, got ${quote(raw)}`);
  return level;
};

const parsePath = (raw: string): string => raw;
const parseHost = (raw: string): string => raw;

interface Variable<K extends keyof EnvOverrides> {
  key: K;
  parse: (raw: string) => NonNullable<EnvOverrides[K]>;
}

const variable = <K extends keyof EnvOverrides>(
  key: K,
  parse: (raw: string) => NonNullable<EnvOverrides[K]>,
): Variable<K> => ({ key, parse });

/**
 * Every variable Watchpost reads. Precedence is command-line flag > variable > file > default.
 * The typed `variable()` ties each name to the EnvOverrides field it fills.
 */
const VARIABLES = {
  // Path of the YAML configuration file, relative to the current directory. Used when
  // `--config` is not given. Unset: no file; defaults plus these variables and flags.
  WATCHPOST_CONFIG: variable('configFile', parsePath),

  // Port the HTTP server listens on, 0-65535 (0 = chosen by the OS). Overrides server.port.
  WATCHPOST_PORT: variable('port', parsePort),

  // Address the HTTP server listens on, e.g. 127.0.0.1 or ::. Overrides server.host.
  WATCHPOST_HOST: variable('host', parseHost),

  // Data folder (SQLite database, time series, secret.key). Relative to the current directory.
  // Overrides storage.data_dir.
  WATCHPOST_DATA_DIR: variable('dataDir', parsePath),

  // postgres:// or postgresql:// URL: keep state in PostgreSQL instead of SQLite, and let several
  // instances share it. Overrides storage.database_url. Kept out of the file so that the password
  // need not be written there.
  WATCHPOST_DATABASE_URL: variable('databaseUrl', parseDatabaseUrl),

  // Key that encrypts secrets stored in the database (channel tokens, probe passwords): 32 random
  // bytes as base64 or 64 hex digits (`openssl rand -base64 32`). Unset: auth/ generates one in
  // <data_dir>/secret.key. Environment only, never in the file. Set it when several instances share
  // a PostgreSQL database: they must all use the same key.
  WATCHPOST_SECRET_KEY: variable('secretKey', parseSecretKey),

  // Least severe level Watchpost logs: trace, debug, info, warn, error, fatal or silent
  // (case-insensitive). Overrides log.level.
  WATCHPOST_LOG_LEVEL: variable('logLevel', parseLogLevel),
} as const;

/** The names of every variable Watchpost reads, for documentation and checks. */
export const ENV_VARIABLES = Object.keys(VARIABLES) as (keyof typeof VARIABLES)[];

export interface EnvResult {
  overrides: EnvOverrides;
  /** One per invalid variable, with the variable's name as the path. */
  problems: ErrorDetail[];
  /** Unknown WATCHPOST_* variables (likely typos). */
  warnings: string[];
}

/** Reads every Watchpost variable from `env`, collecting all problems instead of stopping at the first. */
export function collectEnv(env: Readonly<Record<string, string | undefined>>): EnvResult {
  const overrides: EnvOverrides = {};
  const problems: ErrorDetail[] = [];
  const warnings: string[] = [];
  for (const name of ENV_VARIABLES) {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') continue;
    const v: Variable<keyof EnvOverrides> = VARIABLES[name];
    try {
      Object.assign(overrides, { [v.key]: v.parse(raw) });
    } catch (e) {
      if (!(e instanceof BadValue)) throw e;
      problems.push({ path: name, message: e.message });
    }
  }
  for (const name of Object.keys(env)) {
    if (!name.startsWith('WATCHPOST_') || (ENV_VARIABLES as string[]).includes(name)) continue;
    const guess = closestMatch(name, ENV_VARIABLES);
    warnings.push(
      `environment variable ${name} is not used by Watchpost${guess ? `; did you mean ${guess}?` : ''}`,
    );
  }
  return { overrides, problems, warnings };
}

/**
 * The overrides in `env`; throws one DomainError('invalid') listing every invalid variable
 * (`WATCHPOST_PORT: must be an integer 0-65535, got "abc"`).
 */
export function readEnv(env: Readonly<Record<string, string | undefined>>): EnvOverrides {
  const { overrides, problems } = collectEnv(env);
  if (problems.length > 0) {
    throw new DomainError('invalid', formatProblems('environment', problems), { details: problems });
  }
  return overrides;
}
