// The render step's public types: what the caller passes in (options, user templates, related
// context) and what a template sees (TemplateContext, documented for users in docs/templates.md).
import type { Severity } from '../../kernel/severity.js';
import type { ChannelMessage } from '../channels/channel.js';

export type RenderLanguage = 'zh-CN' | 'en';

/** A receiver's LiquidJS sources; an absent (or blank) one means the default template. */
export interface MessageTemplates {
  title?: string;
  markdown?: string;
  text?: string;
}

export type TemplateName = keyof MessageTemplates;

/** A log line, trace or event related to the alerts, added by a later step through one hook. */
export interface RelatedContext {
  kind: 'log' | 'trace' | 'event';
  text: string;
  url?: string;
}

export interface RenderOptions {
  language: RenderLanguage;
  templates?: MessageTemplates;
  /** Already signed by the caller; absent links are left out. */
  links: { detailUrl: string; ackUrl?: string; silenceUrl?: string };
  mentions: ChannelMessage['mentions'];
  idempotencyKey: string;
  /** Epoch ms from the injected clock: "firing for 12 min". */
  now: number;
  /** IANA zone for shown times; default 'Asia/Shanghai'. */
  timeZone?: string;
  context?: RelatedContext[];
}

/** Bounds on what a user template may cost. Every field has a default (see renderer.ts). */
export interface RendererLimits {
  /** Characters of template source parsed at once (LiquidJS `parseLimit`). */
  parseLimit?: number;
  /** Milliseconds one template may spend rendering (LiquidJS `renderLimit`). */
  renderLimitMs?: number;
  /** Allocation units one render may use: ranges, joins, appends (LiquidJS `memoryLimit`). */
  memoryLimit?: number;
  /** Characters kept of a rendered body (markdown, text); the title keeps `maxTitleChars`. */
  maxOutputChars?: number;
  maxTitleChars?: number;
  /** Parsed templates kept, keyed by source. */
  cacheSize?: number;
  /** Upper bound on a route's `maxAlertsListed`, so a huge setting cannot make a huge message. */
  maxListed?: number;
}

/** One alert as a template sees it. Times are already formatted in the receiver's zone. */
export interface TemplateAlert {
  status: 'firing' | 'resolved';
  severity: Severity | null;
  /** Annotation `summary`, else label `alertname`. */
  summary: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Labels that are not common to the whole group: what tells this alert apart. */
  distinctLabels: Record<string, string>;
  startsAt: string;
  /** Empty while the alert fires. */
  endsAt: string;
  startsAtMs: number;
  endsAtMs: number | null;
  /** Firing: since start until now; resolved: start to end. */
  duration: string;
  durationMs: number;
  flapping: boolean;
  generatorUrl: string;
  fingerprint: string;
}

export interface TemplateStorm {
  total: number;
  firing: number;
  resolved: number;
  /** Alerts not listed in `alerts`. */
  omitted: number;
  byLabel: { name: string; distinct: number; top: { value: string; count: number }[]; others: number }[];
}

/** Everything a template can use; every field is documented in docs/templates.md. */
export interface TemplateContext {
  language: RenderLanguage;
  timeZone: string;
  status: 'firing' | 'resolved';
  severity: Severity | null;
  /** The default title (filled in before user templates run, so they can reuse it). */
  title: string;
  /** What is wrong, one line. */
  summary: string;
  description: string;
  /** "shopee MY-1": platform and store common to the group, else its service. */
  where: string;
  service: string;
  platform: string;
  store: string;
  value: string;
  threshold: string;
  /** An http(s) runbook URL, safe to put in a Markdown link; empty when none. */
  runbookUrl: string;
  /** A runbook annotation that is not a URL (a wiki page name, a phone number). */
  runbook: string;
  startsAt: string;
  endsAt: string;
  startsAtMs: number;
  endsAtMs: number | null;
  duration: string;
  durationMs: number;
  alertCount: number;
  firingCount: number;
  resolvedCount: number;
  flappingCount: number;
  alerts: TemplateAlert[];
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  storm: TemplateStorm | null;
  links: { detailUrl: string; ackUrl: string; silenceUrl: string };
  context: RelatedContext[];
}

/** A problem with a user template, for `check()` and for the note a fallback appends. */
export interface TemplateProblem {
  template: TemplateName;
  message: string;
}
