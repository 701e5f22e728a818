// What the channel schemas (channels.schema.ts) cannot say: a robot's credential may come in its URL
// or beside it, but must come; each SMS provider needs its own keys; the timeouts are durations. Runs
// on the file as parsed, next to the schema check, so every problem is reported with its path.

import { dingtalkUrl } from '../notify/channels/dingtalk.js';
import { feishuUrl } from '../notify/channels/feishu.js';
import { wecomUrl } from '../notify/channels/wecom.js';
import { checkDuration, get, isHttpUrl, isObject, type Report } from './checks.js';
import type { ConfigPath } from './problems.js';

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** A `url` the schema already refuses says nothing about the credential: that problem is enough. */
const badUrl = (c: unknown): boolean => {
  const url = get(c, 'url');
  return url !== undefined && (typeof url !== 'string' || !isHttpUrl(url));
};

const each = (v: unknown, fn: (item: unknown, i: number) => void): void => {
  if (Array.isArray(v)) v.forEach(fn);
};

/** Keys each SMS provider needs, and the keys that belong to the other providers. */
const SMS_NEEDS: Record<string, { needs: string[]; own: string[] }> = {
  aliyun: {
    needs: ['access_key_id', 'access_key_secret', 'sign_name', 'template_code'],
    own: ['access_key_id', 'access_key_secret', 'sign_name', 'template_code', 'region_id', 'template_params'],
  },
  tencent: {
    needs: ['secret_id', 'secret_key', 'sms_sdk_app_id', 'sign_name', 'template_id'],
    own: [
      'secret_id',
      'secret_key',
      'sms_sdk_app_id',
      'sign_name',
      'template_id',
      'region',
      'template_params',
    ],
  },
  twilio: {
    needs: ['account_sid', 'auth_token'],
    own: ['account_sid', 'auth_token', 'from', 'messaging_service_sid'],
  },
};
const ALL_SMS_KEYS = new Set(Object.values(SMS_NEEDS).flatMap((p) => p.own));

function checkSms(c: unknown, p: ConfigPath, report: Report): void {
  const provider = text(get(c, 'provider'));
  const spec = provider === undefined ? undefined : SMS_NEEDS[provider];
  if (!spec || !isObject(c)) return;
  for (const key of spec.needs)
    if (c[key] === undefined) report([...p, key], `required for provider ${provider}`);
  for (const key of Object.keys(c))
    if (ALL_SMS_KEYS.has(key) && !spec.own.includes(key))
      report([...p, key], `not a setting of provider ${provider}`);
  if (provider === 'twilio' && c.from === undefined && c.messaging_service_sid === undefined)
    report(p, 'provider twilio needs from (a Twilio number) or messaging_service_sid');
  const params = c.template_params;
  if (provider === 'aliyun' && Array.isArray(params))
    report([...p, 'template_params'], 'Aliyun templates name their variables: map them, e.g. {title: title}');
  if (provider === 'tencent' && isObject(params))
    report(
      [...p, 'template_params'],
      'Tencent templates number their variables: list fields in order, e.g. [severity, title]',
    );
}

/** Reports every problem of the Watchpost channel kinds of receiver `i`. */
export function checkChannels(r: unknown, i: number, report: Report): void {
  const at = (key: string, j: number): ConfigPath => ['receivers', i, key, j];
  const kinds = [
    'dingtalk_configs',
    'wecom_configs',
    'feishu_configs',
    'sms_configs',
    'slack_configs',
    'telegram_configs',
    'pagerduty_configs',
  ];
  for (const key of kinds)
    each(get(r, key), (c, j) => checkDuration(get(c, 'timeout'), [...at(key, j), 'timeout'], report, true));
  each(get(r, 'dingtalk_configs'), (c, j) => {
    if (badUrl(c)) return;
    if (!dingtalkUrl({ url: text(get(c, 'url')), accessToken: text(get(c, 'access_token')) }, 0).token)
      report(
        at('dingtalk_configs', j),
        'no access token: give the robot’s whole webhook URL as url, or access_token',
      );
  });
  each(get(r, 'wecom_configs'), (c, j) => {
    if (badUrl(c)) return;
    if (!wecomUrl({ url: text(get(c, 'url')), key: text(get(c, 'key')) }).key)
      report(at('wecom_configs', j), 'no key: give the robot’s whole webhook URL as url, or key');
  });
  each(get(r, 'feishu_configs'), (c, j) => {
    if (badUrl(c)) return;
    if (!feishuUrl({ url: text(get(c, 'url')), token: text(get(c, 'token')) }).token)
      report(at('feishu_configs', j), 'no hook token: give the bot’s whole webhook URL as url, or token');
  });
  each(get(r, 'sms_configs'), (c, j) => checkSms(c, at('sms_configs', j), report));
}
