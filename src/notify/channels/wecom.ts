// WeCom group robot (企业微信群机器人): markdown (≤ 4,096 bytes, `<@userid>` mentions) or text
// (≤ 2,048 bytes, mentions by user id and by mobile). No signing: the key is the credential, and
// users paste the whole webhook URL where the key belongs, so both are accepted.
// Protocol and answers: /work/shared/docs/channels.md and docs/channels.md.
import type { HttpResult } from '../http-client.js';
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
import { utf8Bytes } from '../../kernel/text.js';
import { truncateUtf8 } from './truncate.js';

export const WECOM_ENDPOINT = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send';
export const WECOM_MARKDOWN_MAX_BYTES = 4_096;
export const WECOM_TEXT_MAX_BYTES = 2_048;

export interface WecomConfig {
  /** The endpoint, default the public one; may carry `?key=…` (the whole webhook URL). */
  url?: string;
  /** The robot's key, or the whole webhook URL pasted in its place. */
  key?: string;
  /**
   * `markdown` (default): formatted, mentions by user id (`<@userid>`); WeCom's markdown cannot
   * mention by mobile or @all, so when the message asks for those a short text message follows.
   * `text`: plain text, every mention in one message.
   */
  msgType?: 'markdown' | 'text';
  /** Language of the truncation footer; default zh-CN. */
  language?: Language;
  timeoutMs?: number;
}

/** The key from what a user typed: the key itself, or a webhook URL carrying `key=…`; null if none. */
export function normaliseWecomKey(input: string | undefined): string | null {
  const s = input?.trim() ?? '';
  if (s === '') return null;
  if (!/[?=/]/.test(s)) return s;
  const q = s.indexOf('?');
  const key = new URLSearchParams(q >= 0 ? s.slice(q + 1) : s).get('key');
  return key?.trim() || null;
}

/** The request URL (endpoint + `?key=`) and the key, or a null key when none is configured. */
export function wecomUrl(cfg: Pick<WecomConfig, 'url' | 'key'>): { url: string; key: string | null } {
  const base = cfg.url ?? WECOM_ENDPOINT;
  const q = base.indexOf('?');
  const params = new URLSearchParams(q >= 0 ? base.slice(q + 1) : '');
  const key = normaliseWecomKey(cfg.key) ?? normaliseWecomKey(params.get('key') ?? undefined);
  params.delete('key');
  const rest = params.toString();
  const endpoint = (q >= 0 ? base.slice(0, q) : base) + (rest ? `?${rest}&` : '?');
  return { url: `${endpoint}key=${encodeURIComponent(key ?? '')}`, key };
}

/**
 * The JSON bodies to send for `msg`, in order: the message itself, its content cut on a character
 * boundary within WeCom's byte limit (links and mentions kept), and, for markdown asking for
 * mobiles or @all, a short text message that mentions them.
 */
export function buildWecomBodies(
  cfg: Pick<WecomConfig, 'msgType' | 'language'>,
  msg: ChannelMessage,
): string[] {
  const footer = '\n' + truncationFooter(cfg.language, msg.detailUrl);
  const fit = (main: string, suffix: string, max: number): string => {
    const tail = suffix ? `\n\n${suffix}` : '';
    return truncateUtf8(main, max - utf8Bytes(tail), footer) + tail;
  };
  const everyone = msg.mentions.all ? ['@all'] : [];
  if (cfg.msgType === 'text') {
    const links = msg.links.map((l) => `${l.label}: ${l.url}`).join('\n');
    return [
      JSON.stringify({
        msgtype: 'text',
        text: {
          content: fit(msg.text, links, WECOM_TEXT_MAX_BYTES),
          mentioned_list: [...msg.mentions.userIds, ...everyone],
          mentioned_mobile_list: msg.mentions.mobiles,
        },
      }),
    ];
  }
  const suffix = [
    msg.links.map((l) => `[${l.label}](${l.url})`).join(' · '),
    msg.mentions.userIds.map((u) => `<@${u}>`).join(' '),
  ]
    .filter((s) => s !== '')
    .join('\n');
  const bodies = [
    JSON.stringify({
      msgtype: 'markdown',
      markdown: { content: fit(msg.markdown, suffix, WECOM_MARKDOWN_MAX_BYTES) },
    }),
  ];
  if (msg.mentions.mobiles.length > 0 || msg.mentions.all) {
    bodies.push(
      JSON.stringify({
        msgtype: 'text',
        text: {
          content: truncateUtf8(msg.title, WECOM_TEXT_MAX_BYTES, '…'),
          mentioned_list: everyone,
          mentioned_mobile_list: msg.mentions.mobiles,
        },
      }),
    );
  }
  return bodies;
}

/** What WeCom's answer means: success only for errcode 0. */
export function interpretWecomAnswer(status: number, body: string): Verdict {
  const json = parseJsonObject(body);
  const code = json ? numericCode(json.errcode) : null;
  if (json === null || code === null) return uncodedVerdict('WeCom', status, body);
  // "…, hint: [id], from ip: …, more info at https://…": the first part is what people need.
  const errmsg = (typeof json.errmsg === 'string' ? json.errmsg : '').split(/,\s*hint:/)[0]?.trim() ?? '';
  const { accepted, fail } = codedVerdicts('WeCom', code, errmsg);
  switch (code) {
    case 0:
      return accepted();
    case 45009:
      return fail(true, 'the robot is throttled for sending too fast (over 20 a minute)');
    case 93000:
      return fail(false, 'the webhook key is not valid: check the key (or paste the whole webhook URL)');
    case 40058:
      return fail(false, 'the message is too long');
    case 40008:
      return fail(false, 'the message type is not supported');
    case 44004:
      return fail(false, 'the message is empty');
    case -1:
      return fail(true, 'the service is busy');
    default:
      return fail(status >= 500, 'the message was refused');
  }
}

/** Sends `msg` to a WeCom robot; never throws. */
export async function sendWecom(
  cfg: WecomConfig,
  msg: ChannelMessage,
  ctx: SendContext,
): Promise<DeliveryOutcome> {
  const { url, key } = wecomUrl(cfg);
  const secrets = [...(key ? [key] : []), ...(cfg.key ? [cfg.key.trim()] : []), ...msg.mentions.mobiles];
  if (!key) {
    return toOutcome(
      {
        ok: false,
        retryable: false,
        providerCode: null,
        message: 'WeCom: no robot key: set key (or the whole webhook URL)',
      },
      NOT_SENT,
      secrets,
    );
  }
  const post = async (body: string): Promise<{ res: HttpResult; verdict: Verdict }> => {
    const res = await postJson(ctx, url, body, secrets, cfg.timeoutMs);
    const verdict = res.error
      ? networkVerdict('WeCom', res.error.kind, res.error.message)
      : interpretWecomAnswer(res.status ?? 0, res.body);
    return { res, verdict };
  };

  const [first, ...rest] = buildWecomBodies(cfg, msg);
  const main = await post(first ?? '');
  if (!main.verdict.ok) return toOutcome(main.verdict, main.res, secrets);
  for (const body of rest) {
    // The message arrived; a failed mention message is reported but not retried (that would post twice).
    const m = await post(body);
    if (!m.verdict.ok) {
      return toOutcome(
        {
          ...main.verdict,
          message: `${main.verdict.message}; the @mention message failed: ${m.verdict.message}`,
        },
        main.res,
        secrets,
      );
    }
  }
  return toOutcome(main.verdict, main.res, secrets);
}

export const wecomChannel: Channel<WecomConfig> = { kind: 'wecom', send: sendWecom };
