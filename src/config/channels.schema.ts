// Watchpost's own channel kinds in a receiver (issue 4), in the style of Alertmanager's
// `*_configs`: `dingtalk_configs`, `wecom_configs`, `feishu_configs`, `sms_configs`, and
// Alertmanager's own `slack_configs`, `telegram_configs` and `pagerduty_configs` with Alertmanager's
// keys and defaults (Alertmanager keys Watchpost does not use are named, so the message says so).
// Every channel takes the provider's full endpoint URL, defaulting to the public one. Receiver-level
// additions: `policy`, `fallback_after`, `language`, `templates`. What a schema cannot say (a
// credential given one way or the other, the fields each SMS provider needs) is checked in
// channels.check.ts; the normalised form is built in channels.build.ts.

import Type from 'typebox';
import { Duration, HttpUrl } from './schema-parts.js';

const notUsed = (keys: readonly string[], hint: string): Record<string, string> =>
  Object.fromEntries(keys.map((k) => [k, `not supported${hint}`]));

const Strings = (description: string) =>
  Type.Array(Type.String({ minLength: 1 }), { default: [], description });

/** `rate_limit` on any channel: replaces the provider's default limits for that destination. */
export const RateLimitSchema = Type.Optional(
  Type.Object(
    {
      per_second: Type.Optional(Type.Integer({ minimum: 1, description: 'Messages per second at most.' })),
      per_minute: Type.Optional(Type.Integer({ minimum: 1, description: 'Messages per minute at most.' })),
    },
    {
      additionalProperties: false,
      description: "Messages allowed to this destination; default: the provider's limits.",
    },
  ),
);

const common = (sendResolved: boolean) => ({
  send_resolved: Type.Boolean({ default: sendResolved, description: 'Also notify when alerts resolve.' }),
  rate_limit: RateLimitSchema,
  timeout: Duration('0s', 'Longest wait for one request; 0s = the shared HTTP client’s default (10 s).'),
});

const DingtalkConfigSchema = Type.Object(
  {
    url: Type.Optional(
      HttpUrl('The robot’s webhook URL as DingTalk shows it (with access_token), or the endpoint alone.'),
    ),
    access_token: Type.Optional(
      Type.String({ minLength: 1, description: 'When the url does not carry it.' }),
    ),
    secret: Type.Optional(Type.String({ minLength: 1, description: 'Signing secret (SEC…) for 加签.' })),
    msg_type: Type.Enum(['markdown', 'actionCard'], { default: 'markdown' }),
    at_mobiles: Strings('Mobile numbers to @mention.'),
    at_user_ids: Strings('DingTalk user ids to @mention.'),
    at_all: Type.Boolean({ default: false, description: '@all in the group.' }),
    ...common(true),
  },
  { additionalProperties: false },
);

const WecomConfigSchema = Type.Object(
  {
    url: Type.Optional(HttpUrl('The robot’s webhook URL (with key=…), or the endpoint alone.')),
    key: Type.Optional(
      Type.String({ minLength: 1, description: 'The robot’s key, when the url does not carry it.' }),
    ),
    msg_type: Type.Enum(['markdown', 'text'], { default: 'markdown' }),
    mentioned_list: Strings('WeCom user ids to @mention, or "@all".'),
    mentioned_mobile_list: Strings('Mobile numbers to @mention.'),
    ...common(true),
  },
  { additionalProperties: false },
);

const FeishuConfigSchema = Type.Object(
  {
    url: Type.Optional(HttpUrl('The bot’s webhook URL (…/bot/v2/hook/<token>), Feishu or Lark.')),
    token: Type.Optional(
      Type.String({ minLength: 1, description: 'The hook token, when the url does not end with it.' }),
    ),
    secret: Type.Optional(Type.String({ minLength: 1, description: 'Signing secret (签名校验).' })),
    at_user_ids: Strings('Open ids (ou_…) to @mention.'),
    at_all: Type.Boolean({ default: false }),
    ...common(true),
  },
  { additionalProperties: false },
);

export const SMS_PROVIDERS = ['aliyun', 'tencent', 'twilio'] as const;
export const SMS_FIELD_NAMES = ['severity', 'title', 'status', 'text', 'detailUrl'] as const;

const SmsField = Type.Enum(SMS_FIELD_NAMES, { errorMessage: `must be one of ${SMS_FIELD_NAMES.join(', ')}` });

/** One schema for the three providers; channels.check.ts says which keys each one needs. */
const SmsConfigSchema = Type.Object(
  {
    provider: Type.Enum(SMS_PROVIDERS),
    to: Type.Array(Type.String({ pattern: '^\\+?[0-9 -]{5,20}$', errorMessage: 'must be a phone number' }), {
      minItems: 1,
      description: 'Phone numbers (E.164 for Twilio and abroad: +8613800000000).',
    }),
    url: Type.Optional(HttpUrl('The provider’s endpoint; default the public one.')),
    // Aliyun
    access_key_id: Type.Optional(Type.String({ minLength: 1 })),
    access_key_secret: Type.Optional(Type.String({ minLength: 1 })),
    template_code: Type.Optional(Type.String({ minLength: 1 })),
    region_id: Type.Optional(Type.String({ minLength: 1 })),
    // Tencent
    secret_id: Type.Optional(Type.String({ minLength: 1 })),
    secret_key: Type.Optional(Type.String({ minLength: 1 })),
    region: Type.Optional(Type.String({ minLength: 1 })),
    sms_sdk_app_id: Type.Optional(Type.String({ minLength: 1 })),
    template_id: Type.Optional(Type.String({ minLength: 1 })),
    // Aliyun and Tencent
    sign_name: Type.Optional(Type.String({ minLength: 1 })),
    template_params: Type.Optional(
      Type.Union([Type.Record(Type.String(), SmsField), Type.Array(SmsField)], {
        errorMessage:
          'must map template variables to fields (Aliyun: {name: title}) or list fields in order (Tencent: [severity, title])',
      }),
    ),
    // Twilio
    account_sid: Type.Optional(Type.String({ minLength: 1 })),
    auth_token: Type.Optional(Type.String({ minLength: 1 })),
    from: Type.Optional(Type.String({ minLength: 1 })),
    messaging_service_sid: Type.Optional(Type.String({ minLength: 1 })),
    ...common(false),
  },
  { additionalProperties: false },
);

/** Alertmanager's Slack keys that shape the message: Watchpost writes it from its templates. */
export const SLACK_MESSAGE_KEYS = [
  'username',
  'color',
  'title',
  'title_link',
  'pretext',
  'text',
  'footer',
  'fallback',
  'callback_id',
  'icon_emoji',
  'icon_url',
  'image_url',
  'thumb_url',
  'link_names',
  'short_fields',
  'mrkdwn_in',
  'fields',
  'actions',
];

const SLACK_UNUSED = ['api_url_file', ...SLACK_MESSAGE_KEYS, 'http_config', 'app_token', 'app_url'];

/** Alertmanager's `slack_configs`, for incoming webhooks; the message comes from Watchpost's templates. */
const SlackConfigSchema = Type.Object(
  {
    api_url: HttpUrl('The incoming webhook URL (https://hooks.slack.com/services/…).'),
    channel: Type.Optional(
      Type.String({ description: 'Ignored by incoming webhooks; kept for compatibility.' }),
    ),
    ...common(false),
  },
  {
    additionalProperties: false,
    notSupported: notUsed(
      SLACK_UNUSED,
      ': Watchpost writes the message from its templates (receiver `templates`)',
    ),
  },
);

/** Alertmanager's `telegram_configs`. */
const TelegramConfigSchema = Type.Object(
  {
    api_url: HttpUrl('Bot API base URL.', { default: 'https://api.telegram.org' }),
    bot_token: Type.String({ minLength: 1 }),
    chat_id: Type.Union([Type.Integer(), Type.String({ minLength: 1 })], {
      errorMessage: 'must be the chat id (a number, or @channelname)',
    }),
    message_thread_id: Type.Optional(Type.Integer()),
    disable_notifications: Type.Boolean({ default: false }),
    parse_mode: Type.Enum(['HTML'], {
      default: 'HTML',
      errorMessage: 'must be HTML: Watchpost sends HTML it has escaped itself',
    }),
    ...common(true),
  },
  {
    additionalProperties: false,
    notSupported: notUsed(
      ['bot_token_file', 'message', 'http_config'],
      ': Watchpost writes the message from its templates (receiver `templates`)',
    ),
  },
);

/** Alertmanager's `pagerduty_configs`, Events API v2. */
const PagerDutyConfigSchema = Type.Object(
  {
    routing_key: Type.String({
      minLength: 1,
      description: 'The integration key of an Events API v2 integration.',
    }),
    url: HttpUrl('Events API endpoint.', { default: 'https://events.pagerduty.com/v2/enqueue' }),
    source: Type.Optional(Type.String({ minLength: 1 })),
    component: Type.Optional(Type.String({ minLength: 1 })),
    group: Type.Optional(Type.String({ minLength: 1 })),
    class: Type.Optional(Type.String({ minLength: 1 })),
    ...common(true),
  },
  {
    additionalProperties: false,
    notSupported: {
      service_key: 'not supported: Events API v1 is retired; use routing_key (Events API v2)',
      ...notUsed(
        [
          'routing_key_file',
          'service_key_file',
          'client',
          'client_url',
          'description',
          'details',
          'images',
          'links',
          'severity',
          'http_config',
        ],
        ': Watchpost fills these from the alerts (severity from P0–P3)',
      ),
    },
  },
);

/** The channel kinds Watchpost adds to Alertmanager's receiver, and the Alertmanager ones it now delivers. */
export const CHANNEL_KEYS = {
  dingtalk_configs: Type.Array(DingtalkConfigSchema, { default: [] }),
  wecom_configs: Type.Array(WecomConfigSchema, { default: [] }),
  feishu_configs: Type.Array(FeishuConfigSchema, { default: [] }),
  sms_configs: Type.Array(SmsConfigSchema, { default: [] }),
  slack_configs: Type.Array(SlackConfigSchema, { default: [] }),
  telegram_configs: Type.Array(TelegramConfigSchema, { default: [] }),
  pagerduty_configs: Type.Array(PagerDutyConfigSchema, { default: [] }),
};

export const DELIVERY_POLICIES = ['all', 'fallback'] as const;

/** Watchpost's receiver-level keys. */
export const RECEIVER_KEYS = {
  policy: Type.Enum(DELIVERY_POLICIES, {
    default: 'all',
    description:
      '`all`: every channel at once. `fallback`: the first channel; the next one after it failed `fallback_after` attempts.',
  }),
  fallback_after: Type.Integer({
    minimum: 1,
    maximum: 20,
    default: 2,
    description: 'Failed attempts on a channel before the next one takes over (policy fallback).',
  }),
  language: Type.Enum(['zh-CN', 'en'], { default: 'zh-CN', description: 'Language of the messages.' }),
  templates: Type.Optional(
    Type.Object(
      {
        title: Type.Optional(Type.String({ minLength: 1 })),
        markdown: Type.Optional(Type.String({ minLength: 1 })),
        text: Type.Optional(Type.String({ minLength: 1 })),
      },
      { additionalProperties: false, description: 'LiquidJS templates replacing the default message.' },
    ),
  ),
};
