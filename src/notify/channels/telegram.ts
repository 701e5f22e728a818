// Telegram Bot API sendMessage: POST {apiUrl}/bot<token>/sendMessage with JSON {chat_id, text,
// parse_mode: 'HTML', reply_markup: {inline_keyboard}}. HTML is the parse mode because it needs
// only `&`, `<`, `>` escaped (MarkdownV2 needs 18 characters escaped, differently inside links).
// Text is at most 4,096 characters after entity parsing (visible UTF-16 units), cut with a footer.
// Answers are {ok:true,result} or {ok:false,error_code,description[,parameters]}: 429 carries
// parameters.retry_after (retryable with the hint), 5xx are retryable; 400 ("chat not found",
// "can't parse entities", "message is too long"), 401 Unauthorized, 403 (bot blocked or removed) and
// 404 (malformed token) are permanent. The bot token is in the URL path: it is redacted everywhere.
import type { Channel, ChannelMessage, DeliveryOutcome, SendContext } from './channel.js';
import type { Language, Verdict } from './common.js';
import { excerpt, networkRetryable, toOutcome, truncationFooter } from './common.js';
import type { MdLine } from './markdown-lite.js';
import { parseMarkdown, renderChatWithin, telegramHtml } from './markdown-lite.js';

export interface TelegramConfig {
  /** The bot's token from @BotFather, "123456:ABC…"; a secret. */
  botToken: string;
  /** A numeric chat id (groups are negative, e.g. -1001234567890) or "@channelusername". */
  chatId: string | number;
  /** The Bot API's base URL; https://api.telegram.org when absent. */
  apiUrl?: string;
  /** A topic of a forum supergroup. */
  messageThreadId?: number;
  /** Deliver without sound (e.g. for P3 and resolved notifications). */
  disableNotification?: boolean;
  /** Language of the truncation footer; zh-CN when absent. */
  language?: Language;
  /** Deadline of the request; the client's default (10 s) when absent. */
  timeoutMs?: number;
}

export const TELEGRAM_API_URL = 'https://api.telegram.org';
export const TELEGRAM_TEXT_LIMIT = 4096;

export interface TelegramBody {
  chat_id: string | number;
  text: string;
  parse_mode: 'HTML';
  link_preview_options: { is_disabled: boolean };
  message_thread_id?: number;
  disable_notification?: boolean;
  reply_markup?: { inline_keyboard: { text: string; url: string }[][] };
}

/** The sendMessage body: the title in bold, the Markdown body as Telegram HTML, links as buttons. */
export function buildTelegramBody(cfg: TelegramConfig, msg: ChannelMessage): TelegramBody {
  const title: MdLine = {
    kind: 'text',
    runs: [{ text: msg.title.replace(/\s+/g, ' ').trim(), bold: true, code: false, href: null }],
  };
  let body = parseMarkdown(msg.markdown);
  if (body.length === 0 && msg.text.trim() !== '')
    body = parseMarkdown(msg.text.replace(/([\\`*_[\]#-])/g, '\\$1'));
  const lines: MdLine[] = body.length > 0 ? [title, { kind: 'blank' }, ...body] : [title];
  const footer = truncationFooter(cfg.language, msg.detailUrl);
  const { text } = renderChatWithin(lines, telegramHtml, TELEGRAM_TEXT_LIMIT, footer);
  const buttons = msg.links
    .filter((l) => /^https?:\/\//i.test(l.url))
    .map((l) => [{ text: l.label.trim() || l.url, url: l.url }]);
  return {
    chat_id: cfg.chatId,
    text,
    parse_mode: 'HTML',
    link_preview_options: { is_disabled: true },
    ...(cfg.messageThreadId !== undefined ? { message_thread_id: cfg.messageThreadId } : {}),
    ...(cfg.disableNotification ? { disable_notification: true } : {}),
    ...(buttons.length > 0 ? { reply_markup: { inline_keyboard: buttons } } : {}),
  };
}

/** The sendMessage URL for `cfg` (it contains the token: pass the token as a secret). */
export const telegramUrl = (cfg: TelegramConfig): string =>
  `${(cfg.apiUrl ?? TELEGRAM_API_URL).replace(/\/+$/, '')}/bot${cfg.botToken}/sendMessage`;

interface TelegramAnswer {
  ok?: unknown;
  result?: { message_id?: unknown };
  error_code?: unknown;
  description?: unknown;
  parameters?: { retry_after?: unknown; migrate_to_chat_id?: unknown };
}

/** What the Bot API's answer means: success only with `ok: true` in the body. */
export function interpretTelegramAnswer(status: number, body: string): Verdict {
  let parsed: TelegramAnswer | null = null;
  try {
    const v: unknown = JSON.parse(body);
    if (typeof v === 'object' && v !== null) parsed = v;
  } catch {
    parsed = null;
  }
  if (parsed?.ok === true) {
    const id = parsed.result?.message_id;
    return {
      ok: true,
      retryable: false,
      providerCode: 'ok',
      message: `telegram delivered the message${typeof id === 'number' ? ` (message_id ${id})` : ''}`,
    };
  }
  const code = typeof parsed?.error_code === 'number' ? parsed.error_code : status;
  const description = typeof parsed?.description === 'string' ? parsed.description : excerpt(body).trim();
  const providerCode = String(code);
  const retryAfter = parsed?.parameters?.retry_after;
  if (code === 429 || status === 429) {
    const penaltyMs = typeof retryAfter === 'number' ? retryAfter * 1000 : undefined;
    return {
      ok: false,
      retryable: true,
      providerCode,
      message: `telegram is throttling this bot: 429 ${description}`,
      ...(penaltyMs !== undefined ? { penaltyMs } : {}),
    };
  }
  if (code >= 500 || status >= 500 || status === 408) {
    return {
      ok: false,
      retryable: true,
      providerCode,
      message: `telegram failed to take the message: ${code} ${description}`,
    };
  }
  const migrate = parsed?.parameters?.migrate_to_chat_id;
  const hint =
    migrate !== undefined
      ? `: the group became a supergroup, set the chat id to ${typeof migrate === 'number' || typeof migrate === 'string' ? migrate : JSON.stringify(migrate)}`
      : code === 401 || code === 404
        ? ': the bot token is wrong or was revoked'
        : code === 403
          ? ': the bot was blocked or removed from the chat, or may not post there'
          : /chat not found/i.test(description)
            ? ': the chat id is wrong or the bot is not a member of the chat'
            : '';
  return {
    ok: false,
    retryable: false,
    providerCode,
    message: `telegram refused the message: ${code} ${description}${hint}`,
  };
}

export const telegramChannel: Channel<TelegramConfig> = {
  kind: 'telegram',
  async send(cfg: TelegramConfig, msg: ChannelMessage, ctx: SendContext): Promise<DeliveryOutcome> {
    const secrets = [cfg.botToken];
    const res = await ctx.client.send({
      method: 'POST',
      url: telegramUrl(cfg),
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': `Watchpost/${ctx.version}`,
      },
      body: JSON.stringify(buildTelegramBody(cfg, msg)),
      secrets,
      ...(cfg.timeoutMs !== undefined ? { timeoutMs: cfg.timeoutMs } : {}),
    });
    const base = { status: res.status, durationMs: res.durationMs };
    if (res.error) {
      const what =
        res.error.kind === 'invalid_url' ? 'the API URL is not usable' : 'could not reach the Bot API';
      return toOutcome(
        {
          ok: false,
          retryable: networkRetryable(res.error.kind),
          providerCode: null,
          message: `telegram: ${what}: ${res.error.message}`,
        },
        base,
        secrets,
      );
    }
    return toOutcome(interpretTelegramAnswer(res.status ?? 0, res.body), base, secrets);
  },
};
