// The UI's only way to reach the server: the versioned HTTP API under /api/v1.
// Every write carries the session's CSRF token; a 401 on an authenticated call ends the session in the UI.

export type Role = 'viewer' | 'responder' | 'editor' | 'admin';
export const ROLES: readonly Role[] = ['viewer', 'responder', 'editor', 'admin'];

export interface User {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  /** A disabled user cannot sign in; older servers may omit it. */
  disabled?: boolean;
  createdAt: string;
}

export interface TeamMember {
  userId: string;
  username: string;
  role: Role;
}

export interface Team {
  id: string;
  name: string;
  description: string;
  managedBy: string | null;
  members: TeamMember[];
}

export type Tier = 'P0' | 'P1' | 'P2' | 'P3';
export const TIERS: readonly Tier[] = ['P0', 'P1', 'P2', 'P3'];

export interface Service {
  id: string;
  name: string;
  description: string;
  /** The owning team's name. */
  team: string | null;
  tier: Tier | null;
  runbookUrl: string | null;
  labels: Record<string, string>;
  managedBy: string | null;
}

/** The writable fields of a service; `null` clears team, tier and runbook. */
export interface ServiceInput {
  name: string;
  description: string;
  team: string | null;
  tier: Tier | null;
  runbookUrl: string | null;
  labels: Record<string, string>;
}

/** What a user may change: their own display name and password, or anything as admin. */
export interface UserPatch {
  displayName?: string;
  role?: Role;
  disabled?: boolean;
  password?: string;
}

export type TokenScope = 'ingest' | 'read' | 'respond' | 'write' | 'admin';
export const TOKEN_SCOPES: readonly TokenScope[] = ['ingest', 'read', 'respond', 'write', 'admin'];

export interface ApiToken {
  id: string;
  name: string;
  /** The first characters of the plaintext, to recognise a token without revealing it. */
  prefix?: string;
  scopes: TokenScope[];
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  username: string;
}

export const ACTOR_TYPES = ['user', 'token', 'system', 'config'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

export interface AuditEntry {
  id: number;
  at: string;
  /** `type` is one of ACTOR_TYPES; kept as string so that a newer server's kinds still display. */
  actor: { type: string; id: string | null; name: string };
  action: string;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
  sourceIp: string | null;
}

/** An alert as Alertmanager's API v2 shows it (`gettableAlert`). */
export interface GettableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  updatedAt: string;
  generatorURL: string;
  fingerprint: string;
  receivers: { name: string }[];
  status: {
    state: 'unprocessed' | 'active' | 'suppressed';
    silencedBy: string[];
    inhibitedBy: string[];
    /** Alertmanager 0.25+: time intervals that mute it; older servers may omit it. */
    mutedBy?: string[];
  };
}

/** One firing episode of an alert, from its start until it resolved (or until now). */
export interface AlertEpisode {
  episodeId: number;
  firedAt: string;
  resolvedAt: string | null;
  state: 'firing' | 'resolved';
  /** P0–P3 as the server mapped the `severity` label, or null when it has none it knows. */
  severity: string | null;
  source: string;
  /** The alert as it is now (its latest labels, annotations and status). */
  alert: GettableAlert;
}

/** One alert's full story (`GET /api/v1/alerts/:fingerprint`), firing or resolved. */
export interface AlertDetail {
  /** As the firing list shows it; a resolved alert is not muted. */
  alert: GettableAlert;
  severity: string | null;
  source: string;
  state: 'firing' | 'resolved';
  /** A maintenance window in mode `expected` covers it now. */
  expected: boolean;
  /** Why its notifications are held back; all empty when they are sent. */
  mute: {
    silences: { id: string; comment: string; createdBy: string; endsAt: string }[];
    inhibitedBy: { fingerprint: string; labels: Record<string, string> }[];
    maintenance: { id: string; name: string; mode: MaintenanceMode }[];
    timeIntervals: string[];
  };
  /** As the first route that takes it judges it; `window` is a duration such as `1h`. */
  flapping: { flapping: boolean; changes: number; threshold: number; window: string };
  /** Latest 50, newest first. */
  episodes: { firedAt: string; resolvedAt: string | null }[];
  groups: {
    groupKey: string;
    receiver: string;
    labels: Record<string, string>;
    /** Who acknowledged the group while this alert fired, and when; null when nobody did. */
    acknowledged: { by: string; at: string } | null;
  }[];
}

export interface AlertHistoryQuery {
  state?: 'firing' | 'resolved';
  /** Alertmanager matcher expressions, all of which must hold. */
  matchers?: string[];
  from?: string;
  to?: string;
  before?: number;
  limit: number;
}

/** A matcher as Alertmanager's API v2 spells it in silences. */
export interface SilenceMatcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual: boolean;
}

export interface PostableSilence {
  matchers: SilenceMatcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

/** A silence as Watchpost's `/api/v1/silences` shows it: Alertmanager's fields plus reason and creation time. */
export interface Silence {
  id: string;
  status: { state: SilenceState };
  updatedAt: string;
  matchers: SilenceMatcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
  /** Watchpost addition: why (a ticket, a deploy); null when not given. */
  reason: string | null;
  createdAt: string;
}

export type SilenceState = 'active' | 'pending' | 'expired';
export const SILENCE_STATES: readonly SilenceState[] = ['active', 'pending', 'expired'];

/** What `POST /api/v1/silences` takes: with `id`, a change of that silence (Alertmanager's semantics). */
export interface SilenceInput extends PostableSilence {
  id?: string;
  reason?: string | null;
}

/**
 * The outcome of saving a silence. `replaced`: the matchers or a started silence's start changed, which
 * Alertmanager does not do in place; `replaces` was expired and `silence` is new, with a new id.
 */
export interface SilenceSaved {
  silence: Silence;
  outcome: 'created' | 'updated' | 'replaced';
  replaces: string | null;
}

export interface AuditQuery {
  limit: number;
  before?: number;
  targetType?: string;
  targetId?: string;
}

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** When a maintenance window is open: once, by cron with a duration, or on days of the week or month. */
export type MaintenanceSchedule =
  | { kind: 'once'; startsAt: string; endsAt: string }
  | { kind: 'cron'; cron: string; duration: string }
  | { kind: 'weekly'; days: Weekday[]; start: string; end: string }
  | { kind: 'monthly'; days: number[]; start: string; end: string };

export type MaintenanceMode = 'mute' | 'expected';

/** The writable fields of a maintenance window. */
export interface MaintenanceInput {
  name: string;
  matchers: SilenceMatcher[];
  schedule: MaintenanceSchedule;
  timeZone: string;
  mode: MaintenanceMode;
  comment: string;
}

export interface MaintenanceWindow extends MaintenanceInput {
  id: string;
  createdBy: string;
  /** `config`: declared in the configuration file, read-only here (the API answers 409). */
  source: 'api' | 'config';
  /** For `source: 'config'`, the file that declares it, when the server says. */
  managedBy?: string | null;
  activeNow: boolean;
  nextStartsAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** One opening of a window within the asked range. */
export interface MaintenanceOccurrence {
  windowId: string;
  name: string;
  mode: MaintenanceMode;
  startsAt: string;
  endsAt: string;
}

/** A receiver's message templates (LiquidJS); a missing or empty one means the default. */
export interface MessageTemplates {
  title?: string;
  markdown?: string;
  text?: string;
}

export type TemplateName = keyof MessageTemplates;

/** One channel of a receiver as `GET /api/v1/receivers` shows it: never a secret, only its last 4 characters. */
export interface ReceiverChannel {
  /** `dingtalk/0`, `webhook/1`, …: the kind and the position in the receiver's list of that kind. */
  id: string;
  kind: string;
  /** `file`: declared in the configuration file, read-only here; `ui`: added in the UI or the API, editable. */
  source: 'file' | 'ui';
  /** For a `ui` channel: its id for `PUT`/`DELETE /api/v1/receiver-channels/:uid`. */
  uid: string | null;
  /** For a `ui` channel: its settings as the file's `<kind>_configs` entry, each secret as `"<secret>"`. */
  config: Record<string, unknown> | null;
  /** The endpoint and the last 4 characters of the credential. */
  target: string;
  sendResolved: boolean;
  /** What the rate limit counts against. */
  destination: string;
  rateLimit: { perSecond: number | null; perMinute: number | null };
  mentions: { mobiles: string[]; userIds: string[]; all: boolean };
  /** `failures` consecutive failed attempts since `since`, while failing. */
  health: { failing: boolean; failures: number; since: string | null };
  /** The provider throttled the destination until then. */
  penaltyEndsAt: string | null;
  last24h: { ok: number; failed: number; lastAt: string | null };
}

/**
 * A receiver in force. Receivers come from the configuration file; channels may also be added to them here
 * (`source: 'ui'`).
 */
export interface Receiver {
  name: string;
  source: 'file';
  /** Channels added here that are not used: no longer valid (a newer version checks more). */
  unusedChannels: { uid: string; id: string; kind: string }[];
  /** `all`: every channel at once; `fallback`: the next channel after `fallbackAfter` failed attempts. */
  policy: 'all' | 'fallback';
  fallbackAfter: number;
  language: string;
  templates: MessageTemplates;
  channels: ReceiverChannel[];
}

/** A channel added to a receiver in the UI or the API, as saved (secrets as `"<secret>"`). */
export interface UiChannel {
  uid: string;
  /** The channel id in notifications and the delivery log: `<kind>/u<8 characters>`. */
  id: string;
  receiver: string;
  kind: string;
  config: Record<string, unknown>;
  position: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

/** One delivery attempt from the delivery log. */
export interface Delivery {
  id: number;
  at: string;
  /** `test:…` for a test message. */
  notificationId: string;
  receiver: string | null;
  channel: string | null;
  destination: string | null;
  ok: boolean;
  /** The HTTP status, when the provider answered over HTTP. */
  status: number | null;
  /** The provider's own code (errcode, Code, SMTP reply). */
  providerCode: string | null;
  message: string;
  durationMs: number;
  /** Notifications this attempt carried: more than 1 for a digest. */
  merged: number;
  groupKey: string | null;
  alertCount: number | null;
}

export interface DeliveryQuery {
  receiver?: string;
  channel?: string;
  outcome?: 'ok' | 'failed';
  /** Attempts for notifications that list this alert. */
  fingerprint?: string;
  /** Older than this id (the previous page's `next`). */
  before?: number;
  limit: number;
}

/** What one channel's provider answered to a test message. */
export interface TestResult {
  channel: string;
  ok: boolean;
  status: number | null;
  providerCode: string | null;
  message: string;
  durationMs: number;
}

export interface TemplatePreviewInput {
  receiver?: string;
  language?: 'zh-CN' | 'en';
  templates?: MessageTemplates;
  resolved?: boolean;
}

/** A sample notification rendered with the given templates; a broken template is listed in `problems`. */
export interface TemplatePreview {
  message: {
    title: string;
    markdown: string;
    text: string;
    severity: string | null;
    status: string;
    links: { label: string; url: string }[];
    detailUrl: string;
  };
  problems: { template: string; message: string }[];
}

export interface Session {
  user: User;
  csrfToken: string;
}

export interface ErrorDetail {
  path: string;
  message: string;
}

/**
 * A failed API call. `code` is the server's error code (`unauthorized`, `invalid`, `rate_limited`, ...) or
 * `network` when no answer arrived; `message` is the server's explanation; `details` point at offending fields.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetail[];
  /** Seconds to wait before retrying, from the Retry-After header. */
  readonly retryAfter: number | undefined;

  constructor(
    status: number,
    code: string,
    message: string,
    details: ErrorDetail[] = [],
    retryAfter?: number,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.retryAfter = retryAfter;
  }
}

interface RequestOptions {
  body?: unknown;
  /** False for calls where 401 is an expected answer (login, session probe), not an expired session. */
  sessionRequired?: boolean;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseDetails(v: unknown): ErrorDetail[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((d: unknown) =>
    isRecord(d) && typeof d.path === 'string' && typeof d.message === 'string'
      ? [{ path: d.path, message: d.message }]
      : [],
  );
}

async function toApiError(res: Response): Promise<ApiError> {
  const retryHeader = res.headers.get('retry-after');
  const retryAfter = retryHeader !== null && /^\d+$/.test(retryHeader) ? Number(retryHeader) : undefined;
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // Not JSON (a proxy's error page, an empty body): fall back to the status line below.
  }
  const err = isRecord(body) ? body.error : undefined;
  if (isRecord(err) && typeof err.code === 'string') {
    const message = typeof err.message === 'string' ? err.message : res.statusText;
    return new ApiError(res.status, err.code, message, parseDetails(err.details), retryAfter);
  }
  const code = res.status === 401 ? 'unauthorized' : res.status === 429 ? 'rate_limited' : 'http';
  return new ApiError(res.status, code, `${res.status} ${res.statusText}`.trim(), [], retryAfter);
}

export interface ApiClientOptions {
  /** Called when an authenticated call answers 401: the session expired or was revoked. */
  onUnauthorized: () => void;
}

/** One client per page load; it remembers the CSRF token of the current session. */
export function createApiClient(opts: ApiClientOptions) {
  let csrfToken: string | null = null;

  async function request<T>(method: Method, path: string, o: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (o.body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET' && csrfToken !== null) headers['x-csrf-token'] = csrfToken;
    let res: Response;
    try {
      res = await fetch(path, {
        method,
        headers,
        credentials: 'same-origin',
        body: o.body === undefined ? null : JSON.stringify(o.body),
      });
    } catch (e) {
      throw new ApiError(0, 'network', e instanceof Error ? e.message : String(e));
    }
    if (!res.ok) {
      const error = await toApiError(res);
      if (res.status === 401 && o.sessionRequired !== false) {
        csrfToken = null;
        opts.onUnauthorized();
      }
      throw error;
    }
    // 204, and Alertmanager's DELETE /api/v2/silence/:id which answers 200 with an empty body.
    const text = res.status === 204 ? '' : await res.text();
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  return {
    setCsrfToken(token: string | null): void {
      csrfToken = token;
    },

    setupStatus: () => request<{ needed: boolean }>('GET', '/api/v1/setup', { sessionRequired: false }),
    setup: (body: { token: string; username: string; password: string; displayName?: string }) =>
      request<{ user: User }>('POST', '/api/v1/setup', { body, sessionRequired: false }),

    session: () => request<Session>('GET', '/api/v1/auth/session', { sessionRequired: false }),
    login: (body: { username: string; password: string }) =>
      request<Session>('POST', '/api/v1/auth/login', { body, sessionRequired: false }),
    logout: () => request<void>('POST', '/api/v1/auth/logout', { sessionRequired: false }),

    listUsers: () => request<{ items: User[] }>('GET', '/api/v1/users'),
    createUser: (body: { username: string; password: string; displayName?: string; role: Role }) =>
      request<unknown>('POST', '/api/v1/users', { body }),
    /** A new password, or disabling, ends every session of that user (the caller's own included). */
    updateUser: (id: string, body: UserPatch) =>
      request<User>('PATCH', `/api/v1/users/${encodeURIComponent(id)}`, { body }),
    deleteUser: (id: string) => request<void>('DELETE', `/api/v1/users/${encodeURIComponent(id)}`),

    listTeams: () => request<{ items: Team[] }>('GET', '/api/v1/teams'),
    createTeam: (body: { name: string; description?: string }) =>
      request<unknown>('POST', '/api/v1/teams', { body }),
    /** Only the description can change; a team's name is its identity in routes and configuration. */
    updateTeam: (id: string, body: { description: string }) =>
      request<unknown>('PATCH', `/api/v1/teams/${encodeURIComponent(id)}`, { body }),
    /** Replaces the whole member list. */
    setTeamMembers: (id: string, members: { username: string; role: Role }[]) =>
      request<Team>('PUT', `/api/v1/teams/${encodeURIComponent(id)}/members`, { body: { members } }),
    deleteTeam: (id: string) => request<void>('DELETE', `/api/v1/teams/${encodeURIComponent(id)}`),

    listServices: () => request<{ items: Service[] }>('GET', '/api/v1/services'),
    createService: (body: ServiceInput) => request<Service>('POST', '/api/v1/services', { body }),
    updateService: (id: string, body: ServiceInput) =>
      request<Service>('PATCH', `/api/v1/services/${encodeURIComponent(id)}`, { body }),
    deleteService: (id: string) => request<void>('DELETE', `/api/v1/services/${encodeURIComponent(id)}`),

    /** Your own tokens; with `all` (admins only) everyone's. */
    listTokens: (all = false) =>
      request<{ items: ApiToken[] }>('GET', all ? '/api/v1/tokens?all=true' : '/api/v1/tokens'),
    createToken: (body: { name: string; scopes: TokenScope[]; expiresInDays?: number }) =>
      request<{ token: string; item: ApiToken }>('POST', '/api/v1/tokens', { body }),
    revokeToken: (id: string) => request<void>('DELETE', `/api/v1/tokens/${encodeURIComponent(id)}`),

    /** The alerts firing now; each filter is an Alertmanager matcher expression, all must hold. */
    firingAlerts: (filters: readonly string[]) => {
      const params = new URLSearchParams();
      for (const f of filters) params.append('filter', f);
      const q = params.toString();
      return request<GettableAlert[]>('GET', q === '' ? '/api/v2/alerts' : `/api/v2/alerts?${q}`);
    },
    /** Firing episodes, newest first, a page at a time with the server's `before` cursor. */
    alertHistory: (q: AlertHistoryQuery) => {
      const params = new URLSearchParams({ limit: String(q.limit) });
      for (const m of q.matchers ?? []) params.append('matchers', m);
      if (q.state !== undefined) params.set('state', q.state);
      if (q.from !== undefined) params.set('from', q.from);
      if (q.to !== undefined) params.set('to', q.to);
      if (q.before !== undefined) params.set('before', String(q.before));
      return request<{ items: AlertEpisode[]; nextBefore: number | null }>('GET', `/api/v1/alerts?${params}`);
    },
    /** One alert by fingerprint, firing or resolved: what mutes it, flapping, episodes, groups. */
    alertDetail: (fingerprint: string) =>
      request<AlertDetail>('GET', `/api/v1/alerts/${encodeURIComponent(fingerprint)}`),
    /** "I am on it": no repeat notifications for the group while only its current alerts fire. */
    acknowledgeGroup: (groupKey: string) =>
      request<{ groupKey: string; acknowledgedBy: string; acknowledgedAt: string; firing: number }>(
        'POST',
        '/api/v1/alert-groups/acknowledge',
        { body: { groupKey } },
      ),
    /** The firing alerts a silence with these matchers (one expression, `{a="b", c=~"d"}`) would mute. */
    previewSilence: async (matchers: string): Promise<GettableAlert[]> => {
      const r = await request<{ alerts?: GettableAlert[]; items?: GettableAlert[] }>(
        'GET',
        `/api/v1/silences/preview?${new URLSearchParams({ matchers })}`,
      );
      // The server answers `{alerts}`; `{items}`, the shape of the other v1 lists, is read as well.
      return r.alerts ?? r.items ?? [];
    },
    createSilence: (body: PostableSilence) =>
      request<{ silenceID: string }>('POST', '/api/v2/silences', { body }),

    /** Every silence (expired ones included); `filter` expressions must each be one of its matchers verbatim. */
    listSilences: (filters: readonly string[] = []) => {
      const params = new URLSearchParams();
      for (const f of filters) params.append('filter', f);
      const q = params.toString();
      return request<{ items: Silence[] }>('GET', q === '' ? '/api/v1/silences' : `/api/v1/silences?${q}`);
    },
    getSilence: (id: string) => request<Silence>('GET', `/api/v1/silences/${encodeURIComponent(id)}`),
    /** Creates a silence, or (with `id`) changes one: in place, or by replacing it with a new id. */
    saveSilence: (body: SilenceInput) => request<SilenceSaved>('POST', '/api/v1/silences', { body }),
    /** Ends a silence now (Alertmanager API v2); expiring an expired one changes nothing. */
    expireSilence: (id: string) => request<void>('DELETE', `/api/v2/silence/${encodeURIComponent(id)}`),

    listMaintenance: () => request<{ items: MaintenanceWindow[] }>('GET', '/api/v1/maintenance'),
    getMaintenance: (id: string) =>
      request<MaintenanceWindow>('GET', `/api/v1/maintenance/${encodeURIComponent(id)}`),
    createMaintenance: (body: MaintenanceInput) =>
      request<MaintenanceWindow>('POST', '/api/v1/maintenance', { body }),
    updateMaintenance: (id: string, body: MaintenanceInput) =>
      request<MaintenanceWindow>('PUT', `/api/v1/maintenance/${encodeURIComponent(id)}`, { body }),
    deleteMaintenance: (id: string) =>
      request<void>('DELETE', `/api/v1/maintenance/${encodeURIComponent(id)}`),
    /** The openings of every window between `from` and `to`. */
    maintenanceCalendar: (from: string, to: string) =>
      request<{ items: MaintenanceOccurrence[] }>(
        'GET',
        `/api/v1/maintenance/calendar?${new URLSearchParams({ from, to })}`,
      ),

    /** The receivers in force (from the configuration file), each channel with its health and last 24 h. */
    listReceivers: () =>
      request<{
        receivers: Receiver[];
        /** Channels added here to receivers the configuration file no longer declares: kept, unused. */
        orphanChannels: { uid: string; id: string; kind: string; receiver: string }[];
      }>('GET', '/api/v1/receivers'),
    /** The delivery log, newest first, a page at a time with the server's `next` cursor. */
    listDeliveries: (q: DeliveryQuery) => {
      const params = new URLSearchParams({ limit: String(q.limit) });
      if (q.receiver !== undefined) params.set('receiver', q.receiver);
      if (q.channel !== undefined) params.set('channel', q.channel);
      if (q.outcome !== undefined) params.set('outcome', q.outcome);
      if (q.fingerprint !== undefined) params.set('fingerprint', q.fingerprint);
      if (q.before !== undefined) params.set('before', String(q.before));
      return request<{ deliveries: Delivery[]; next: number | null }>('GET', `/api/v1/deliveries?${params}`);
    },
    /** Sends a test message through every channel of the receiver, or through `channel` only. */
    testReceiver: (name: string, channel?: string) =>
      request<{ results: TestResult[] }>('POST', `/api/v1/receivers/${encodeURIComponent(name)}/test`, {
        body: channel === undefined ? {} : { channel },
      }),
    /** Adds a channel (`config`: one entry of the file's `<kind>_configs`) to a receiver the file declares. */
    addReceiverChannel: (receiver: string, kind: string, config: Record<string, unknown>) =>
      request<UiChannel>('POST', `/api/v1/receivers/${encodeURIComponent(receiver)}/channels`, {
        body: { kind, config },
      }),
    /** Replaces a UI channel's settings; a secret sent as `"<secret>"` keeps its stored value. */
    updateReceiverChannel: (uid: string, config: Record<string, unknown>) =>
      request<UiChannel>('PUT', `/api/v1/receiver-channels/${encodeURIComponent(uid)}`, { body: { config } }),
    removeReceiverChannel: (uid: string) =>
      request<void>('DELETE', `/api/v1/receiver-channels/${encodeURIComponent(uid)}`),
    previewTemplates: (body: TemplatePreviewInput) =>
      request<TemplatePreview>('POST', '/api/v1/templates/preview', { body }),

    listAudit: (q: AuditQuery) => {
      const params = new URLSearchParams({ limit: String(q.limit) });
      if (q.before !== undefined) params.set('before', String(q.before));
      if (q.targetType !== undefined) params.set('targetType', q.targetType);
      if (q.targetId !== undefined) params.set('targetId', q.targetId);
      return request<{ items: AuditEntry[]; nextBefore: number | null }>('GET', `/api/v1/audit?${params}`);
    },
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
