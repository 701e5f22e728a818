// A faithful fake of Aliyun Dysmsapi SendSms (2017-05-25) on 127.0.0.1, for channel tests.
//   const sms = await startFakeAliyunSms({ accessKeyId, accessKeySecret, now: () => clock.now() });
//   sms.url       -> 'http://127.0.0.1:<port>/'
//   sms.sent      -> every accepted SMS, parsed (numbers, sign, template, TemplateParam object)
//   sms.requests  -> every request with its answer
//   sms.failNext(503, body?) -> the next request gets this answer (an outage)
// It checks what the real gateway checks, in its order: required parameters, the access key, the
// Timestamp (±15 min), the legacy RPC signature (its own HMAC-SHA1 code, independent of the
// sender's), nonce reuse, then the business rules (numbers, TemplateParam as a JSON object of string
// values, per-variable length, per-number flow control 1/min, 5/h, 10/day). Errors are the real
// shapes: auth failures with HTTP 400/404 and `{RequestId, HostId, Code, Message, Recommend}`, the
// SignatureDoesNotMatch message echoing the server's string to sign; business failures with HTTP 200.
import { createHmac } from 'node:crypto';
import { startHttpFake } from './http-fake.js';
import type { RecordedExchange, FakeAnswer, FakeRequest } from './http-fake.js';

export interface AliyunSentSms {
  phoneNumbers: string[];
  signName: string;
  templateCode: string;
  templateParam: Record<string, string>;
  at: number;
}

export interface FakeAliyunSms {
  url: string;
  readonly sent: readonly AliyunSentSms[];
  readonly requests: readonly RecordedExchange[];
  /** Every parameter of each request, decoded. */
  readonly params: readonly Record<string, string>[];
  failNext(status: number, body?: unknown): void;
  close(): Promise<void>;
}

export interface FakeAliyunSmsOptions {
  accessKeyId: string;
  accessKeySecret: string;
  now: () => number;
  /** Characters per template variable; default 35. */
  maxParamChars?: number;
  /** Per number and template: default 1 per minute, 5 per hour, 10 per day (Aliyun's defaults). */
  limits?: { perMinute?: number; perHour?: number; perDay?: number };
  /** When set, only these signatures are approved. */
  signNames?: string[];
  /** When set, the approved templates and the variables each needs. */
  templates?: Record<string, string[]>;
}

const REQUIRED = [
  'AccessKeyId',
  'Action',
  'Format',
  'PhoneNumbers',
  'SignName',
  'SignatureMethod',
  'SignatureNonce',
  'SignatureVersion',
  'Signature',
  'TemplateCode',
  'Timestamp',
  'Version',
];

/** RFC 3986 as the gateway does it, written byte by byte (not via encodeURIComponent). */
function popEncode(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The gateway's own string to sign and signature for `params` (Signature excluded). */
export function aliyunServerSignature(
  method: string,
  params: Record<string, string>,
  secret: string,
): { stringToSign: string; signature: string } {
  const names = Object.keys(params).filter((k) => k !== 'Signature');
  names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const canonical = names.map((k) => popEncode(k) + '=' + popEncode(params[k] ?? '')).join('&');
  const stringToSign = method.toUpperCase() + '&' + popEncode('/') + '&' + popEncode(canonical);
  const signature = createHmac('sha1', secret + '&')
    .update(Buffer.from(stringToSign, 'utf8'))
    .digest('base64');
  return { stringToSign, signature };
}

export async function startFakeAliyunSms(opts: FakeAliyunSmsOptions): Promise<FakeAliyunSms> {
  const sent: AliyunSentSms[] = [];
  const allParams: Record<string, string>[] = [];
  const nonces = new Map<string, number>();
  const history = new Map<string, number[]>();
  const injected: FakeAnswer[] = [];
  let seq = 0;
  const limits = { perMinute: 1, perHour: 5, perDay: 10, ...opts.limits };
  const maxChars = opts.maxParamChars ?? 35;

  const requestId = () => `F4KE${String(++seq).padStart(4, '0')}-0000-4000-8000-000000000000`;
  const error = (status: number, code: string, message: string): FakeAnswer => ({
    status,
    body: {
      RequestId: requestId(),
      HostId: 'dysmsapi.aliyuncs.com',
      Code: code,
      Message: message,
      Recommend: `https://api.aliyun.com/troubleshoot?q=${code}&product=Dysmsapi`,
    },
  });
  const business = (code: string, message: string): FakeAnswer => ({
    status: 200,
    body: { RequestId: requestId(), Code: code, Message: message },
  });

  const handle = (req: FakeRequest): FakeAnswer => {
    const params: Record<string, string> = { ...req.query };
    if (req.method === 'POST') {
      for (const [k, v] of new URLSearchParams(req.rawBody.toString('utf8'))) params[k] = v;
    }
    allParams.push(params);
    const now = opts.now();
    const inject = injected.shift();
    if (inject) return inject;

    for (const name of REQUIRED) {
      if (!params[name]) {
        return error(
          400,
          'MissingParameter',
          `The input parameter "${name}" that is mandatory for processing this request is not supplied.`,
        );
      }
    }
    if (params.AccessKeyId !== opts.accessKeyId) {
      return error(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
    }
    const ts = params.Timestamp ?? '';
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(ts) || Number.isNaN(Date.parse(ts))) {
      return error(
        400,
        'InvalidTimeStamp.Format',
        'Specified time stamp or date value is not well formatted.',
      );
    }
    if (Math.abs(Date.parse(ts) - now) > 15 * 60_000) {
      return error(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
    }
    if (params.SignatureMethod !== 'HMAC-SHA1' || params.SignatureVersion !== '1.0') {
      return error(400, 'InvalidParameter', 'The specified parameter "SignatureMethod" is not valid.');
    }
    const { stringToSign, signature } = aliyunServerSignature(req.method, params, opts.accessKeySecret);
    if (signature !== params.Signature) {
      return error(
        400,
        'SignatureDoesNotMatch',
        `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`,
      );
    }
    const nonce = params.SignatureNonce ?? '';
    for (const [n, at] of nonces) if (at < now - 15 * 60_000) nonces.delete(n);
    if (nonces.has(nonce))
      return error(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
    nonces.set(nonce, now);
    if (params.Action !== 'SendSms' || params.Version !== '2017-05-25') {
      return error(
        404,
        'InvalidAction.NotFound',
        'Specified api is not found, please check your url and method.',
      );
    }

    const numbers = (params.PhoneNumbers ?? '').split(',');
    if (numbers.length > 1000) return business('isv.MOBILE_COUNT_OVER_LIMIT', '手机号码数量超过限制');
    if (!numbers.every((n) => /^(?:(?:\+|00)?86)?1\d{10}$|^00[1-9]\d{6,14}$/.test(n))) {
      return business('isv.MOBILE_NUMBER_ILLEGAL', '非法手机号');
    }
    const signName = params.SignName ?? '';
    if (opts.signNames && !opts.signNames.includes(signName)) {
      return business('isv.SMS_SIGNATURE_ILLEGAL', '该账号下找不到对应签名');
    }
    const templateCode = params.TemplateCode ?? '';
    const needs = opts.templates ? opts.templates[templateCode] : [];
    if (!needs) return business('isv.SMS_TEMPLATE_ILLEGAL', '该账号下找不到对应模板');
    let templateParam: Record<string, string> = {};
    if (params.TemplateParam !== undefined) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(params.TemplateParam);
      } catch {
        parsed = undefined;
      }
      if (
        typeof parsed !== 'object' ||
        parsed === null ||
        Array.isArray(parsed) ||
        !Object.values(parsed).every((v) => typeof v === 'string')
      ) {
        return business('isv.INVALID_JSON_PARAM', 'JSON参数不合法，只接受字符串值');
      }
      templateParam = parsed as Record<string, string>;
    }
    if (needs.some((n) => templateParam[n] === undefined)) {
      return business('isv.TEMPLATE_MISSING_PARAMETERS', '模板缺少变量');
    }
    if (Object.values(templateParam).some((v) => [...v].length > maxChars)) {
      return business('isv.PARAM_LENGTH_LIMIT', '参数超出长度限制');
    }

    // Flow control per number and template; a request with one throttled number sends to none.
    for (const n of numbers) {
      const times = (history.get(`${n}|${templateCode}`) ?? []).filter((t) => t > now - 86_400_000);
      const within = (ms: number) => times.filter((t) => t > now - ms).length;
      if (within(60_000) >= limits.perMinute)
        return business('isv.BUSINESS_LIMIT_CONTROL', `触发分钟级流控Permits:${limits.perMinute}`);
      if (within(3_600_000) >= limits.perHour)
        return business('isv.BUSINESS_LIMIT_CONTROL', `触发小时级流控Permits:${limits.perHour}`);
      if (times.length >= limits.perDay)
        return business('isv.BUSINESS_LIMIT_CONTROL', `触发天级流控Permits:${limits.perDay}`);
    }
    for (const n of numbers) {
      const key = `${n}|${templateCode}`;
      history.set(key, [...(history.get(key) ?? []), now]);
    }
    sent.push({ phoneNumbers: numbers, signName, templateCode, templateParam, at: now });
    return {
      status: 200,
      body: {
        RequestId: requestId(),
        Message: 'OK',
        BizId: `90061974${String(seq).padStart(8, '0')}^0`,
        Code: 'OK',
      },
    };
  };

  const server = await startHttpFake(handle);
  return {
    url: `${server.origin}/`,
    sent,
    requests: server.exchanges,
    params: allParams,
    failNext(
      status,
      body = {
        Code: 'ServiceUnavailable',
        Message: 'The request has failed due to a temporary failure of the server.',
      },
    ) {
      injected.push({ status, body });
    },
    close: () => server.close(),
  };
}
