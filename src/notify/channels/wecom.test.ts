import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../kernel/clock.js';
import { HttpClient } from '../http-client.js';
import type { DeliveryOutcome } from './channel.js';
import {
  buildWecomBodies,
  interpretWecomAnswer,
  normaliseWecomKey,
  wecomChannel,
  wecomUrl,
} from './wecom.js';
import { utf8Bytes } from '../../kernel/text.js';
import { startFakeWecom } from '../../../test/support/fakes/wecom.js';
import { sampleMessage } from '../../../test/support/fakes/message.js';

const NOW = Date.parse('2026-11-26T08:00:00Z');
const KEY = '693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa';
const MOBILE = '13800138000';
const PUBLIC_URL = `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${KEY}`;

const assertNoSecrets = (o: DeliveryOutcome, extra: string[] = []) => {
  for (const s of [KEY, MOBILE, ...extra]) assert.ok(!o.message.includes(s), `${s} leaked: ${o.message}`);
  assert.ok(o.message.length <= 500);
};

describe('WeCom key', () => {
  test('the key alone or the whole webhook URL give the same key', () => {
    assert.equal(normaliseWecomKey(KEY), KEY);
    assert.equal(normaliseWecomKey(` ${PUBLIC_URL} `), KEY);
    assert.equal(normaliseWecomKey(`key=${KEY}`), KEY);
    assert.equal(normaliseWecomKey('https://qyapi.weixin.qq.com/cgi-bin/webhook/send'), null);
    assert.equal(normaliseWecomKey(''), null);
  });

  test('the URL is the endpoint with the key, from either place', () => {
    assert.equal(wecomUrl({ key: KEY }).url, PUBLIC_URL);
    assert.equal(wecomUrl({ key: PUBLIC_URL }).url, PUBLIC_URL);
    assert.equal(wecomUrl({ url: PUBLIC_URL }).url, PUBLIC_URL);
    assert.equal(
      wecomUrl({ url: 'http://proxy.local/wecom?x=1', key: PUBLIC_URL }).url,
      `http://proxy.local/wecom?x=1&key=${KEY}`,
    );
  });

  test('the fake refuses a whole URL sent as the key with 93000, as WeCom does', async (t) => {
    const wecom = await startFakeWecom({ clock: new FakeClock(NOW), key: KEY });
    t.after(() => wecom.close());
    const client = new HttpClient();
    t.after(() => client.close());
    const res = await client.send({
      method: 'POST',
      url: `${wecom.endpoint}?key=${encodeURIComponent(PUBLIC_URL)}`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ msgtype: 'text', text: { content: 'hi' } }),
    });
    assert.equal(res.status, 200);
    assert.match(
      res.body,
      /^\{"errcode":93000,"errmsg":"invalid webhook url, hint: \[.*\], from ip: .*more info at https:\/\/open\.work\.weixin\.qq\.com\/devtool\/query\?e=93000"\}$/,
    );
  });
});

describe('WeCom sender against the fake robot', () => {
  const client = new HttpClient();
  after(() => client.close());

  const setup = async (t: { after: (fn: () => Promise<void>) => void }) => {
    const clock = new FakeClock(NOW);
    const wecom = await startFakeWecom({ clock, key: KEY });
    t.after(() => wecom.close());
    return { clock, wecom, ctx: () => ({ client, now: clock.now(), version: '1.2.3' }) };
  };

  test('a markdown message arrives with links and <@userid> mentions', async (t) => {
    const { wecom, ctx } = await setup(t);
    const msg = sampleMessage({ mentions: { mobiles: [], userIds: ['zhangsan'], all: false } });
    const o = await wecomChannel.send({ url: wecom.url }, msg, ctx());
    assert.deepEqual([o.ok, o.retryable, o.status, o.providerCode], [true, false, 200, '0']);
    assert.equal(wecom.messages.length, 1);
    const m = wecom.messages[0];
    assert.equal(m?.msgtype, 'markdown');
    assert.ok(m?.content.startsWith(msg.markdown));
    assert.match(m?.content ?? '', /\[打开\]\(https:\/\/watchpost\.example\.com\/alerts\/42\)/);
    assert.deepEqual(m?.mentionedUserIds, ['zhangsan']);
    assertNoSecrets(o);
  });

  test('a pasted whole URL as the key works against another endpoint', async (t) => {
    const { wecom, ctx } = await setup(t);
    const o = await wecomChannel.send({ url: wecom.endpoint, key: PUBLIC_URL }, sampleMessage(), ctx());
    assert.equal(o.ok, true, o.message);
  });

  test('markdown cannot mention mobiles or @all, so a text message with them follows', async (t) => {
    const { wecom, ctx } = await setup(t);
    const msg = sampleMessage({ mentions: { mobiles: [MOBILE], userIds: ['zhangsan'], all: true } });
    const o = await wecomChannel.send({ url: wecom.url }, msg, ctx());
    assert.equal(o.ok, true);
    assert.deepEqual(
      wecom.messages.map((m) => [m.msgtype, m.mentionedUserIds, m.mentionedMobiles]),
      [
        ['markdown', ['zhangsan'], []],
        ['text', ['@all'], [MOBILE]],
      ],
    );
    assertNoSecrets(o);
  });

  test('a text message mentions everyone in one message', async (t) => {
    const { wecom, ctx } = await setup(t);
    const msg = sampleMessage({ mentions: { mobiles: [MOBILE], userIds: ['zhangsan'], all: false } });
    const o = await wecomChannel.send({ url: wecom.url, msgType: 'text' }, msg, ctx());
    assert.equal(o.ok, true);
    assert.equal(wecom.messages.length, 1);
    assert.deepEqual(wecom.messages[0]?.mentionedUserIds, ['zhangsan']);
    assert.deepEqual(wecom.messages[0]?.mentionedMobiles, [MOBILE]);
    assert.ok(wecom.messages[0]?.content.startsWith(msg.text));
    assert.match(
      wecom.messages[0]?.content ?? '',
      /静默 1 小时: https:\/\/watchpost\.example\.com\/s\/abc\?sig=xyz/,
    );
  });

  test('a wrong key is a permanent failure naming WeCom and 93000, without the key or the hint', async (t) => {
    const { wecom, ctx } = await setup(t);
    const wrong = 'ffffffff-0000-0000-0000-000000000000';
    const o = await wecomChannel.send({ url: wecom.endpoint, key: wrong }, sampleMessage(), ctx());
    assert.deepEqual([o.ok, o.retryable, o.providerCode], [false, false, '93000']);
    assert.equal(
      o.message,
      'WeCom: the webhook key is not valid: check the key (or paste the whole webhook URL) (93000 invalid webhook url)',
    );
    assertNoSecrets(o, [wrong]);
  });

  test('over 20 a minute answers 45009: retryable, accepted again a minute later', async (t) => {
    const { wecom, clock, ctx } = await setup(t);
    for (let i = 0; i < 20; i++) {
      assert.equal((await wecomChannel.send({ url: wecom.url }, sampleMessage(), ctx())).ok, true);
      clock.advance(500);
    }
    const o = await wecomChannel.send({ url: wecom.url }, sampleMessage(), ctx());
    assert.deepEqual([o.ok, o.retryable, o.providerCode], [false, true, '45009']);
    assert.match(o.message, /^WeCom: the robot is throttled .*45009 api freq out of limit\)$/);
    clock.advance(60_000);
    assert.equal((await wecomChannel.send({ url: wecom.url }, sampleMessage(), ctx())).ok, true);
    assert.equal(wecom.messages.length, 21);
  });

  test('over-long markdown and text are cut on a character within the limits, with the footer, and arrive', async (t) => {
    const { wecom, ctx } = await setup(t);
    const long = '库存同步失败😀'.repeat(1_000);
    const msg = sampleMessage({
      markdown: long,
      text: long,
      mentions: { mobiles: [], userIds: ['zhangsan'], all: false },
    });
    const md = await wecomChannel.send({ url: wecom.url, language: 'en' }, msg, ctx());
    const tx = await wecomChannel.send({ url: wecom.url, msgType: 'text' }, msg, ctx());
    assert.deepEqual([md.ok, tx.ok], [true, true], `${md.message} / ${tx.message}`);
    const [m, x] = wecom.messages;
    assert.ok(utf8Bytes(m?.content ?? '') <= 4_096 && utf8Bytes(m?.content ?? '') > 4_000);
    assert.ok(utf8Bytes(x?.content ?? '') <= 2_048 && utf8Bytes(x?.content ?? '') > 1_950);
    const enFooter = '\n…(truncated, see https://watchpost.example.com/alerts/42)';
    const zhFooter = '\n…（内容过长已截断，详见 https://watchpost.example.com/alerts/42）';
    const mCut = m?.content.indexOf(enFooter) ?? -1;
    const xCut = x?.content.indexOf(zhFooter) ?? -1;
    assert.ok(mCut > 0 && xCut > 0, 'both end with the footer (before links and mentions)');
    assert.ok(long.startsWith(m?.content.slice(0, mCut) ?? 'x'));
    assert.ok(long.startsWith(x?.content.slice(0, xCut) ?? 'x'));
    assert.deepEqual(m?.mentionedUserIds, ['zhangsan'], 'the mention survives the cut');
  });

  test('the fake refuses markdown over 4,096 bytes with 40058, read as permanent', async (t) => {
    const { wecom } = await setup(t);
    const res = await client.send({
      method: 'POST',
      url: wecom.url,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ msgtype: 'markdown', markdown: { content: 'x'.repeat(4_097) } }),
    });
    const v = interpretWecomAnswer(res.status ?? 0, res.body);
    assert.deepEqual([v.ok, v.retryable, v.providerCode], [false, false, '40058']);
    assert.match(
      v.message,
      /too long \(40058 markdown\.content exceed max length 4096\. invalid Request Parameter\)$/,
    );
  });

  test('no key is a permanent failure that says what to set', async () => {
    const o = await wecomChannel.send({}, sampleMessage(), { client, now: NOW, version: 'dev' });
    assert.deepEqual([o.ok, o.retryable, o.status], [false, false, null]);
    assert.match(o.message, /no robot key/);
  });
});

describe("WeCom's answers", () => {
  test('codes are classified; HTTP 200 alone is not success', () => {
    const cases: [number, string, boolean, boolean, string | null][] = [
      [200, '{"errcode":0,"errmsg":"ok"}', true, false, '0'],
      [200, '{"errcode":"45009","errmsg":"api freq out of limit"}', false, true, '45009'],
      [200, '{"errcode":40008,"errmsg":"invalid message type"}', false, false, '40008'],
      [200, '{"errcode":44004,"errmsg":"empty content"}', false, false, '44004'],
      [200, '{"errcode":-1,"errmsg":"system busy"}', false, true, '-1'],
      [200, 'ok', false, false, null],
      [503, '<html>busy</html>', false, true, null],
    ];
    for (const [status, body, ok, retryable, code] of cases) {
      const v = interpretWecomAnswer(status, body);
      assert.deepEqual([v.ok, v.retryable, v.providerCode], [ok, retryable, code], body);
    }
  });

  test('the mention message is only built when markdown asks for mobiles or @all', () => {
    assert.equal(buildWecomBodies({}, sampleMessage()).length, 1);
    assert.equal(
      buildWecomBodies(
        { msgType: 'text' },
        sampleMessage({ mentions: { mobiles: [MOBILE], userIds: [], all: true } }),
      ).length,
      1,
    );
  });
});
