// A faithful fake of one Feishu / Lark custom bot (POST /open-apis/bot/v2/hook/<token>), on 127.0.0.1.
//   const feishu = await startFakeFeishu({ clock, token: 'b1c2…', secret: '…', keywords: ['告警'] });
//   feishu.url       -> 'http://127.0.0.1:<port>/open-apis/bot/v2/hook/<token>' (what Feishu shows users)
//   feishu.messages  -> what reached the group;  feishu.requests -> every request with its answer
// Like the real service it checks `timestamp` (seconds, ±1 hour) and `sign` from the JSON body with
// its own HMAC code (key = timestamp + "\n" + secret, empty message): 19021 on failure; 19022 for an
// address outside the allow-list; 19024 without a keyword; 9499 "Bad Request" (HTTP 400) for a body
// that is not JSON or is over 20 KB; 9499 "too many request" (HTTP 400) over 5 a second or 100 a
// minute (sliding windows on the injected clock). `legacySuccess` answers success the old way,
// `{"Extra":null,"StatusCode":0,"StatusMessage":"success"}`.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../../src/kernel/clock.js';
import type { RecordedExchange, FakeAnswer, FakeRequest } from './http-fake.js';
import { WindowLimiter, startHttpFake } from './http-fake.js';

export interface FakeFeishuOptions {
  clock: Clock;
  token: string;
  secret?: string;
  keywords?: string[];
  ipAllowList?: string[];
  legacySuccess?: boolean;
}

export interface PostedFeishuMessage {
  msgType: string;
  /** Card header colour (interactive only). */
  template: string | null;
  title: string | null;
  /** lark_md contents of the card (or the text of a text message), in order. */
  text: string;
  /** open_ids (or "all") mentioned: `<at id=…>` in lark_md, `<at user_id="…">` in text messages. */
  mentioned: string[];
  buttons: { label: string; url: string }[];
  body: Record<string, unknown>;
}

export interface FakeFeishu {
  url: string;
  readonly requests: readonly RecordedExchange[];
  readonly messages: readonly PostedFeishuMessage[];
  close(): Promise<void>;
}

export const FEISHU_FAKE_LIMITS = { perSecond: 5, perMinute: 100, maxBodyBytes: 20 * 1024 };
const MSG_TYPES = new Set(['text', 'post', 'image', 'share_chat', 'interactive']);

/** Feishu's signature for `timestamp` (seconds, as sent): base64 HMAC-SHA256(key = ts + "\n" + secret, ""). */
export function expectedFeishuSign(secret: string, timestamp: string): string {
  return createHmac('sha256', Buffer.from(`${timestamp}\n${secret}`, 'utf8')).digest('base64');
}

/** True when `sign` from the body is Feishu's signature for `timestamp`. */
export function verifyFeishuSign(secret: string, timestamp: string, sign: string): boolean {
  const a = Buffer.from(expectedFeishuSign(secret, timestamp));
  const b = Buffer.from(sign);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startFakeFeishu(opts: FakeFeishuOptions): Promise<FakeFeishu> {
  const messages: PostedFeishuMessage[] = [];
  const window = new WindowLimiter([
    { max: FEISHU_FAKE_LIMITS.perSecond, windowMs: 1_000 },
    { max: FEISHU_FAKE_LIMITS.perMinute, windowMs: 60_000 },
  ]);
  const answer = (code: number, msg: string, status = 200): FakeAnswer => ({
    status,
    body: { code, data: {}, msg },
  });

  const handle = (req: FakeRequest): FakeAnswer => {
    const m = /^\/open-apis\/bot\/v2\/hook\/([^/]+)$/.exec(req.path);
    if (req.method !== 'POST' || !m) return { status: 404, body: '404 page not found' };
    if (decodeURIComponent(m[1] ?? '') !== opts.token) {
      return answer(19001, 'param invalid: incoming webhook access token invalid');
    }
    if (req.rawBody.length > FEISHU_FAKE_LIMITS.maxBodyBytes) return answer(9499, 'Bad Request', 400);
    const b = req.body;
    if (typeof b !== 'object' || b === null || Array.isArray(b)) return answer(9499, 'Bad Request', 400);
    const body = b as Record<string, unknown>;

    if (opts.secret !== undefined) {
      const ts =
        typeof body.timestamp === 'string'
          ? body.timestamp
          : typeof body.timestamp === 'number'
            ? String(body.timestamp)
            : '';
      const sign = typeof body.sign === 'string' ? body.sign : '';
      const fresh = /^\d+$/.test(ts) && Math.abs(opts.clock.now() / 1000 - Number(ts)) <= 3_600;
      if (!fresh || !verifyFeishuSign(opts.secret, ts, sign)) {
        return answer(19021, 'sign match fail or timestamp is not within one hour from current time');
      }
    }
    if (opts.ipAllowList && !opts.ipAllowList.includes('127.0.0.1')) return answer(19022, 'Ip Not Allowed');
    const msgType = typeof body.msg_type === 'string' ? body.msg_type : '';
    if (!MSG_TYPES.has(msgType)) return answer(19002, 'params error, msg_type need');
    const msg = readMessage(msgType, body);
    if (
      opts.keywords &&
      !opts.keywords.some((k) => contents(body.card ?? body.content).some((c) => c.includes(k)))
    ) {
      return answer(19024, 'Key Words Not Found');
    }
    if (!window.allow(opts.clock.now())) return answer(9499, 'too many request', 400);
    messages.push(msg);
    return opts.legacySuccess
      ? { status: 200, body: { Extra: null, StatusCode: 0, StatusMessage: 'success' } }
      : answer(0, 'success');
  };

  const server = await startHttpFake(handle);
  return {
    url: `${server.origin}/open-apis/bot/v2/hook/${encodeURIComponent(opts.token)}`,
    requests: server.exchanges,
    messages,
    close: () => server.close(),
  };
}

const obj = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Every string under a `content` or `text` key: what Feishu searches for keywords. */
function contents(v: unknown): string[] {
  if (Array.isArray(v)) return v.flatMap(contents);
  if (typeof v !== 'object' || v === null) return [];
  return Object.entries(v as Record<string, unknown>).flatMap(([k, x]) =>
    typeof x === 'string' ? (k === 'content' || k === 'text' ? [x] : []) : contents(x),
  );
}

function readMessage(msgType: string, body: Record<string, unknown>): PostedFeishuMessage {
  if (msgType !== 'interactive') {
    const text = str(obj(body.content).text) ?? '';
    const mentioned = [...text.matchAll(/<at user_id="([^"]+)">/g)].map((x) => x[1] ?? '');
    return { msgType, template: null, title: null, text, mentioned, buttons: [], body };
  }
  const card = obj(body.card);
  const header = obj(card.header);
  const elements = Array.isArray(card.elements) ? card.elements.map(obj) : [];
  const md = elements
    .map((e) => obj(e.text))
    .filter((t) => t.tag === 'lark_md')
    .map((t) => str(t.content) ?? '');
  const text = md.join('\n');
  const mentioned = [...text.matchAll(/<at id=([^>\s]+)><\/at>/g)].map((x) => x[1] ?? '');
  const buttons = elements
    .filter((e) => e.tag === 'action')
    .flatMap((e) => (Array.isArray(e.actions) ? e.actions.map(obj) : []))
    .filter((a) => a.tag === 'button')
    .map((a) => ({ label: str(obj(a.text).content) ?? '', url: str(a.url) ?? '' }));
  return {
    msgType,
    template: str(header.template),
    title: str(obj(header.title).content),
    text,
    mentioned,
    buttons,
    body,
  };
}
