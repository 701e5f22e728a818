import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HttpClient } from '../http-client.js';
import { FakeClock } from '../../kernel/clock.js';
import type { DeliveryOutcome } from './channel.js';
import type { TelegramConfig } from './telegram.js';
import { buildTelegramBody, interpretTelegramAnswer, telegramChannel } from './telegram.js';
import {
  parseTelegramHtml,
  startFakeTelegram,
  TELEGRAM_FAKE_GROUP,
  TELEGRAM_FAKE_PRIVATE,
  TELEGRAM_FAKE_TOKEN,
} from '../../../test/support/fakes/telegram.js';
import type { FakeTelegram } from '../../../test/support/fakes/telegram.js';
import { channelTestClient, sampleMessage } from '../../../test/support/fakes/message.js';

const { ctxAt } = channelTestClient();
const noToken = (o: DeliveryOutcome, token = TELEGRAM_FAKE_TOKEN) =>
  assert.ok(
    !o.message.includes(token) && !o.message.includes(token.split(':')[1] ?? '-'),
    `leaked: ${o.message}`,
  );
const start = async (
  t: { after(fn: () => Promise<void>): void },
  clock: FakeClock,
): Promise<[FakeTelegram, TelegramConfig]> => {
  const tg = await startFakeTelegram({ now: () => clock.now() });
  t.after(() => tg.close());
  return [tg, { apiUrl: tg.apiUrl, botToken: TELEGRAM_FAKE_TOKEN, chatId: TELEGRAM_FAKE_GROUP }];
};

describe('telegram channel against the fake Bot API', () => {
  test('the message arrives as valid HTML with the title in bold and links as buttons', async (t) => {
    const clock = new FakeClock('2026-11-26T08:00:00Z');
    const [tg, cfg] = await start(t, clock);
    const msg = sampleMessage({
      markdown:
        '### 订单同步停滞\n- **店铺**: shopee <MY-1> & co\n[runbook](https://wiki.example.com/rb?a=1&b=2)',
    });
    const o = await telegramChannel.send(cfg, msg, ctxAt(clock));
    assert.deepEqual(
      {
        ok: o.ok,
        retryable: o.retryable,
        status: o.status,
        providerCode: o.providerCode,
        message: o.message,
      },
      {
        ok: true,
        retryable: false,
        status: 200,
        providerCode: 'ok',
        message: 'telegram delivered the message (message_id 1)',
      },
    );
    const [posted] = tg.messages;
    assert.ok(posted);
    assert.equal(posted.chatId, String(TELEGRAM_FAKE_GROUP));
    assert.equal(posted.parseMode, 'HTML');
    assert.equal(
      posted.text,
      `<b>${msg.title}</b>\n\n<b>订单同步停滞</b>\n• <b>店铺</b>: shopee &lt;MY-1&gt; &amp; co\n<a href="https://wiki.example.com/rb?a=1&amp;b=2">runbook</a>`,
    );
    assert.equal(posted.visible, `${msg.title}\n\n订单同步停滞\n• 店铺: shopee <MY-1> & co\nrunbook`);
    assert.deepEqual(
      posted.keyboard,
      msg.links.map((l) => [{ text: l.label, url: l.url }]),
    );
    assert.equal(tg.exchanges[0]?.path, `/bot${TELEGRAM_FAKE_TOKEN}/sendMessage`);
  });

  test('a second message to the chat within a second is throttled with retry_after; a group allows 20 a minute', async (t) => {
    const clock = new FakeClock('2026-11-26T08:00:00Z');
    const [tg, cfg] = await start(t, clock);
    assert.equal((await telegramChannel.send(cfg, sampleMessage(), ctxAt(clock))).ok, true);
    clock.advance(200);
    const o = await telegramChannel.send(cfg, sampleMessage(), ctxAt(clock));
    assert.deepEqual(
      { ok: o.ok, retryable: o.retryable, status: o.status, code: o.providerCode },
      { ok: false, retryable: true, status: 429, code: '429' },
    );
    assert.equal(o.message, 'telegram is throttling this bot: 429 Too Many Requests: retry after 1');
    assert.equal(interpretTelegramAnswer(429, JSON.stringify(tg.exchanges[1]?.answer.body)).penaltyMs, 1000);

    clock.set('2026-11-26T08:01:00Z');
    for (let i = 0; i < 20; i++) {
      const ok = await telegramChannel.send(cfg, sampleMessage(), ctxAt(clock));
      assert.equal(ok.ok, true, `message ${i}: ${ok.message}`);
      clock.advance(1000);
    }
    const over = await telegramChannel.send(cfg, sampleMessage(), ctxAt(clock));
    assert.equal(over.retryable, true);
    assert.equal(over.message, 'telegram is throttling this bot: 429 Too Many Requests: retry after 40');
    const direct = await telegramChannel.send(
      { ...cfg, chatId: TELEGRAM_FAKE_PRIVATE },
      sampleMessage(),
      ctxAt(clock),
    );
    assert.equal(direct.ok, true, 'limits are per chat');
  });

  test('an over-long message is cut to 4,096 visible characters with the footer and stays valid HTML', async (t) => {
    const clock = new FakeClock();
    const [tg, cfg] = await start(t, clock);
    const msg = sampleMessage({
      markdown: Array.from(
        { length: 400 },
        (_, i) => `- **第${i}项** <&> 😀 [链接](https://e.example/${i})`,
      ).join('\n'),
    });
    const o = await telegramChannel.send({ ...cfg, language: 'en' }, msg, ctxAt(clock));
    assert.equal(o.ok, true, o.message);
    const visible = tg.messages[0]?.visible ?? '';
    const footer = `…(truncated, see ${msg.detailUrl})`;
    assert.ok(visible.endsWith(footer), visible.slice(-100));
    assert.ok(visible.length <= 4096 && visible.length > 4000, String(visible.length));
    assert.ok(!/[\uD800-\uDBFF]$/.test(visible.slice(0, -footer.length)));
    const zh = buildTelegramBody(cfg, msg).text;
    assert.ok(zh.endsWith(`…（内容过长已截断，详见 ${msg.detailUrl}）`));
  });

  test('a wrong bot token is permanent, names telegram and the code, and never shows the token', async (t) => {
    const clock = new FakeClock();
    const [, cfg] = await start(t, clock);
    const wrong = '7012345678:AAWrongWrongWrongWrongWrongWrongWrong1';
    const o = await telegramChannel.send({ ...cfg, botToken: wrong }, sampleMessage(), ctxAt(clock));
    assert.deepEqual(
      { ok: o.ok, retryable: o.retryable, status: o.status, code: o.providerCode, message: o.message },
      {
        ok: false,
        retryable: false,
        status: 401,
        code: '401',
        message: 'telegram refused the message: 401 Unauthorized: the bot token is wrong or was revoked',
      },
    );
    const malformed = await telegramChannel.send(
      { ...cfg, botToken: 'not-a-token' },
      sampleMessage(),
      ctxAt(clock),
    );
    assert.deepEqual([malformed.status, malformed.retryable], [404, false]);
    noToken(malformed, 'not-a-token');
  });

  test('provider errors map: chat not found, supergroup migration, blocked bot, outage, unreachable', async (t) => {
    const clock = new FakeClock();
    const [tg, cfg] = await start(t, clock);
    const missing = await telegramChannel.send({ ...cfg, chatId: -100999 }, sampleMessage(), ctxAt(clock));
    assert.deepEqual([missing.retryable, missing.providerCode], [false, '400']);
    assert.match(
      missing.message,
      /^telegram refused the message: 400 Bad Request: chat not found: the chat id is wrong/,
    );

    tg.migrate(-4001, -1004001);
    const moved = await telegramChannel.send({ ...cfg, chatId: -4001 }, sampleMessage(), ctxAt(clock));
    assert.match(moved.message, /set the chat id to -1004001$/);

    tg.block(TELEGRAM_FAKE_PRIVATE);
    const blocked = await telegramChannel.send(
      { ...cfg, chatId: TELEGRAM_FAKE_PRIVATE },
      sampleMessage(),
      ctxAt(clock),
    );
    assert.deepEqual([blocked.status, blocked.retryable], [403, false]);

    tg.respondWith(502, { ok: false, error_code: 502, description: 'Bad Gateway' });
    const outage = await telegramChannel.send(cfg, sampleMessage(), ctxAt(clock));
    assert.deepEqual(
      [outage.status, outage.retryable, outage.message],
      [502, true, 'telegram failed to take the message: 502 Bad Gateway'],
    );

    await tg.close();
    const fresh = new HttpClient();
    t.after(() => fresh.close());
    const down = await telegramChannel.send(cfg, sampleMessage(), ctxAt(clock, fresh));
    assert.deepEqual([down.ok, down.retryable, down.status], [false, true, null]);
    assert.match(down.message, /^telegram: could not reach the Bot API: .*ECONNREFUSED/);
    noToken(down);
  });
});

describe("the fake parses Telegram's HTML as Telegram does", () => {
  test('known-good and known-bad vectors', () => {
    assert.deepEqual(
      parseTelegramHtml('<b>粗</b> &amp; &lt;x&gt; &#128512; <a href="https://e.x/?a=1&amp;b=2">l</a>'),
      {
        ok: true,
        visible: '粗 & <x> 😀 l',
      },
    );
    assert.deepEqual(parseTelegramHtml('订<h1>x</h1>'), {
      ok: false,
      error: `can't parse entities: Unsupported start tag "h1" at byte offset 3`,
    });
    assert.equal(parseTelegramHtml('a & b').ok, false);
    assert.equal(parseTelegramHtml('a > b').ok, false);
    assert.deepEqual(parseTelegramHtml('<b>x'), {
      ok: false,
      error: `can't parse entities: Can't find end tag corresponding to start tag "b"`,
    });
    assert.equal(parseTelegramHtml('<b>x</i>').ok, false);
    assert.equal(parseTelegramHtml('&nbsp;').ok, false, 'only lt, gt, amp, quot are named entities');
  });
});
