// A receiver's channels, normalised for the delivery engine: one ChannelDecl per entry of each
// `*_configs` list, in the order the file lists the keys (the order `policy: fallback` tries them),
// with ids `<kind>/<index>` (`dingtalk/0`), the senders' configuration types, and the receiver's
// language on every channel.

import { parseDuration } from '../kernel/duration.js';
import type { SmsField } from '../notify/channels/sms.js';
import type { RateLimit } from '../notify/registry.types.js';
import type { ChannelDecl, EmailConfig, WebhookConfig } from './model.js';
import type { ConfigFile } from './schema.js';

type ReceiverFile = NonNullable<ConfigFile['receivers']>[number];
type Language = 'zh-CN' | 'en';

const NO_MENTIONS = { mobiles: [], userIds: [], all: false };

/** Undefined for "0s" (the client's default), else milliseconds. */
const timeout = (d: string): { timeoutMs?: number } => {
  const ms = parseDuration(d);
  return ms > 0 ? { timeoutMs: ms } : {};
};

const rateLimit = (r: { per_second?: number; per_minute?: number } | undefined): RateLimit | null =>
  r === undefined ? null : { perSecond: r.per_second ?? null, perMinute: r.per_minute ?? null };

/** Keeps the keys whose value is not undefined (optional fields of the senders' configs). */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Alertmanager's e-mail settings as the e-mail sender takes them (port 465 = TLS from the start, as Alertmanager). */
export function emailChannelConfig(e: EmailConfig, language: Language): ChannelConfigsEmail {
  return defined({
    host: e.smarthost.host,
    port: e.smarthost.port,
    secure: e.smarthost.port === 465,
    requireTls: e.requireTls,
    auth: e.authUsername !== null ? { user: e.authUsername, password: e.authPassword ?? '' } : undefined,
    from: e.from,
    to: e.to
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    language,
  });
}
type ChannelConfigsEmail = Extract<ChannelDecl, { kind: 'email' }>['config'];

type Built = Omit<ChannelDecl, 'id'>;

/** The builders of each `*_configs` key; the AM webhook and e-mail entries come already normalised. */
function buildersFor(
  r: ReceiverFile,
  normalised: { webhook: WebhookConfig[]; email: EmailConfig[] },
  language: Language,
): Record<string, () => Built[]> {
  return {
    webhook_configs: () =>
      normalised.webhook.map((w) => ({
        kind: 'webhook',
        config: w,
        sendResolved: w.sendResolved,
        rateLimit: null,
        mentions: NO_MENTIONS,
      })),
    email_configs: () =>
      normalised.email.map((e) => ({
        kind: 'email',
        config: emailChannelConfig(e, language),
        sendResolved: e.sendResolved,
        rateLimit: null,
        mentions: NO_MENTIONS,
      })),
    dingtalk_configs: () =>
      r.dingtalk_configs.map((c) => ({
        kind: 'dingtalk',
        config: defined({
          url: c.url,
          accessToken: c.access_token,
          secret: c.secret,
          msgType: c.msg_type,
          language,
          ...timeout(c.timeout),
        }),
        sendResolved: c.send_resolved,
        rateLimit: rateLimit(c.rate_limit),
        mentions: { mobiles: [...c.at_mobiles], userIds: [...c.at_user_ids], all: c.at_all },
      })),
    wecom_configs: () =>
      r.wecom_configs.map((c) => ({
        kind: 'wecom',
        config: defined({ url: c.url, key: c.key, msgType: c.msg_type, language, ...timeout(c.timeout) }),
        sendResolved: c.send_resolved,
        rateLimit: rateLimit(c.rate_limit),
        mentions: {
          mobiles: [...c.mentioned_mobile_list],
          userIds: c.mentioned_list.filter((u) => u !== '@all'),
          all: c.mentioned_list.includes('@all'),
        },
      })),
    feishu_configs: () =>
      r.feishu_configs.map((c) => ({
        kind: 'feishu',
        config: defined({ url: c.url, token: c.token, secret: c.secret, language, ...timeout(c.timeout) }),
        sendResolved: c.send_resolved,
        rateLimit: rateLimit(c.rate_limit),
        mentions: { mobiles: [], userIds: [...c.at_user_ids], all: c.at_all },
      })),
    sms_configs: () => r.sms_configs.map((c) => smsChannel(c, language)),
    slack_configs: () =>
      r.slack_configs.map((c) => ({
        kind: 'slack',
        config: { url: c.api_url, language, ...timeout(c.timeout) },
        sendResolved: c.send_resolved,
        rateLimit: rateLimit(c.rate_limit),
        mentions: NO_MENTIONS,
      })),
    telegram_configs: () =>
      r.telegram_configs.map((c) => ({
        kind: 'telegram',
        config: defined({
          apiUrl: c.api_url,
          botToken: c.bot_token,
          chatId: c.chat_id,
          messageThreadId: c.message_thread_id,
          disableNotification: c.disable_notifications,
          language,
          ...timeout(c.timeout),
        }),
        sendResolved: c.send_resolved,
        rateLimit: rateLimit(c.rate_limit),
        mentions: NO_MENTIONS,
      })),
    pagerduty_configs: () =>
      r.pagerduty_configs.map((c) => ({
        kind: 'pagerduty',
        config: defined({
          routingKey: c.routing_key,
          url: c.url,
          source: c.source,
          component: c.component,
          group: c.group,
          class: c.class,
          language,
          ...timeout(c.timeout),
        }),
        sendResolved: c.send_resolved,
        rateLimit: rateLimit(c.rate_limit),
        mentions: NO_MENTIONS,
      })),
  };
}

type SmsFile = ReceiverFile['sms_configs'][number];

function smsChannel(c: SmsFile, language: Language): Built {
  const common = { url: c.url, language, ...timeout(c.timeout) };
  const params = c.template_params;
  const config =
    c.provider === 'aliyun'
      ? defined({
          provider: 'aliyun' as const,
          ...common,
          accessKeyId: c.access_key_id ?? '',
          accessKeySecret: c.access_key_secret ?? '',
          signName: c.sign_name ?? '',
          templateCode: c.template_code ?? '',
          regionId: c.region_id,
          phoneNumbers: [...c.to],
          templateParams: params && !Array.isArray(params) ? (params as Record<string, SmsField>) : undefined,
        })
      : c.provider === 'tencent'
        ? defined({
            provider: 'tencent' as const,
            ...common,
            secretId: c.secret_id ?? '',
            secretKey: c.secret_key ?? '',
            region: c.region,
            smsSdkAppId: c.sms_sdk_app_id ?? '',
            signName: c.sign_name ?? '',
            templateId: c.template_id ?? '',
            phoneNumbers: [...c.to],
            templateParams: Array.isArray(params) ? (params as SmsField[]) : undefined,
          })
        : defined({
            provider: 'twilio' as const,
            ...common,
            accountSid: c.account_sid ?? '',
            authToken: c.auth_token ?? '',
            from: c.from,
            messagingServiceSid: c.messaging_service_sid,
            to: [...c.to],
          });
  return {
    kind: 'sms',
    config,
    sendResolved: c.send_resolved,
    rateLimit: rateLimit(c.rate_limit),
    mentions: NO_MENTIONS,
  };
}

/**
 * Every channel of receiver `r`, in the order of its `*_configs` keys in the file, each list in
 * order. `normalised` holds its webhook and e-mail entries as alertmanager.build.ts built them.
 */
export function channelDecls(
  r: ReceiverFile,
  normalised: { webhook: WebhookConfig[]; email: EmailConfig[] },
  language: Language,
): ChannelDecl[] {
  const builders = buildersFor(r, normalised, language);
  const out: ChannelDecl[] = [];
  for (const key of Object.keys(r)) {
    const build = builders[key];
    if (!build) continue;
    const kind = key.replace(/_configs$/, '');
    build().forEach((c, i) => out.push({ ...c, id: `${kind}/${i}` } as ChannelDecl));
  }
  return out;
}
