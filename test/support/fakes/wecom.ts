// A faithful fake of one WeCom group robot (POST /cgi-bin/webhook/send?key=…), on 127.0.0.1.
//   const wecom = await startFakeWecom({ clock, key: '693a91f6-…' });
//   wecom.url       -> 'http://127.0.0.1:<port>/cgi-bin/webhook/send?key=…' (what WeCom shows users)
//   wecom.messages  -> what reached the group;  wecom.requests -> every request with its answer
// Like the real service it answers HTTP 200 with an errcode for every refusal, with WeCom's error
// texts (a hint, the caller's IP and a query link at the end): 93000 for an unknown key (a whole
// URL pasted as the key included), 40058 over the byte limits (markdown 4,096, text 2,048), 45009
// over 20 messages a minute (sliding window on the injected clock).
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../../src/kernel/clock.js';
import type { RecordedExchange, FakeAnswer, FakeRequest } from './http-fake.js';
import { WindowLimiter, startHttpFake } from './http-fake.js';

export interface FakeWecomOptions {
  clock: Clock;
  key: string;
}

export interface PostedWecomMessage {
  msgtype: 'markdown' | 'text';
  content: string;
  /** `<@userid>` in markdown; `mentioned_list` in text (`@all` included). */
  mentionedUserIds: string[];
  mentionedMobiles: string[];
  body: Record<string, unknown>;
}

export interface FakeWecom {
  url: string;
  endpoint: string;
  readonly requests: readonly RecordedExchange[];
  readonly messages: readonly PostedWecomMessage[];
  close(): Promise<void>;
}

export const WECOM_FAKE_LIMITS = { perMinute: 20, markdownBytes: 4_096, textBytes: 2_048 };

export async function startFakeWecom(opts: FakeWecomOptions): Promise<FakeWecom> {
  const messages: PostedWecomMessage[] = [];
  const window = new WindowLimiter([{ max: WECOM_FAKE_LIMITS.perMinute, windowMs: 60_000 }]);

  const answer = (errcode: number, errmsg: string): FakeAnswer => ({
    status: 200,
    body: {
      errcode,
      errmsg:
        errcode === 0
          ? 'ok'
          : `${errmsg}, hint: [${Math.floor(opts.clock.now() / 1000)}_${randomBytes(8).toString('hex')}], from ip: 127.0.0.1, more info at https://open.work.weixin.qq.com/devtool/query?e=${errcode}`,
    },
  });

  const handle = (req: FakeRequest): FakeAnswer => {
    if (req.path !== '/cgi-bin/webhook/send')
      return { status: 404, body: { errcode: 404, errmsg: 'not found' } };
    if (req.query.key !== opts.key) return answer(93000, 'invalid webhook url');
    const b = req.body;
    if (typeof b !== 'object' || b === null || Array.isArray(b)) {
      return answer(40035, 'invalid parameter, the body is not a JSON object');
    }
    const body = b as Record<string, unknown>;
    const msgtype = body.msgtype;
    let msg: PostedWecomMessage;
    if (msgtype === 'markdown') {
      const content = str(obj(body.markdown).content);
      if (!content) return answer(44004, 'empty content');
      if (Buffer.byteLength(content) > WECOM_FAKE_LIMITS.markdownBytes) {
        return answer(40058, 'markdown.content exceed max length 4096. invalid Request Parameter');
      }
      const ids = [...content.matchAll(/<@([^>\s]+)>/g)].map((m) => m[1] ?? '');
      msg = { msgtype, content, mentionedUserIds: ids, mentionedMobiles: [], body };
    } else if (msgtype === 'text') {
      const text = obj(body.text);
      const content = str(text.content);
      if (!content) return answer(44004, 'empty content');
      if (Buffer.byteLength(content) > WECOM_FAKE_LIMITS.textBytes) {
        return answer(40058, 'text.content exceed max length 2048. invalid Request Parameter');
      }
      msg = {
        msgtype,
        content,
        mentionedUserIds: strings(text.mentioned_list),
        mentionedMobiles: strings(text.mentioned_mobile_list),
        body,
      };
    } else {
      return answer(40008, 'invalid message type');
    }
    if (!window.allow(opts.clock.now())) return answer(45009, 'api freq out of limit');
    messages.push(msg);
    return answer(0, 'ok');
  };

  const server = await startHttpFake(handle);
  return {
    url: `${server.origin}/cgi-bin/webhook/send?key=${encodeURIComponent(opts.key)}`,
    endpoint: `${server.origin}/cgi-bin/webhook/send`,
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
