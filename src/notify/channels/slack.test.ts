import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HttpClient } from '../http-client.js';
import { FakeClock } from '../../kernel/clock.js';
import type { DeliveryOutcome } from './channel.js';
import { buildSlackBody, interpretSlackAnswer, slackChannel, SLACK_LIMITS } from './slack.js';
import { blocksProblem, SLACK_FAKE_SECRET, startFakeSlack } from '../../../test/support/fakes/slack.js';
import { channelTestClient, sampleMessage } from '../../../test/support/fakes/message.js';

const { ctxAt } = channelTestClient();
const noSecret = (o: DeliveryOutcome, secret = SLACK_FAKE_SECRET) =>
  assert.ok(!o.message.includes(secret) && !(o.providerCode ?? '').includes(secret), `leaked: ${o.message}`);

describe('slack channel against the fake webhook', () => {
  test('a message arrives as header, mrkdwn section and link buttons; `ok` is success', async (t) => {
    const clock = new FakeClock('2026-11-26T08:00:00Z');
    const slack = await startFakeSlack({ now: () => clock.now() });
    t.after(() => slack.close());
    const msg = sampleMessage({
      markdown:
        '### 订单同步停滞\n- **店铺**: shopee MY-1 <b>&\n1. see [runbook](https://wiki.example.com/rb?a=1&b=2)\n[bad](javascript:alert(1))',
    });
    const o = await slackChannel.send({ url: slack.url }, msg, ctxAt(clock));
    assert.deepEqual(
      { ok: o.ok, retryable: o.retryable, status: o.status, providerCode: o.providerCode },
      { ok: true, retryable: false, status: 200, providerCode: 'ok' },
    );
    const [posted] = slack.messages;
    assert.ok(posted);
    const blocks = posted.blocks as any[];
    assert.equal(blocks[0].type, 'header');
    assert.equal(blocks[0].text.text, msg.title);
    assert.equal(
      blocks[1].text.text,
      '*订单同步停滞*\n• *店铺*: shopee MY-1 &lt;b&gt;&amp;\n1. see <https://wiki.example.com/rb?a=1&amp;b=2|runbook>\nbad (javascript:alert(1))',
    );
    assert.deepEqual(
      blocks[2].elements.map((e: any) => [e.text.text, e.url]),
      msg.links.map((l) => [l.label, l.url]),
    );
    assert.ok(posted.text?.startsWith(msg.title), 'the notification fallback starts with the title');
    assert.equal(slack.exchanges[0]?.headers['user-agent'], 'Watchpost/1.2.3');
  });

  test('more than one message per second is throttled (retryable, with the hint), then accepted', async (t) => {
    const clock = new FakeClock('2026-11-26T08:00:00Z');
    const slack = await startFakeSlack({ now: () => clock.now() });
    t.after(() => slack.close());
    const first = await slackChannel.send({ url: slack.url }, sampleMessage(), ctxAt(clock));
    assert.equal(first.ok, true);
    clock.advance(300);
    const second = await slackChannel.send({ url: slack.url }, sampleMessage(), ctxAt(clock));
    assert.deepEqual(
      { ok: second.ok, retryable: second.retryable, status: second.status, code: second.providerCode },
      { ok: false, retryable: true, status: 429, code: 'rate_limited' },
    );
    assert.match(
      second.message,
      /^slack is throttling this webhook: 429 rate_limited; Slack asks to wait 1 s$/,
    );
    assert.equal(slack.exchanges[1]?.answer.headers?.['retry-after'], '1');
    clock.advance(700);
    const third = await slackChannel.send({ url: slack.url }, sampleMessage(), ctxAt(clock));
    assert.equal(third.ok, true);
    assert.equal(slack.messages.length, 2, 'the throttled message was not posted');
  });

  test('an over-long body is cut to 3,000 characters on a character boundary with the footer', async (t) => {
    const clock = new FakeClock();
    const slack = await startFakeSlack({ now: () => clock.now() });
    t.after(() => slack.close());
    const msg = sampleMessage({ markdown: '**开头**\n' + '订单😀'.repeat(2000), text: 'x'.repeat(50_000) });
    const o = await slackChannel.send({ url: slack.url }, msg, ctxAt(clock));
    assert.equal(o.ok, true, o.message);
    const section = (slack.messages[0]?.blocks as any[])[1].text.text as string;
    const footer = `…（内容过长已截断，详见 ${msg.detailUrl}）`;
    assert.ok(section.endsWith(footer), section.slice(-80));
    assert.ok(section.length <= SLACK_LIMITS.sectionText && section.length > 2900, String(section.length));
    assert.ok(!/[\uD800-\uDBFF]$/.test(section.slice(0, -footer.length)), 'no half emoji');
    const text = slack.messages[0]?.text ?? '';
    assert.ok(text.length <= SLACK_LIMITS.text && text.endsWith(footer));

    const en = buildSlackBody(msg, 'en');
    assert.ok((en.blocks[1] as any).text.text.endsWith(`…(truncated, see ${msg.detailUrl})`));
  });

  test('a wrong or revoked webhook is a permanent failure naming slack and the code, secret redacted', async (t) => {
    const clock = new FakeClock();
    const slack = await startFakeSlack({ now: () => clock.now() });
    t.after(() => slack.close());
    const wrong = 'wrongS3cretValue1234567';
    const o = await slackChannel.send({ url: slack.urlFor(wrong) }, sampleMessage(), ctxAt(clock));
    assert.deepEqual(
      { ok: o.ok, retryable: o.retryable, status: o.status, code: o.providerCode },
      { ok: false, retryable: false, status: 403, code: 'invalid_token' },
    );
    assert.match(
      o.message,
      /^slack refused the message: 403 invalid_token: the webhook URL is wrong or was revoked/,
    );
    noSecret(o, wrong);
  });

  test('provider errors map: archived channel permanent, 5xx retryable, connection refused retryable', async (t) => {
    const clock = new FakeClock();
    const slack = await startFakeSlack({ now: () => clock.now() });
    t.after(() => slack.close());
    slack.setChannel('archived');
    const archived = await slackChannel.send({ url: slack.url }, sampleMessage(), ctxAt(clock));
    assert.deepEqual(
      [archived.ok, archived.retryable, archived.status, archived.providerCode],
      [false, false, 410, 'channel_is_archived'],
    );
    assert.match(archived.message, /archived/);

    slack.setChannel('ok');
    slack.respondWith(503, 'service unavailable');
    clock.advance(1000);
    const outage = await slackChannel.send({ url: slack.url }, sampleMessage(), ctxAt(clock));
    assert.deepEqual([outage.ok, outage.retryable, outage.status], [false, true, 503]);
    assert.match(outage.message, /^slack failed to take the message: 503 service unavailable$/);

    const port = new URL(slack.url).port;
    await slack.close();
    const fresh = new HttpClient(); // the shared one would meet its dead kept-alive connection first
    t.after(() => fresh.close());
    const down = await slackChannel.send({ url: slack.url }, sampleMessage(), {
      ...ctxAt(clock),
      client: fresh,
    });
    assert.deepEqual([down.ok, down.retryable, down.status], [false, true, null]);
    assert.match(
      down.message,
      new RegExp(`^slack: could not reach Slack: .*ECONNREFUSED 127\\.0\\.0\\.1:${port}`),
    );
    noSecret(down);
  });

  test('a 200 whose body is not `ok` is not a success', () => {
    const i = interpretSlackAnswer(200, {}, 'invalid_payload', 0);
    assert.deepEqual([i.ok, i.retryable, i.providerCode], [false, false, 'invalid_payload']);
    const t = interpretSlackAnswer(429, { 'retry-after': '30' }, 'rate_limited', 0);
    assert.deepEqual([t.retryable, t.penaltyMs], [true, 30_000]);
  });
});

describe('the fake checks Block Kit as Slack does', () => {
  test('a known-good body passes; each broken limit is named', () => {
    const good = [
      { type: 'header', text: { type: 'plain_text', text: 'x'.repeat(150) } },
      { type: 'section', text: { type: 'mrkdwn', text: '订'.repeat(3000) } },
      {
        type: 'actions',
        elements: [
          { type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'Open' }, url: 'https://e.x' },
        ],
      },
    ];
    assert.equal(blocksProblem(good), null);
    assert.match(
      blocksProblem([{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }]) ?? '',
      /150/,
    );
    assert.match(
      blocksProblem([{ type: 'section', text: { type: 'mrkdwn', text: '😀'.repeat(3001) } }]) ?? '',
      /3000/,
    );
    assert.match(blocksProblem([{ type: 'section', text: { type: 'mrkdwn', text: '' } }]) ?? '', /text/);
    const twice = { type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'x' } };
    assert.match(blocksProblem([{ type: 'actions', elements: [twice, twice] }]) ?? '', /unique/);
    assert.match(blocksProblem([{ type: 'video' }]) ?? '', /type/);
  });
});
