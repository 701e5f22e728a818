// The configuration as the rest of Watchpost sees it: parsed, validated, defaults filled in,
// camelCase, durations in milliseconds, sizes in bytes, paths absolute. Only `config/` knows the
// snake_case YAML spelling (schema.ts); everything else imports these types.

import type { Role } from '../auth/model.js';

/** Team roles come from auth/model.ts, the one place that says what each may do. */
export { ROLES, type Role } from '../auth/model.js';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Business criticality of a service; the same scale as alert severities (P0 = business stopped). */
export const TIERS = ['P0', 'P1', 'P2', 'P3'] as const;
export type Tier = (typeof TIERS)[number];

export const SECURE_COOKIES = ['auto', 'always', 'never'] as const;
export type SecureCookies = (typeof SECURE_COOKIES)[number];

export interface ServerConfig {
  host: string;
  port: number;
  /** Where users reach Watchpost, without a trailing slash; used in links sent in notifications. */
  externalUrl: string;
  /** Request bodies larger than this many bytes are refused with 413. */
  bodyLimit: number;
  /** `true` trusts every proxy, `false` none, a list trusts those addresses / CIDR ranges. */
  trustProxy: boolean | string[];
  secureCookies: SecureCookies;
}

export interface StorageConfig {
  /** Absolute path of the data folder. */
  dataDir: string;
  /** A postgres:// URL, or null to keep state in SQLite at `<dataDir>/watchpost.db`. */
  databaseUrl: string | null;
}

export interface AuthConfig {
  sessionTtlMs: number;
  /** Login attempts allowed per client IP per window. */
  loginRateLimit: { max: number; windowMs: number };
}

export interface LogConfig {
  level: LogLevel;
}

export interface TeamMemberDecl {
  user: string;
  role: Role;
}

/** A team managed by the configuration file: created, updated and removed to match it. */
export interface TeamDecl {
  name: string;
  description: string;
  members: TeamMemberDecl[];
}

/** A service managed by the configuration file. */
export interface ServiceDecl {
  name: string;
  description: string;
  /** The owning team's name; it may be declared in the file or already exist in the database. */
  team: string | null;
  tier: Tier | null;
  runbookUrl: string | null;
  labels: Record<string, string>;
}

export interface Config {
  server: ServerConfig;
  storage: StorageConfig;
  auth: AuthConfig;
  log: LogConfig;
  teams: TeamDecl[];
  services: ServiceDecl[];
  /** The file this configuration was read from (absolute when loaded by loadConfig), or null when none. */
  source: { path: string | null };
}
