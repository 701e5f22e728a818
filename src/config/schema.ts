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
  },
  { additionalProperties: false, default: {}, notSupported: UNSUPPORTED_TOP_LEVEL },
);

/** The file after defaults are filled in and it passed validation. */
export type ConfigFile = Static<typeof ConfigFileSchema>;
