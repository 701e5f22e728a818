import type { Generated } from 'kysely';

// Row types of the state store. Times are epoch milliseconds (bigint in PostgreSQL, parsed to
// number by the pool; integer in SQLite). Booleans are 0/1 integers and JSON is text, so one set of
// migrations serves both dialects.

export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  role: string;
  disabled: number;
  created_at: number;
  updated_at: number;
}

export interface TeamsTable {
  id: string;
  name: string;
  description: string;
  managed_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface TeamMembersTable {
  team_id: string;
  user_id: string;
  role: string;
}

export interface ServicesTable {
  id: string;
  name: string;
  description: string;
  team_id: string | null;
  tier: string | null;
  runbook_url: string | null;
  labels: string;
  managed_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: number;
  expires_at: number;
  last_seen_at: number;
  source_ip: string | null;
  user_agent: string | null;
}

export interface ApiTokensTable {
  id: string;
  name: string;
  user_id: string;
  token_hash: string;
  prefix: string;
  scopes: string;
  created_at: number;
  last_used_at: number | null;
  expires_at: number | null;
  revoked_at: number | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: number;
  actor_type: string;
  actor_id: string | null;
  actor_name: string;
  action: string;
  target_type: string;
  target_id: string | null;
  before_json: string | null;
  after_json: string | null;
  source_ip: string | null;
}

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: number;
}

export interface AlertsTable {
  fingerprint: string;
  labels: string;
  annotations: string;
  alertname: string;
  severity: string | null;
  service: string | null;
  source: string;
  generator_url: string;
  starts_at: number;
  ends_at: number;
  timeout: number;
  updated_at: number;
  status: string;
}

export interface AlertEpisodesTable {
  id: Generated<number>;
  fingerprint: string;
  started_at: number;
  ended_at: number | null;
}

export interface AlertGroupsTable {
  group_key: string;
  route_id: string;
  receiver: string;
  group_labels: string;
  created_at: number;
  next_flush_at: number;
  notified_firing: string | null;
  notified_resolved: string;
  /** JSON array of the fingerprints last notified as flapping. */
  notified_flapping: Generated<string>;
  notified_at: number | null;
  /** Acknowledged by (a user's name, or `link (<receiver>)`), when, and the fingerprints firing then (JSON). */
  acked_by: string | null;
  acked_at: number | null;
  acked_firing: string | null;
}

export interface AlertGroupMembersTable {
  group_key: string;
  fingerprint: string;
  /** When the alert joined the group: the time it was received (0: before this was recorded). */
  joined_at: number;
}

export interface NotificationsTable {
  id: string;
  group_key: string;
  receiver: string;
  integration: string;
  content: string;
  created_at: number;
  status: string;
  attempts: number;
  next_attempt_at: number;
  delivered_at: number | null;
  last_error: string | null;
}

export interface DeliveryAttemptsTable {
  id: Generated<number>;
  notification_id: string;
  at: number;
  ok: number;
  status: number | null;
  message: string;
  duration_ms: number;
  receiver: string | null;
  /** The receiver's channel id (`dingtalk/0`). */
  channel: string | null;
  /** What the rate limit counts against (`dingtalk:<hash>`). */
  destination: string | null;
  provider_code: string | null;
  /** Notifications this attempt carried: more than 1 for a digest. */
  merged: Generated<number>;
}

export interface ReceiverChannelsTable {
  id: string;
  receiver: string;
  kind: string;
  /** The `*_configs` entry as JSON; secret fields sealed (auth/secret-box.ts). */
  config: string;
  position: number;
  created_by: string;
  created_at: number;
  updated_at: number;
}

export interface SilencesTable {
  id: string;
  matchers: string;
  starts_at: number;
  ends_at: number;
  created_by: string;
  comment: string;
  reason: string | null;
  created_at: number;
  updated_at: number;
}

export interface PagerdutyKeysTable {
  dedup_key: string;
  fingerprint: string;
  labels: string;
  annotations: string;
  generator_url: string;
  status: string;
  opened_at: number;
  resolved_at: number | null;
  updated_at: number;
}

export interface MaintenanceWindowsTable {
  id: string;
  name: string;
  /** JSON: [{name, type, value}]. */
  matchers: string;
  /** JSON: the MaintenanceSchedule of alerts/maintenance.ts. */
  schedule: string;
  time_zone: string;
  mode: string;
  comment: string;
  created_by: string;
  /** The configuration file that declares the window; null when made through the API. */
  managed_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface DB {
  pagerduty_keys: PagerdutyKeysTable;
  silences: SilencesTable;
  maintenance_windows: MaintenanceWindowsTable;
  alert_groups: AlertGroupsTable;
  alert_group_members: AlertGroupMembersTable;
  notifications: NotificationsTable;
  delivery_attempts: DeliveryAttemptsTable;
  receiver_channels: ReceiverChannelsTable;
  alerts: AlertsTable;
  alert_episodes: AlertEpisodesTable;
  users: UsersTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  services: ServicesTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
  settings: SettingsTable;
}
