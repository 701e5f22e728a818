// Channel kinds as the delivery engine sees them: which sender sends a rendered message for a
// receiver's channel, the provider's default rate limits, and the destination a limit applies to.
// Two receivers naming the same DingTalk robot share its 20 messages a minute, so the destination is
// the robot (its token), not the receiver's channel entry. The Alertmanager webhook is not here: it
// sends Alertmanager's payload, not a rendered message (see delivery/send.ts).
import { createHash } from 'node:crypto';
import type { ChannelDecl } from '../config/model.js';
import { aliyunSmsChannel } from './channels/aliyun-sms.js';
import type { Channel, ChannelMessage, DeliveryOutcome, SendContext } from './channels/channel.js';
import { dingtalkChannel, dingtalkUrl } from './channels/dingtalk.js';
import { emailChannel } from './channels/email.js';
import { feishuChannel, feishuUrl } from './channels/feishu.js';
import { pagerDutyChannel } from './channels/pagerduty.js';
import { slackChannel } from './channels/slack.js';
import { telegramChannel } from './channels/telegram.js';
import { tencentSmsChannel } from './channels/tencent-sms.js';
import { twilioSmsChannel } from './channels/twilio-sms.js';
import { wecomChannel, wecomUrl } from './channels/wecom.js';
import type { RateLimit } from './registry.types.js';
import { maskPhone } from './channels/sms.js';

const NONE: RateLimit = { perSecond: null, perMinute: null };

/**
 * The providers' limits per destination (../shared/docs/channels.md): DingTalk and WeCom robots 20 a
 * minute, Feishu bots 5 a second and 100 a minute, Slack webhooks 1 a second, Telegram 1 a second
 * and 20 a minute in a group, PagerDuty 120 events a minute per integration key; Aliyun and Tencent
 * refuse more than one SMS a minute to a number. E-mail and webhooks have none.
 */
export function defaultLimit(decl: ChannelDecl): RateLimit {
  switch (decl.kind) {
    case 'dingtalk':
    case 'wecom':
      return { perSecond: null, perMinute: 20 };
    case 'feishu':
      return { perSecond: 5, perMinute: 100 };
    case 'slack':
      return { perSecond: 1, perMinute: null };
    case 'telegram':
      return { perSecond: 1, perMinute: 20 };
    case 'pagerduty':
      return { perSecond: null, perMinute: 120 };
    case 'sms':
      return decl.config.provider === 'twilio'
        ? { perSecond: 1, perMinute: null }
        : { perSecond: null, perMinute: 1 };
    case 'email':
    case 'webhook':
      return NONE;
  }
}

/** The limits in force: the channel's `rate_limit` where it sets one, else the provider's. */
export function limitOf(decl: ChannelDecl): RateLimit {
  const d = defaultLimit(decl);
  const own = decl.rateLimit;
  if (!own) return d;
  return own.perSecond === null && own.perMinute === null ? d : own;
}

const digest = (...parts: (string | number | undefined | null)[]): string =>
  createHash('sha256')
    .update(parts.map((p) => String(p ?? '')).join('\u0000'))
    .digest('hex')
    .slice(0, 16);

/**
 * What the provider counts a limit against, as `<kind>:<hash>` (no secret in it, so it can be shown
 * and logged): the robot's token, the bot, the webhook URL, the numbers, the mailbox list.
 */
export function destinationOf(decl: ChannelDecl): string {
  switch (decl.kind) {
    case 'dingtalk': {
      const cfg = decl.config;
      return `dingtalk:${digest(dingtalkUrl({ ...cfg, secret: undefined }, 0).url)}`;
    }
    case 'wecom':
      return `wecom:${digest(wecomUrl(decl.config).url)}`;
    case 'feishu':
      return `feishu:${digest(feishuUrl(decl.config).url)}`;
    case 'slack':
      return `slack:${digest(decl.config.url)}`;
    case 'telegram':
      return `telegram:${digest(decl.config.apiUrl, decl.config.botToken, decl.config.chatId)}`;
    case 'pagerduty':
      return `pagerduty:${digest(decl.config.url, decl.config.routingKey)}`;
    case 'sms': {
      const to = decl.config.provider === 'twilio' ? decl.config.to : decl.config.phoneNumbers;
      return `sms:${digest(decl.config.provider, ...[...to].sort())}`;
    }
    case 'email':
      return `email:${digest(decl.config.host, decl.config.port, ...[...decl.config.to].sort())}`;
    case 'webhook':
      return `webhook:${digest(decl.config.url)}`;
  }
}

/** Whether several messages queued for the destination may be merged into one (see engine digest). */
export function digestible(decl: ChannelDecl): boolean {
  // A PagerDuty event is one incident keyed by its dedup_key, and a webhook gets Alertmanager's
  // payload for one group: merging would change what they mean.
  return decl.kind !== 'pagerduty' && decl.kind !== 'webhook';
}

type Sender = (msg: ChannelMessage, ctx: SendContext) => Promise<DeliveryOutcome>;

const bind =
  <C>(channel: Channel<C>, cfg: C): Sender =>
  (msg, ctx) =>
    channel.send(cfg, msg, ctx);

/** The sender of a rendered message for `decl`; null for the webhook, which sends no rendered message. */
export function senderOf(decl: ChannelDecl): Sender | null {
  switch (decl.kind) {
    case 'dingtalk':
      return bind(dingtalkChannel, decl.config);
    case 'wecom':
      return bind(wecomChannel, decl.config);
    case 'feishu':
      return bind(feishuChannel, decl.config);
    case 'email':
      return bind(emailChannel, decl.config);
    case 'slack':
      return bind(slackChannel, decl.config);
    case 'telegram':
      return bind(telegramChannel, decl.config);
    case 'pagerduty':
      return bind(pagerDutyChannel, decl.config);
    case 'sms': {
      const c = decl.config;
      if (c.provider === 'aliyun') return bind(aliyunSmsChannel, c);
      if (c.provider === 'tencent') return bind(tencentSmsChannel, c);
      return bind(twilioSmsChannel, c);
    }
    case 'webhook':
      return null;
  }
}

const tail = (secret: string | undefined | null): string => (secret ? `…${secret.slice(-4)}` : '(none)');

/**
 * Where a channel sends, for people: the endpoint and the last four characters of its credential,
 * masked phone numbers, mailbox lists. Never a whole secret.
 */
export function describeChannel(decl: ChannelDecl): string {
  const host = (url: string): string => {
    try {
      const u = new URL(url);
      return `${u.protocol}//${u.host}${u.pathname}`;
    } catch {
      return '(invalid URL)';
    }
  };
  switch (decl.kind) {
    case 'dingtalk': {
      const { url, token } = dingtalkUrl({ ...decl.config, secret: undefined }, 0);
      return `${host(url)} access_token=${tail(token)}${decl.config.secret ? ', signed' : ''}`;
    }
    case 'wecom': {
      const { url, key } = wecomUrl(decl.config);
      return `${host(url)} key=${tail(key)}`;
    }
    case 'feishu': {
      const { url, token } = feishuUrl(decl.config);
      return `${host(url.replace(/\/hook\/.*$/, '/hook/'))}${tail(token)}${decl.config.secret ? ', signed' : ''}`;
    }
    case 'slack':
      return `${host(decl.config.url.replace(/\/services\/.*$/, '/services/'))}${tail(decl.config.url)}`;
    case 'telegram':
      return `${host(decl.config.apiUrl ?? 'https://api.telegram.org')} chat ${decl.config.chatId}`;
    case 'pagerduty':
      return `${host(decl.config.url ?? 'https://events.pagerduty.com/v2/enqueue')} routing_key=${tail(decl.config.routingKey)}`;
    case 'sms': {
      const to = decl.config.provider === 'twilio' ? decl.config.to : decl.config.phoneNumbers;
      return `${decl.config.provider} → ${to.map(maskPhone).join(', ')}`;
    }
    case 'email':
      return `${decl.config.to.join(', ')} via ${decl.config.host}:${decl.config.port ?? 587}`;
    case 'webhook':
      return host(decl.config.url);
  }
}
