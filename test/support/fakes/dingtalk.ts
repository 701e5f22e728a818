// A faithful fake of one DingTalk custom group robot (POST /robot/send?access_token=…), on 127.0.0.1.
//   const ding = await startFakeDingtalk({ clock, accessToken: 'tok', secret: 'SEC…', keywords: ['告警'] });
//   ding.url        -> 'http://127.0.0.1:<port>/robot/send?access_token=tok' (what DingTalk shows users)
//   ding.messages   -> what reached the group (a repeated msgUuid is answered ok but posted once)
//   ding.requests   -> every request with the answer it got
// Like the real service it answers HTTP 200 with an errcode for every refusal, checks the signature
// (its own HMAC code, independent of the sender's) and the timestamp (±1 hour, milliseconds),
// the keywords, the IP allow-list, the 20,000-byte limit, and throttles a robot that sends more
// than 20 messages a minute for 10 minutes (time from the injected clock).
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../../src/kernel/clock.js';
import type { RecordedExchange, FakeAnswer, FakeRequest } from './http-fake.js';
import { WindowLimiter, startHttpFake } from './http-fake.js';

export interface FakeDingtalkOptions {
  clock: Clock;
  accessToken: string;
  /** With a secret the robot requires `timestamp` and `sign` (security setting "加签"). */
  secret?: string;
  /** Security setting "自定义关键词": the message text must contain one of these. */
  keywords?: string[];
  /** Security setting "IP地址（段）": requests from other addresses are refused. */
  ipAllowList?: string[];
  disabled?: boolean;
  /** Answer errcode as a string ("0"), as some DingTalk gateways do. */
  errcodeAsString?: boolean;
}

export interface PostedDingtalkMessage {
  msgtype: string;
  title: string | null;
  text: string;
  /** Mobiles and user ids that DingTalk notifies: listed in `at` and written as `@…` in the text. */
  mentioned: string[];
  atAll: boolean;
  /** actionCard buttons (btns, or singleTitle/singleURL). */
  buttons: { title: string; url: string }[];
  msgUuid: string | null;
  body: Record<string, unknown>;
}

export interface FakeDingtalk {
  url: string;
  endpoint: string;
  readonly requests: readonly RecordedExchange[];
  readonly messages: readonly PostedDingtalkMessage[];
  close(): Promise<void>;
}

export const DINGTALK_FAKE_LIMITS = { perMinute: 20, penaltyMs: 10 * 60_000, maxBodyBytes: 20_000 };
const DOC = 'more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]';

/** The signature DingTalk expects in `sign` (after URL-decoding): base64 HMAC-SHA256(secret, ts + "\n" + secret). */
export function expectedDingtalkSign(secret: string, timestamp: string): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8'))
    .update(Buffer.from(`${timestamp}\n${secret}`, 'utf8'))
    .digest('base64');
}

/** True when `sign` (decoded from the query) is DingTalk's signature for `timestamp`. */
export function verifyDingtalkSign(secret: string, timestamp: string, sign: string): boolean {
  const a = Buffer.from(expectedDingtalkSign(secret, timestamp));
  const b = Buffer.from(sign);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startFakeDingtalk(opts: FakeDingtalkOptions): Promise<FakeDingtalk> {
  const messages: PostedDingtalkMessage[] = [];
  const seenUuids = new Set<string>();
  const window = new WindowLimiter([{ max: DINGTALK_FAKE_LIMITS.perMinute, windowMs: 60_000 }]);
  let throttledUntil = -Infinity;

  const answer = (errcode: number, errmsg: string): FakeAnswer => ({
    status: 200,
    body: { errcode: opts.errcodeAsString ? String(errcode) : errcode, errmsg },
  });

  const handle = (req: FakeRequest): FakeAnswer => {
    const now = opts.clock.now();
    if (req.method !== 'POST' || req.path !== '/robot/send')
      return { status: 404, body: { errcode: 404, errmsg: 'not found' } };
    const token = req.query.access_token;
    if (!token) return answer(300001, 'access_token is empty');
    if (token !== opts.accessToken) return answer(300005, 'token is not exist');
    if (opts.disabled) return answer(400102, '机器人已停用');
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
      return answer(43004, '无效的HTTP HEADER Content-Type');
    }
    if (req.rawBody.length > DINGTALK_FAKE_LIMITS.maxBodyBytes) {
      return answer(460101, `message too long, exceed ${DINGTALK_FAKE_LIMITS.maxBodyBytes} bytes`);
    }
    const body = req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return answer(300001, 'param error: the body is not a JSON object');
    }
    const b = body as Record<string, unknown>;

    if (opts.secret !== undefined) {
      const ts = req.query.timestamp ?? '';
      const sign = req.query.sign ?? '';
      if (!/^\d+$/.test(ts) || Math.abs(now - Number(ts)) > 3_600_000)
        return answer(310000, `invalid timestamp, ${DOC}`);
      if (!verifyDingtalkSign(opts.secret, ts, sign)) return answer(310000, `sign not match, ${DOC}`);
    }
    if (opts.ipAllowList && !opts.ipAllowList.includes('127.0.0.1')) {
      return answer(310000, `ip 127.0.0.1 not in whitelist, ${DOC}`);
    }

    const msg = readMessage(b);
    if (!msg) return answer(400105, `不支持的消息类型: ${String(b.msgtype)}`);
    if (opts.keywords && !opts.keywords.some((k) => msg.text.includes(k))) {
      return answer(310000, `keywords not in content, ${DOC}`);
    }
    if (msg.msgUuid !== null && seenUuids.has(msg.msgUuid)) return answer(0, 'ok');
    if (now < throttledUntil) return answer(130101, 'send too fast, exceed 20 times per minute');
    if (!window.allow(now)) {
      throttledUntil = now + DINGTALK_FAKE_LIMITS.penaltyMs;
      return answer(130101, 'send too fast, exceed 20 times per minute');
    }
    if (msg.msgUuid !== null) seenUuids.add(msg.msgUuid);
    messages.push(msg);
    return answer(0, 'ok');
  };

  const server = await startHttpFake(handle);
  return {
    url: `${server.origin}/robot/send?access_token=${encodeURIComponent(opts.accessToken)}`,
    endpoint: `${server.origin}/robot/send`,
    requests: server.exchanges,
    messages,
    close: () => server.close(),
  };
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const obj = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

function readMessage(b: Record<string, unknown>): PostedDingtalkMessage | null {
  const msgtype = str(b.msgtype);
  const msgUuid = str(b.msgUuid);
  const at = obj(b.at);
  const mentionable = (text: string) =>
    [...strings(at.atMobiles), ...strings(at.atUserIds)].filter((m) => text.includes(`@${m}`));
  const base = { msgUuid, body: b };
  switch (msgtype) {
    case 'text': {
      const text = str(obj(b.text).content);
      if (text === null) return null;
      return {
        ...base,
        msgtype,
        title: null,
        text,
        mentioned: mentionable(text),
        atAll: at.isAtAll === true,
        buttons: [],
      };
    }
    case 'markdown': {
      const md = obj(b.markdown);
      const text = str(md.text);
      if (text === null) return null;
      return {
        ...base,
        msgtype,
        title: str(md.title),
        text,
        mentioned: mentionable(text),
        atAll: at.isAtAll === true,
        buttons: [],
      };
    }
    case 'actionCard': {
      const card = obj(b.actionCard);
      const text = str(card.text);
      if (text === null) return null;
      const buttons = Array.isArray(card.btns)
        ? card.btns.map((x) => ({ title: str(obj(x).title) ?? '', url: str(obj(x).actionURL) ?? '' }))
        : card.singleURL
          ? [{ title: str(card.singleTitle) ?? '', url: str(card.singleURL) ?? '' }]
          : [];
      // Action cards do not @mention anyone.
      return { ...base, msgtype, title: str(card.title), text, mentioned: [], atAll: false, buttons };
    }
    default:
      return null;
  }
}
