// The configuration type of each channel kind a receiver can hold, by kind: what config/ builds from
// the file and the delivery engine hands to the kind's sender. Types only.
import type { WebhookConfig } from '../config/model.js';
import type { AliyunSmsConfig } from './channels/aliyun-sms.js';
import type { DingtalkConfig } from './channels/dingtalk.js';
import type { EmailConfig } from './channels/email.js';
import type { FeishuConfig } from './channels/feishu.js';
import type { PagerDutyConfig } from './channels/pagerduty.js';
import type { SlackConfig } from './channels/slack.js';
import type { TelegramConfig } from './channels/telegram.js';
import type { TencentSmsConfig } from './channels/tencent-sms.js';
import type { TwilioSmsConfig } from './channels/twilio-sms.js';
import type { WecomConfig } from './channels/wecom.js';

/** Messages a destination accepts; null = no limit of that length. */
export interface RateLimit {
  perSecond: number | null;
  perMinute: number | null;
}

export type SmsChannelConfig =
  | ({ provider: 'aliyun' } & AliyunSmsConfig)
  | ({ provider: 'tencent' } & TencentSmsConfig)
  | ({ provider: 'twilio' } & TwilioSmsConfig);

export interface ChannelConfigs {
  /** Alertmanager's webhook (payload version 4). */
  webhook: WebhookConfig;
  email: EmailConfig;
  dingtalk: DingtalkConfig;
  wecom: WecomConfig;
  feishu: FeishuConfig;
  sms: SmsChannelConfig;
  slack: SlackConfig;
  telegram: TelegramConfig;
  pagerduty: PagerDutyConfig;
}

export type ChannelKind = keyof ChannelConfigs;
