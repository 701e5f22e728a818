// A faithful fake of the Telegram Bot API's sendMessage on 127.0.0.1.
//   const tg = await startFakeTelegram({ now: () => clock.now() });
//   cfg = { apiUrl: tg.apiUrl, botToken: TELEGRAM_FAKE_TOKEN, chatId: TELEGRAM_FAKE_GROUP }
//   tg.messages            -> accepted messages: chat, raw text, visible text, parse mode, keyboard
//   tg.respondWith(502, …) -> the next accepted request gets this answer (an outage)
// Like Telegram: POST /bot<token>/sendMessage with JSON; a malformed token is 404 "Not Found", an
// unknown one 401 "Unauthorized"; an unknown chat is 400 "Bad Request: chat not found"; a chat that
// became a supergroup is 400 with parameters.migrate_to_chat_id; a blocked bot is 403. parse_mode
// HTML is parsed like Telegram does (supported tags only, every `<`, `>`, `&` escaped, tags
// balanced) and a mistake is 400 "Bad Request: can't parse entities: …"; the visible text must be
// 1–4,096 UTF-16 units ("message is too long"); inline keyboard buttons need a text and an http(s)
// or tg URL. Rate limits: 1 message per second per chat, 20 per minute per group, 30 per second
// per bot, over them 429 "Too Many Requests: retry after N" with parameters.retry_after.
// Answers are {ok:true,result:Message} or {ok:false,error_code,description[,parameters]}.
import type { FakeAnswer, FakeRequest, RecordedExchange } from './http-fake.js';
import { startHttpFake, WindowLimiter } from './http-fake.js';

export const TELEGRAM_FAKE_TOKEN = '7012345678:AAHk3yF4k3T0k3nWatchpostFakeBotXYZ12';
export const TELEGRAM_FAKE_GROUP = -1001234567890;
export const TELEGRAM_FAKE_PRIVATE = 123456789;

export interface TelegramPosted {
  chatId: string;
  /** The text as sent (HTML). */
  text: string;
  /** What people see: tags removed, entities decoded. */
  visible: string;
  parseMode: string | null;
  keyboard: { text: string; url?: string }[][] | null;
  raw: Record<string, unknown>;
}

export interface FakeTelegram {
  /** `http://127.0.0.1:<port>`: the `apiUrl` of the channel's configuration. */
  apiUrl: string;
  readonly messages: readonly TelegramPosted[];
  readonly exchanges: readonly RecordedExchange[];
  /** Messages to `chatId` get 403 "Forbidden: bot was blocked by the user". */
  block(chatId: string | number): void;
  /** `from` was upgraded to the supergroup `to`: messages to `from` get 400 with migrate_to_chat_id. */
  migrate(from: string | number, to: string | number): void;
  respondWith(status: number, body: unknown, times?: number): void;
  waitFor(count: number, timeoutMs?: number): Promise<RecordedExchange[]>;
  close(): Promise<void>;
}

const TAGS = new Set([
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'a',
  'code',
  'pre',
  'span',
  'tg-spoiler',
  'tg-emoji',
  'blockquote',
]);
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

/**
 * The visible text of a Telegram HTML message, or the error Telegram gives (without "Bad Request: ").
 * Exported so its behaviour can be checked against known-good and known-bad vectors.
 */
export function parseTelegramHtml(
  html: string,
): { ok: true; visible: string } | { ok: false; error: string } {
  const offset = (i: number) => Buffer.byteLength(html.slice(0, i), 'utf8');
  const fail = (e: string) => ({ ok: false as const, error: `can't parse entities: ${e}` });
  const open: string[] = [];
  let visible = '';
  let i = 0;
  while (i < html.length) {
    const c = html[i] as string;
    if (c === '&') {
      const m = /^&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{1,8});/.exec(html.slice(i, i + 12));
      if (!m) return fail(`Character entity expected at byte offset ${offset(i)}`);
      const name = m[1] as string;
      if (name.startsWith('#x')) visible += String.fromCodePoint(parseInt(name.slice(2), 16));
      else if (name.startsWith('#')) visible += String.fromCodePoint(Number(name.slice(1)));
      else if (NAMED[name] !== undefined) visible += NAMED[name];
      else return fail(`Unsupported entity name "${name}" at byte offset ${offset(i)}`);
      i += m[0].length;
    } else if (c === '<') {
      const end = html.indexOf('>', i);
      if (end < 0) return fail(`Unclosed start tag at byte offset ${offset(i)}`);
      const tag = html.slice(i + 1, end);
      if (tag.startsWith('/')) {
        const name = tag.slice(1).trim().toLowerCase();
        const top = open.pop();
        if (top === undefined) return fail(`Unexpected end tag at byte offset ${offset(i)}`);
        if (name !== '' && name !== top)
          return fail(`Can't find end tag corresponding to start tag "${top}"`);
      } else {
        const m = /^([a-zA-Z-]+)((?:\s+[a-zA-Z-]+\s*=\s*"[^"]*")*)\s*$/.exec(tag);
        const name = m?.[1]?.toLowerCase() ?? tag.split(/\s/)[0] ?? '';
        if (!m || !TAGS.has(name)) return fail(`Unsupported start tag "${name}" at byte offset ${offset(i)}`);
        if (name === 'a') {
          const href = /href\s*=\s*"([^"]*)"/.exec(m[2] ?? '')?.[1];
          if (href === undefined || href.includes('<'))
            return fail(`Unsupported start tag "a" at byte offset ${offset(i)}`);
        }
        open.push(name);
      }
      i = end + 1;
    } else if (c === '>') {
      return fail(`Unexpected end of name token at byte offset ${offset(i)}`);
    } else {
      visible += c;
      i++;
    }
  }
  const unclosed = open.pop();
  if (unclosed !== undefined) return fail(`Can't find end tag corresponding to start tag "${unclosed}"`);
  return { ok: true, visible };
}

const err = (status: number, description: string, parameters?: Record<string, unknown>): FakeAnswer => ({
  status,
  body: { ok: false, error_code: status, description, ...(parameters ? { parameters } : {}) },
});

export async function startFakeTelegram(
  opts: { now?: () => number; token?: string; chats?: (string | number)[] } = {},
): Promise<FakeTelegram> {
  const now = opts.now ?? (() => Date.now());
  const token = opts.token ?? TELEGRAM_FAKE_TOKEN;
  const chats = new Set((opts.chats ?? [TELEGRAM_FAKE_GROUP, TELEGRAM_FAKE_PRIVATE]).map(String));
  const blocked = new Set<string>();
  const migrated = new Map<string, string>();
  const perChat = new Map<string, WindowLimiter>();
  const perBot = new WindowLimiter([{ max: 30, windowMs: 1000 }]);
  const messages: TelegramPosted[] = [];
  const queue: FakeAnswer[] = [];
  let nextId = 1;

  const handle = (req: FakeRequest): FakeAnswer => {
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(req.path);
    if (!m || !/^\d+:[A-Za-z0-9_-]{30,}$/.test(decodeURIComponent(m[1] ?? ''))) return err(404, 'Not Found');
    if (decodeURIComponent(m[1] ?? '') !== token) return err(401, 'Unauthorized');
    if (m[2] !== 'sendMessage') return err(404, 'Not Found: method not found');
    const b = req.body;
    if (typeof b !== 'object' || b === null || Array.isArray(b))
      return err(400, 'Bad Request: message text is empty');
    const raw = b as Record<string, unknown>;
    if (raw.chat_id === undefined || raw.chat_id === '') return err(400, 'Bad Request: chat_id is empty');
    if (typeof raw.chat_id !== 'string' && typeof raw.chat_id !== 'number')
      return err(400, 'Bad Request: chat not found');
    const chatId = String(raw.chat_id);
    if (typeof raw.text !== 'string' || raw.text.trim() === '')
      return err(400, 'Bad Request: message text is empty');
    const parseMode = typeof raw.parse_mode === 'string' ? raw.parse_mode : null;
    let visible = raw.text;
    if (parseMode !== null && parseMode !== '') {
      if (parseMode.toLowerCase() !== 'html') return err(400, 'Bad Request: unsupported parse_mode');
      const parsed = parseTelegramHtml(raw.text);
      if (!parsed.ok) return err(400, `Bad Request: ${parsed.error}`);
      visible = parsed.visible;
    }
    if (visible.trim() === '') return err(400, 'Bad Request: message text is empty');
    if (visible.length > 4096) return err(400, 'Bad Request: message is too long');
    const keyboard = (raw.reply_markup as { inline_keyboard?: unknown } | undefined)?.inline_keyboard;
    if (raw.reply_markup !== undefined) {
      if (!Array.isArray(keyboard) || !keyboard.every(Array.isArray))
        return err(400, "Bad Request: can't parse reply keyboard markup JSON object");
      for (const button of keyboard.flat() as Record<string, unknown>[]) {
        if (typeof button.text !== 'string' || button.text === '')
          return err(400, 'Bad Request: BUTTON_TEXT_EMPTY');
        if (button.url === undefined && button.callback_data === undefined)
          return err(
            400,
            "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
          );
        if (
          button.url !== undefined &&
          (typeof button.url !== 'string' || !/^(https?|tg):\/\/[^\s]+$/i.test(button.url))
        )
          return err(400, 'Bad Request: BUTTON_URL_INVALID');
      }
    }
    const to = migrated.get(chatId);
    if (to !== undefined)
      return err(400, 'Bad Request: group chat was upgraded to a supergroup chat', {
        migrate_to_chat_id: Number(to),
      });
    if (!chats.has(chatId)) return err(400, 'Bad Request: chat not found');
    if (blocked.has(chatId)) return err(403, 'Forbidden: bot was blocked by the user');

    const t = now();
    let limiter = perChat.get(chatId);
    if (!limiter) {
      const limits = [{ max: 1, windowMs: 1000 }];
      if (chatId.startsWith('-')) limits.push({ max: 20, windowMs: 60_000 });
      perChat.set(chatId, (limiter = new WindowLimiter(limits)));
    }
    const wait = Math.max(limiter.waitMs(t), perBot.waitMs(t));
    if (wait > 0) {
      const s = Math.ceil(wait / 1000);
      return err(429, `Too Many Requests: retry after ${s}`, { retry_after: s });
    }
    limiter.allow(t);
    perBot.allow(t);
    const injected = queue.shift();
    if (injected) return injected;

    messages.push({
      chatId,
      text: raw.text,
      visible,
      parseMode,
      keyboard: Array.isArray(keyboard) ? (keyboard as { text: string; url?: string }[][]) : null,
      raw,
    });
    const isGroup = chatId.startsWith('-');
    return {
      status: 200,
      body: {
        ok: true,
        result: {
          message_id: nextId++,
          from: {
            id: Number(token.split(':')[0]),
            is_bot: true,
            first_name: 'Watchpost',
            username: 'watchpost_fake_bot',
          },
          chat: isGroup
            ? { id: Number(chatId), title: 'Ops', type: 'supergroup' }
            : { id: Number(chatId), first_name: 'Ops', type: 'private' },
          date: Math.floor(t / 1000),
          text: visible,
        },
      },
    };
  };

  const server = await startHttpFake(handle);
  return {
    apiUrl: server.origin,
    messages,
    exchanges: server.exchanges,
    block(chatId) {
      blocked.add(String(chatId));
    },
    migrate(from, to) {
      migrated.set(String(from), String(to));
      chats.add(String(to));
    },
    respondWith(status, body, times = 1) {
      for (let i = 0; i < times; i++) queue.push({ status, body });
    },
    waitFor: (count, timeoutMs) => server.waitFor(count, timeoutMs),
    close: () => server.close(),
  };
}
