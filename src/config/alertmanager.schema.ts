// The Alertmanager-compatible sections of the file — `route`, `receivers`, `inhibit_rules`,
// `time_intervals` (and the older `mute_time_intervals`) — with Alertmanager's keys and defaults,
// so blocks from an alertmanager.yml paste in unchanged. Watchpost's additions are new keys only
// (`flapping`, `storm` on routes). What a schema cannot say (matcher syntax, receiver and interval
// names, ranges, zones) is checked in alertmanager.check.ts; the normalised form is built in
// alertmanager.build.ts.
//
// Route settings have no schema defaults on purpose: a child route inherits what it leaves out from
// its parent, and only the root falls back to the defaults (alertmanager.build.ts).

import Type from 'typebox';
import { CHANNEL_KEYS, RECEIVER_KEYS } from './channels.schema.js';
import { WECHAT_MESSAGE_TYPES } from './model.js';
import { Duration, HttpUrl, LABEL_NAME_PATTERN, LabelName, OptionalDuration } from './schema-parts.js';

const notYet = (keys: readonly string[], hint = ''): Record<string, string> =>
  Object.fromEntries(keys.map((k) => [k, `not supported yet${hint}`]));

/** Alertmanager's other notification integrations: recognised, so the message can say so. */
export const OTHER_RECEIVER_KINDS: readonly string[] = [
  'discord_configs',
  'incidentio_configs',
  'jira_configs',
  'msteams_configs',
  'msteamsv2_configs',
  'opsgenie_configs',
  'pushover_configs',
  'rocketchat_configs',
  'sns_configs',
  'victorops_configs',
  'webex_configs',
];

/** The receiver keys Watchpost delivers, for messages. */
export const DELIVERED_KINDS = ['webhook_configs', 'email_configs', ...Object.keys(CHANNEL_KEYS)].join(', ');

export const UNSUPPORTED_TOP_LEVEL = {
  global: 'not supported yet: give each receiver its own SMTP and WeChat settings',
  templates: 'not supported yet',
};

// Alertmanager reads `http_code: 503` as the string "503": numbers and booleans are taken as text.
const LabelMap = (description: string) =>
  Type.Record(
    Type.String(),
    Type.Union([Type.String(), Type.Number(), Type.Boolean()], {
      errorMessage: 'must be a label value (a string, number or true/false)',
    }),
    {
      propertyNames: {
        pattern: LABEL_NAME_PATTERN,
        errorMessage: `is not a valid label name: it must match ${LABEL_NAME_PATTERN}`,
      },
      description,
    },
  );

const MatcherList = (description: string) =>
  Type.Array(
    Type.String({ errorMessage: 'must be a matcher in quotes, such as \'severity="P0"\'', description }),
    { description },
  );

const IntervalNames = (description: string) => Type.Array(Type.String({ minLength: 1 }), { description });

export const ROUTE_DEFAULTS = {
  group_wait: '30s',
  group_interval: '5m',
  repeat_interval: '4h',
  flapping: { threshold: 4, window: '1h' },
  storm: { max_alerts_listed: 20 },
} as const;

const RouteSchema = Type.Cyclic(
  {
    Route: Type.Object(
      {
        receiver: Type.Optional(
          Type.String({ minLength: 1, description: 'Receiver of the alerts this route takes.' }),
        ),
        group_by: Type.Optional(
          Type.Array(
            Type.String({
              pattern: '^(\\.\\.\\.|[a-zA-Z_][a-zA-Z0-9_]*)$',
              errorMessage: 'must be a label name, or "..." alone to group by all labels',
            }),
            { description: 'Labels whose values form a group; ["..."] = all labels.' },
          ),
        ),
        continue: Type.Optional(Type.Boolean({ description: 'Keep matching later sibling routes.' })),
        matchers: Type.Optional(MatcherList('Matchers an alert must satisfy, e.g. severity=~"P0|P1".')),
        match: Type.Optional(LabelMap('Deprecated in Alertmanager: label: value equality matchers.')),
        match_re: Type.Optional(LabelMap('Deprecated in Alertmanager: label: regex matchers.')),
        group_wait: OptionalDuration('Wait before the first notification of a new group.'),
        group_interval: OptionalDuration('Wait before notifying about changes in a group.'),
        repeat_interval: OptionalDuration('Wait before repeating an unchanged firing group.'),
        mute_time_intervals: Type.Optional(IntervalNames('Named time intervals when this route is muted.')),
        active_time_intervals: Type.Optional(
          IntervalNames('Named time intervals outside which it is muted.'),
        ),
        routes: Type.Optional(Type.Array(Type.Ref('Route'))),
        flapping: Type.Optional(
          Type.Object(
            {
              threshold: Type.Optional(
                Type.Integer({
                  minimum: 2,
                  description: 'State changes within the window that make an alert flap.',
                }),
              ),
              window: OptionalDuration('The window state changes are counted over.'),
            },
            { additionalProperties: false, description: 'Watchpost: flapping detection.' },
          ),
        ),
        storm: Type.Optional(
          Type.Object(
            {
              max_alerts_listed: Type.Optional(
                Type.Integer({
                  minimum: 1,
                  description: 'Alerts listed one by one in a storm notification.',
                }),
              ),
            },
            { additionalProperties: false, description: 'Watchpost: alert storm summaries.' },
          ),
        ),
      },
      { additionalProperties: false },
    ),
  },
  'Route',
);

export const RouteSection = Type.Optional(RouteSchema);

const HttpConfigSchema = Type.Object(
  {
    bearer_token: Type.Optional(Type.String({ minLength: 1 })),
    basic_auth: Type.Optional(
      Type.Object(
        { username: Type.String({ minLength: 1 }), password: Type.Optional(Type.String()) },
        { additionalProperties: false, notSupported: notYet(['username_file', 'password_file']) },
      ),
    ),
    tls_config: Type.Object(
      { insecure_skip_verify: Type.Boolean({ default: false }) },
      {
        additionalProperties: false,
        default: {},
        notSupported: notYet([
          'ca',
          'ca_file',
          'cert',
          'cert_file',
          'key',
          'key_file',
          'server_name',
          'min_version',
          'max_version',
        ]),
      },
    ),
    proxy_url: Type.Optional(HttpUrl('Proxy for the requests.')),
    // Accepted so that `amtool config show` output pastes in; Watchpost never follows redirects (a
    // 3xx is reported in the delivery log) and speaks HTTP/1.1.
    follow_redirects: Type.Optional(
      Type.Boolean({ description: 'Accepted for compatibility; redirects are not followed.' }),
    ),
    enable_http2: Type.Optional(
      Type.Boolean({ description: 'Accepted for compatibility; HTTP/1.1 is used.' }),
    ),
  },
  {
    additionalProperties: false,
    default: {},
    notSupported: notYet([
      'authorization',
      'bearer_token_file',
      'oauth2',
      'no_proxy',
      'proxy_from_environment',
      'proxy_connect_header',
      'http_headers',
    ]),
  },
);

const WebhookConfigSchema = Type.Object(
  {
    url: HttpUrl('Where the notification is POSTed (Alertmanager webhook payload, version 4).'),
    send_resolved: Type.Boolean({ default: true }),
    max_alerts: Type.Integer({ minimum: 0, default: 0, description: 'Alerts included at most; 0 = all.' }),
    timeout: Duration('0s', 'Longest wait for the request; 0s = the shared HTTP client’s default.'),
    http_config: HttpConfigSchema,
    signing_secret: Type.Optional(
      Type.String({
        minLength: 16,
        description: 'Watchpost: sign requests (X-Watchpost-Signature, HMAC-SHA256 over timestamp + body).',
      }),
    ),
  },
  { additionalProperties: false, notSupported: { url_file: 'not supported: use url' } },
);

const EmailConfigSchema = Type.Object(
  {
    to: Type.String({ minLength: 1, description: 'Recipients, comma-separated.' }),
    from: Type.String({ minLength: 1 }),
    smarthost: Type.String({
      pattern: '^(\\[[^\\]]+\\]|[^\\s:\\[\\]]+):\\d{1,5}$',
      errorMessage: 'must be host:port, e.g. smtp.example.com:587',
    }),
    auth_username: Type.Optional(Type.String()),
    auth_password: Type.Optional(Type.String()),
    require_tls: Type.Boolean({ default: true }),
    headers: Type.Record(Type.String(), Type.String(), { default: {} }),
    html: Type.Optional(Type.String()),
    text: Type.Optional(Type.String()),
    send_resolved: Type.Boolean({ default: false }),
  },
  {
    additionalProperties: false,
    notSupported: notYet([
      'hello',
      'auth_secret',
      'auth_secret_file',
      'auth_identity',
      'auth_password_file',
      'tls_config',
    ]),
  },
);

const WechatConfigSchema = Type.Object(
  {
    api_url: HttpUrl('WeChat Work API base URL.', { default: 'https://qyapi.weixin.qq.com/cgi-bin/' }),
    corp_id: Type.String({ minLength: 1 }),
    api_secret: Type.String({ minLength: 1 }),
    agent_id: Type.Optional(
      Type.Union([Type.String(), Type.Integer()], { errorMessage: 'must be the application’s agent id' }),
    ),
    to_user: Type.String({ default: '@all' }),
    to_party: Type.String({ default: '' }),
    to_tag: Type.String({ default: '' }),
    message: Type.Optional(Type.String()),
    message_type: Type.Enum(WECHAT_MESSAGE_TYPES, { default: 'text' }),
    send_resolved: Type.Boolean({ default: false }),
  },
  { additionalProperties: false, notSupported: notYet(['api_secret_file', 'http_config']) },
);

const ReceiverSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, description: 'Unique; routes refer to it.' }),
    webhook_configs: Type.Array(WebhookConfigSchema, { default: [] }),
    email_configs: Type.Array(EmailConfigSchema, { default: [] }),
    wechat_configs: Type.Array(WechatConfigSchema, { default: [] }),
    ...CHANNEL_KEYS,
    ...RECEIVER_KEYS,
  },
  {
    additionalProperties: false,
    notSupported: notYet(OTHER_RECEIVER_KINDS, `: Watchpost delivers ${DELIVERED_KINDS}`),
  },
);

export const ReceiversSection = Type.Optional(
  Type.Array(ReceiverSchema, { description: 'Where notifications go; routes name them.' }),
);

const InhibitRuleSchema = Type.Object(
  {
    source_matchers: Type.Optional(MatcherList('Alerts that mute others while firing.')),
    target_matchers: Type.Optional(MatcherList('Alerts that may be muted.')),
    source_match: Type.Optional(LabelMap('Deprecated: label: value source matchers.')),
    source_match_re: Type.Optional(LabelMap('Deprecated: label: regex source matchers.')),
    target_match: Type.Optional(LabelMap('Deprecated: label: value target matchers.')),
    target_match_re: Type.Optional(LabelMap('Deprecated: label: regex target matchers.')),
    equal: Type.Array(LabelName('Labels whose values source and target must share.'), { default: [] }),
  },
  { additionalProperties: false },
);

export const InhibitRulesSection = Type.Array(InhibitRuleSchema, {
  default: [],
  description: 'A firing source alert mutes target alerts with the same `equal` label values.',
});

const RangeItem = Type.Union([Type.String({ minLength: 1 }), Type.Integer()], {
  errorMessage: 'must be a number or a range such as "1:5"',
});

const TimeIntervalSchema = Type.Object(
  {
    times: Type.Optional(
      Type.Array(
        Type.Object(
          {
            start_time: Type.String({ errorMessage: 'must be a time of day such as "09:30"' }),
            end_time: Type.String({ errorMessage: 'must be a time of day such as "17:30"' }),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    weekdays: Type.Optional(
      Type.Array(Type.String({ errorMessage: 'must be a weekday or a range such as monday:friday' })),
    ),
    days_of_month: Type.Optional(Type.Array(RangeItem)),
    months: Type.Optional(Type.Array(RangeItem)),
    years: Type.Optional(Type.Array(RangeItem)),
    location: Type.Optional(Type.String({ minLength: 1, description: 'IANA time zone; default UTC.' })),
  },
  { additionalProperties: false },
);

export const TimeIntervalsSection = Type.Array(
  Type.Object(
    {
      name: Type.String({ minLength: 1, description: 'Unique; routes refer to it.' }),
      time_intervals: Type.Array(TimeIntervalSchema, { default: [] }),
    },
    { additionalProperties: false },
  ),
  { default: [], description: 'Named time intervals for mute_time_intervals / active_time_intervals.' },
);
