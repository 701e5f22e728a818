// The configuration as the rest of Watchpost sees it: parsed, validated, defaults filled in,
// camelCase, durations in milliseconds, sizes in bytes, paths absolute. Only `config/` knows the
// snake_case YAML spelling (schema.ts); everything else imports these types.

import type { Role } from '../auth/model.js';
import type { Matcher } from '../kernel/matchers.js';
import type { TimeIntervalSpec } from '../kernel/time-interval.js';
import type { MaintenanceWindowInput } from '../alerts/maintenance.js';
import type { ChannelConfigs, RateLimit } from '../notify/registry.types.js';

/** Team roles come from auth/model.ts, the one place that says what each may do. */
export { ROLES, type Role } from '../auth/model.js';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Business criticality of a service; the same scale as alert severities (P0 = business stopped). */
export const TIERS = ['P0', 'P1', 'P2', 'P3'] as const;
export type Tier = (typeof TIERS)[number];

/** What an unauthenticated request may be allowed: sending signals, or reading. */
export const ANONYMOUS_PERMISSIONS = ['ingest', 'read'] as const;
export type AnonymousPermission = (typeof ANONYMOUS_PERMISSIONS)[number];

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
  /** IANA zone of the times notifications show. */
  timeZone: string;
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
  /** Permissions granted to requests that carry no session and no API token. */
  anonymous: AnonymousPermission[];
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
  /** Services this one needs (`depends_on`): their P0/P1 alerts inhibit this service's alerts. */
  dependsOn: string[];
}

/**
 * One node of the route tree (Alertmanager's `route:`), with inheritance already resolved: every
 * setting a child left out holds its parent's value.
 */
export interface RouteNode {
  /** Position in the tree, stable while the file's tree keeps its shape: root `0`, its children `0.0`, `0.1`, … */
  id: string;
  receiver: string;
  /** Labels whose values form an aggregation group; `'all'` = every label (`group_by: ['...']`). */
  groupBy: string[] | 'all';
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
  /** After this route takes an alert, keep trying its later siblings. */
  continue: boolean;
  /** All must hold; `match` / `match_re` are converted, and the list is sorted as Alertmanager sorts it. */
  matchers: Matcher[];
  /** Names of `timeIntervals`; not inherited (as in Alertmanager). */
  muteTimeIntervals: string[];
  activeTimeIntervals: string[];
  /** Watchpost: an alert flaps after `threshold` state changes within `windowMs`. */
  flapping: { threshold: number; windowMs: number };
  /** Watchpost: a notification lists at most this many alerts one by one, then summarises. */
  storm: { maxAlertsListed: number };
  routes: RouteNode[];
}

/** Alertmanager's `http_config`, the part Watchpost supports. Holds secrets: never log it. */
export interface HttpClientConfig {
  bearerToken: string | null;
  basicAuth: { username: string; password: string } | null;
  tlsConfig: { insecureSkipVerify: boolean };
  proxyUrl: string | null;
}

export interface WebhookConfig {
  url: string;
  sendResolved: boolean;
  /** Alerts included in one payload at most; 0 = all. */
  maxAlerts: number;
  /** 0 = the shared HTTP client's default timeout. */
  timeoutMs: number;
  httpConfig: HttpClientConfig;
  /** Watchpost: requests carry X-Watchpost-Timestamp and X-Watchpost-Signature (HMAC-SHA256). */
  signingSecret: string | null;
}

/** Parsed and validated; delivered by a later version. */
export interface EmailConfig {
  /** Recipients, comma-separated as in Alertmanager. */
  to: string;
  from: string;
  smarthost: { host: string; port: number };
  authUsername: string | null;
  authPassword: string | null;
  requireTls: boolean;
  headers: Record<string, string>;
  /** Templates; null = Watchpost's default message. */
  html: string | null;
  text: string | null;
  sendResolved: boolean;
}

export const WECHAT_MESSAGE_TYPES = ['text', 'markdown'] as const;
export type WechatMessageType = (typeof WECHAT_MESSAGE_TYPES)[number];

/** WeChat Work (WeCom) application messages; parsed and validated, delivered by a later version. */
export interface WechatConfig {
  apiUrl: string;
  corpId: string;
  apiSecret: string;
  agentId: string;
  toUser: string;
  toParty: string;
  toTag: string;
  /** Template; null = Watchpost's default message. */
  message: string | null;
  messageType: WechatMessageType;
  sendResolved: boolean;
}

/** A receiver's channels in order; `fallback` tries them one after the other. */
export type DeliveryPolicy = 'all' | 'fallback';

/**
 * One destination of a receiver, ready for the delivery engine: `id` (`dingtalk/0`, `webhook/1`, …:
 * the kind and its index in the receiver's `<kind>_configs`) names it in notifications and logs.
 */
export type ChannelDecl = {
  [K in keyof ChannelConfigs]: {
    id: string;
    kind: K;
    config: ChannelConfigs[K];
    sendResolved: boolean;
    /** Replaces the provider's default limits for this destination; null = the defaults. */
    rateLimit: RateLimit | null;
    /** People the chat channels @mention (DingTalk, WeCom, Feishu); empty elsewhere. */
    mentions: { mobiles: string[]; userIds: string[]; all: boolean };
  };
}[keyof ChannelConfigs];

export interface ReceiverConfig {
  name: string;
  webhookConfigs: WebhookConfig[];
  emailConfigs: EmailConfig[];
  wechatConfigs: WechatConfig[];
  /** Every channel Watchpost delivers to, in the order of the file's `*_configs` keys, then index. */
  channels: ChannelDecl[];
  policy: DeliveryPolicy;
  /** Failed attempts on a channel before the next takes over (policy `fallback`). */
  fallbackAfter: number;
  language: 'zh-CN' | 'en';
  /** LiquidJS sources replacing the default message; absent keys keep the default. */
  templates: { title?: string; markdown?: string; text?: string };
}

/** A firing alert matching `sourceMatchers` mutes alerts matching `targetMatchers` that share the `equal` labels' values. */
export interface InhibitRule {
  sourceMatchers: Matcher[];
  targetMatchers: Matcher[];
  equal: string[];
}

/**
 * A value taken from a received JSON document: a JSONPath into it (`path`) or a fixed `value`; `map`
 * translates what was found (exact match first, then case-insensitive), `default` stands in when the
 * path matched nothing.
 */
export interface ValueSpec {
  path: string | null;
  value: string | null;
  map: Record<string, string>;
  default: string | null;
}

/** A generic JSON webhook input (`inputs.webhooks[]`): how a sender's payload becomes alerts. */
export interface WebhookInputDecl {
  /** The URL is `/api/v1/inputs/webhook/<name>`. */
  name: string;
  /** JSONPath selecting one element per alert; null = the whole body is one alert. */
  alerts: string | null;
  /** JSONPath of an object whose entries all become labels / annotations (Grafana's `labels`). */
  labelsFrom: string | null;
  annotationsFrom: string | null;
  /** Win over `labelsFrom` / `annotationsFrom` for the same name. */
  labels: Record<string, ValueSpec>;
  annotations: Record<string, ValueSpec>;
  /** The alert is resolved when the value at `path` is one of `resolved` (case-insensitive). */
  status: { path: string; resolved: string[] } | null;
  startsAt: string | null;
  endsAt: string | null;
  generatorUrl: ValueSpec | null;
  /** A firing alert with no end time resolves after this long unless re-sent; null = open until resolved. */
  resolveTimeoutMs: number | null;
}

export interface InputsConfig {
  webhooks: WebhookInputDecl[];
}

/**
 * A maintenance window declared by the file (`maintenance_windows[]`), normalised: matchers parsed,
 * times in epoch ms, the zone canonical. Applied like teams: found by name, read-only in the API.
 */
export type MaintenanceWindowDecl = MaintenanceWindowInput;

export interface Config {
  server: ServerConfig;
  storage: StorageConfig;
  auth: AuthConfig;
  log: LogConfig;
  teams: TeamDecl[];
  services: ServiceDecl[];
  /** The root of the route tree (id `0`). */
  route: RouteNode;
  /** Unique names; every receiver a route names is here. */
  receivers: ReceiverConfig[];
  inhibitRules: InhibitRule[];
  /** Named time intervals (`time_intervals` and `mute_time_intervals` together): a name is active when any of its intervals is. */
  timeIntervals: Record<string, TimeIntervalSpec[]>;
  /** Inputs besides Prometheus (generic JSON webhooks). */
  inputs: InputsConfig;
  /** Maintenance windows the file manages (unique names). */
  maintenanceWindows: MaintenanceWindowDecl[];
  /** The file this configuration was read from (absolute when loaded by loadConfig), or null when none. */
  source: { path: string | null };
}
