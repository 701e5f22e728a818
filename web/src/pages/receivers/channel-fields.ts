// What the "add / edit channel" form asks for each channel kind: one entry of the configuration file's
// `<kind>_configs`, field by field, with the file's snake_case keys as the form's field names (so the server's
// `/config/<key>` error pointers name them). Labels, help and placeholders are in the i18n files under
// `channelForm.kinds.<kind>.<key>`; the unit test checks that each field has them in both languages.
// Pure data, no imports: loaded by the unit test under test/web with Node.

export const CHANNEL_KINDS = [
  'dingtalk',
  'wecom',
  'feishu',
  'sms',
  'email',
  'webhook',
  'slack',
  'telegram',
  'pagerduty',
] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];
export const isChannelKind = (k: string): k is ChannelKind => CHANNEL_KINDS.some((x) => x === k);

export const SMS_PROVIDERS = ['aliyun', 'tencent', 'twilio'] as const;
export type SmsProvider = (typeof SMS_PROVIDERS)[number];

/** The value the server shows for a secret it keeps, and takes back as "keep the stored value". */
export const MASK = '<secret>';

/**
 * - `text`: one line, left out when empty; `secret`: the same in a password input, never prefilled.
 * - `list`: several values (numbers, user ids), left out when empty.
 * - `switch` / `select`: left out when they hold the file's default.
 * - `number`: a whole number, left out when empty (`rate_limit.per_minute` is nested in `rate_limit`).
 * - `chat`: a Telegram chat id: a number, or `@channelname`.
 * - `params`: SMS template parameters: `var=field, …` (Aliyun) or `field, …` in order (Tencent).
 */
export type FieldType = 'text' | 'secret' | 'list' | 'switch' | 'select' | 'number' | 'chat' | 'params';

export interface FieldSpec {
  key: string;
  type: FieldType;
  /** Needed always, or (SMS) for these providers only. */
  required?: boolean | readonly SmsProvider[];
  /** SMS: shown for these providers only. */
  providers?: readonly SmsProvider[];
  options?: readonly string[];
  /** What the file assumes when the key is left out (switches and selects). */
  default?: boolean | string;
}

/** The key of the rate limit field: `rate_limit: {per_minute}` in the file. */
export const PER_MINUTE = 'per_minute';

const sendResolved = (on: boolean): FieldSpec => ({ key: 'send_resolved', type: 'switch', default: on });
const perMinute: FieldSpec = { key: PER_MINUTE, type: 'number' };
const ALIYUN: readonly SmsProvider[] = ['aliyun'];
const TENCENT: readonly SmsProvider[] = ['tencent'];
const TWILIO: readonly SmsProvider[] = ['twilio'];
const ALIYUN_TENCENT: readonly SmsProvider[] = ['aliyun', 'tencent'];

export const CHANNEL_FIELDS: Record<ChannelKind, readonly FieldSpec[]> = {
  dingtalk: [
    { key: 'url', type: 'secret' },
    { key: 'access_token', type: 'secret' },
    { key: 'secret', type: 'secret' },
    { key: 'msg_type', type: 'select', options: ['markdown', 'actionCard'], default: 'markdown' },
    { key: 'at_mobiles', type: 'list' },
    { key: 'at_user_ids', type: 'list' },
    { key: 'at_all', type: 'switch', default: false },
    sendResolved(true),
    perMinute,
  ],
  wecom: [
    { key: 'url', type: 'secret' },
    { key: 'key', type: 'secret' },
    { key: 'msg_type', type: 'select', options: ['markdown', 'text'], default: 'markdown' },
    { key: 'mentioned_list', type: 'list' },
    { key: 'mentioned_mobile_list', type: 'list' },
    sendResolved(true),
    perMinute,
  ],
  feishu: [
    { key: 'url', type: 'secret' },
    { key: 'token', type: 'secret' },
    { key: 'secret', type: 'secret' },
    { key: 'at_user_ids', type: 'list' },
    { key: 'at_all', type: 'switch', default: false },
    sendResolved(true),
    perMinute,
  ],
  sms: [
    { key: 'provider', type: 'select', options: SMS_PROVIDERS, required: true },
    { key: 'to', type: 'list', required: true },
    { key: 'access_key_id', type: 'text', providers: ALIYUN, required: ALIYUN },
    { key: 'access_key_secret', type: 'secret', providers: ALIYUN, required: ALIYUN },
    { key: 'secret_id', type: 'text', providers: TENCENT, required: TENCENT },
    { key: 'secret_key', type: 'secret', providers: TENCENT, required: TENCENT },
    { key: 'sms_sdk_app_id', type: 'text', providers: TENCENT, required: TENCENT },
    { key: 'sign_name', type: 'text', providers: ALIYUN_TENCENT, required: ALIYUN_TENCENT },
    { key: 'template_code', type: 'text', providers: ALIYUN, required: ALIYUN },
    { key: 'template_id', type: 'text', providers: TENCENT, required: TENCENT },
    { key: 'template_params', type: 'params', providers: ALIYUN_TENCENT },
    { key: 'region_id', type: 'text', providers: ALIYUN },
    { key: 'region', type: 'text', providers: TENCENT },
    { key: 'account_sid', type: 'text', providers: TWILIO, required: TWILIO },
    { key: 'auth_token', type: 'secret', providers: TWILIO, required: TWILIO },
    { key: 'from', type: 'text', providers: TWILIO },
    { key: 'messaging_service_sid', type: 'text', providers: TWILIO },
    { key: 'url', type: 'text' },
    sendResolved(false),
    perMinute,
  ],
  email: [
    { key: 'to', type: 'text', required: true },
    { key: 'from', type: 'text', required: true },
    { key: 'smarthost', type: 'text', required: true },
    { key: 'auth_username', type: 'text' },
    { key: 'auth_password', type: 'secret' },
    { key: 'require_tls', type: 'switch', default: true },
    sendResolved(false),
  ],
  webhook: [
    { key: 'url', type: 'secret', required: true },
    { key: 'signing_secret', type: 'secret' },
    { key: 'max_alerts', type: 'number' },
    sendResolved(true),
  ],
  slack: [
    { key: 'api_url', type: 'secret', required: true },
    { key: 'channel', type: 'text' },
    sendResolved(false),
    perMinute,
  ],
  telegram: [
    { key: 'bot_token', type: 'secret', required: true },
    { key: 'chat_id', type: 'chat', required: true },
    { key: 'message_thread_id', type: 'number' },
    { key: 'api_url', type: 'text' },
    { key: 'disable_notifications', type: 'switch', default: false },
    sendResolved(true),
    perMinute,
  ],
  pagerduty: [
    { key: 'routing_key', type: 'secret', required: true },
    { key: 'url', type: 'text' },
    { key: 'source', type: 'text' },
    sendResolved(true),
    perMinute,
  ],
};

/** The provider's own limit per destination, shown as the rate limit's placeholder (docs/receivers.md). */
export const DEFAULT_PER_MINUTE: Partial<Record<ChannelKind, number>> = {
  dingtalk: 20,
  wecom: 20,
  feishu: 100,
  telegram: 20,
  pagerduty: 120,
};
