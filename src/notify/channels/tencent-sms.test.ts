import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../kernel/clock.js';
import { HttpClient } from '../http-client.js';
import { buildTencentRequest, interpretTencentAnswer, tc3Sign, tencentSmsChannel } from './tencent-sms.js';
import type { TencentSmsConfig } from './tencent-sms.js';
import type { DeliveryOutcome } from './channel.js';
import { startFakeTencentSms, tencentServerSignature } from '../../../test/support/fakes/tencent-sms.js';
import type { FakeTencentSmsOptions } from '../../../test/support/fakes/tencent-sms.js';
import { sampleMessage } from '../../../test/support/fakes/message.js';

const SECRET_ID = 'AKIDwatchpostTEST0000000000000000';
const SECRET_KEY = 'tEnCeNt-s3cret-KEY-abcdef012345';
const PHONES = ['+8613800001234', '+8613900005678'];

// Tencent Cloud's worked example for TC3-HMAC-SHA256 (API 3.0 "签名方法 v3" page): CVM
// DescribeInstances, timestamp 1551113065, SecretKey Gu5t9xGARNpq86cd98joQYCN3EXAMPLE.
const DOC = {
  secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE',
  secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE',
  service: 'cvm',
  host: 'cvm.tencentcloudapi.com',
  timestamp: 1551113065,
  body: '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
};
const DOC_SIGNATURE = '72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168';

describe('TC3-HMAC-SHA256', () => {
  test("the sender's signature reproduces Tencent's documented example step by step", () => {
    const s = tc3Sign(DOC);
    assert.equal(
      s.canonicalRequest,
      'POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064',
    );
    assert.equal(
      s.stringToSign,
      'TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031',
    );
    assert.equal(s.signature, DOC_SIGNATURE);
    assert.equal(
      s.authorization,
      `TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=${DOC_SIGNATURE}`,
    );
  });

  test("the fake's signature check reproduces the same documented example", () => {
    const sig = tencentServerSignature({
      secretKey: DOC.secretKey,
      date: '2019-02-25',
      service: 'cvm',
      timestamp: '1551113065',
      signedHeaders: ['content-type', 'host'],
      headers: { 'content-type': 'application/json; charset=utf-8', host: DOC.host },
      body: Buffer.from(DOC.body),
    });
    assert.equal(sig, DOC_SIGNATURE);
  });

  test('the scope date is the UTC date (00:44 in Beijing is still the day before)', () => {
    const req = buildTencentRequest(
      {
        secretId: 'id',
        secretKey: 'k',
        smsSdkAppId: '1400000000',
        signName: 's',
        templateId: '1',
        phoneNumbers: PHONES,
      },
      sampleMessage(),
      Date.parse('2019-02-26T00:44:25+08:00'),
    );
    assert.match(req.headers.authorization ?? '', /Credential=id\/2019-02-25\/sms\/tc3_request/);
    assert.equal(req.headers['x-tc-timestamp'], '1551113065');
    assert.equal(req.headers['x-tc-version'], '2021-01-11');
    assert.equal(req.headers['x-tc-region'], 'ap-guangzhou');
  });

  test('SendStatusSet failures are reported by index, never by number', () => {
    const body = JSON.stringify({
      Response: {
        SendStatusSet: [
          { PhoneNumber: '+8613900005678', Code: 'LimitExceeded.PhoneNumberDailyLimit', Message: 'daily' },
          { PhoneNumber: '+8613800001234', Code: 'Ok', Message: 'send success' },
        ],
        RequestId: 'r',
      },
    });
    const a = interpretTencentAnswer(200, body, PHONES);
    assert.deepEqual([a.ok, a.retryable, a.failedIndexes, a.penaltyMs], [false, true, [1], 86_400_000]);
    assert.match(a.message, /1 of 2 number\(s\).*#2 LimitExceeded\.PhoneNumberDailyLimit/);
  });
});

describe('tencentSmsChannel against the fake SendSms', () => {
  const client = new HttpClient();
  after(() => client.close());
  const clock = new FakeClock('2026-11-26T08:00:00Z');

  const setup = async (
    t: { after: (fn: () => Promise<void>) => void },
    extra: Partial<FakeTencentSmsOptions> = {},
  ) => {
    const fake = await startFakeTencentSms({
      secretId: SECRET_ID,
      secretKey: SECRET_KEY,
      now: () => clock.now(),
      ...extra,
    });
    t.after(() => fake.close());
    const cfg: TencentSmsConfig = {
      url: fake.url,
      secretId: SECRET_ID,
      secretKey: SECRET_KEY,
      smsSdkAppId: '1400787878',
      signName: '守望',
      templateId: '1234567',
      phoneNumbers: PHONES,
    };
    const send = (c: Partial<TencentSmsConfig> = {}, msg = sampleMessage(), now = clock.now()) =>
      tencentSmsChannel.send({ ...cfg, ...c }, msg, { client, now, version: '1.0.0' });
    return { fake, send };
  };

  const assertClean = (o: DeliveryOutcome, extra: string[] = []) => {
    for (const s of [SECRET_KEY, ...PHONES, ...PHONES.map((p) => p.slice(3)), ...extra]) {
      assert.ok(!o.message.includes(s), `leaked ${s}: ${o.message}`);
    }
    assert.ok(o.message.length <= 500);
  };

  test('a correctly signed request reaches every number with the template variables in order', async (t) => {
    clock.advance(86_400_000);
    const { fake, send } = await setup(t);
    const o = await send();
    assert.deepEqual([o.ok, o.retryable, o.status, o.providerCode], [true, false, 200, 'Ok']);
    assert.deepEqual(
      fake.sent.map((s) => s.phoneNumber),
      PHONES,
    );
    assert.deepEqual(fake.sent[0]?.templateParams, ['P1', '[P1 告警] 订单同…', '告警']);
    assert.equal(fake.requests[0]?.headers['x-tc-action'], 'SendSms');
    assertClean(o);
  });

  test('a wrong secret key is a permanent AuthFailure.SignatureFailure naming the channel', async (t) => {
    clock.advance(86_400_000);
    const { fake, send } = await setup(t);
    const o = await send({ secretKey: 'not-the-key' });
    assert.deepEqual(
      [o.ok, o.retryable, o.status, o.providerCode],
      [false, false, 200, 'AuthFailure.SignatureFailure'],
    );
    assert.match(
      o.message,
      /^tencent_sms: Tencent Cloud SMS refused the request \(AuthFailure\.SignatureFailure\)/,
    );
    assert.match(o.message, /check secret_id and secret_key/);
    assertClean(o, ['not-the-key']);
    assert.equal(fake.sent.length, 0);
  });

  test('an unknown SecretId and a clock 10 minutes off are refused permanently', async (t) => {
    clock.advance(86_400_000);
    const { send } = await setup(t);
    const unknown = await send({ secretId: 'AKIDnobody' });
    assert.deepEqual(
      [unknown.ok, unknown.retryable, unknown.providerCode],
      [false, false, 'AuthFailure.SecretIdNotFound'],
    );
    const skewed = await send({}, sampleMessage(), clock.now() + 10 * 60_000);
    assert.deepEqual(
      [skewed.ok, skewed.retryable, skewed.providerCode],
      [false, false, 'AuthFailure.SignatureExpire'],
    );
  });

  test('a number throttled within 30 s fails alone: retryable, reported as #1, the other number served', async (t) => {
    clock.advance(86_400_000);
    const { fake, send } = await setup(t);
    assert.equal((await send({ phoneNumbers: [PHONES[0] ?? ''] })).ok, true);
    clock.advance(5_000);
    const o = await send();
    assert.deepEqual(
      [o.ok, o.retryable, o.providerCode],
      [false, true, 'LimitExceeded.PhoneNumberThirtySecondLimit'],
    );
    assert.match(
      o.message,
      /is throttling: 1 of 2 number\(s\) did not get the message: #1 LimitExceeded\.PhoneNumberThirtySecondLimit/,
    );
    assertClean(o);
    assert.deepEqual(
      fake.sent.map((s) => s.phoneNumber),
      [PHONES[0], PHONES[1]],
    );
    clock.advance(30_000);
    assert.equal((await send({ phoneNumbers: [PHONES[0] ?? ''] })).ok, true);
  });

  test('an invalid number among valid ones is a permanent partial failure', async (t) => {
    clock.advance(86_400_000);
    const { send } = await setup(t);
    const o = await send({ phoneNumbers: [PHONES[0] ?? '', '+12'] });
    assert.deepEqual(
      [o.ok, o.retryable, o.providerCode],
      [false, false, 'InvalidParameterValue.IncorrectPhoneNumber'],
    );
    assert.match(o.message, /#2 InvalidParameterValue\.IncorrectPhoneNumber/);
  });

  test('an over-long title is cut to 12 characters and accepted; a stricter limit is refused permanently', async (t) => {
    clock.advance(86_400_000);
    const { fake, send } = await setup(t);
    const o = await send({}, sampleMessage({ title: '🔥'.repeat(30) }));
    assert.equal(o.ok, true, o.message);
    assert.equal(fake.sent[0]?.templateParams[1], '🔥'.repeat(11) + '…');

    const strict = await setup(t, { maxParamChars: 6 });
    const r = await strict.send();
    assert.deepEqual(
      [r.ok, r.retryable, r.providerCode],
      [false, false, 'InvalidParameterValue.TemplateParameterLengthLimit'],
    );
  });

  test('an outage (HTTP 502 without a Response) is retryable', async (t) => {
    clock.advance(86_400_000);
    const { fake, send } = await setup(t);
    fake.failNext(502);
    const o = await send();
    assert.deepEqual([o.ok, o.retryable, o.status, o.providerCode], [false, true, 502, null]);
  });
});
