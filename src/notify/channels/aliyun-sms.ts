// Aliyun (阿里云) SMS: SendSms of Dysmsapi 2017-05-25 with the legacy RPC signature (HMAC-SHA1,
// SignatureVersion 1.0). An SMS carries a registered template whose variables are filled from the
// message (by default `severity`, `title` and `status`), each cut to the provider's per-variable
// limit. Success is `Code: "OK"` in the body; business failures come with HTTP 200 and another
// Code. Aliyun echoes the string to sign — phone numbers included — in SignatureDoesNotMatch, so
// every outcome message has the numbers masked to their last four digits.
import { createHmac, randomUUID } from 'node:crypto';
import type { Channel, ChannelMessage, DeliveryOutcome, SendContext } from './channel.js';
import { answered } from './channel.js';
import type { Language } from './common.js';
import { excerpt, field, networkRetryable, parseJsonObject } from './common.js';
import type { SmsField } from './sms.js';
import { cutCodePoints, smsFieldValues, smsMessage } from './sms.js';

export const ALIYUN_SMS_URL = 'https://dysmsapi.aliyuncs.com/';
/** Aliyun's limit for one template variable, in characters (2023 rules for non-code variables). */
export const ALIYUN_MAX_PARAM_CHARS = 35;

export interface AliyunSmsConfig {
  /** Full endpoint URL; defaults to ALIYUN_SMS_URL. */
  url?: string;
  accessKeyId: string;
  accessKeySecret: string;
  /** The approved signature (签名), e.g. "阿里云短信测试". */
  signName: string;
  /** The approved template, e.g. "SMS_154950909". */
  templateCode: string;
  /** Destination numbers (Aliyun: mainland numbers as 11 digits, others as 00 + country code). */
  phoneNumbers: string[];
  /** Default "cn-hangzhou". */
  regionId?: string;
  /**
   * Template variable name → the message part it carries. Default
   * `{ severity: 'severity', title: 'title', status: 'status' }`.
   */
  templateParams?: Record<string, SmsField>;
  /** Characters per template variable; default ALIYUN_MAX_PARAM_CHARS. */
  maxParamChars?: number;
  /** Language of the status word; default zh-CN. */
  language?: Language;
  timeoutMs?: number;
}

const DEFAULT_PARAMS: Record<string, SmsField> = { severity: 'severity', title: 'title', status: 'status' };

/**
 * RFC 3986 percent-encoding as Aliyun's POP gateway expects: UTF-8, everything but
 * `A-Z a-z 0-9 - _ . ~` encoded, upper-case hex (so " " is %20, "*" is %2A, "~" stays).
 */
export function aliyunPercentEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The legacy RPC string to sign: METHOD & %2F & percentEncode(sorted, encoded k=v pairs joined by &),
 * `Signature` itself excluded.
 */
export function aliyunStringToSign(method: string, params: Record<string, string>): string {
  const query = Object.keys(params)
    .filter((k) => k !== 'Signature')
    .sort()
    .map((k) => `${aliyunPercentEncode(k)}=${aliyunPercentEncode(params[k] ?? '')}`)
    .join('&');
  return `${method}&${aliyunPercentEncode('/')}&${aliyunPercentEncode(query)}`;
}

/** base64(HMAC-SHA1(key = AccessKeySecret + "&", stringToSign)). */
export function aliyunSignature(accessKeySecret: string, stringToSign: string): string {
  return createHmac('sha1', `${accessKeySecret}&`).update(stringToSign, 'utf8').digest('base64');
}

/** The Timestamp parameter: UTC, `yyyy-MM-ddTHH:mm:ssZ`, no milliseconds. */
export function aliyunTimestamp(nowMs: number): string {
  return new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** TemplateParam: a JSON object of string values, each cut to `maxChars` characters. */
export function aliyunTemplateParam(cfg: AliyunSmsConfig, msg: ChannelMessage): string {
  const values = smsFieldValues(msg, cfg.language ?? 'zh-CN');
  const max = cfg.maxParamChars ?? ALIYUN_MAX_PARAM_CHARS;
  const out: Record<string, string> = {};
  for (const [name, f] of Object.entries(cfg.templateParams ?? DEFAULT_PARAMS)) {
    out[name] = cutCodePoints(values[f], max);
  }
  return JSON.stringify(out);
}

export interface AliyunRequest {
  /** Every parameter, `Signature` included. */
  params: Record<string, string>;
  /** The form body: percent-encoded `k=v` pairs. */
  body: string;
  stringToSign: string;
}

/** The signed POST form for one SendSms call. Pure: time and nonce are given. */
export function buildAliyunRequest(
  cfg: AliyunSmsConfig,
  msg: ChannelMessage,
  nowMs: number,
  nonce: string,
): AliyunRequest {
  const params: Record<string, string> = {
    AccessKeyId: cfg.accessKeyId,
    Action: 'SendSms',
    Format: 'JSON',
    PhoneNumbers: cfg.phoneNumbers.join(','),
    RegionId: cfg.regionId ?? 'cn-hangzhou',
    SignName: cfg.signName,
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: nonce,
    SignatureVersion: '1.0',
    TemplateCode: cfg.templateCode,
    TemplateParam: aliyunTemplateParam(cfg, msg),
    Timestamp: aliyunTimestamp(nowMs),
    Version: '2017-05-25',
  };
  const stringToSign = aliyunStringToSign('POST', params);
  params.Signature = aliyunSignature(cfg.accessKeySecret, stringToSign);
  const body = Object.entries(params)
    .map(([k, v]) => `${aliyunPercentEncode(k)}=${aliyunPercentEncode(v)}`)
    .join('&');
  return { params, body, stringToSign };
}

/** Business codes that may succeed later; everything else (bad number, template, signature…) will not. */
const RETRYABLE_CODES = new Set([
  'isv.BUSINESS_LIMIT_CONTROL',
  'isv.DAY_LIMIT_CONTROL',
  'isp.SYSTEM_ERROR',
  'isp.GATEWAY_ERROR',
  'ServiceUnavailable',
  'InternalError',
  'SignatureNonceUsed',
]);

export interface AliyunAnswer {
  ok: boolean;
  retryable: boolean;
  providerCode: string | null;
  /** Unredacted: the caller masks phone numbers and secrets. */
  message: string;
  /** How long to leave these numbers alone after a throttle answer (minute / hour / day flow control). */
  penaltyMs?: number;
}

/** Reads Aliyun's answer: success only with Code "OK". */
export function interpretAliyunAnswer(status: number, body: string): AliyunAnswer {
  const json = parseJsonObject(body);
  const code = field(json, 'Code') ?? null;
  const text = field(json, 'Message') ?? '';
  if (status >= 200 && status < 300 && code === 'OK') {
    return {
      ok: true,
      retryable: false,
      providerCode: code,
      message: `Aliyun SMS accepted the message (BizId ${field(json, 'BizId') ?? '?'})`,
    };
  }
  if (code === null) {
    const retryable = status === 429 || status >= 500;
    return {
      ok: false,
      retryable,
      providerCode: null,
      message: `Aliyun SMS answered ${status} without a Code${excerpt(body)}`,
    };
  }
  const throttled =
    code === 'isv.BUSINESS_LIMIT_CONTROL' ||
    code === 'isv.DAY_LIMIT_CONTROL' ||
    code.startsWith('Throttling');
  const retryable = throttled || RETRYABLE_CODES.has(code) || status === 429 || status >= 500;
  const answer: AliyunAnswer = {
    ok: false,
    retryable,
    providerCode: code,
    message: throttled
      ? `Aliyun SMS is throttling (${code}): ${text}`
      : `Aliyun SMS refused the message (${code}, HTTP ${status}): ${text}${hint(code)}`,
  };
  if (throttled) answer.penaltyMs = penaltyOf(code, text);
  return answer;
}

function penaltyOf(code: string, text: string): number {
  if (code === 'isv.DAY_LIMIT_CONTROL' || text.includes('天级')) return 24 * 3_600_000;
  if (text.includes('小时级')) return 3_600_000;
  return 60_000;
}

function hint(code: string): string {
  if (code === 'SignatureDoesNotMatch' || code.startsWith('InvalidAccessKeyId'))
    return ' — check access_key_id and access_key_secret';
  if (code === 'isv.MOBILE_NUMBER_ILLEGAL') return ' — check phone_numbers';
  if (code === 'isv.SMS_SIGNATURE_ILLEGAL' || code === 'isv.SMS_SIGN_ILLEGAL') return ' — check sign_name';
  if (code === 'isv.SMS_TEMPLATE_ILLEGAL' || code === 'isv.TEMPLATE_MISSING_PARAMETERS')
    return ' — check template_code and template_params';
  return '';
}

export const aliyunSmsChannel: Channel<AliyunSmsConfig> = {
  kind: 'aliyun_sms',
  async send(cfg, msg, ctx: SendContext): Promise<DeliveryOutcome> {
    const phones = cfg.phoneNumbers;
    const secrets = [cfg.accessKeySecret, `${cfg.accessKeySecret}&`];
    const say = (text: string) => smsMessage(`aliyun_sms: ${text}`, phones, secrets);
    if (phones.length === 0) {
      return answered(
        { ok: false, retryable: false, status: null, durationMs: 0 },
        null,
        say('no phone numbers configured'),
      );
    }
    const req = buildAliyunRequest(cfg, msg, ctx.now, randomUUID());
    const res = await ctx.client.send({
      method: 'POST',
      url: cfg.url ?? ALIYUN_SMS_URL,
      headers: {
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        'user-agent': `Watchpost/${ctx.version}`,
      },
      body: req.body,
      secrets: [...secrets, ...phones],
      ...(cfg.timeoutMs !== undefined ? { timeoutMs: cfg.timeoutMs } : {}),
    });
    const base = { status: res.status, durationMs: res.durationMs };
    if (res.error) {
      return answered(
        { ok: false, retryable: networkRetryable(res.error.kind), ...base },
        null,
        say(`could not reach Aliyun SMS: ${res.error.message}`),
      );
    }
    const a = interpretAliyunAnswer(res.status ?? 0, res.body);
    return answered({ ok: a.ok, retryable: a.retryable, ...base }, a.providerCode, say(a.message));
  },
};
