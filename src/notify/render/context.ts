// Pure: a notification's content → the variables a template sees (TemplateContext). Values stay
// raw (templates escape for Markdown with `escape_md`); times are formatted in the receiver's zone
// and language. The group's one-line facts (service, platform, store, value, threshold, runbook)
// are those common to all its alerts, so a message never shows one alert's store as the group's.
import type { Labels } from '../../kernel/labels.js';
import { severityOf } from '../../kernel/severity.js';
import { cut } from '../channels/truncate.js';
import type { NotificationContent, NotifiedAlert } from '../payload.js';
import { summarizeStorm } from '../summary.js';
import { dateTimeFormatter, formatDuration, oneLine, safeUrl, worstSeverity } from './format.js';
import type { RelatedContext, RenderLanguage, TemplateAlert, TemplateContext } from './types.js';

/** What the context needs besides the content; `timeZone` must be valid. */
export interface ContextOptions {
  language: RenderLanguage;
  timeZone: string;
  now: number;
  links: { detailUrl: string; ackUrl?: string; silenceUrl?: string };
  context?: RelatedContext[];
  /** Alerts listed one by one; beyond, the storm summary (already capped by the renderer). */
  maxListed: number;
  /** The formatter of `timeZone`, when the caller keeps one (building it costs ~0.1 ms). */
  formatter?: ReturnType<typeof dateTimeFormatter>;
}

const MAX_LINE = 300;
const MAX_CONTEXT = 10;

/**
 * The template variables for `content`: bounded whatever the group's size (at most `maxListed`
 * alerts listed, the rest summarised), with `title` left empty for the renderer to fill.
 */
export function buildTemplateContext(content: NotificationContent, o: ContextOptions): TemplateContext {
  const fmt = o.formatter ?? dateTimeFormatter(o.timeZone);
  const all = content.alerts;
  const commonLabels = common(all.map((a) => a.labels));
  const commonAnnotations = common(all.map((a) => a.annotations));
  const storm = summarizeStorm(all, content.groupLabels, Math.max(0, o.maxListed));
  const listed = storm ? storm.listed : [...all].sort(leadFirst);
  const lead = [...listed].sort(leadFirst)[0];

  const firing = all.filter((a) => a.status === 'firing');
  const status = firing.length > 0 ? 'firing' : 'resolved';
  const spanOf = status === 'firing' ? firing : all;
  // reduce, not Math.min(...xs): a storm of 100,000 alerts would overflow the argument stack.
  const startsAtMs = spanOf.reduce((m, a) => Math.min(m, a.startsAt), Infinity);
  const endsAtMs =
    status === 'resolved' ? all.reduce((m, a) => Math.max(m, a.endsAt ?? o.now), -Infinity) : null;
  const start = Number.isFinite(startsAtMs) ? startsAtMs : o.now;
  const end = endsAtMs !== null && Number.isFinite(endsAtMs) ? endsAtMs : null;
  const durationMs = (end ?? o.now) - start;

  const runbookRaw = commonAnnotations.runbook_url ?? commonAnnotations.runbook ?? '';
  const runbookUrl = safeUrl(runbookRaw);
  const platform = commonLabels.platform ?? '';
  const store = commonLabels.store ?? '';
  const service = commonLabels.service ?? '';

  return {
    language: o.language,
    timeZone: o.timeZone,
    status,
    severity: worstSeverity(all.map((a) => severityOf(a.labels))),
    title: '',
    summary: line(commonAnnotations.summary ?? (lead ? alertSummary(lead) : '')),
    description: line(commonAnnotations.description ?? ''),
    where: [platform, store].filter(Boolean).join(' ') || service,
    service,
    platform,
    store,
    value: line(commonAnnotations.value ?? ''),
    threshold: line(commonAnnotations.threshold ?? ''),
    runbookUrl,
    runbook: runbookUrl ? '' : line(runbookRaw),
    startsAt: fmt(start),
    endsAt: end === null ? '' : fmt(end),
    startsAtMs: start,
    endsAtMs: end,
    duration: formatDuration(durationMs, o.language),
    durationMs,
    alertCount: all.length,
    firingCount: firing.length,
    resolvedCount: all.length - firing.length,
    flappingCount: all.filter((a) => a.flapping).length,
    alerts: listed.map((a) => toTemplateAlert(a, commonLabels, fmt, o)),
    groupLabels: { ...content.groupLabels },
    commonLabels,
    commonAnnotations,
    storm: storm && {
      total: storm.total,
      firing: storm.firing,
      resolved: storm.resolved,
      omitted: storm.omitted,
      byLabel: storm.byLabel.map((l) => ({ ...l, top: l.top.map((t) => ({ ...t })) })),
    },
    links: {
      detailUrl: o.links.detailUrl,
      ackUrl: o.links.ackUrl ?? '',
      silenceUrl: o.links.silenceUrl ?? '',
    },
    context: (o.context ?? []).slice(0, MAX_CONTEXT).map((c) => {
      const url = safeUrl(c.url);
      return url ? { kind: c.kind, text: line(c.text), url } : { kind: c.kind, text: line(c.text) };
    }),
  };
}

function toTemplateAlert(
  a: NotifiedAlert,
  commonLabels: Record<string, string>,
  fmt: ReturnType<typeof dateTimeFormatter>,
  o: ContextOptions,
): TemplateAlert {
  const endsAtMs = a.status === 'resolved' ? a.endsAt : null;
  const durationMs = (endsAtMs ?? o.now) - a.startsAt;
  const distinctLabels: Record<string, string> = {};
  for (const [k, v] of Object.entries(a.labels)) if (commonLabels[k] !== v) distinctLabels[k] = v;
  return {
    status: a.status,
    severity: severityOf(a.labels),
    summary: line(alertSummary(a)),
    labels: { ...a.labels },
    annotations: { ...a.annotations },
    distinctLabels,
    startsAt: fmt(a.startsAt),
    endsAt: endsAtMs === null ? '' : fmt(endsAtMs),
    startsAtMs: a.startsAt,
    endsAtMs,
    duration: formatDuration(durationMs, o.language),
    durationMs,
    flapping: a.flapping === true,
    generatorUrl: a.generatorUrl,
    fingerprint: a.fingerprint,
  };
}

const alertSummary = (a: NotifiedAlert): string => a.annotations.summary ?? a.labels.alertname ?? '';

const line = (s: string): string => cut(oneLine(s), MAX_LINE);

const RANK: Record<string, number> = { P0: 0, P1: 1, P2: 2, P3: 3 };

/** The alert a group's message leads with: firing first, then the worst severity, then the oldest. */
function leadFirst(a: NotifiedAlert, b: NotifiedAlert): number {
  if (a.status !== b.status) return a.status === 'firing' ? -1 : 1;
  const sa = RANK[severityOf(a.labels) ?? ''] ?? 4;
  const sb = RANK[severityOf(b.labels) ?? ''] ?? 4;
  return sa - sb || a.startsAt - b.startsAt || (a.fingerprint < b.fingerprint ? -1 : 1);
}

/** The entries present with the same value in every set (a fresh object: templates may not mutate input). */
function common(sets: Labels[]): Record<string, string> {
  const [first, ...rest] = sets;
  if (!first) return {};
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(first)) {
    if (rest.every((s) => s[name] === value)) out[name] = value;
  }
  return out;
}
