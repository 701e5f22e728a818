// DingTalk custom group robot (钉钉自定义机器人): markdown or actionCard, @mentions, signing, msgUuid.
// Protocol and answers: /work/shared/docs/channels.md and docs/channels.md. Success is errcode 0
// (which may come as the string "0"), never HTTP 200 alone.
import { createHmac } from 'node:crypto';
import type { Channel, ChannelMessage, DeliveryOutcome, SendContext } from './channel.js';
import type { Language, Verdict } from './common.js';
import {
  codedVerdicts,
  networkVerdict,
  numericCode,
  parseJsonObject,
  toOutcome,
  truncationFooter,
  uncodedVerdict,
  postJson,
  NOT_SENT,
} from './common.js';
import { fitJsonBody } from './truncate.js';

export const DINGTALK_ENDPOINT = 'https://oapi.dingtalk.com/robot/send';
/** DingTalk refuses bodies over 20,000 bytes (460101). */
export const DINGTALK_MAX_BODY_BYTES = 20_000;
/** After more than 20 messages in a minute, a robot is throttled for 10 minutes. */
export const DINGTALK_PENALTY_MS = 10 * 60_000;

export interface DingtalkConfig {
  /**
   * The robot's webhook: the whole URL DingTalk shows (`…/robot/send?access_token=…`), or the
   * endpoint alone with `accessToken` beside it. Default: the public endpoint.
   */
  url?: string;
  /** The robot's access token, when `url` does not carry it. */
  accessToken?: string;
  /** The signing secret (`SEC…`) when the robot's security setting is "加签". */
  secret?: string;
  /**
   * `markdown` (default): links become a line of Markdown links and people are @mentioned.
   * `actionCard`: links become buttons; DingTalk does not @mention people in action cards.
   */
  msgType?: 'markdown' | 'actionCard';
  /** Language of the truncation footer; default zh-CN. */
  language?: Language;
  timeoutMs?: number;
}

/**
 * DingTalk's signature: URL-encoded base64 of HMAC-SHA256 keyed with `secret` over
 * `timestamp + "\n" + secret`, `timestamp` in milliseconds. Encoded once, for the query string.
 */
export function signDingtalk(secret: string, timestampMs: number): string {
  const mac = createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64');
  return encodeURIComponent(mac);
}

/** The request URL: endpoint with `access_token`, plus `timestamp` and `sign` when signing. */
export function dingtalkUrl(cfg: DingtalkConfig, now: number): { url: string; token: string | null } {
  const base = cfg.url ?? DINGTALK_ENDPOINT;
  let token = cfg.accessToken ?? null;
  let endpoint = base;
  const q = base.indexOf('?');
  if (q >= 0) {
    const params = new URLSearchParams(base.slice(q + 1));
    token = token ?? params.get('access_token');
    params.delete('access_token');
    params.delete('timestamp');
    params.delete('sign');
    const rest = params.toString();
    endpoint = base.slice(0, q) + (rest ? `?${rest}` : '');
  }
  const parts = [`access_token=${encodeURIComponent(token ?? '')}`];
  if (cfg.secret) parts.push(`timestamp=${now}`, `sign=${signDingtalk(cfg.secret, now)}`);
  const sep = endpoint.includes('?') ? '&' : '?';
  return { url: `${endpoint}${sep}${parts.join('&')}`, token };
}

/**
 * The JSON body for `msg`, within DingTalk's 20,000 bytes: the Markdown is cut on a character
 * boundary with a footer linking to the full alert; the @mention line and the links always stay.
 * A mentioned mobile or user id also appears as `@…` in the text, or DingTalk does not notify them.
 */
export function buildDingtalkBody(
  cfg: Pick<DingtalkConfig, 'msgType' | 'language'>,
  msg: ChannelMessage,
): { body: string; truncated: boolean } {
  const card = cfg.msgType === 'actionCard';
  const mentionLine = card
    ? ''
    : [...msg.mentions.mobiles, ...msg.mentions.userIds].map((m) => `@${m}`).join(' ');
  const linkLine = card ? '' : msg.links.map((l) => `[${l.label}](${l.url})`).join(' · ');
  const suffix = [linkLine, mentionLine].filter((s) => s !== '').join('\n\n');
  const footer = '\n' + truncationFooter(cfg.language, msg.detailUrl);

  const build = (text: string): unknown => {
    const full = suffix ? `${text}\n\n${suffix}` : text;
    if (card) {
      const actionCard: Record<string, unknown> = { title: msg.title, text: full };
      if (msg.links.length === 1) {
        actionCard.singleTitle = msg.links[0]?.label;
        actionCard.singleURL = msg.links[0]?.url;
      } else if (msg.links.length > 1) {
        actionCard.btnOrientation = '0';
        actionCard.btns = msg.links.map((l) => ({ title: l.label, actionURL: l.url }));
      }
      return { msgtype: 'actionCard', actionCard, msgUuid: msg.idempotencyKey };
    }
    return {
      msgtype: 'markdown',
      markdown: { title: msg.title, text: full },
      at: {
        atMobiles: msg.mentions.mobiles,
        atUserIds: msg.mentions.userIds,
        isAtAll: msg.mentions.all,
      },
      msgUuid: msg.idempotencyKey,
    };
  };
  const { body, truncated } = fitJsonBody(msg.markdown, DINGTALK_MAX_BODY_BYTES, footer, build);
  return { body, truncated };
}

const THROTTLED = new Set([130101, 410100, 660026]);
const NO_TOKEN = new Set([300001, 300005, 400101]);

/** What DingTalk's answer means: success only for errcode 0 (number or string). */
export function interpretDingtalkAnswer(status: number, body: string): Verdict {
  const json = parseJsonObject(body);
  const code = json ? numericCode(json.errcode) : null;
  if (json === null || code === null) return uncodedVerdict('DingTalk', status, body);
  const errmsg = typeof json.errmsg === 'string' ? json.errmsg : '';
  const { accepted, fail } = codedVerdicts('DingTalk', code, errmsg);

  if (code === 0) return accepted();
  if (THROTTLED.has(code)) {
    return fail(
      true,
      'the robot is throttled for sending too fast (over 20 a minute); it is refused for 10 minutes',
      {
        penaltyMs: DINGTALK_PENALTY_MS,
      },
    );
  }
  if (code === 310000) {
    if (/sign/i.test(errmsg))
      return fail(false, 'the signature was refused: check the signing secret (SEC…)');
    if (/timestamp/i.test(errmsg)) return fail(false, "the timestamp was refused: check this server's clock");
    if (/keyword/i.test(errmsg)) {
      return fail(
        false,
        "the message lacks the robot's keywords: add one to the template or change the robot's security settings",
      );
    }
    if (/ip|whitelist/i.test(errmsg))
      return fail(false, "this server's IP address is not in the robot's allow-list");
    return fail(false, 'the security check failed');
  }
  if (NO_TOKEN.has(code)) return fail(false, 'the access token does not exist: check the robot webhook');
  if (code === 400102) return fail(false, 'the robot is disabled');
  if (code === 400105) return fail(false, 'the message type is not supported');
  if (code === 43004) return fail(false, 'the content type was refused');
  if (code === 460101) return fail(false, 'the message is over 20,000 bytes');
  if (code === -1 || status >= 500) return fail(true, 'the service is busy');
  return fail(false, 'the message was refused');
}

/** Sends `msg` to a DingTalk robot; never throws. */
export async function sendDingtalk(
  cfg: DingtalkConfig,
  msg: ChannelMessage,
  ctx: SendContext,
): Promise<DeliveryOutcome> {
  const { url, token } = dingtalkUrl(cfg, ctx.now);
  const secrets = [
    ...(token ? [token] : []),
    ...(cfg.secret
      ? [cfg.secret, signDingtalk(cfg.secret, ctx.now), decodeURIComponent(signDingtalk(cfg.secret, ctx.now))]
      : []),
    ...msg.mentions.mobiles,
  ];
  if (!token) {
    return toOutcome(
      {
        ok: false,
        retryable: false,
        providerCode: null,
        message: 'DingTalk: no access token: set the whole webhook URL (…?access_token=…) or access_token',
      },
      NOT_SENT,
      secrets,
    );
  }
  const { body } = buildDingtalkBody(cfg, msg);
  const res = await postJson(ctx, url, body, secrets, cfg.timeoutMs);
  const verdict = res.error
    ? networkVerdict('DingTalk', res.error.kind, res.error.message)
    : interpretDingtalkAnswer(res.status ?? 0, res.body);
  return toOutcome(verdict, res, secrets);
}

export const dingtalkChannel: Channel<DingtalkConfig> = { kind: 'dingtalk', send: sendDingtalk };
