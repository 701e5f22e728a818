// What the three SMS senders (Aliyun, Tencent Cloud, Twilio) share: the template variables taken
// from a ChannelMessage, cutting to a provider's per-variable or per-message character limit, and
// keeping phone numbers out of outcome messages (only their last four digits show).
// Pure except for the types it names.
import type { HttpErrorKind } from '../http-client.js';
import { redact } from '../http-client.js';
import type { ChannelMessage } from './channel.js';

export type SmsLanguage = 'zh-CN' | 'en';

/** The parts of a message an SMS template can carry, one per template variable. */
export type SmsField = 'severity' | 'title' | 'status' | 'text' | 'detailUrl';

export const SMS_FIELDS: readonly SmsField[] = ['severity', 'title', 'status', 'text', 'detailUrl'];

const STATUS_WORDS: Record<SmsLanguage, Record<ChannelMessage['status'], string>> = {
  'zh-CN': { firing: '告警', resolved: '恢复' },
  en: { firing: 'firing', resolved: 'resolved' },
};

/** Each field of `msg` as template text; a missing severity is "-" (providers refuse empty variables). */
export function smsFieldValues(msg: ChannelMessage, language: SmsLanguage): Record<SmsField, string> {
  return {
    severity: msg.severity ?? '-',
    title: msg.title,
    status: STATUS_WORDS[language][msg.status],
    text: msg.text,
    detailUrl: msg.detailUrl,
  };
}

/** The "truncated, see link" footer in the receiver's language. */
export function truncationFooter(language: SmsLanguage, detailUrl: string): string {
  return language === 'en' ? `…(truncated, see ${detailUrl})` : `…（内容过长已截断，详见 ${detailUrl}）`;
}

/**
 * `s` when it has at most `max` characters (code points); otherwise its first `max - 1` code points
 * and "…". Used for template variables, whose limits are in characters and too short for a footer.
 */
export function cutCodePoints(s: string, max: number): string {
  const chars = [...s];
  if (chars.length <= max) return s;
  if (max <= 0) return '';
  return chars.slice(0, max - 1).join('') + '…';
}

/**
 * `text` when it has at most `max` UTF-16 code units; otherwise its longest prefix that fits with
 * `footer`, followed by `footer`. A surrogate pair is never split. (Twilio's 1,600-character limit:
 * UTF-16 units are the stricter count, an emoji counting as two.)
 */
export function truncateChars(text: string, max: number, footer: string): string {
  if (text.length <= max) return text;
  const room = max - footer.length;
  if (room <= 0) return cutUnits(footer, max);
  return cutUnits(text, room) + footer;
}

function cutUnits(s: string, max: number): string {
  let end = Math.min(max, s.length);
  const last = s.charCodeAt(end - 1);
  if (end < s.length && last >= 0xd800 && last <= 0xdbff) end--;
  return s.slice(0, end);
}

/** "***" followed by the last four digits of `phone`, e.g. "***1234". */
export function maskPhone(phone: string): string {
  return `***${phone.replace(/\D/g, '').slice(-4)}`;
}

/**
 * Replaces every phone number of `phones` in `text` by its mask. Matches the number in any form a
 * provider may echo it: with or without "+" and country code, percent-encoded once or twice
 * (e.g. in Aliyun's string to sign): any run of 7 or more digits that is the end of a configured
 * number, or ends with one.
 */
export function redactPhones(text: string, phones: readonly string[]): string {
  const digits = phones.map((p) => p.replace(/\D/g, '')).filter((d) => d.length >= 4);
  if (digits.length === 0) return text;
  let out = text.replace(/\d{7,}/g, (run) =>
    digits.some((d) => d.endsWith(run) || run.endsWith(d)) ? `***${run.slice(-4)}` : run,
  );
  // Short numbers (test numbers, short codes) as written in the configuration.
  for (const p of phones) if (p.length >= 4 && out.includes(p)) out = out.split(p).join(maskPhone(p));
  return out;
}

export const MAX_OUTCOME_MESSAGE = 500;

/** An outcome message: phone numbers masked, secrets redacted, then cut to 500 characters. */
export function smsMessage(text: string, phones: readonly string[], secrets: readonly string[]): string {
  // Redact before cutting, so a cut can never leave part of a secret unredacted.
  return cutUnits500(redact(redactPhones(text, phones), secrets));
}

function cutUnits500(s: string): string {
  if (s.length <= MAX_OUTCOME_MESSAGE) return s;
  return cutUnits(s, MAX_OUTCOME_MESSAGE - 1) + '…';
}

/** " <first 200 characters of a body, whitespace collapsed>" or "" (to be redacted by the caller). */
export function excerpt(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  if (!flat) return '';
  return ` ${flat.length > 200 ? cutUnits(flat, 199) + '…' : flat}`;
}

/** Network failures worth retrying: all but an unusable URL. */
export function retryableNetworkError(kind: HttpErrorKind): boolean {
  switch (kind) {
    case 'invalid_url':
      return false;
    case 'timeout':
    case 'connect':
    case 'dns':
    case 'tls':
    case 'reset':
    case 'too_large':
    case 'other':
      return true;
  }
}

/** Parses JSON without throwing: undefined when `body` is not JSON. */
export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/** `o[key]` as a string when it is one (or a number, as text), else undefined. */
export function field(o: unknown, key: string): string | undefined {
  if (typeof o !== 'object' || o === null) return undefined;
  const v = (o as Record<string, unknown>)[key];
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}
