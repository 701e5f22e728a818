import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../kernel/clock.js';
import { HttpClient } from '../http-client.js';
import { twilioAuthorization, twilioBody, twilioSmsChannel, TWILIO_MAX_BODY_CHARS } from './twilio-sms.js';
import type { TwilioSmsConfig } from './twilio-sms.js';
import type { DeliveryOutcome } from './channel.js';
import { startFakeTwilio } from '../../../test/support/fakes/twilio.js';
import type { FakeTwilioOptions } from '../../../test/support/fakes/twilio.js';
import { sampleMessage } from '../../../test/support/fakes/message.js';

const SID = 'ACa1b2c3d4e5f60718293a4b5c6d7e8f90';
const TOKEN = 'tw1l10-auth-t0ken';
const FROM = '+15005550006';
const TO = ['+8613800001234', '+14155559876'];

describe('Twilio request parts', () => {
  test('basic auth is base64("AccountSid:AuthToken") (vector computed with Python base64)', () => {
    assert.equal(
      twilioAuthorization(SID, TOKEN),
      'Basic QUNhMWIyYzNkNGU1ZjYwNzE4MjkzYTRiNWM2ZDdlOGY5MDp0dzFsMTAtYXV0aC10MGtlbg==',
    );
  });

  test('a long body is cut to 1,600 characters ending with the footer, never inside a surrogate pair', () => {
    const msg = sampleMessage({ text: '😀'.repeat(1000) });
    const body = twilioBody(msg, 'en');
    assert.ok(body.length <= TWILIO_MAX_BODY_CHARS);
    assert.ok(body.endsWith('…(truncated, see https://watchpost.example.com/alerts/42)'));
    assert.ok(!/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(body), 'no lone high surrogate');
    assert.ok(body.startsWith('[P1 告警] 订单同步停滞 · shopee MY-1\n😀'));
    const short = twilioBody(sampleMessage(), 'zh-CN');
    assert.equal(short, '[P1 告警] 订单同步停滞 · shopee MY-1，持续 12 分钟');
  });
});

describe('twilioSmsChannel against the fake Messages API', () => {
  const client = new HttpClient();
  after(() => client.close());
  const clock = new FakeClock('2026-11-26T08:00:00Z');

  const setup = async (
    t: { after: (fn: () => Promise<void>) => void },
    extra: Partial<FakeTwilioOptions> = {},
  ) => {
    const fake = await startFakeTwilio({
      accountSid: SID,
      authToken: TOKEN,
      now: () => clock.now(),
      from: [FROM],
      ...extra,
    });
    t.after(() => fake.close());
    const cfg: TwilioSmsConfig = {
      url: fake.messagesUrl,
      accountSid: SID,
      authToken: TOKEN,
      from: FROM,
      to: TO,
    };
    const send = (c: Partial<TwilioSmsConfig> = {}, msg = sampleMessage()) =>
      twilioSmsChannel.send({ ...cfg, ...c }, msg, { client, now: clock.now(), version: '1.0.0' });
    return { fake, send };
  };

  const assertClean = (o: DeliveryOutcome, extra: string[] = []) => {
    for (const s of [TOKEN, ...TO, FROM, ...extra])
      assert.ok(!o.message.includes(s), `leaked ${s}: ${o.message}`);
    assert.ok(o.message.length <= 500);
  };

  test('one authenticated request per recipient, each answered 201', async (t) => {
    clock.advance(60_000);
    const { fake, send } = await setup(t);
    const o = await send();
    assert.deepEqual([o.ok, o.retryable, o.status, o.providerCode], [true, false, 201, 'queued']);
    assert.deepEqual(
      fake.sent.map((m) => [m.to, m.from, m.body]),
      TO.map((to) => [to, FROM, '[P1 告警] 订单同步停滞 · shopee MY-1，持续 12 分钟']),
    );
    assert.equal(fake.requests.length, 2);
    assertClean(o);
  });

  test('a messaging service sid replaces From', async (t) => {
    clock.advance(60_000);
    const { fake, send } = await setup(t);
    const o = await send({
      from: undefined,
      messagingServiceSid: 'MG0123456789abcdef0123456789abcdef',
      to: [TO[0] ?? ''],
    });
    assert.equal(o.ok, true, o.message);
    assert.deepEqual(
      [fake.sent[0]?.from, fake.sent[0]?.messagingServiceSid],
      [null, 'MG0123456789abcdef0123456789abcdef'],
    );
    assert.equal(o.providerCode, 'accepted');
  });

  test('a wrong auth token is a permanent 20003 naming the channel, and the other recipients are not tried', async (t) => {
    clock.advance(60_000);
    const { fake, send } = await setup(t);
    const o = await send({ authToken: 'wrong-token-123' });
    assert.deepEqual([o.ok, o.retryable, o.status, o.providerCode], [false, false, 401, '20003']);
    assert.match(
      o.message,
      /^twilio_sms: 2 of 2 recipients did not get the message: #1: Twilio refused the message \(20003, HTTP 401\): Authenticate — check account_sid and auth_token/,
    );
    assert.match(o.message, /#2–#2 not tried/);
    assert.equal(fake.requests.length, 1);
    assertClean(o, ['wrong-token-123']);
  });

  test('beyond the request rate Twilio answers 429 (20429): retryable, and passes a second later', async (t) => {
    clock.advance(60_000);
    const { fake, send } = await setup(t, { perSecond: 1 });
    const o = await send();
    assert.deepEqual([o.ok, o.retryable, o.status, o.providerCode], [false, true, 429, '20429']);
    assert.match(
      o.message,
      /1 of 2 recipients did not get the message: #2: Twilio is throttling \(20429, HTTP 429\)/,
    );
    assertClean(o);
    clock.advance(1_000);
    const again = await send({ to: [TO[1] ?? ''] });
    assert.equal(again.ok, true, again.message);
    assert.deepEqual(
      fake.sent.map((m) => m.to),
      TO,
    );
  });

  test('an invalid recipient (21211) is a permanent partial failure, the number masked though Twilio echoes it', async (t) => {
    clock.advance(60_000);
    const { fake, send } = await setup(t);
    const o = await send({ to: [TO[0] ?? '', '+1999123456789999'] });
    assert.deepEqual([o.ok, o.retryable, o.status, o.providerCode], [false, false, 400, '21211']);
    assert.match(
      o.message,
      /1 of 2 recipients did not get the message: #2: Twilio refused the message \(21211, HTTP 400\): The 'To' number \+\*\*\*9999 is not a valid phone number/,
    );
    assert.ok(JSON.stringify(fake.requests[1]?.answer.body).includes('+1999123456789999'));
    assertClean(o, ['1999123456789999']);
    assert.equal(fake.sent.length, 1);
  });

  test('an over-long message is cut to 1,600 characters with the footer and the fake accepts it', async (t) => {
    clock.advance(60_000);
    const { fake, send } = await setup(t);
    const o = await send({ to: [TO[0] ?? ''] }, sampleMessage({ text: '订单同步停滞，'.repeat(400) }));
    assert.equal(o.ok, true, o.message);
    const body = fake.sent[0]?.body ?? '';
    assert.equal(body.length, 1600);
    assert.ok(body.endsWith('…（内容过长已截断，详见 https://watchpost.example.com/alerts/42）'));
  });

  test('without From or a messaging service nothing is sent (permanent)', async (t) => {
    clock.advance(60_000);
    const { fake, send } = await setup(t);
    const o = await send({ from: undefined });
    assert.deepEqual([o.ok, o.retryable, o.status], [false, false, null]);
    assert.match(o.message, /set from or messaging_service_sid/);
    assert.equal(fake.requests.length, 0);
  });

  test('a Twilio outage (503) is retryable', async (t) => {
    clock.advance(60_000);
    const { fake, send } = await setup(t);
    fake.failNext(503, 20503, 'Service Unavailable');
    const o = await send({ to: [TO[0] ?? ''] });
    assert.deepEqual([o.ok, o.retryable, o.status, o.providerCode], [false, true, 503, '20503']);
  });
});
