import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../kernel/clock.js';
import { HttpClient } from '../http-client.js';
import type { DeliveryOutcome } from './channel.js';
import {
  DINGTALK_PENALTY_MS,
  buildDingtalkBody,
  dingtalkChannel,
  dingtalkUrl,
  interpretDingtalkAnswer,
  signDingtalk,
} from './dingtalk.js';
import { utf8Bytes } from '../../kernel/text.js';
import { startFakeDingtalk, verifyDingtalkSign } from '../../../test/support/fakes/dingtalk.js';
import type { FakeDingtalkOptions } from '../../../test/support/fakes/dingtalk.js';
import { sampleMessage } from '../../../test/support/fakes/message.js';

const NOW = Date.parse('2026-11-26T08:00:00Z');
const TOKEN = 'a1b2c3d4e5f6-access-token';
const SECRET = 'SEC0123456789abcdef';
const MOBILE = '13800138000';

const assertNoSecrets = (o: DeliveryOutcome, extra: string[] = []) => {
  for (const s of [TOKEN, SECRET, MOBILE, ...extra])
    assert.ok(!o.message.includes(s), `${s} leaked: ${o.message}`);
  assert.ok(o.message.length <= 500);
};

describe('DingTalk signature', () => {
  // Computed outside Watchpost: printf '1700000000002\nSEC0123456789abcdef' |
  //   openssl dgst -sha256 -hmac SEC0123456789abcdef -binary | base64
  const VECTOR = 'VGvd0brDJp/nMZtR+XnA3yBIlhowT+TwkRPua0q1/jg=';

  test('the sender signs like the known-good vector, URL-encoded once', () => {
    assert.equal(signDingtalk(SECRET, 1700000000002), encodeURIComponent(VECTOR));
    assert.equal(
      signDingtalk(SECRET, 1700000000002),
      'VGvd0brDJp%2FnMZtR%2BXnA3yBIlhowT%2BTwkRPua0q1%2Fjg%3D',
    );
  });

  test('the fake accepts the known-good vector and refuses anything else', () => {
    assert.equal(verifyDingtalkSign(SECRET, '1700000000002', VECTOR), true);
    assert.equal(verifyDingtalkSign(SECRET, '1700000000003', VECTOR), false);
    assert.equal(verifyDingtalkSign('SECother', '1700000000002', VECTOR), false);
    // What a server sees when '+' was not encoded: a space.
    assert.equal(verifyDingtalkSign(SECRET, '1700000000002', VECTOR.replace(/\+/g, ' ')), false);
  });

  test('the URL takes the token from a pasted webhook URL and adds timestamp and sign', () => {
    const { url, token } = dingtalkUrl(
      { url: `https://oapi.dingtalk.com/robot/send?access_token=${TOKEN}`, secret: SECRET },
      1700000000002,
    );
    assert.equal(token, TOKEN);
    assert.equal(
      url,
      `https://oapi.dingtalk.com/robot/send?access_token=${TOKEN}&timestamp=1700000000002&sign=${encodeURIComponent(VECTOR)}`,
    );
    assert.equal(
      dingtalkUrl({ accessToken: TOKEN }, 1).url,
      `https://oapi.dingtalk.com/robot/send?access_token=${TOKEN}`,
    );
  });
});

describe('DingTalk sender against the fake robot', () => {
  const client = new HttpClient();
  after(() => client.close());

  const setup = async (
    t: { after: (fn: () => Promise<void>) => void },
    o: Partial<FakeDingtalkOptions> = {},
  ) => {
    const clock = new FakeClock(NOW);
    const ding = await startFakeDingtalk({ clock, accessToken: TOKEN, secret: SECRET, ...o });
    t.after(() => ding.close());
    const ctx = () => ({ client, now: clock.now(), version: '1.2.3' });
    return { clock, ding, ctx };
  };

  test('a signed markdown message arrives with its links and notifies the mentioned people', async (t) => {
    const { ding, ctx } = await setup(t);
    const msg = sampleMessage({ mentions: { mobiles: [MOBILE], userIds: ['manager01'], all: false } });
    const o = await dingtalkChannel.send({ url: ding.url, secret: SECRET }, msg, ctx());
    assert.deepEqual(
      { ok: o.ok, retryable: o.retryable, status: o.status, providerCode: o.providerCode },
      { ok: true, retryable: false, status: 200, providerCode: '0' },
    );
    assert.equal(ding.messages.length, 1);
    const m = ding.messages[0];
    assert.equal(m?.msgtype, 'markdown');
    assert.equal(m?.title, msg.title);
    assert.ok(m?.text.startsWith(msg.markdown));
    assert.match(m?.text ?? '', /\[静默 1 小时\]\(https:\/\/watchpost\.example\.com\/s\/abc\?sig=xyz\)/);
    assert.deepEqual(m?.mentioned, [MOBILE, 'manager01']);
    assert.equal(m?.msgUuid, 'n-42:0');
    assert.equal(ding.requests[0]?.headers['user-agent'], 'Watchpost/1.2.3');
    assertNoSecrets(o);
  });

  test('an actionCard carries the links as buttons', async (t) => {
    const { ding, ctx } = await setup(t);
    const o = await dingtalkChannel.send(
      { url: ding.url, secret: SECRET, msgType: 'actionCard' },
      sampleMessage(),
      ctx(),
    );
    assert.equal(o.ok, true);
    assert.equal(ding.messages[0]?.msgtype, 'actionCard');
    assert.deepEqual(ding.messages[0]?.buttons, [
      { title: '打开', url: 'https://watchpost.example.com/alerts/42' },
      { title: '静默 1 小时', url: 'https://watchpost.example.com/s/abc?sig=xyz' },
    ]);
  });

  test('a wrong secret is a permanent failure naming DingTalk and the code', async (t) => {
    const { ding, ctx } = await setup(t);
    const o = await dingtalkChannel.send(
      { url: ding.url, secret: 'SECwrong-secret' },
      sampleMessage(),
      ctx(),
    );
    assert.equal(o.ok, false);
    assert.equal(o.retryable, false);
    assert.equal(o.providerCode, '310000');
    assert.match(
      o.message,
      /^DingTalk: the signature was refused: check the signing secret .*310000 sign not match/,
    );
    assert.equal(ding.messages.length, 0);
    assertNoSecrets(o, ['SECwrong-secret']);
  });

  test('a clock an hour and more off is refused as an invalid timestamp', async (t) => {
    const { ding, clock } = await setup(t);
    const o = await dingtalkChannel.send({ url: ding.url, secret: SECRET }, sampleMessage(), {
      client,
      now: clock.now() - 3_600_001,
      version: 'dev',
    });
    assert.equal(o.providerCode, '310000');
    assert.match(o.message, /timestamp was refused: check this server's clock/);
  });

  test("a message without the robot's keywords is refused; one with it arrives", async (t) => {
    const { ding, ctx } = await setup(t, { secret: undefined, keywords: ['Watchpost'] });
    const refused = await dingtalkChannel.send({ url: ding.url }, sampleMessage(), ctx());
    assert.deepEqual([refused.ok, refused.retryable, refused.providerCode], [false, false, '310000']);
    assert.match(refused.message, /lacks the robot's keywords/);
    const ok = await dingtalkChannel.send(
      { url: ding.url },
      sampleMessage({ markdown: '**Watchpost** 告警' }),
      ctx(),
    );
    assert.equal(ok.ok, true);
  });

  test('over 20 a minute is throttled for 10 minutes: retryable, with the code', async (t) => {
    const { ding, clock, ctx } = await setup(t);
    for (let i = 0; i < 20; i++) {
      const o = await dingtalkChannel.send(
        { url: ding.url, secret: SECRET },
        sampleMessage({ idempotencyKey: `n-${i}` }),
        ctx(),
      );
      assert.equal(o.ok, true, o.message);
      clock.advance(1_000);
    }
    const o = await dingtalkChannel.send(
      { url: ding.url, secret: SECRET },
      sampleMessage({ idempotencyKey: 'n-20' }),
      ctx(),
    );
    assert.deepEqual([o.ok, o.retryable, o.providerCode], [false, true, '130101']);
    assert.match(o.message, /^DingTalk: the robot is throttled .* refused for 10 minutes/);

    clock.advance(5 * 60_000); // the minute is long over, but the penalty is not
    const still = await dingtalkChannel.send(
      { url: ding.url, secret: SECRET },
      sampleMessage({ idempotencyKey: 'n-20' }),
      ctx(),
    );
    assert.equal(still.providerCode, '130101');
    clock.advance(DINGTALK_PENALTY_MS);
    const later = await dingtalkChannel.send(
      { url: ding.url, secret: SECRET },
      sampleMessage({ idempotencyKey: 'n-20' }),
      ctx(),
    );
    assert.equal(later.ok, true);
    assert.equal(ding.messages.length, 21);
  });

  test('a retry with the same msgUuid is accepted without posting twice', async (t) => {
    const { ding, ctx } = await setup(t);
    const a = await dingtalkChannel.send({ url: ding.url, secret: SECRET }, sampleMessage(), ctx());
    const b = await dingtalkChannel.send({ url: ding.url, secret: SECRET }, sampleMessage(), ctx());
    assert.deepEqual([a.ok, b.ok], [true, true]);
    assert.equal(ding.requests.length, 2);
    assert.equal(ding.messages.length, 1);
  });

  test('an over-long message is cut on a character within 20,000 bytes with the footer, and arrives', async (t) => {
    const { ding, ctx } = await setup(t);
    const long = '订单同步停滞😀'.repeat(2_000); // 38,000 bytes
    const msg = sampleMessage({ markdown: long, mentions: { mobiles: [MOBILE], userIds: [], all: false } });
    const o = await dingtalkChannel.send({ url: ding.url, secret: SECRET }, msg, ctx());
    assert.equal(o.ok, true, o.message);
    const req = ding.requests[0];
    assert.ok(
      req && req.rawBody.length <= 20_000 && req.rawBody.length > 19_900,
      `body ${req?.rawBody.length}`,
    );
    const text = ding.messages[0]?.text ?? '';
    const footer = '\n…（内容过长已截断，详见 https://watchpost.example.com/alerts/42）';
    const cutAt = text.indexOf(footer);
    assert.ok(cutAt > 0, 'the footer is there');
    assert.ok(long.startsWith(text.slice(0, cutAt)), 'a prefix of the original, no broken character');
    assert.deepEqual(ding.messages[0]?.mentioned, [MOBILE], 'the @mention survives the cut');

    const en = buildDingtalkBody({ language: 'en' }, msg);
    assert.equal(en.truncated, true);
    assert.match(en.body, /…\(truncated, see https:\/\/watchpost\.example\.com\/alerts\/42\)/);
    assert.ok(utf8Bytes(en.body) <= 20_000);
  });

  test('a body full of characters JSON escapes still fits', () => {
    const { body, truncated } = buildDingtalkBody(
      {},
      sampleMessage({ markdown: '"\\\n\u0001'.repeat(10_000) }),
    );
    assert.equal(truncated, true);
    assert.ok(utf8Bytes(body) <= 20_000);
  });

  test('errcode as a string is read: "0" is success, an unknown token is permanent', async (t) => {
    const { ding, ctx } = await setup(t, { errcodeAsString: true });
    const ok = await dingtalkChannel.send({ url: ding.url, secret: SECRET }, sampleMessage(), ctx());
    assert.deepEqual([ok.ok, ok.providerCode], [true, '0']);
    const bad = await dingtalkChannel.send(
      { url: ding.endpoint, accessToken: 'nope-token', secret: SECRET },
      sampleMessage(),
      ctx(),
    );
    assert.deepEqual([bad.ok, bad.retryable, bad.providerCode], [false, false, '300005']);
    assert.match(bad.message, /access token does not exist/);
    assertNoSecrets(bad, ['nope-token']);
  });

  test('no token configured is a permanent failure that says what to set', async () => {
    const o = await dingtalkChannel.send({ url: 'https://oapi.dingtalk.com/robot/send' }, sampleMessage(), {
      client,
      now: NOW,
      version: 'dev',
    });
    assert.deepEqual([o.ok, o.retryable, o.status], [false, false, null]);
    assert.match(o.message, /no access token/);
  });

  test('an unreachable robot is retryable', async (t) => {
    const { ding, ctx } = await setup(t);
    const url = ding.url;
    await ding.close();
    const o = await dingtalkChannel.send({ url, secret: SECRET }, sampleMessage(), ctx());
    assert.deepEqual([o.ok, o.retryable, o.status], [false, true, null]);
    assert.match(o.message, /^DingTalk: could not reach the service/);
    assertNoSecrets(o);
  });
});

describe("DingTalk's answers", () => {
  const v = (status: number, body: unknown) =>
    interpretDingtalkAnswer(status, typeof body === 'string' ? body : JSON.stringify(body));

  test('each documented code is classified', () => {
    const cases: [number, unknown, boolean, string | null, RegExp][] = [
      [200, { errcode: '130101', errmsg: 'send too fast' }, true, '130101', /throttled/],
      [200, { errcode: 410100, errmsg: 'send too fast' }, true, '410100', /throttled/],
      [200, { errcode: 660026, errmsg: 'send too fast' }, true, '660026', /throttled/],
      [200, { errcode: 310000, errmsg: 'ip 1.2.3.4 not in whitelist' }, false, '310000', /allow-list/],
      [200, { errcode: 400101, errmsg: 'access_token不存在' }, false, '400101', /does not exist/],
      [200, { errcode: 400102, errmsg: '机器人已停用' }, false, '400102', /disabled/],
      [200, { errcode: 400105, errmsg: '不支持的消息类型' }, false, '400105', /not supported/],
      [200, { errcode: 43004, errmsg: '无效的HTTP HEADER Content-Type' }, false, '43004', /content type/],
      [200, { errcode: 460101, errmsg: 'message too long' }, false, '460101', /20,000 bytes/],
      [200, { errcode: -1, errmsg: '系统繁忙' }, true, '-1', /busy/],
      [502, '<html>502 Bad Gateway</html>', true, null, /without a result code: 502/],
    ];
    for (const [status, body, retryable, code, message] of cases) {
      const r = v(status, body);
      assert.equal(r.ok, false);
      assert.equal(r.retryable, retryable, JSON.stringify(body));
      assert.equal(r.providerCode, code);
      assert.match(r.message, message);
    }
  });

  test('a throttle answer carries the 10-minute penalty hint', () => {
    assert.equal(v(200, { errcode: 130101, errmsg: 'send too fast' }).penaltyMs, 10 * 60_000);
    assert.equal(v(200, { errcode: 0, errmsg: 'ok' }).penaltyMs, undefined);
  });

  test('HTTP 200 without errcode 0 is not success', () => {
    assert.equal(v(200, { errmsg: 'ok' }).ok, false);
    assert.equal(v(200, 'ok').ok, false);
  });
});
