// The custom LiquidJS filters of message templates. They read the receiver's language and time
// zone from the render's variables (`language`, `timeZone`), so one engine serves every receiver.
// A filter never throws: a value it cannot read comes out as text or as ''.
import type { Liquid } from 'liquidjs';
import type { DateTimeStyle } from './format.js';
import {
  DEFAULT_TIME_ZONE,
  escapeMarkdown,
  formatCount,
  formatDuration,
  severityName,
  toText,
} from './format.js';
import type { RenderLanguage } from './types.js';

type Formatter = (epochMs: number, style?: DateTimeStyle) => string;

/** The filter names, for docs and for `strictFilters` error messages. */
export const CUSTOM_FILTERS = ['duration', 'datetime', 'severity_name', 'escape_md', 'number'] as const;

const STYLES: readonly string[] = ['datetime', 'date', 'time', 'full'];

/**
 * Registers the custom filters on `liquid`. `formatterFor(zone)` returns a formatter for a valid
 * zone (the renderer has checked `timeZone` before rendering).
 */
export function registerFilters(liquid: Liquid, formatterFor: (zone: string) => Formatter): void {
  const env = (ctx: { environments: unknown }): { language: RenderLanguage; timeZone: string } => {
    const e = ctx.environments as { language?: unknown; timeZone?: unknown };
    return {
      language: e.language === 'en' ? 'en' : 'zh-CN',
      timeZone: typeof e.timeZone === 'string' ? e.timeZone : DEFAULT_TIME_ZONE,
    };
  };

  liquid.registerFilter('duration', function (ms: unknown) {
    const n = toNumber(ms);
    return n === null ? '' : formatDuration(n, env(this.context).language);
  });

  liquid.registerFilter('datetime', function (epochMs: unknown, style?: unknown) {
    const n = toEpochMs(epochMs);
    if (n === null) return '';
    const s = typeof style === 'string' && STYLES.includes(style) ? (style as DateTimeStyle) : 'datetime';
    return formatterFor(env(this.context).timeZone)(n, s);
  });

  liquid.registerFilter('severity_name', function (value: unknown) {
    return severityName(value, env(this.context).language);
  });

  liquid.registerFilter('escape_md', (value: unknown) => escapeMarkdown(value));

  liquid.registerFilter('number', (value: unknown) => {
    const n = toNumber(value);
    return n === null ? toText(value) : formatCount(n);
  });
}

function toNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/** Epoch ms from a number, a numeric string, or an ISO 8601 string (as in Alertmanager payloads). */
function toEpochMs(v: unknown): number | null {
  const n = toNumber(v);
  if (n !== null) return n;
  if (typeof v === 'string') {
    const t = Date.parse(v);
    return Number.isFinite(t) ? t : null;
  }
  return null;
}
