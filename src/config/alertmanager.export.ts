// Pure: the configuration's Alertmanager-compatible part (route tree, receivers, inhibition rules,
// time intervals) written back in Alertmanager's syntax, for `watchpost config export --format
// alertmanager` and for `config.original` in `GET /api/v2/status` (what `amtool config show` and
// `amtool config routes` read). The output is accepted both by Alertmanager (`amtool check-config`)
// and by Watchpost's own loader, which reads it back to the same route tree and receivers.
//
// What is lost: Watchpost-only keys (`flapping`, `storm`); the spelling of the input (`match` and
// `match_re` come back as `matchers`, `mute_time_intervals:` at the top level as `time_intervals:`,
// month names as numbers); settings a child route repeated from its parent (the model keeps only
// the resolved value, so a child writes a setting only where it differs from its parent).
// Secrets are `<secret>`, as Alertmanager masks them, unless the caller asks for them.

import { stringify } from 'yaml';
import { formatDuration } from '../kernel/duration.js';
import { formatMatcher } from '../kernel/matchers.js';
import type { InclusiveRange, TimeIntervalSpec } from '../kernel/time-interval.js';
import { WEEKDAYS } from '../kernel/time-interval.js';
import type {
  Config,
  EmailConfig,
  HttpClientConfig,
  InhibitRule,
  ReceiverConfig,
  RouteNode,
  WebhookConfig,
  WechatConfig,
} from './model.js';

/** How Alertmanager shows a secret it will not print (`config.Secret`'s MarshalYAML). */
export const MASKED_SECRET = '<secret>';

export interface AlertmanagerExportOptions {
  /** `mask` writes every credential as `<secret>` (the API, logs); `show` writes the values (a file to deploy). */
  secrets: 'mask' | 'show';
}

export type AlertmanagerPart = Pick<Config, 'route' | 'receivers' | 'inhibitRules' | 'timeIntervals'>;

type Yaml = Record<string, unknown>;

const groupByOf = (g: RouteNode['groupBy']): string[] => (g === 'all' ? ['...'] : [...g]);

const sameGroupBy = (a: RouteNode['groupBy'], b: RouteNode['groupBy']): boolean =>
  a === 'all' || b === 'all' ? a === b : a.length === b.length && a.every((x, i) => x === b[i]);

/** Keys in the order Alertmanager's `config show` prints a route. */
function routeYaml(r: RouteNode, parent: RouteNode | null): Yaml {
  const out: Yaml = {};
  if (!parent || r.receiver !== parent.receiver) out.receiver = r.receiver;
  const groupBy = groupByOf(r.groupBy);
  if (parent ? !sameGroupBy(r.groupBy, parent.groupBy) : groupBy.length > 0) out.group_by = groupBy;
  if (r.matchers.length) out.matchers = r.matchers.map(formatMatcher);
  if (r.muteTimeIntervals.length) out.mute_time_intervals = [...r.muteTimeIntervals];
  if (r.activeTimeIntervals.length) out.active_time_intervals = [...r.activeTimeIntervals];
  out.continue = r.continue;
  if (r.routes.length) out.routes = r.routes.map((c) => routeYaml(c, r));
  if (!parent || r.groupWaitMs !== parent.groupWaitMs) out.group_wait = formatDuration(r.groupWaitMs);
  if (!parent || r.groupIntervalMs !== parent.groupIntervalMs)
    out.group_interval = formatDuration(r.groupIntervalMs);
  if (!parent || r.repeatIntervalMs !== parent.repeatIntervalMs)
    out.repeat_interval = formatDuration(r.repeatIntervalMs);
  return out;
}

function httpConfigYaml(h: HttpClientConfig, secret: (s: string) => string): Yaml | undefined {
  const out: Yaml = {};
  if (h.bearerToken !== null) out.bearer_token = secret(h.bearerToken);
  if (h.basicAuth)
    out.basic_auth = {
      username: h.basicAuth.username,
      ...(h.basicAuth.password ? { password: secret(h.basicAuth.password) } : {}),
    };
  if (h.proxyUrl !== null) out.proxy_url = h.proxyUrl;
  if (h.tlsConfig.insecureSkipVerify) out.tls_config = { insecure_skip_verify: true };
  return Object.keys(out).length ? out : undefined;
}

function webhookYaml(w: WebhookConfig, secret: (s: string) => string): Yaml {
  const http = httpConfigYaml(w.httpConfig, secret);
  return {
    send_resolved: w.sendResolved,
    ...(http ? { http_config: http } : {}),
    url: w.url,
    max_alerts: w.maxAlerts,
    // Alertmanager 0.28 added `timeout`; 0.25 rejects the key, so the default (0s) is left out.
    ...(w.timeoutMs ? { timeout: formatDuration(w.timeoutMs) } : {}),
  };
}

function emailYaml(e: EmailConfig, secret: (s: string) => string): Yaml {
  const host = e.smarthost.host.includes(':') ? `[${e.smarthost.host}]` : e.smarthost.host;
  return {
    send_resolved: e.sendResolved,
    to: e.to,
    from: e.from,
    smarthost: `${host}:${e.smarthost.port}`,
    ...(e.authUsername !== null ? { auth_username: e.authUsername } : {}),
    ...(e.authPassword !== null ? { auth_password: secret(e.authPassword) } : {}),
    ...(Object.keys(e.headers).length ? { headers: { ...e.headers } } : {}),
    ...(e.html !== null ? { html: e.html } : {}),
    ...(e.text !== null ? { text: e.text } : {}),
    require_tls: e.requireTls,
  };
}

function wechatYaml(w: WechatConfig, secret: (s: string) => string): Yaml {
  return {
    send_resolved: w.sendResolved,
    api_secret: secret(w.apiSecret),
    corp_id: w.corpId,
    ...(w.message !== null ? { message: w.message } : {}),
    api_url: w.apiUrl,
    to_user: w.toUser,
    to_party: w.toParty,
    to_tag: w.toTag,
    ...(w.agentId ? { agent_id: w.agentId } : {}),
    message_type: w.messageType,
  };
}

/**
 * Alertmanager's keys of a receiver, e-mail and webhooks in the order the file gave them (the order
 * `policy: fallback` follows). Watchpost's own channel kinds (DingTalk, WeCom, …) have no
 * Alertmanager equivalent and are left out.
 */
function receiverYaml(r: ReceiverConfig, secret: (s: string) => string): Yaml {
  const email = r.emailConfigs.length
    ? { email_configs: r.emailConfigs.map((e) => emailYaml(e, secret)) }
    : {};
  const webhook = r.webhookConfigs.length
    ? { webhook_configs: r.webhookConfigs.map((w) => webhookYaml(w, secret)) }
    : {};
  const webhookFirst =
    r.channels.findIndex((c) => c.kind === 'webhook') >= 0 &&
    (r.channels.findIndex((c) => c.kind === 'email') < 0 ||
      r.channels.findIndex((c) => c.kind === 'webhook') < r.channels.findIndex((c) => c.kind === 'email'));
  return {
    name: r.name,
    ...(webhookFirst ? { ...webhook, ...email } : { ...email, ...webhook }),
    ...(r.wechatConfigs.length ? { wechat_configs: r.wechatConfigs.map((w) => wechatYaml(w, secret)) } : {}),
  };
}

function inhibitRuleYaml(r: InhibitRule): Yaml {
  return {
    ...(r.sourceMatchers.length ? { source_matchers: r.sourceMatchers.map(formatMatcher) } : {}),
    ...(r.targetMatchers.length ? { target_matchers: r.targetMatchers.map(formatMatcher) } : {}),
    ...(r.equal.length ? { equal: [...r.equal] } : {}),
  };
}

/** `a` or `a:b`, each end written by `name`. */
const rangeText = (r: InclusiveRange, name: (n: number) => string = String): string =>
  r.start === r.end ? name(r.start) : `${name(r.start)}:${name(r.end)}`;

const clock = (minute: number): string =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/** As Alertmanager prints a parsed interval: weekday names, numeric days, months and years. */
function timeIntervalYaml(t: TimeIntervalSpec): Yaml {
  return {
    ...(t.times.length
      ? { times: t.times.map((r) => ({ start_time: clock(r.startMinute), end_time: clock(r.endMinute) })) }
      : {}),
    ...(t.weekdays.length
      ? { weekdays: t.weekdays.map((r) => rangeText(r, (d) => WEEKDAYS[d] ?? String(d))) }
      : {}),
    ...(t.daysOfMonth.length ? { days_of_month: t.daysOfMonth.map((r) => rangeText(r)) } : {}),
    ...(t.months.length ? { months: t.months.map((r) => rangeText(r)) } : {}),
    ...(t.years.length ? { years: t.years.map((r) => rangeText(r)) } : {}),
    // UTC is what both read when `location` is absent.
    ...(t.location !== 'UTC' ? { location: t.location } : {}),
  };
}

/**
 * The Alertmanager configuration object (snake_case keys, Alertmanager's key order) equivalent to
 * `c`'s route tree, receivers, inhibition rules and time intervals.
 */
export function toAlertmanagerObject(c: AlertmanagerPart, o: AlertmanagerExportOptions): Yaml {
  const secret = (s: string): string => (o.secrets === 'mask' ? MASKED_SECRET : s);
  const intervals = Object.entries(c.timeIntervals);
  return {
    route: routeYaml(c.route, null),
    ...(c.inhibitRules.length ? { inhibit_rules: c.inhibitRules.map(inhibitRuleYaml) } : {}),
    receivers: c.receivers.map((r) => receiverYaml(r, secret)),
    ...(intervals.length
      ? {
          time_intervals: intervals.map(([name, list]) => ({
            name,
            time_intervals: list.map(timeIntervalYaml),
          })),
        }
      : {}),
  };
}

/**
 * The same as YAML text. Strings that YAML 1.1 (Alertmanager's Go parser) would read as something
 * else, such as `"09:30"` (a sexagesimal number there), are quoted.
 */
export function toAlertmanagerYaml(c: AlertmanagerPart, o: AlertmanagerExportOptions): string {
  return stringify(toAlertmanagerObject(c, o), { version: '1.1', lineWidth: 0 });
}
