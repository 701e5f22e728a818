// What the three SMS senders (Aliyun, Tencent Cloud, Twilio) share: the template variables taken
// from a ChannelMessage, cutting them to a provider's per-variable character limit, and
// keeping phone numbers out of outcome messages (only their last four digits show). What all
// senders share is in `common.ts` and `truncate.ts`. Pure except for the types it names.
import { redact } from '../http-client.js';
import type { ChannelMessage } from './channel.js';
import type { Language } from './common.js';
import { cut } from './truncate.js';

/** The parts of a message an SMS template can carry, one per template variable. */
export type SmsField = 'severity' | 'title' | 'status' | 'text' | 'detailUrl';

export const SMS_FIELDS: readonly SmsField[] = ['severity', 'title', 'status', 'text', 'detailUrl'];

const STATUS_WORDS: Record<Language, Record<ChannelMessage['status'], string>> = {
  'zh-CN': { firing: '告警', resolved: '恢复' },
  en: { firing: 'firing', resolved: 'resolved' },
};

/** Each field of `msg` as template text; a missing severity is "-" (providers refuse empty variables). */
export function smsFieldValues(msg: ChannelMessage, language: Language): Record<SmsField, string> {
  return {
    severity: msg.severity ?? '-',
    title: msg.title,
    status: STATUS_WORDS[language][msg.status],
    text: msg.text,
    detailUrl: msg.detailUrl,
  };
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

/** An outcome message: phone numbers masked, secrets redacted, then cut to 500 characters. */
export function smsMessage(text: string, phones: readonly string[], secrets: readonly string[]): string {
  // Redact before cutting, so a cut can never leave part of a secret unredacted.
  return cut(redact(redactPhones(text, phones), secrets), 500);
}
