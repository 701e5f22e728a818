// Pure: how values look in a message: durations and times in the receiver's language and zone,
// counts with digit grouping, severity names, Markdown-safe label values, link-safe URLs.
import type { Severity } from '../../kernel/severity.js';
import { SEVERITIES, SEVERITY_ALIASES } from '../../kernel/severity.js';
import type { RenderLanguage } from './types.js';

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

const UNITS: Record<RenderLanguage, { d: string; h: string; m: string; s: string }> = {
  'zh-CN': { d: ' 天', h: ' 小时', m: ' 分钟', s: ' 秒' },
  en: { d: 'd', h: 'h', m: 'm', s: 's' },
};

/**
 * A duration in its two largest units, never negative: "1 小时 5 分钟" / "1h 5m", "12 分钟" /
 * "12 min", "45 秒" / "45s". Minutes alone read "12 min" in English, as people write it.
 */
export function formatDuration(ms: number, language: RenderLanguage): string {
  const total = Number.isFinite(ms) ? Math.max(0, Math.floor(ms / 1000)) : 0;
  const u = UNITS[language];
  const d = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (d > 0) return h > 0 ? `${d}${u.d} ${h}${u.h}` : `${d}${u.d}`;
  if (h > 0) return m > 0 ? `${h}${u.h} ${m}${u.m}` : `${h}${u.h}`;
  if (m > 0) return language === 'en' ? `${m} min` : `${m}${u.m}`;
  return `${s}${u.s}`;
}

/** True when `zone` is an IANA zone this runtime knows. */
export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export type DateTimeStyle = 'datetime' | 'date' | 'time' | 'full';

/**
 * A formatter of epoch ms as local time in `timeZone` (which must be valid): "2026-11-26 10:00"
 * (`datetime`), "2026-11-26" (`date`), "10:00" (`time`), "2026-11-26 10:00:00 UTC+8" (`full`).
 * The same digits in every language, so a time reads the same in a Chinese and an English message.
 */
export function dateTimeFormatter(timeZone: string): (epochMs: number, style?: DateTimeStyle) => string {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'shortOffset',
  });
  return (epochMs, style = 'datetime') => {
    if (!Number.isFinite(epochMs)) return '';
    const p: Record<string, string> = {};
    for (const part of fmt.formatToParts(epochMs)) p[part.type] = part.value;
    const date = `${p.year}-${p.month}-${p.day}`;
    const time = `${p.hour}:${p.minute}`;
    switch (style) {
      case 'date':
        return date;
      case 'time':
        return time;
      case 'full':
        return `${date} ${time}:${p.second} ${utcOffset(p.timeZoneName)}`;
      case 'datetime':
        return `${date} ${time}`;
    }
  };
}

/** ICU's "GMT+8" / "GMT+5:30" / "GMT" (some versions "GMT+0") as "UTC+8" / "UTC+5:30" / "UTC+0". */
const utcOffset = (gmt: string | undefined): string => {
  const m = /^GMT([+-]\d{1,2}(?::\d{2})?)?$/.exec(gmt ?? '');
  return m ? `UTC${m[1] ?? '+0'}` : (gmt ?? '');
};

const COUNT = new Intl.NumberFormat('en-US');

/** 1995 → "1,995" (grouping is read the same way in Chinese and English messages). */
export const formatCount = (n: number): string => COUNT.format(n);

const SEVERITY_NAMES: Record<RenderLanguage, Record<Severity, string>> = {
  'zh-CN': { P0: 'P0 紧急', P1: 'P1 严重', P2: 'P2 一般', P3: 'P3 提示' },
  en: { P0: 'P0 critical', P1: 'P1 major', P2: 'P2 minor', P3: 'P3 notice' },
};

/** "P1" or an alias ("critical") → "P1 严重" / "P1 major"; anything else is returned as given. */
export function severityName(value: unknown, language: RenderLanguage): string {
  const s = toText(value);
  const sev = SEVERITY_ALIASES[s.trim().toLowerCase()];
  return sev ? SEVERITY_NAMES[language][sev] : s;
}

/** The worst of `severities` (P0 worst), null when none is known. */
export function worstSeverity(severities: Iterable<Severity | null>): Severity | null {
  let best = SEVERITIES.length;
  for (const s of severities) if (s) best = Math.min(best, SEVERITIES.indexOf(s));
  return SEVERITIES[best] ?? null;
}

/**
 * `value` as one line of Markdown text: line breaks become spaces, and the characters that would
 * start emphasis, code or a link (`\ * _ [ ] \``) are backslash-escaped, so a label value can
 * neither break the layout nor inject a link.
 */
export function escapeMarkdown(value: unknown): string {
  return oneLine(toText(value)).replace(/([\\`*_[\]])/g, '\\$1');
}

/**
 * A template value as text: strings as they are, numbers and booleans written out, nothing for
 * null, and JSON for a map or a list (a user who pipes `commonLabels` into a filter sees its
 * content, not "[object Object]").
 */
export function toText(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'object':
      if (value === null) return '';
      try {
        return JSON.stringify(value) ?? '';
      } catch {
        return '';
      }
    default:
      return '';
  }
}

/** Whitespace runs (line breaks included) collapsed to one space, trimmed. */
export const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim();

/**
 * `url` when it is an absolute http(s) URL, with the characters that would end a Markdown link
 * early (spaces, parentheses, angle brackets) percent-encoded; '' otherwise (javascript:, text).
 */
export function safeUrl(url: string | undefined): string {
  const u = url?.trim() ?? '';
  if (!/^https?:\/\/[^\s]/i.test(u)) return '';
  return u.replace(/[\s()<>]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
}
