// Alertmanager's webhook message (version "4"), built the way Alertmanager builds it, so receivers
// written for Alertmanager work unchanged. References (prometheus/alertmanager):
//   dispatch/dispatch.go  aggrGroup.flush: firing alerts lose their endsAt; alerts sorted (types.AlertSlice)
//   notify/webhook/webhook.go  truncateAlerts keeps the first max_alerts; Message{Data, version, groupKey, truncatedAlerts}
//   template/template.go  Data: status, commonLabels, commonAnnotations computed over the alerts sent
import type { Labels } from '../kernel/labels.js';

export interface NotifiedAlert {
  fingerprint: string;
  labels: Labels;
  annotations: Labels;
  /** Epoch milliseconds. */
  startsAt: number;
  /** Epoch milliseconds; null while unknown. */
  endsAt: number | null;
  generatorUrl: string;
  status: 'firing' | 'resolved';
  /** Flapping (Watchpost): counted as firing until it settles. */
  flapping?: true;
}

export interface NotificationContent {
  receiver: string;
  groupKey: string;
  groupLabels: Labels;
  externalUrl: string;
  /** The route's `storm.max_alerts_listed` (see summary.ts). */
  maxAlertsListed?: number;
  alerts: NotifiedAlert[];
}

export interface WebhookAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

export interface WebhookPayload {
  receiver: string;
  status: 'firing' | 'resolved';
  alerts: WebhookAlert[];
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  version: '4';
  groupKey: string;
  truncatedAlerts: number;
}

/** Go's zero `time.Time` as encoding/json writes it: what Alertmanager sends for "no end". */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

/**
 * Builds the payload Alertmanager would POST for this notification: alerts sorted as Alertmanager
 * sorts them, the first `maxAlerts` kept (0 = all) and the rest counted in `truncatedAlerts`, and
 * status and common labels/annotations computed over the alerts actually sent. Keys appear in the
 * order Go's encoding/json writes them (label maps sorted by name).
 */
export function buildWebhookPayload(n: NotificationContent, opts: { maxAlerts: number }): WebhookPayload {
  const sorted = [...n.alerts].sort(compareAlerts);
  const max = Math.max(0, Math.floor(opts.maxAlerts));
  const sent = max > 0 && sorted.length > max ? sorted.slice(0, max) : sorted;

  return {
    // Alertmanager regexp-quotes the receiver name in template data (so it can go into a UI link);
    // the webhook inherits that, and receivers written for it expect it.
    receiver: quoteMeta(n.receiver),
    status: sent.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    alerts: sent.map(toWebhookAlert),
    groupLabels: sortedRecord(n.groupLabels),
    commonLabels: sortedRecord(common(sent.map((a) => a.labels))),
    commonAnnotations: sortedRecord(common(sent.map((a) => a.annotations))),
    externalURL: n.externalUrl,
    version: '4',
    groupKey: n.groupKey,
    truncatedAlerts: sorted.length - sent.length,
  };
}

function toWebhookAlert(a: NotifiedAlert): WebhookAlert {
  return {
    status: a.status,
    labels: sortedRecord(a.labels),
    // Watchpost marks a flapping alert with an annotation, so receivers written for Alertmanager see it.
    annotations: sortedRecord(a.flapping ? { ...a.annotations, flapping: 'true' } : a.annotations),
    startsAt: formatGoTime(a.startsAt),
    // Alertmanager zeroes endsAt of every alert that is not resolved when the group flushes.
    endsAt: a.status === 'resolved' && a.endsAt !== null ? formatGoTime(a.endsAt) : ZERO_TIME,
    generatorURL: a.generatorUrl,
    fingerprint: a.fingerprint,
  };
}

/**
 * An instant as Go's encoding/json writes a UTC `time.Time` (RFC 3339 with trailing zeros of the
 * fraction dropped): 08:00:00.120 → "…T08:00:00.12Z", 08:00:00.000 → "…T08:00:00Z".
 */
export function formatGoTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.?0+Z$/, 'Z');
}

/** The labels present with the same value in every set. */
function common(sets: Labels[]): Record<string, string> {
  const [first, ...rest] = sets;
  if (!first) return {};
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(first)) {
    if (rest.every((s) => s[name] === value)) out[name] = value;
  }
  return out;
}

function sortedRecord(l: Labels): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(l).sort(compareBytes)) out[name] = l[name] ?? '';
  return out;
}

/**
 * Go's string order: by UTF-8 bytes, which is code point order. JS `<` compares UTF-16 units, and
 * the two differ only where a surrogate (half of a code point above U+FFFF) meets a unit of
 * U+E000–U+FFFF: the surrogate's code point is the greater. Unit by unit, without splitting the
 * strings into code points (sorting a storm's label sets compares a lot).
 */
function compareBytes(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    return xs === ys ? x - y : xs ? 1 : -1;
  }
  return a.length - b.length;
}

/** types.AlertSlice.Less: by `job`, then `instance` (alerts having the label first), then LabelSet.Before. */
function compareAlerts(a: NotifiedAlert, b: NotifiedAlert): number {
  for (const key of ['job', 'instance']) {
    const av = a.labels[key];
    const bv = b.labels[key];
    if (av === undefined && bv === undefined) continue;
    if (av === undefined) return 1;
    if (bv === undefined) return -1;
    if (av !== bv) return compareBytes(av, bv);
  }
  return compareLabelSets(a.labels, b.labels);
}

/** model.LabelSet.Before: fewer labels first; then the first differing name (in sorted order) decides. */
function compareLabelSets(a: Labels, b: Labels): number {
  const an = Object.keys(a);
  const bn = Object.keys(b);
  if (an.length !== bn.length) return an.length - bn.length;
  for (const name of [...new Set([...an, ...bn])].sort(compareBytes)) {
    const av = a[name];
    const bv = b[name];
    if (av === undefined) return -1;
    if (bv === undefined) return 1;
    const d = compareBytes(av, bv);
    if (d !== 0) return d;
  }
  return 0;
}

/** Go's regexp.QuoteMeta: a backslash before each of \.+*?()|[]{}^$ */
function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}
