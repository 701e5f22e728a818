// A faithful fake of Tencent Cloud SMS SendSms (API 2021-01-11) on 127.0.0.1, for channel tests.
//   const sms = await startFakeTencentSms({ secretId, secretKey, now: () => clock.now() });
//   sms.url       -> 'http://127.0.0.1:<port>/'
//   sms.sent      -> every SMS delivered to one number (number in E.164, template, parameters)
//   sms.requests  -> every request with its answer
//   sms.failNext(500) -> the next request gets this HTTP status (an outage)
// Like the real API it answers HTTP 200 with `{"Response": {…, "RequestId"}}` for everything it
// understands: whole-request failures in Response.Error (action and version headers, timestamp
// ±300 s → AuthFailure.SignatureExpire, Authorization syntax, SecretId, TC3-HMAC-SHA256 recomputed
// with its own code over the Host and Content-Type actually received → AuthFailure.SignatureFailure,
// per-variable length), and per-number results in SendStatusSet (number format, per-number frequency
// limits 1 per 30 s, 5 per hour, 10 per day).
import { createHash, createHmac } from 'node:crypto';
import { startHttpFake } from './http-fake.js';
import type { RecordedExchange, FakeAnswer, FakeRequest } from './http-fake.js';

export interface TencentSentSms {
  phoneNumber: string;
  smsSdkAppId: string;
  signName: string;
  templateId: string;
  templateParams: string[];
  at: number;
}

export interface FakeTencentSms {
  url: string;
  readonly sent: readonly TencentSentSms[];
  readonly requests: readonly RecordedExchange[];
  failNext(status: number, body?: unknown): void;
  close(): Promise<void>;
}

export interface FakeTencentSmsOptions {
  secretId: string;
  secretKey: string;
  now: () => number;
  /** Characters per template variable; default 12 (accounts verified as individuals). */
  maxParamChars?: number;
  /** Per number: default 1 per 30 s, 5 per hour, 10 per day (the console's defaults). */
  limits?: { per30s?: number; perHour?: number; perDay?: number };
}

/** The service's own TC3-HMAC-SHA256 over the headers it received (the list in SignedHeaders). */
export function tencentServerSignature(input: {
  secretKey: string;
  date: string;
  service: string;
  timestamp: string;
  signedHeaders: string[];
  headers: Record<string, string>;
  body: Buffer;
}): string {
  const hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
  const canonicalHeaders = input.signedHeaders
    .map((h) => `${h}:${(input.headers[h] ?? '').trim().toLowerCase()}\n`)
    .join('');
  const canonical = ['POST', '/', '', canonicalHeaders, input.signedHeaders.join(';'), hex(input.body)].join(
    '\n',
  );
  const toSign = [
    'TC3-HMAC-SHA256',
    input.timestamp,
    `${input.date}/${input.service}/tc3_request`,
    hex(canonical),
  ].join('\n');
  let key: Buffer = createHmac('sha256', 'TC3' + input.secretKey)
    .update(input.date)
    .digest();
  key = createHmac('sha256', key).update(input.service).digest();
  key = createHmac('sha256', key).update('tc3_request').digest();
  return createHmac('sha256', key).update(toSign).digest('hex');
}

const AUTH =
  /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([a-z]+)\/tc3_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;

export async function startFakeTencentSms(opts: FakeTencentSmsOptions): Promise<FakeTencentSms> {
  const sent: TencentSentSms[] = [];
  const history = new Map<string, number[]>();
  const injected: FakeAnswer[] = [];
  let seq = 0;
  const limits = { per30s: 1, perHour: 5, perDay: 10, ...opts.limits };
  const maxChars = opts.maxParamChars ?? 12;

  const requestId = () => `f4ke${String(++seq).padStart(4, '0')}-0000-4000-8000-000000000000`;
  const fail = (code: string, message: string): FakeAnswer => ({
    status: 200,
    body: { Response: { Error: { Code: code, Message: message }, RequestId: requestId() } },
  });

  const handle = (req: FakeRequest): FakeAnswer => {
    const inject = injected.shift();
    if (inject) return inject;
    const h = req.headers;
    const now = opts.now();
    if (req.method !== 'POST' && req.method !== 'GET')
      return fail('UnsupportedProtocol', 'HTTP(S)请求协议错误，只支持 GET 和 POST 请求。');
    if (!h['x-tc-action']) return fail('MissingParameter', '缺少参数错误：X-TC-Action。');
    if (h['x-tc-action'] !== 'SendSms') return fail('InvalidAction', '接口不存在。');
    if (h['x-tc-version'] !== '2021-01-11') return fail('NoSuchVersion', '接口版本不存在。');
    if (!h['x-tc-region']) return fail('MissingParameter', '缺少参数错误：X-TC-Region。');
    const ts = h['x-tc-timestamp'] ?? '';
    if (!/^\d+$/.test(ts)) return fail('InvalidParameter', 'X-TC-Timestamp 不是合法的时间戳。');
    if (Math.abs(Number(ts) - now / 1000) > 300) {
      return fail(
        'AuthFailure.SignatureExpire',
        '签名过期。Timestamp 和服务器时间相差不得超过五分钟，请检查本地时间是否和标准时间同步。',
      );
    }
    const m = AUTH.exec(h.authorization ?? '');
    if (!m) return fail('AuthFailure.InvalidAuthorization', '请求头部的 Authorization 不符合腾讯云标准。');
    const [, secretId = '', date = '', service = '', signed = '', signature = ''] = m;
    if (secretId !== opts.secretId) {
      return fail(
        'AuthFailure.SecretIdNotFound',
        '密钥不存在。请在控制台检查密钥是否已被删除或者禁用，如状态正常，请检查密钥是否填写正确，注意前后不得有空格。',
      );
    }
    const signedHeaders = signed.split(';');
    const tsDate = new Date(Number(ts) * 1000).toISOString().slice(0, 10);
    const expected = tencentServerSignature({
      secretKey: opts.secretKey,
      date,
      service,
      timestamp: ts,
      signedHeaders,
      headers: h,
      body: req.rawBody,
    });
    if (
      date !== tsDate ||
      service !== 'sms' ||
      !signedHeaders.includes('content-type') ||
      !signedHeaders.includes('host') ||
      expected !== signature
    ) {
      return fail('AuthFailure.SignatureFailure', '请求签名验证失败，请检查您的签名计算是否正确。');
    }

    const body = req.body as Record<string, unknown> | undefined;
    if (typeof body !== 'object' || body === null)
      return fail('InvalidParameter', '参数错误：请求体不是合法的 JSON。');
    const numbers = body.PhoneNumberSet;
    const params = body.TemplateParamSet ?? [];
    for (const name of ['PhoneNumberSet', 'SmsSdkAppId', 'TemplateId']) {
      if (body[name] === undefined) return fail('MissingParameter', `缺少参数错误：${name}。`);
    }
    if (!Array.isArray(numbers) || !numbers.every((n) => typeof n === 'string')) {
      return fail('InvalidParameter', '参数错误：PhoneNumberSet。');
    }
    if (numbers.length > 200)
      return fail('LimitExceeded.PhoneNumberCountLimit', '调用接口单次提交的手机号个数超过200个。');
    if (!Array.isArray(params) || !params.every((p) => typeof p === 'string')) {
      return fail('InvalidParameterValue.TemplateParameterFormatError', '验证码模板参数格式错误。');
    }
    if (params.some((p: string) => [...p].length > maxChars)) {
      return fail(
        'InvalidParameterValue.TemplateParameterLengthLimit',
        `单个模板变量字符数超过${maxChars}个，企业认证用户不限制单个变量值字数。`,
      );
    }

    const set = numbers.map((raw) => {
      const e164 = /^1\d{10}$/.test(raw) ? `+86${raw}` : raw;
      const entry = (code: string, message: string, fee: number) => ({
        SerialNo: code === 'Ok' ? `2645:${String(seq).padStart(6, '0')}${e164.slice(-4)}` : '',
        PhoneNumber: e164,
        Fee: fee,
        SessionContext: '',
        Code: code,
        Message: message,
        IsoCode: e164.startsWith('+86') ? 'CN' : 'US',
      });
      if (!/^\+[1-9]\d{6,14}$/.test(e164))
        return entry('InvalidParameterValue.IncorrectPhoneNumber', '手机号格式错误。', 0);
      const times = (history.get(e164) ?? []).filter((t) => t > now - 86_400_000);
      const within = (ms: number) => times.filter((t) => t > now - ms).length;
      if (within(30_000) >= limits.per30s) {
        return entry(
          'LimitExceeded.PhoneNumberThirtySecondLimit',
          '单个手机号30秒内下发短信条数超过设定的上限，可自行到控制台调整短信频率限制策略。',
          0,
        );
      }
      if (within(3_600_000) >= limits.perHour) {
        return entry(
          'LimitExceeded.PhoneNumberOneHourLimit',
          '单个手机号1小时内下发短信条数超过设定的上限，可自行到控制台调整短信频率限制策略。',
          0,
        );
      }
      if (times.length >= limits.perDay) {
        return entry(
          'LimitExceeded.PhoneNumberDailyLimit',
          '单个手机号日下发短信条数超过设定的上限，可自行到控制台调整短信频率限制策略。',
          0,
        );
      }
      history.set(e164, [...times, now]);
      sent.push({
        phoneNumber: e164,
        smsSdkAppId: String(body.SmsSdkAppId),
        signName: typeof body.SignName === 'string' ? body.SignName : '',
        templateId: String(body.TemplateId),
        templateParams: params,
        at: now,
      });
      return entry('Ok', 'send success', 1);
    });
    return { status: 200, body: { Response: { SendStatusSet: set, RequestId: requestId() } } };
  };

  const server = await startHttpFake(handle);
  return {
    url: `${server.origin}/`,
    sent,
    requests: server.exchanges,
    failNext(status, body = { message: 'upstream unavailable' }) {
      injected.push({ status, body });
    },
    close: () => server.close(),
  };
}
