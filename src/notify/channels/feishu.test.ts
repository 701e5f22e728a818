import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../kernel/clock.js';
import { HttpClient } from '../http-client.js';
import type { DeliveryOutcome } from './channel.js';
import { signDingtalk } from './dingtalk.js';
import {
  buildFeishuBody,
  feishuChannel,
  feishuTemplate,
  feishuUrl,
  interpretFeishuAnswer,
  signFeishu,
} from './feishu.js';
import { utf8Bytes } from '../../kernel/text.js';
import { startFakeFeishu, verifyFeishuSign } from '../../../test/support/fakes/feishu.js';
import type { FakeFeishuOptions } from '../../../test/support/fakes/feishu.js';
import { sampleMessage } from '../../../test/support/fakes/message.js';

const NOW = Date.parse('2026-11-26T08:00:00Z');
const TOKEN = 'b1c2d3e4-f5a6-7788-99aa-bbccddeeff00';
const SECRET = 'feishu-secret';
const MOBILE = '13800138000';

const assertNoSecrets = (o: DeliveryOutcome, extra: string[] = []) => {
  for (const s of [TOKEN, SECRET, MOBILE, ...extra])
    assert.ok(!o.message.includes(s), `${s} leaked: ${o.message}`);
  assert.ok(o.message.length <= 500);
};

describe('Feishu signature', () => {
  // Computed outside Watchpost: python3 -c "import hmac,hashlib,base64;
  //   print(base64.b64encode(hmac.new(b'1700000000\nfeishu-secret', b'', hashlib.sha256).digest()))"
  const VECTOR = 'OrBzY1Y01Gq+HgJsl+7OfWcMVwc7YocohQm5iiZwjhU=';

  test('the sender signs like the known-good vector, not URL-encoded', () => {
    assert.equal(signFeishu(SECRET, 1700000000), VECTOR);
  });

  test("the fake accepts the vector and refuses DingTalk's variant and other timestamps", () => {
    assert.equal(verifyFeishuSign(SECRET, '1700000000', VECTOR), true);
    assert.equal(verifyFeishuSign(SECRET, '1700000001', VECTOR), false);
    assert.equal(
      verifyFeishuSign(SECRET, '1700000000', decodeURIComponent(signDingtalk(SECRET, 1700000000))),
      false,
    );
  });

  test('the URL: whole webhook, or endpoint plus token (also a pasted URL)', () => {
    const whole = `https://open.feishu.cn/open-apis/bot/v2/hook/${TOKEN}`;
    assert.deepEqual(feishuUrl({ url: whole }), { url: whole, token: TOKEN });
    assert.deepEqual(feishuUrl({ token: TOKEN }), { url: whole, token: TOKEN });
    assert.deepEqual(feishuUrl({ token: whole }), { url: whole, token: TOKEN });
    assert.equal(
      feishuUrl({ url: 'https://open.larksuite.com/open-apis/bot/v2/hook/', token: TOKEN }).url,
      `https://open.larksuite.com/open-apis/bot/v2/hook/${TOKEN}`,
    );
    assert.equal(feishuUrl({}).token, null);
  });

  test('header colours follow severity; resolved is green', () => {
    const colour = (severity: 'P0' | 'P1' | 'P2' | 'P3' | null, status: 'firing' | 'resolved' = 'firing') =>
      feishuTemplate({ severity, status });
    assert.deepEqual(
      [colour('P0'), colour('P1'), colour('P2'), colour('P3'), colour(null), colour('P0', 'resolved')],
      ['red', 'orange', 'yellow', 'blue', 'grey', 'green'],
    );
  });
});

describe('Feishu sender against the fake bot', () => {
  const client = new HttpClient();
  after(() => client.close());

  const setup = async (
    t: { after: (fn: () => Promise<void>) => void },
    o: Partial<FakeFeishuOptions> = {},
  ) => {
    const clock = new FakeClock(NOW);
    const feishu = await startFakeFeishu({ clock, token: TOKEN, secret: SECRET, ...o });
    t.after(() => feishu.close());
    return { clock, feishu, ctx: () => ({ client, now: clock.now(), version: '1.2.3' }) };
  };

  test('a signed card arrives coloured by severity, with lark_md, buttons and mentions', async (t) => {
    const { feishu, ctx } = await setup(t);
    const msg = sampleMessage({
      severity: 'P0',
      mentions: { mobiles: [MOBILE], userIds: ['ou_7d8a6e6df7621556ce0d21922b676706'], all: true },
    });
    const o = await feishuChannel.send({ url: feishu.url, secret: SECRET }, msg, ctx());
    assert.deepEqual([o.ok, o.retryable, o.status, o.providerCode], [true, false, 200, '0']);
    const m = feishu.messages[0];
    assert.equal(m?.msgType, 'interactive');
    assert.equal(m?.template, 'red');
    assert.equal(m?.title, msg.title);
    assert.ok(m?.text.startsWith(msg.markdown));
    assert.deepEqual(m?.mentioned, ['ou_7d8a6e6df7621556ce0d21922b676706', 'all']);
    assert.deepEqual(m?.buttons, msg.links);
    const sent = feishu.requests[0]?.body as Record<string, unknown>;
    assert.equal(sent.timestamp, String(NOW / 1000));
    assert.ok(
      !JSON.stringify(sent).includes(MOBILE),
      'a mobile cannot be mentioned on Feishu and is not sent',
    );
    assertNoSecrets(o);
  });

  test('a resolved message is green; an unsigned bot takes a message without timestamp and sign', async (t) => {
    const { feishu, ctx } = await setup(t, { secret: undefined });
    const o = await feishuChannel.send({ url: feishu.url }, sampleMessage({ status: 'resolved' }), ctx());
    assert.equal(o.ok, true, o.message);
    assert.equal(feishu.messages[0]?.template, 'green');
    assert.equal((feishu.requests[0]?.body as Record<string, unknown>).sign, undefined);
  });

  test('a wrong secret is a permanent failure naming Feishu and 19021', async (t) => {
    const { feishu, ctx } = await setup(t);
    const o = await feishuChannel.send({ url: feishu.url, secret: 'not-the-secret' }, sampleMessage(), ctx());
    assert.deepEqual([o.ok, o.retryable, o.providerCode], [false, false, '19021']);
    assert.equal(
      o.message,
      "Feishu: the signature or its timestamp was refused: check the signing secret and this server's clock " +
        '(19021 sign match fail or timestamp is not within one hour from current time)',
    );
    assert.equal(feishu.messages.length, 0);
    assertNoSecrets(o, ['not-the-secret']);
  });

  test('a timestamp over an hour old is refused with 19021', async (t) => {
    const { feishu, clock } = await setup(t);
    const o = await feishuChannel.send({ url: feishu.url, secret: SECRET }, sampleMessage(), {
      client,
      now: clock.now() - 3_601_000,
      version: 'dev',
    });
    assert.equal(o.providerCode, '19021');
  });

  test('keywords and the IP allow-list are enforced with 19024 and 19022', async (t) => {
    const a = await setup(t, { keywords: ['Watchpost'] });
    const noKeyword = await feishuChannel.send(
      { url: a.feishu.url, secret: SECRET },
      sampleMessage(),
      a.ctx(),
    );
    assert.deepEqual([noKeyword.ok, noKeyword.retryable, noKeyword.providerCode], [false, false, '19024']);
    assert.match(noKeyword.message, /lacks the bot's keywords/);
    const withKeyword = await feishuChannel.send(
      { url: a.feishu.url, secret: SECRET },
      sampleMessage({ title: '[P1] Watchpost: 订单同步停滞' }),
      a.ctx(),
    );
    assert.equal(withKeyword.ok, true, 'the card title counts');
    const b = await setup(t, { ipAllowList: ['203.0.113.7'] });
    const ip = await feishuChannel.send({ url: b.feishu.url, secret: SECRET }, sampleMessage(), b.ctx());
    assert.deepEqual([ip.retryable, ip.providerCode], [false, '19022']);
    assert.match(ip.message, /allow-list/);
  });

  test('over 5 a second is throttled (9499 "too many request"): retryable; fine the next second', async (t) => {
    const { feishu, clock, ctx } = await setup(t);
    for (let i = 0; i < 5; i++)
      assert.equal(
        (await feishuChannel.send({ url: feishu.url, secret: SECRET }, sampleMessage(), ctx())).ok,
        true,
      );
    const o = await feishuChannel.send({ url: feishu.url, secret: SECRET }, sampleMessage(), ctx());
    assert.deepEqual([o.ok, o.retryable, o.status, o.providerCode], [false, true, 400, '9499']);
    assert.match(o.message, /^Feishu: the bot is throttled .*\(9499 too many request\)$/);
    clock.advance(1_000);
    assert.equal(
      (await feishuChannel.send({ url: feishu.url, secret: SECRET }, sampleMessage(), ctx())).ok,
      true,
    );
  });

  test('over 100 a minute is throttled even at 5 a second', async (t) => {
    const { feishu, clock, ctx } = await setup(t);
    for (let i = 0; i < 100; i++) {
      const o = await feishuChannel.send({ url: feishu.url, secret: SECRET }, sampleMessage(), ctx());
      assert.equal(o.ok, true, `${i}: ${o.message}`);
      clock.advance(250);
    }
    const o = await feishuChannel.send({ url: feishu.url, secret: SECRET }, sampleMessage(), ctx());
    assert.deepEqual([o.retryable, o.providerCode], [true, '9499']);
    clock.advance(35_000);
    assert.equal(
      (await feishuChannel.send({ url: feishu.url, secret: SECRET }, sampleMessage(), ctx())).ok,
      true,
    );
  });

  test('an over-long message is cut on a character within 20 KB with the footer, and arrives', async (t) => {
    const { feishu, ctx } = await setup(t);
    const long = '支付回调超时😀'.repeat(2_000);
    const msg = sampleMessage({ markdown: long, mentions: { mobiles: [], userIds: ['ou_abc'], all: false } });
    const o = await feishuChannel.send({ url: feishu.url, secret: SECRET, language: 'en' }, msg, ctx());
    assert.equal(o.ok, true, o.message);
    const raw = feishu.requests[0]?.rawBody.length ?? 0;
    assert.ok(raw <= 20_000 && raw > 19_800, `body ${raw}`);
    const text = feishu.messages[0]?.text ?? '';
    const footer = '\n…(truncated, see https://watchpost.example.com/alerts/42)';
    const at = text.indexOf(footer);
    assert.ok(at > 0 && long.startsWith(text.slice(0, at)));
    assert.deepEqual(feishu.messages[0]?.mentioned, ['ou_abc']);
    assert.ok(utf8Bytes(buildFeishuBody({}, msg, NOW).body) <= 20_000);
  });

  test('the fake refuses a body over 20 KB with 9499 Bad Request, read as permanent', async (t) => {
    const { feishu } = await setup(t, { secret: undefined });
    const res = await client.send({
      method: 'POST',
      url: feishu.url,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ msg_type: 'text', content: { text: 'x'.repeat(21_000) } }),
    });
    assert.equal(res.status, 400);
    const v = interpretFeishuAnswer(res.status ?? 0, res.body);
    assert.deepEqual([v.ok, v.retryable, v.providerCode], [false, false, '9499']);
    assert.match(v.message, /malformed \(9499 Bad Request\)/);
  });

  test('an old-style StatusCode answer is read as success', async (t) => {
    const { feishu, ctx } = await setup(t, { legacySuccess: true });
    const o = await feishuChannel.send({ url: feishu.url, secret: SECRET }, sampleMessage(), ctx());
    assert.deepEqual([o.ok, o.providerCode], [true, '0']);
    assert.match(o.message, /success/);
  });

  test('a wrong token is permanent (19001); no token says what to set', async (t) => {
    const { feishu, ctx } = await setup(t);
    const wrong = feishu.url.replace(TOKEN, 'wrong-token-0000');
    const o = await feishuChannel.send({ url: wrong, secret: SECRET }, sampleMessage(), ctx());
    assert.deepEqual([o.ok, o.retryable, o.providerCode], [false, false, '19001']);
    assertNoSecrets(o, ['wrong-token-0000']);
    const none = await feishuChannel.send({}, sampleMessage(), ctx());
    assert.match(none.message, /no bot token/);
  });
});

describe("Feishu's answers", () => {
  test('9499 is throttling only when the text says so; 5xx without a code is retryable', () => {
    const cases: [number, string, boolean, boolean, string | null][] = [
      [200, '{"code":0,"data":{},"msg":"success"}', true, false, '0'],
      [200, '{"Extra":null,"StatusCode":0,"StatusMessage":"success"}', true, false, '0'],
      [400, '{"code":9499,"data":{},"msg":"too many request"}', false, true, '9499'],
      [400, '{"code":9499,"data":{},"msg":"Bad Request"}', false, false, '9499'],
      [200, '{"StatusCode":19021,"StatusMessage":"sign match fail"}', false, false, '19021'],
      [200, '{"msg":"success"}', false, false, null],
      [502, 'Bad Gateway', false, true, null],
    ];
    for (const [status, body, ok, retryable, code] of cases) {
      const v = interpretFeishuAnswer(status, body);
      assert.deepEqual([v.ok, v.retryable, v.providerCode], [ok, retryable, code], body);
    }
  });
});
