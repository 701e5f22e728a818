// The shape of the YAML configuration file, in the snake_case users write, with its defaults.
// One TypeBox object per top-level section, composed in `ConfigFileSchema` at the bottom: a new
// section (route, receivers, checks, ...) is one more object here, one more field in model.ts and
// one more normaliser in load.ts.
//
// `errorMessage` is Watchpost's own annotation: the plain sentence load.ts reports when a value
// does not match that schema (instead of TypeBox's generic "must match pattern ...").
// Every object forbids unknown keys so a typo is an error, not a silently ignored setting;
// `notSupported` (also Watchpost's) maps keys another tool accepts there, such as Alertmanager's
// `slack_configs`, to the sentence reported instead of "unknown key".
// The Alertmanager-compatible sections (route, receivers, inhibit_rules, time_intervals) are in
// alertmanager.schema.ts; shared building blocks in schema-parts.ts.

import Type, { type Static } from 'typebox';
import { USERNAME_PATTERN } from '../auth/model.js';
import {
  InhibitRulesSection,
  ReceiversSection,
  RouteSection,
  TimeIntervalsSection,
  UNSUPPORTED_TOP_LEVEL,
} from './alertmanager.schema.js';
import { ANONYMOUS_PERMISSIONS, LOG_LEVELS, ROLES, SECURE_COOKIES, TIERS } from './model.js';
import { MAINTENANCE_MODES, WEEKDAYS } from '../alerts/maintenance.js';
import { Duration, HTTP_URL_MESSAGE, HttpUrl, LABEL_NAME_PATTERN, section } from './schema-parts.js';

export { HTTP_URL_MESSAGE, LABEL_NAME_PATTERN } from './schema-parts.js';

/** Names of teams and services: the form they take in URLs, labels and the CLI. */
export const NAME_PATTERN = '^[a-z0-9][a-z0-9_-]{0,62}$';
export const POSTGRES_URL_PATTERN = '^postgres(ql)?://';

export const PORT_MESSAGE = 'must be an integer 0-65535';
export const POSTGRES_URL_MESSAGE = 'must start with postgres:// or postgresql://';
const NAME_MESSAGE =
  'must be 1-63 lowercase letters, digits, "_" or "-", starting with a letter or digit (e.g. "order-sync")';

const Name = (description: string) =>
  Type.String({ pattern: NAME_PATTERN, errorMessage: NAME_MESSAGE, description });

export const ServerSection = section(
  {
    host: Type.String({ minLength: 1, default: '0.0.0.0', description: 'Address to listen on.' }),
    port: Type.Integer({
      minimum: 0,
      maximum: 65535,
      default: 9797,
      errorMessage: PORT_MESSAGE,
      description: 'Port to listen on (0 lets the operating system choose).',
    }),
    external_url: Type.Union([HttpUrl('URL users reach Watchpost at.'), Type.Null()], {
      default: null,
      errorMessage: HTTP_URL_MESSAGE,
      description:
        'URL users reach Watchpost at, used in links in notifications; null = http://localhost:<port>.',
    }),
    body_limit: Type.Union([Type.String({ minLength: 1 }), Type.Integer({ minimum: 1 })], {
      default: '1mb',
      errorMessage: 'must be a size such as 512kb or 1mb, or a number of bytes',
      description: 'Largest accepted request body (1kb = 1024 bytes); larger requests get 413.',
    }),
    trust_proxy: Type.Union([Type.Boolean(), Type.Array(Type.String({ minLength: 1 }))], {
      default: false,
      errorMessage: 'must be true, false, or a list of proxy IP addresses or CIDR ranges',
      description: 'Honour X-Forwarded-* headers: from any proxy (true), none (false), or the listed ones.',
    }),
    secure_cookies: Type.Enum(SECURE_COOKIES, {
      default: 'auto',
      description: 'Mark session cookies Secure: auto = when the request came over https.',
    }),
    time_zone: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'IANA time zone of the times shown in notifications (Asia/Shanghai); default: the machine’s.',
      }),
    ),
  },
  'The HTTP server.',
);

export const StorageSection = section(
  {
    data_dir: Type.String({
      minLength: 1,
      default: './data',
      description: "Data folder; a relative path is resolved against this file's folder.",
    }),
    database_url: Type.Union(
      [Type.String({ pattern: POSTGRES_URL_PATTERN, errorMessage: POSTGRES_URL_MESSAGE }), Type.Null()],
      {
        default: null,
        errorMessage: POSTGRES_URL_MESSAGE,
        description: 'PostgreSQL URL for state; null = SQLite at <data_dir>/watchpost.db.',
      },
    ),
  },
  'Where state is kept.',
);

export const AuthSection = section(
  {
    session_ttl: Duration('7d', 'How long a login session lasts.'),
    login_rate_limit: section(
      {
        max: Type.Integer({ minimum: 1, default: 10, description: 'Login attempts allowed per window.' }),
        window: Duration('1m', 'The window the attempts are counted over.'),
      },
      'Login attempts allowed per client IP.',
    ),
    anonymous: Type.Array(Type.Enum(ANONYMOUS_PERMISSIONS), {
      default: [],
      uniqueItems: true,
      description:
        'What requests without a session or API token may do: `ingest` (send alerts, as Prometheus does to Alertmanager without credentials) and/or `read`. Empty = nothing.',
    }),
  },
  'Sessions and logins.',
);

export const LogSection = section(
  { level: Type.Enum(LOG_LEVELS, { default: 'info', description: 'Least severe level written.' }) },
  'Watchpost’s own log.',
);

export const TeamSchema = Type.Object(
  {
    name: Name('Team name.'),
    description: Type.Optional(Type.String()),
    members: Type.Array(
      Type.Object(
        {
          user: Type.String({
            pattern: USERNAME_PATTERN,
            errorMessage:
              'must be a user name: letters, digits and . _ @ -, starting with a letter or digit, at most 64 characters',
            description: 'User name of an existing user.',
          }),
          role: Type.Enum(ROLES, { description: 'What the member may do.' }),
        },
        { additionalProperties: false },
      ),
      { default: [] },
    ),
  },
  { additionalProperties: false },
);

export const TeamsSection = Type.Array(TeamSchema, {
  default: [],
  description: 'Teams managed by this file: created, updated and removed to match it.',
});

export const ServiceSchema = Type.Object(
  {
    name: Name('Service name.'),
    description: Type.Optional(Type.String()),
    team: Type.Optional(Name('Owning team: declared in this file or already in the database.')),
    tier: Type.Optional(Type.Enum(TIERS, { description: 'Business criticality.' })),
    runbook_url: Type.Optional(HttpUrl('What to do when it breaks.')),
    depends_on: Type.Optional(
      Type.Array(Name('A service this one needs.'), {
        uniqueItems: true,
        description:
          'Services this one needs: while one of them has a firing P0 or P1 alert, the alerts of this service are inhibited (an inhibit rule on the `service` label).',
      }),
    ),
    labels: Type.Record(
      Type.String(),
      Type.String({ errorMessage: 'must be a string; put numbers and true/false in quotes' }),
      {
        default: {},
        propertyNames: {
          pattern: LABEL_NAME_PATTERN,
          errorMessage: `is not a valid label name: it must match ${LABEL_NAME_PATTERN}`,
        },
        description: 'Labels added to everything about this service.',
      },
    ),
  },
  { additionalProperties: false },
);

export const ServicesSection = Type.Array(ServiceSchema, {
  default: [],
  description: 'Services managed by this file.',
});

/** A JSONPath into a received JSON document; inputs.ts checks its syntax (no filters or scripts). */
export const JSONPATH_MESSAGE =
  'must be a JSONPath starting with $, such as $.alerts[*] or $.labels.severity';
const JsonPath = (description: string) =>
  Type.String({ pattern: '^\\$', errorMessage: JSONPATH_MESSAGE, description });

/** `$.path` (a JSONPath), a literal string, or `{path | value, map, default}`. */
const ValueSpecSchema = (description: string) =>
  Type.Union(
    [
      Type.String({ minLength: 1 }),
      Type.Object(
        {
          path: Type.Optional(JsonPath('Where the value is in the received document.')),
          value: Type.Optional(Type.String({ description: 'A fixed value (may start with $).' })),
          map: Type.Optional(
            Type.Record(Type.String(), Type.String(), {
              description: 'Translates found values, e.g. {Disaster: critical, High: error}.',
            }),
          ),
          default: Type.Optional(Type.String({ description: 'Used when the path matches nothing.' })),
        },
        { additionalProperties: false },
      ),
    ],
    {
      errorMessage:
        'must be a JSONPath such as $.labels.severity, a literal string, or a mapping {path, map, default} / {value}',
      description,
    },
  );

const LabelMap = (description: string) =>
  Type.Record(Type.String(), ValueSpecSchema('A JSONPath ($...) or a literal value.'), {
    default: {},
    propertyNames: {
      pattern: LABEL_NAME_PATTERN,
      errorMessage: `is not a valid label name: it must match ${LABEL_NAME_PATTERN}`,
    },
    description,
  });

export const WebhookInputSchema = Type.Object(
  {
    name: Name('The input is POST /api/v1/inputs/webhook/<name>.'),
    alerts: Type.Optional(
      JsonPath('One alert per element it selects, e.g. $.alerts[*]; absent = the body is one alert.'),
    ),
    labels_from: Type.Optional(JsonPath('An object whose entries all become labels, e.g. $.labels.')),
    annotations_from: Type.Optional(JsonPath('An object whose entries all become annotations.')),
    labels: LabelMap('Labels, each a JSONPath or a literal; must yield alertname (here or via labels_from).'),
    annotations: LabelMap('Annotations, each a JSONPath or a literal.'),
    status: Type.Optional(
      Type.Object(
        {
          path: JsonPath('Where the state is, e.g. $.status.'),
          resolved: Type.Array(Type.String(), {
            minItems: 1,
            description: 'Values meaning resolved (case-insensitive); anything else is firing.',
          }),
        },
        { additionalProperties: false },
      ),
    ),
    starts_at: Type.Optional(JsonPath('Start time: ISO 8601, or epoch seconds / milliseconds.')),
    ends_at: Type.Optional(JsonPath("End time; Go's zero time 0001-01-01T00:00:00Z counts as absent.")),
    generator_url: Type.Optional(ValueSpecSchema('Link back to the sender.')),
    resolve_timeout: Type.Optional(
      Type.String({
        minLength: 1,
        errorMessage: 'must be a duration such as 30s, 5m, 1h or 7d',
        description:
          'A firing alert without an end time resolves after this long unless re-sent; absent = open until a resolved message.',
      }),
    ),
  },
  { additionalProperties: false },
);

export const InputsSection = section(
  {
    webhooks: Type.Array(WebhookInputSchema, {
      default: [],
      description: 'Generic JSON webhook inputs (Grafana, Zabbix, ...).',
    }),
  },
  'Inputs besides Prometheus.',
);

/** Wall-clock time for maintenance windows; alerts/maintenance.ts checks the range and words the fix. */
const WallTime = (description: string) => Type.String({ minLength: 1, description });

export const MaintenanceWindowSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, description: 'Unique; the window is found by it.' }),
    matchers: Type.Array(Type.String(), {
      default: [],
      description:
        'Alertmanager matchers picking the alerts covered, e.g. service="erp"; all must hold, at least one must not match the empty string.',
    }),
    time_zone: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'IANA zone the schedule is read in; default: the zone of the machine loading the file.',
      }),
    ),
    mode: Type.Enum(MAINTENANCE_MODES, {
      default: 'mute',
      description: 'mute: no notifications; expected: no notifications and the alerts are marked expected.',
    }),
    comment: Type.Optional(Type.String()),
    once: Type.Optional(
      Type.Object(
        {
          starts_at: Type.String({
            minLength: 1,
            description: 'Date-time; without an offset it is read in time_zone.',
          }),
          ends_at: Type.String({ minLength: 1, description: 'Date-time, excluded.' }),
        },
        { additionalProperties: false, description: 'One-off window.' },
      ),
    ),
    cron: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'Five-field cron expression read in time_zone; needs duration.',
      }),
    ),
    duration: Type.Optional(
      Type.String({ minLength: 1, description: 'How long each cron firing lasts, e.g. 2h.' }),
    ),
    weekly: Type.Optional(
      Type.Object(
        {
          days: Type.Array(Type.Enum(WEEKDAYS), { description: 'mon … sun.' }),
          start: WallTime('HH:MM.'),
          end: WallTime('HH:MM; at or before start = the next day.'),
        },
        { additionalProperties: false },
      ),
    ),
    monthly: Type.Optional(
      Type.Object(
        {
          days: Type.Array(Type.Integer(), { description: '1 … 31, -1 = the last day of the month.' }),
          start: WallTime('HH:MM.'),
          end: WallTime('HH:MM; at or before start = the next day.'),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const MaintenanceWindowsSection = Type.Array(MaintenanceWindowSchema, {
  default: [],
  description: 'Maintenance windows managed by this file: created, updated and removed to match it.',
});

/** The whole file. Add a section here, keyed by its YAML name. */
export const ConfigFileSchema = Type.Object(
  {
    server: ServerSection,
    storage: StorageSection,
    auth: AuthSection,
    log: LogSection,
    teams: TeamsSection,
    services: ServicesSection,
    route: RouteSection,
    receivers: ReceiversSection,
    inhibit_rules: InhibitRulesSection,
    time_intervals: TimeIntervalsSection,
    mute_time_intervals: TimeIntervalsSection,
    maintenance_windows: MaintenanceWindowsSection,
    inputs: InputsSection,
  },
  { additionalProperties: false, default: {}, notSupported: UNSUPPORTED_TOP_LEVEL },
);

/** The file after defaults are filled in and it passed validation. */
export type ConfigFile = Static<typeof ConfigFileSchema>;
