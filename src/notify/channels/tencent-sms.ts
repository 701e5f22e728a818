// Tencent Cloud (腾讯云) SMS: SendSms of API 2021-01-11, signed with TC3-HMAC-SHA256. The template's
// variables ({1}, {2}, …) are filled in order from the message (by default severity, title, status),
// each cut to the per-variable limit. Tencent answers HTTP 200 for everything: a whole-request
// failure is `Response.Error`, and each number has its own `SendStatusSet[].Code`; the outcome is ok
// only when every number got "Ok". Failed numbers are reported by their index in `phoneNumbers`,
// never by number.
import { createHash, createHmac } from 'node:crypto';
import type { Channel, ChannelMessage, DeliveryOutcome, SendContext } from './channel.js';
import { answered } from './channel.js';
import type { Language } from './common.js';
import { excerpt, field, networkRetryable, parseJsonObject } from './common.js';
import type { SmsField } from './sms.js';
import { cutCodePoints, smsFieldValues, smsMessage } from './sms.js';

export const TENCENT_SMS_URL = 'https://sms.tencentcloudapi.com/';
export const TENCENT_SMS_VERSION = '2021-01-11';
export const TC3_CONTENT_TYPE = 'application/json; charset=utf-8';
/**
 * Characters per template variable for accounts verified as individuals ("单个模板变量字符数超过12个");
 * enterprise accounts may raise it with `maxParamChars`.
 */
export const TENCENT_MAX_PARAM_CHARS = 12;

export interface TencentSmsConfig {
  /** Full endpoint URL; defaults to TENCENT_SMS_URL. The signature covers its host. */
  url?: string;
  secretId: string;
  secretKey: string;
  /** X-TC-Region; default "ap-guangzhou". */
  region?: string;
  smsSdkAppId: string;
  signName: string;
  templateId: string;
  /** E.164 numbers, e.g. "+8613800000000". */
  phoneNumbers: string[];
  /** The message part for each template variable, in order; default ['severity', 'title', 'status']. */
  templateParams?: SmsField[];
  /** Characters per template variable; default TENCENT_MAX_PARAM_CHARS. */
  maxParamChars?: number;
  /** Language of the status word; default zh-CN. */
  language?: Language;
  timeoutMs?: number;
}

export interface Tc3Input {
  secretId: string;
  secretKey: string;
  /** The product, e.g. "sms" (the first label of sms.tencentcloudapi.com). */
  service: string;
  /** The Host header as sent, e.g. "sms.tencentcloudapi.com" (with ":port" when not the default). */
  host: string;
  /** Unix seconds, as sent in X-TC-Timestamp. */
  timestamp: number;
  body: string;
  contentType?: string;
}

export interface Tc3Signature {
  canonicalRequest: string;
  stringToSign: string;
  /** DATE/service/tc3_request, DATE being the UTC date of `timestamp`. */
  scope: string;
  signature: string;
  authorization: string;
}

const sha256Hex = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key: string | Buffer, s: string): Buffer =>
  createHmac('sha256', key).update(s, 'utf8').digest();

/** TC3-HMAC-SHA256 of a POST to "/" with signed headers content-type and host. */
export function tc3Sign(i: Tc3Input): Tc3Signature {
  const contentType = i.contentType ?? TC3_CONTENT_TYPE;
  const canonicalRequest = [
    'POST',
    '/',
    '',
    `content-type:${contentType.toLowerCase()}\nhost:${i.host.toLowerCase()}\n`,
    'content-type;host',
    sha256Hex(i.body),
  ].join('\n');
  const date = new Date(i.timestamp * 1000).toISOString().slice(0, 10);
  const scope = `${date}/${i.service}/tc3_request`;
  const stringToSign = `TC3-HMAC-SHA256\n${i.timestamp}\n${scope}\n${sha256Hex(canonicalRequest)}`;
  const kDate = hmac(`TC3${i.secretKey}`, date);
  const kService = hmac(kDate, i.service);
  const kSigning = hmac(kService, 'tc3_request');
  const signature = createHmac('sha256', kSigning).update(stringToSign, 'utf8').digest('hex');
  const authorization = `TC3-HMAC-SHA256 Credential=${i.secretId}/${scope}, SignedHeaders=content-type;host, Signature=${signature}`;
  return { canonicalRequest, stringToSign, scope, signature, authorization };
}

/** The SendSms body: template variables in order, each cut to `maxParamChars` characters. */
export function tencentSmsBody(cfg: TencentSmsConfig, msg: ChannelMessage): string {
  const values = smsFieldValues(msg, cfg.language ?? 'zh-CN');
  const max = cfg.maxParamChars ?? TENCENT_MAX_PARAM_CHARS;
  return JSON.stringify({
    PhoneNumberSet: cfg.phoneNumbers,
    SmsSdkAppId: cfg.smsSdkAppId,
    SignName: cfg.signName,
    TemplateId: cfg.templateId,
    TemplateParamSet: (cfg.templateParams ?? ['severity', 'title', 'status']).map((f) =>
      cutCodePoints(values[f], max),
    ),
  });
}

/** The signed request (headers and body) for one SendSms call. Pure: time is given. */
export function buildTencentRequest(
  cfg: TencentSmsConfig,
  msg: ChannelMessage,
  nowMs: number,
): { url: string; headers: Record<string, string>; body: string } {
  const url = cfg.url ?? TENCENT_SMS_URL;
  const body = tencentSmsBody(cfg, msg);
  const timestamp = Math.floor(nowMs / 1000);
  const { authorization } = tc3Sign({
    secretId: cfg.secretId,
    secretKey: cfg.secretKey,
    service: 'sms',
    host: hostOf(url),
    timestamp,
    body,
  });
  return {
    url,
    body,
    headers: {
      authorization,
      'content-type': TC3_CONTENT_TYPE,
      'x-tc-action': 'SendSms',
      'x-tc-version': TENCENT_SMS_VERSION,
      'x-tc-timestamp': String(timestamp),
      'x-tc-region': cfg.region ?? 'ap-guangzhou',
    },
  };
}

/** The Host header undici sends for `url` ("" for an unusable URL: the client reports that). */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

/** Per-number and whole-request codes that may succeed later. */
export function tencentCodeRetryable(code: string): boolean {
  return (
    code.startsWith('LimitExceeded') ||
    code.startsWith('RequestLimitExceeded') ||
    code.startsWith('InternalError')
  );
}

export interface TencentAnswer {
  ok: boolean;
  retryable: boolean;
  providerCode: string | null;
  /** Unredacted: the caller masks phone numbers and secrets. */
  message: string;
  /** Indexes (0-based, in `phoneNumbers`) of the numbers that did not get the message. */
  failedIndexes: number[];
  /** After a throttle answer: how long the numbers should be left alone. */
  penaltyMs?: number;
}

/**
 * Reads Tencent's answer. `phoneNumbers` maps SendStatusSet entries back to positions (Tencent
 * returns numbers in E.164, possibly in another order).
 */
export function interpretTencentAnswer(
  status: number,
  body: string,
  phoneNumbers: readonly string[],
): TencentAnswer {
  const all = phoneNumbers.map((_, i) => i);
  const response = parseJsonObject(body)?.Response;
  if (status < 200 || status >= 300 || typeof response !== 'object' || response === null) {
    return {
      ok: false,
      retryable: status === 429 || status >= 500,
      providerCode: null,
      message: `Tencent Cloud SMS answered ${status} without a Response${excerpt(body)}`,
      failedIndexes: all,
    };
  }
  const r = response as { Error?: unknown; SendStatusSet?: unknown };
  if (r.Error !== undefined) {
    const code = field(r.Error, 'Code') ?? 'unknown';
    const text = field(r.Error, 'Message') ?? '';
    const retryable = tencentCodeRetryable(code);
    const answer: TencentAnswer = {
      ok: false,
      retryable,
      providerCode: code,
      message:
        code.startsWith('LimitExceeded') || code.startsWith('RequestLimitExceeded')
          ? `Tencent Cloud SMS is throttling (${code}): ${text}`
          : `Tencent Cloud SMS refused the request (${code}): ${text}${hint(code)}`,
      failedIndexes: all,
    };
    if (code.startsWith('LimitExceeded') || code.startsWith('RequestLimitExceeded'))
      answer.penaltyMs = penaltyOf(code);
    return answer;
  }
  const set = Array.isArray(r.SendStatusSet) ? (r.SendStatusSet as unknown[]) : [];
  const norm = (p: string) => p.replace(/\D/g, '');
  const failures: { index: number; code: string; text: string }[] = [];
  const seen = new Set<number>();
  set.forEach((entry, pos) => {
    const number = norm(field(entry, 'PhoneNumber') ?? '');
    let index = phoneNumbers.findIndex(
      (p, i) =>
        !seen.has(i) &&
        number !== '' &&
        (norm(p) === number || number.endsWith(norm(p)) || norm(p).endsWith(number)),
    );
    if (index < 0) index = pos;
    seen.add(index);
    const code = field(entry, 'Code') ?? 'unknown';
    if (code !== 'Ok') failures.push({ index, code, text: field(entry, 'Message') ?? '' });
  });
  for (const i of all)
    if (!seen.has(i)) failures.push({ index: i, code: 'missing', text: 'no status for this number' });
  failures.sort((a, b) => a.index - b.index);
  if (failures.length === 0) {
    return {
      ok: true,
      retryable: false,
      providerCode: 'Ok',
      message: `Tencent Cloud SMS accepted the message for ${set.length} number(s)`,
      failedIndexes: [],
    };
  }
  const first = failures[0]!;
  const throttled = failures.filter((f) => f.code.startsWith('LimitExceeded'));
  const which = failures.map((f) => `#${f.index + 1} ${f.code}: ${f.text}`).join('; ');
  const answer: TencentAnswer = {
    ok: false,
    // Retrying resends to every number; only worth it when no failure is permanent.
    retryable: failures.every((f) => tencentCodeRetryable(f.code)),
    providerCode: first.code,
    message: `Tencent Cloud SMS ${throttled.length === failures.length ? 'is throttling: ' : ''}${failures.length} of ${phoneNumbers.length} number(s) did not get the message: ${which}`,
    failedIndexes: failures.map((f) => f.index),
  };
  if (throttled.length > 0) answer.penaltyMs = Math.max(...throttled.map((f) => penaltyOf(f.code)));
  return answer;
}

function penaltyOf(code: string): number {
  if (code.includes('Daily')) return 24 * 3_600_000;
  if (code.includes('OneHour')) return 3_600_000;
  if (code.includes('ThirtySecond')) return 30_000;
  return 60_000;
}

function hint(code: string): string {
  if (code.startsWith('AuthFailure')) return ' — check secret_id and secret_key (and the clock)';
  if (code.includes('SdkAppId')) return ' — check sms_sdk_app_id';
  if (code.includes('Sign')) return ' — check sign_name';
  if (code.includes('Template')) return ' — check template_id and template_params';
  return '';
}

export const tencentSmsChannel: Channel<TencentSmsConfig> = {
  kind: 'tencent_sms',
  async send(cfg, msg, ctx: SendContext): Promise<DeliveryOutcome> {
    const phones = cfg.phoneNumbers;
    const secrets = [cfg.secretKey];
    const say = (text: string) => smsMessage(`tencent_sms: ${text}`, phones, secrets);
    if (phones.length === 0) {
      return answered(
        { ok: false, retryable: false, status: null, durationMs: 0 },
        null,
        say('no phone numbers configured'),
      );
    }
    const req = buildTencentRequest(cfg, msg, ctx.now);
    const res = await ctx.client.send({
      method: 'POST',
      url: req.url,
      headers: { ...req.headers, 'user-agent': `Watchpost/${ctx.version}` },
      body: req.body,
      secrets: [...secrets, ...phones],
      ...(cfg.timeoutMs !== undefined ? { timeoutMs: cfg.timeoutMs } : {}),
    });
    const base = { status: res.status, durationMs: res.durationMs };
    if (res.error) {
      return answered(
        { ok: false, retryable: networkRetryable(res.error.kind), ...base },
        null,
        say(`could not reach Tencent Cloud SMS: ${res.error.message}`),
      );
    }
    const a = interpretTencentAnswer(res.status ?? 0, res.body, phones);
    return answered({ ok: a.ok, retryable: a.retryable, ...base }, a.providerCode, say(a.message));
  },
};
