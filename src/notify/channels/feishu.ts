// Feishu / Lark custom bot (飞书自定义机器人): an interactive card coloured by severity, lark_md
// content, buttons from the links, @mentions by open_id, optional signing (timestamp and sign in the
// JSON body). Protocol and answers: /work/shared/docs/channels.md and docs/channels.md.
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

/** Feishu's endpoint; Lark's is https://open.larksuite.com/open-apis/bot/v2/hook. */
export const FEISHU_ENDPOINT = 'https://open.feishu.cn/open-apis/bot/v2/hook';
/** Feishu documents "20 KB"; 20,000 bytes stays within it however KB is counted. */
export const FEISHU_MAX_BODY_BYTES = 20_000;

export interface FeishuConfig {
  /**
   * The bot's webhook: the whole URL Feishu shows (`…/bot/v2/hook/<token>`), or the endpoint alone
   * (default Feishu's public one; Lark's for Lark) with `token` beside it.
   */
  url?: string;
  /** The token at the end of the webhook URL, when `url` does not carry it. */
  token?: string;
  /** The signing secret when the bot's security setting is "签名校验". */
  secret?: string;
  /** Language of the truncation footer; default zh-CN. */
  language?: Language;
  timeoutMs?: number;
}

/** Card header colours: P0 red, P1 orange, P2 yellow, P3 blue, resolved green, unknown grey. */
export function feishuTemplate(msg: Pick<ChannelMessage, 'severity' | 'status'>): string {
  if (msg.status === 'resolved') return 'green';
  switch (msg.severity) {
    case 'P0':
      return 'red';
    case 'P1':
      return 'orange';
    case 'P2':
      return 'yellow';
    case 'P3':
      return 'blue';
    case null:
      return 'grey';
  }
}

/**
 * Feishu's signature: base64 of HMAC-SHA256 keyed with `timestamp + "\n" + secret` over an empty
 * message, `timestamp` in seconds. Not URL-encoded: it travels in the JSON body.
 */
export function signFeishu(secret: string, timestampSeconds: number): string {
  return createHmac('sha256', `${timestampSeconds}\n${secret}`).update('').digest('base64');
}

/** The request URL and the token in it (null when none is configured). */
export function feishuUrl(cfg: Pick<FeishuConfig, 'url' | 'token'>): { url: string; token: string | null } {
  const base = (cfg.url ?? FEISHU_ENDPOINT).trim();
  const given = cfg.token?.trim();
  if (given) {
    // A whole webhook URL pasted as the token: its last path segment is the token.
    const token = given.includes('/') ? (given.split('?')[0]?.split('/').filter(Boolean).pop() ?? '') : given;
    if (token) return { url: `${base.replace(/\/+$/, '')}/${encodeURIComponent(token)}`, token };
  }
  const m = /\/hook\/([^/?#]+)/.exec(base);
  return { url: base, token: m?.[1] ? decodeURIComponent(m[1]) : null };
}

/**
 * The JSON body for `msg`, within 20,000 bytes: an interactive card whose header is coloured by
 * severity, the Markdown as lark_md (cut on a character with a footer linking to the full alert;
 * mentions kept), and the links as buttons. Feishu bots mention by open_id or all; mobiles cannot
 * be mentioned and are left out.
 */
export function buildFeishuBody(
  cfg: Pick<FeishuConfig, 'secret' | 'language'>,
  msg: ChannelMessage,
  now: number,
): { body: string; truncated: boolean } {
  const ts = Math.floor(now / 1000);
  const signing = cfg.secret ? { timestamp: String(ts), sign: signFeishu(cfg.secret, ts) } : {};
  const mentions = [
    ...msg.mentions.userIds.map((id) => `<at id=${id}></at>`),
    ...(msg.mentions.all ? ['<at id=all></at>'] : []),
  ].join(' ');
  const build = (text: string): unknown => {
    const elements: unknown[] = [
      { tag: 'div', text: { tag: 'lark_md', content: mentions ? `${text}\n${mentions}` : text } },
    ];
    if (msg.links.length > 0) {
      elements.push({
        tag: 'action',
        actions: msg.links.map((l, i) => ({
          tag: 'button',
          text: { tag: 'plain_text', content: l.label },
          type: i === 0 ? 'primary' : 'default',
          url: l.url,
        })),
      });
    }
    return {
      ...signing,
      msg_type: 'interactive',
      card: {
        config: { wide_screen_mode: true },
        header: { template: feishuTemplate(msg), title: { tag: 'plain_text', content: msg.title } },
        elements,
      },
    };
  };
  const { body, truncated } = fitJsonBody(
    msg.markdown,
    FEISHU_MAX_BODY_BYTES,
    '\n' + truncationFooter(cfg.language, msg.detailUrl),
    build,
  );
  return { body, truncated };
}

/** What Feishu's answer means: success only for code (or StatusCode) 0. */
export function interpretFeishuAnswer(status: number, body: string): Verdict {
  const json = parseJsonObject(body);
  const code = json ? numericCode(json.code ?? json.StatusCode) : null;
  if (json === null || code === null) return uncodedVerdict('Feishu', status, body);
  const raw = json.msg ?? json.StatusMessage;
  const text = typeof raw === 'string' ? raw : '';
  const { accepted, fail } = codedVerdicts('Feishu', code, text);
  switch (code) {
    case 0:
      return accepted();
    case 19021:
      return fail(
        false,
        "the signature or its timestamp was refused: check the signing secret and this server's clock",
      );
    case 19022:
      return fail(false, "this server's IP address is not in the bot's allow-list");
    case 19024:
      return fail(
        false,
        "the message lacks the bot's keywords: add one to the template or change the bot's security settings",
      );
    case 19001:
      return fail(false, 'the webhook token is not valid: check the webhook URL');
    case 9499:
      // The same code means "Bad Request" and "too many request": only the text tells them apart.
      return /too many/i.test(text)
        ? fail(true, 'the bot is throttled for sending too fast (over 5 a second or 100 a minute)')
        : fail(false, 'the request was refused as malformed');
    default:
      return fail(status >= 500, 'the message was refused');
  }
}

/** Sends `msg` to a Feishu / Lark bot; never throws. */
export async function sendFeishu(
  cfg: FeishuConfig,
  msg: ChannelMessage,
  ctx: SendContext,
): Promise<DeliveryOutcome> {
  const { url, token } = feishuUrl(cfg);
  const ts = Math.floor(ctx.now / 1000);
  const secrets = [
    ...(token ? [token] : []),
    ...(cfg.token ? [cfg.token.trim()] : []),
    ...(cfg.secret ? [cfg.secret, signFeishu(cfg.secret, ts)] : []),
    ...msg.mentions.mobiles,
  ];
  if (!token) {
    return toOutcome(
      {
        ok: false,
        retryable: false,
        providerCode: null,
        message: 'Feishu: no bot token: set the whole webhook URL (…/hook/<token>) or token',
      },
      NOT_SENT,
      secrets,
    );
  }
  const { body } = buildFeishuBody(cfg, msg, ctx.now);
  const res = await postJson(ctx, url, body, secrets, cfg.timeoutMs);
  const verdict = res.error
    ? networkVerdict('Feishu', res.error.kind, res.error.message)
    : interpretFeishuAnswer(res.status ?? 0, res.body);
  return toOutcome(verdict, res, secrets);
}

export const feishuChannel: Channel<FeishuConfig> = { kind: 'feishu', send: sendFeishu };
