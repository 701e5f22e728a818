import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { FakeClock } from '../../kernel/clock.js';
import { HttpClient } from '../http-client.js';
import {
  aliyunPercentEncode,
  aliyunSignature,
  aliyunSmsChannel,
  aliyunStringToSign,
  buildAliyunRequest,
  interpretAliyunAnswer,
} from './aliyun-sms.js';
import type { AliyunSmsConfig } from './aliyun-sms.js';
import type { DeliveryOutcome } from './channel.js';
import { aliyunServerSignature, startFakeAliyunSms } from '../../../test/support/fakes/aliyun-sms.js';
import { sampleMessage } from '../../../test/support/fakes/message.js';

const KEY_ID = 'LTAI5tWatchpostTest';
const SECRET = 'aLiYuN-s3cret-K3y-0123456789';
const PHONES = ['13800001234', '13900005678'];

// Aliyun's documentation example for SendSms (signature mechanism page): GET, key "testId",
// secret "testSecret" → zJDF+Lrzhj/ThnlvIToysFRq6t4=.
const DOC_PARAMS: Record<string, string> = {
  AccessKeyId: 'testId',
  Action: 'SendSms',
  Format: 'XML',
  OutId: '123',
  PhoneNumbers: '15300000001',
  RegionId: 'cn-hangzhou',
  SignName: '阿里云短信测试专用',
  SignatureMethod: 'HMAC-SHA1',
  SignatureNonce: '45e25e9b-0a6f-4070-8c85-2956eda1b466',
  SignatureVersion: '1.0',
  TemplateCode: 'SMS_71390007',
  TemplateParam: '{"customer":"test"}',
  Timestamp: '2017-07-12T02:42:19Z',
  Version: '2017-05-25',
};
const DOC_STRING_TO_SIGN =
  'GET&%2F&AccessKeyId%3DtestId%26Action%3DSendSms%26Format%3DXML%26OutId%3D123%26PhoneNumbers%3D15300000001%26RegionId%3Dcn-hangzhou%26SignName%3D%25E9%2598%25BF%25E9%2587%258C%25E4%25BA%2591%25E7%259F%25AD%25E4%25BF%25A1%25E6%25B5%258B%25E8%25AF%2595%25E4%25B8%2593%25E7%2594%25A8%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D45e25e9b-0a6f-4070-8c85-2956eda1b466%26SignatureVersion%3D1.0%26TemplateCode%3DSMS_71390007%26TemplateParam%3D%257B%2522customer%2522%253A%2522test%2522%257D%26Timestamp%3D2017-07-12T02%253A42%253A19Z%26Version%3D2017-05-25';

describe('Aliyun RPC signature', () => {
  test("the sender's signature reproduces Aliyun's documented SendSms example", () => {
    const sts = aliyunStringToSign('GET', DOC_PARAMS);
    assert.equal(sts, DOC_STRING_TO_SIGN);
    assert.equal(aliyunSignature('testSecret', sts), 'zJDF+Lrzhj/ThnlvIToysFRq6t4=');
  });

  test("the fake's signature check reproduces the same documented example", () => {
    const { stringToSign, signature } = aliyunServerSignature(
      'GET',
      { ...DOC_PARAMS, Signature: 'x' },
      'testSecret',
    );
    assert.equal(stringToSign, DOC_STRING_TO_SIGN);
    assert.equal(signature, 'zJDF+Lrzhj/ThnlvIToysFRq6t4=');
  });

  test("and the documented DescribeRegions example (key 'testsecret')", () => {
    const params = {
      AccessKeyId: 'testid',
      Action: 'DescribeRegions',
      Format: 'XML',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
      SignatureVersion: '1.0',
      Timestamp: '2016-02-23T12:46:24Z',
      Version: '2014-05-26',
    };
    assert.equal(
      aliyunSignature('testsecret', aliyunStringToSign('GET', params)),
      'OLeaidS1JvxuMvnyHOwuJ+uX5qY=',
    );
    assert.equal(
      aliyunServerSignature('GET', params, 'testsecret').signature,
      'OLeaidS1JvxuMvnyHOwuJ+uX5qY=',
    );
  });

  test('percent-encoding follows RFC 3986: space %20, * %2A, ~ kept, + %2B', () => {
    assert.equal(aliyunPercentEncode("a b*c~d+e/f!'()"), 'a%20b%2Ac~d%2Be%2Ff%21%27%28%29');
  });
});

describe('buildAliyunRequest', () => {
  const cfg: AliyunSmsConfig = {
    accessKeyId: KEY_ID,
    accessKeySecret: SECRET,
    signName: '守望',
    templateCode: 'SMS_100',
    phoneNumbers: PHONES,
  };

  test('TemplateParam is a JSON string of string values, each cut to 35 characters', () => {
    const long = sampleMessage({ title: '订'.repeat(50) });
    const { params } = buildAliyunRequest(cfg, long, Date.parse('2026-11-26T08:00:00.123Z'), 'n-1');
    assert.equal(params.PhoneNumbers, '13800001234,13900005678');
    assert.equal(params.Timestamp, '2026-11-26T08:00:00Z');
    const tp = JSON.parse(params.TemplateParam ?? '') as Record<string, string>;
    assert.deepEqual(Object.keys(tp), ['severity', 'title', 'status']);
    assert.equal(tp.severity, 'P1');
    assert.equal(tp.status, '告警');
    assert.equal([...(tp.title ?? '')].length, 35);
    assert.ok(tp.title?.endsWith('…'));
  });

  test('template variable names and the status language are configurable', () => {
    const { params } = buildAliyunRequest(
      {
        ...cfg,
        templateParams: { level: 'severity', what: 'title', link: 'detailUrl' },
        language: 'en',
        maxParamChars: 64,
      },
      sampleMessage({ severity: null, status: 'resolved' }),
      0,
      'n',
    );
    assert.deepEqual(JSON.parse(params.TemplateParam ?? ''), {
      level: '-',
      what: '[P1 告警] 订单同步停滞 · shopee MY-1',
      link: 'https://watchpost.example.com/alerts/42',
    });
  });

  test('flow-control answers carry the penalty the message names', () => {
    const minute = interpretAliyunAnswer(
      200,
      '{"Code":"isv.BUSINESS_LIMIT_CONTROL","Message":"触发分钟级流控Permits:1"}',
    );
    const hour = interpretAliyunAnswer(
      200,
      '{"Code":"isv.BUSINESS_LIMIT_CONTROL","Message":"触发小时级流控Permits:5"}',
    );
    assert.deepEqual([minute.retryable, minute.penaltyMs, hour.penaltyMs], [true, 60_000, 3_600_000]);
    assert.equal(interpretAliyunAnswer(200, '{"Code":"OK","Message":"OK"}').ok, true);
    assert.equal(interpretAliyunAnswer(200, '{"Message":"OK"}').ok, false);
  });
});

describe('aliyunSmsChannel against the fake Dysmsapi', () => {
  const client = new HttpClient();
  after(() => client.close());
  const clock = new FakeClock('2026-11-26T08:00:00Z');

  const setup = async (
    t: { after: (fn: () => Promise<void>) => void },
    extra: Parameters<typeof startFakeAliyunSms>[0] extends infer O ? Partial<O> : never = {},
  ) => {
    const fake = await startFakeAliyunSms({
      accessKeyId: KEY_ID,
      accessKeySecret: SECRET,
      now: () => clock.now(),
      ...extra,
    });
    t.after(() => fake.close());
    const cfg: AliyunSmsConfig = {
      url: fake.url,
      accessKeyId: KEY_ID,
      accessKeySecret: SECRET,
      signName: '守望告警',
      templateCode: 'SMS_154950909',
      phoneNumbers: PHONES,
    };
    const send = (c: Partial<AliyunSmsConfig> = {}, msg = sampleMessage(), now = clock.now()) =>
      aliyunSmsChannel.send({ ...cfg, ...c }, msg, { client, now, version: '1.0.0' });
    return { fake, send };
  };

  const assertClean = (o: DeliveryOutcome) => {
    for (const s of [SECRET, ...PHONES]) assert.ok(!o.message.includes(s), `leaked ${s}: ${o.message}`);
    assert.ok(o.message.length <= 500);
  };

  test('a correctly signed SendSms is accepted and arrives with its template variables', async (t) => {
    clock.advance(86_400_000);
    const { fake, send } = await setup(t, {
      signNames: ['守望告警'],
      templates: { SMS_154950909: ['severity', 'title', 'status'] },
    });
    const o = await send();
    assert.deepEqual([o.ok, o.retryable, o.status, o.providerCode], [true, false, 200, 'OK']);
    assert.equal(fake.sent.length, 1);
    assert.deepEqual(fake.sent[0]?.phoneNumbers, PHONES);
    assert.deepEqual(fake.sent[0]?.templateParam, {
      severity: 'P1',
      title: '[P1 告警] 订单同步停滞 · shopee MY-1',
      status: '告警',
    });
    assert.equal(fake.params[0]?.Format, 'JSON');
    assertClean(o);
  });

  test('a wrong secret is a permanent failure naming the channel and SignatureDoesNotMatch, numbers masked', async (t) => {
    clock.advance(86_400_000);
    const { fake, send } = await setup(t);
    const o = await send({ accessKeySecret: 'wrong-secret-value' });
    assert.deepEqual(
      [o.ok, o.retryable, o.status, o.providerCode],
      [false, false, 400, 'SignatureDoesNotMatch'],
    );
    assert.match(
      o.message,
      /^aliyun_sms: Aliyun SMS refused the message \(SignatureDoesNotMatch, HTTP 400\)/,
    );
    // The fake echoed the string to sign, numbers included: only their last four digits remain.
    const echoed = JSON.stringify(fake.requests[0]?.answer.body);
    assert.ok(echoed.includes('13800001234'));
    assert.match(o.message, /\*\*\*1234/);
    assertClean(o);
    assert.ok(!o.message.includes('wrong-secret-value'));
    assert.equal(fake.sent.length, 0);
  });

  test('an unknown access key is permanent (InvalidAccessKeyId.NotFound, 404)', async (t) => {
    clock.advance(86_400_000);
    const { send } = await setup(t);
    const o = await send({ accessKeyId: 'LTAI-unknown' });
    assert.deepEqual(
      [o.ok, o.retryable, o.status, o.providerCode],
      [false, false, 404, 'InvalidAccessKeyId.NotFound'],
    );
    assert.match(o.message, /check access_key_id and access_key_secret/);
  });

  test('a clock 20 minutes off is refused as InvalidTimeStamp.Expired', async (t) => {
    clock.advance(86_400_000);
    const { send } = await setup(t);
    const o = await send({}, sampleMessage(), clock.now() - 20 * 60_000);
    assert.deepEqual([o.ok, o.retryable, o.providerCode], [false, false, 'InvalidTimeStamp.Expired']);
  });

  test('a second SMS within the minute is throttled (HTTP 200, retryable), and passes a minute later', async (t) => {
    clock.advance(86_400_000);
    const { fake, send } = await setup(t);
    assert.equal((await send()).ok, true);
    const o = await send();
    assert.deepEqual(
      [o.ok, o.retryable, o.status, o.providerCode],
      [false, true, 200, 'isv.BUSINESS_LIMIT_CONTROL'],
    );
    assert.match(o.message, /throttling/);
    assert.match(o.message, /分钟级流控/);
    assertClean(o);
    clock.advance(61_000);
    assert.equal((await send()).ok, true);
    assert.equal(fake.sent.length, 2);
  });

  test('an illegal number is a permanent business failure with HTTP 200', async (t) => {
    clock.advance(86_400_000);
    const { send } = await setup(t);
    const o = await send({ phoneNumbers: ['12345678'] });
    assert.deepEqual(
      [o.ok, o.retryable, o.status, o.providerCode],
      [false, false, 200, 'isv.MOBILE_NUMBER_ILLEGAL'],
    );
    assert.ok(!o.message.includes('12345678'));
    assert.match(o.message, /check phone_numbers/);
  });

  test('an over-long title is cut to the variable limit and the fake (limit 35) accepts it', async (t) => {
    clock.advance(86_400_000);
    const { fake, send } = await setup(t);
    const o = await send({}, sampleMessage({ title: '🚨'.repeat(20) + '订单同步停滞'.repeat(10) }));
    assert.equal(o.ok, true, o.message);
    const title = fake.sent[0]?.templateParam.title ?? '';
    assert.equal([...title].length, 35);
    assert.ok(title.startsWith('🚨'.repeat(20)) && title.endsWith('…'));
    assert.ok(!title.includes('\uFFFD'));
  });

  test('a variable over the provider limit is refused as isv.PARAM_LENGTH_LIMIT (permanent)', async (t) => {
    clock.advance(86_400_000);
    const { send } = await setup(t, { maxParamChars: 10 });
    const o = await send();
    assert.deepEqual([o.ok, o.retryable, o.providerCode], [false, false, 'isv.PARAM_LENGTH_LIMIT']);
  });

  test('an outage (503) and an unreachable endpoint are retryable', async (t) => {
    clock.advance(86_400_000);
    const { fake, send } = await setup(t);
    fake.failNext(503);
    const o = await send();
    assert.deepEqual([o.ok, o.retryable, o.status, o.providerCode], [false, true, 503, 'ServiceUnavailable']);

    const srv = createServer();
    srv.listen(0, '127.0.0.1');
    await once(srv, 'listening');
    const { port } = srv.address() as AddressInfo;
    srv.close();
    await once(srv, 'close');
    const down = await send({ url: `http://127.0.0.1:${port}/` });
    assert.deepEqual([down.ok, down.retryable, down.status], [false, true, null]);
    assert.match(down.message, /could not reach Aliyun SMS/);
  });
});
