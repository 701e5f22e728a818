// From the validated Alertmanager-compatible sections to the normalised model: inheritance resolved
// down the route tree, deprecated `match` / `match_re` turned into matchers, durations in ms, time
// intervals as numeric ranges. Runs only on a file that passed alertmanager.check.ts, so nothing
// here reports problems.

import { parseDuration } from '../kernel/duration.js';
import { compareMatchers, parseMatchers, type Matcher } from '../kernel/matchers.js';
import {
  canonicalTimeZone,
  parseDayOfMonthRange,
  parseMonthRange,
  parseTimeRange,
  parseWeekdayRange,
  parseYearRange,
  type TimeIntervalSpec,
} from '../kernel/time-interval.js';
import { ROUTE_DEFAULTS } from './alertmanager.schema.js';
import type {
  Config,
  EmailConfig,
  InhibitRule,
  ReceiverConfig,
  RouteNode,
  WebhookConfig,
  WechatConfig,
} from './model.js';
import { channelDecls } from './channels.build.js';
import type { ConfigFile } from './schema.js';

type RouteFile = NonNullable<ConfigFile['route']>;
type ReceiverFile = NonNullable<ConfigFile['receivers']>[number];
type TimeIntervalFile = ConfigFile['time_intervals'][number]['time_intervals'][number];

/** The receiver used when the file defines none: it has no channels, so nothing is delivered. */
export const DEFAULT_RECEIVER = 'default';

/** What a route inherits from its parent; the root inherits the defaults. */
type Inherited = Pick<
  RouteNode,
  'receiver' | 'groupBy' | 'groupWaitMs' | 'groupIntervalMs' | 'repeatIntervalMs' | 'flapping' | 'storm'
>;

const ROOT_DEFAULTS: Inherited = {
  receiver: DEFAULT_RECEIVER,
  groupBy: [],
  groupWaitMs: parseDuration(ROUTE_DEFAULTS.group_wait),
  groupIntervalMs: parseDuration(ROUTE_DEFAULTS.group_interval),
  repeatIntervalMs: parseDuration(ROUTE_DEFAULTS.repeat_interval),
  flapping: {
    threshold: ROUTE_DEFAULTS.flapping.threshold,
    windowMs: parseDuration(ROUTE_DEFAULTS.flapping.window),
  },
  storm: { maxAlertsListed: ROUTE_DEFAULTS.storm.max_alerts_listed },
};

/** The route tree when the file has neither `route` nor `receivers`. */
const defaultRoute = (): RouteNode => ({
  ...ROOT_DEFAULTS,
  id: '0',
  groupBy: ['alertname'],
  flapping: { ...ROOT_DEFAULTS.flapping },
  storm: { ...ROOT_DEFAULTS.storm },
  continue: false,
  matchers: [],
  muteTimeIntervals: [],
  activeTimeIntervals: [],
  routes: [],
});

const msOr = (v: string | undefined, inherited: number): number =>
  v === undefined ? inherited : parseDuration(v);

/**
 * `match`, then `match_re`, then `matchers` lines, as Alertmanager combines them. A `match_re`
 * value becomes `^(?:value)$`, the text Alertmanager's compiled Regexp reports: it shows in route
 * keys and so in every webhook's `groupKey`.
 */
function matchersOf(
  match: Readonly<Record<string, string | number | boolean>> | undefined,
  matchRe: Readonly<Record<string, string | number | boolean>> | undefined,
  lines: readonly string[] | undefined,
): Matcher[] {
  return [
    ...Object.entries(match ?? {}).map(([name, value]): Matcher => ({
      name,
      type: '=',
      value: String(value),
    })),
    ...Object.entries(matchRe ?? {}).map(([name, value]): Matcher => ({
      name,
      type: '=~',
      value: `^(?:${String(value)})$`,
    })),
    ...(lines ?? []).flatMap(parseMatchers),
  ];
}

function routeNode(r: RouteFile, id: string, parent: Inherited): RouteNode {
  const own: Inherited = {
    receiver: r.receiver ?? parent.receiver,
    groupBy: r.group_by === undefined ? parent.groupBy : r.group_by.includes('...') ? 'all' : [...r.group_by],
    groupWaitMs: msOr(r.group_wait, parent.groupWaitMs),
    groupIntervalMs: msOr(r.group_interval, parent.groupIntervalMs),
    repeatIntervalMs: msOr(r.repeat_interval, parent.repeatIntervalMs),
    flapping: {
      threshold: r.flapping?.threshold ?? parent.flapping.threshold,
      windowMs: msOr(r.flapping?.window, parent.flapping.windowMs),
    },
    storm: { maxAlertsListed: r.storm?.max_alerts_listed ?? parent.storm.maxAlertsListed },
  };
  return {
    id,
    ...own,
    continue: r.continue ?? false,
    matchers: matchersOf(r.match, r.match_re, r.matchers).sort(compareMatchers),
    muteTimeIntervals: [...(r.mute_time_intervals ?? [])],
    activeTimeIntervals: [...(r.active_time_intervals ?? [])],
    routes: (r.routes ?? []).map((child, i) => routeNode(child, `${id}.${i}`, own)),
  };
}

function webhookConfig(w: ReceiverFile['webhook_configs'][number]): WebhookConfig {
  const h = w.http_config;
  return {
    url: w.url,
    sendResolved: w.send_resolved,
    maxAlerts: w.max_alerts,
    timeoutMs: parseDuration(w.timeout),
    signingSecret: w.signing_secret ?? null,
    httpConfig: {
      bearerToken: h.bearer_token ?? null,
      basicAuth: h.basic_auth
        ? { username: h.basic_auth.username, password: h.basic_auth.password ?? '' }
        : null,
      tlsConfig: { insecureSkipVerify: h.tls_config.insecure_skip_verify },
      proxyUrl: h.proxy_url ?? null,
    },
  };
}

function emailConfig(e: ReceiverFile['email_configs'][number]): EmailConfig {
  const colon = e.smarthost.lastIndexOf(':');
  return {
    to: e.to,
    from: e.from,
    smarthost: {
      host: e.smarthost.slice(0, colon).replace(/^\[(.*)\]$/, '$1'),
      port: Number(e.smarthost.slice(colon + 1)),
    },
    authUsername: e.auth_username ?? null,
    authPassword: e.auth_password ?? null,
    requireTls: e.require_tls,
    headers: { ...e.headers },
    html: e.html ?? null,
    text: e.text ?? null,
    sendResolved: e.send_resolved,
  };
}

function wechatConfig(w: ReceiverFile['wechat_configs'][number]): WechatConfig {
  return {
    apiUrl: w.api_url,
    corpId: w.corp_id,
    apiSecret: w.api_secret,
    agentId: String(w.agent_id ?? ''),
    toUser: w.to_user,
    toParty: w.to_party,
    toTag: w.to_tag,
    message: w.message ?? null,
    messageType: w.message_type,
    sendResolved: w.send_resolved,
  };
}

export function receiverConfig(r: ReceiverFile): ReceiverConfig {
  const webhook = r.webhook_configs.map(webhookConfig);
  const email = r.email_configs.map(emailConfig);
  return {
    name: r.name,
    webhookConfigs: webhook,
    emailConfigs: email,
    wechatConfigs: r.wechat_configs.map(wechatConfig),
    channels: channelDecls(r, { webhook, email }, r.language),
    policy: r.policy,
    fallbackAfter: r.fallback_after,
    language: r.language,
    templates: { ...r.templates },
  };
}

function timeIntervalSpec(t: TimeIntervalFile): TimeIntervalSpec {
  const ranges = <T>(list: readonly (string | number)[] | undefined, parse: (s: string) => T): T[] =>
    (list ?? []).map((v) => parse(String(v)));
  // Alertmanager's `Local` is the zone of the machine running it; it is fixed when the file is loaded.
  const location =
    t.location === undefined
      ? 'UTC'
      : t.location === 'Local'
        ? new Intl.DateTimeFormat().resolvedOptions().timeZone
        : canonicalTimeZone(t.location);
  return {
    times: (t.times ?? []).map((r) => parseTimeRange(r.start_time, r.end_time)),
    weekdays: ranges(t.weekdays, parseWeekdayRange),
    daysOfMonth: ranges(t.days_of_month, parseDayOfMonthRange),
    months: ranges(t.months, parseMonthRange),
    years: ranges(t.years, parseYearRange),
    location,
  };
}

function inhibitRule(r: ConfigFile['inhibit_rules'][number]): InhibitRule {
  return {
    sourceMatchers: matchersOf(r.source_match, r.source_match_re, r.source_matchers),
    targetMatchers: matchersOf(r.target_match, r.target_match_re, r.target_matchers),
    equal: [...r.equal],
  };
}

/**
 * The route tree, receivers, inhibition rules and named time intervals. A file with neither
 * `route` nor `receivers` gets one receiver `default` without channels and a root route to it,
 * grouped by alertname.
 */
export function buildAlertmanager(
  file: ConfigFile,
): Pick<Config, 'route' | 'receivers' | 'inhibitRules' | 'timeIntervals'> {
  const timeIntervals: Record<string, TimeIntervalSpec[]> = {};
  for (const named of [...file.time_intervals, ...file.mute_time_intervals])
    timeIntervals[named.name] = named.time_intervals.map(timeIntervalSpec);
  return {
    route: file.route === undefined ? defaultRoute() : routeNode(file.route, '0', ROOT_DEFAULTS),
    receivers: (
      file.receivers ?? [
        {
          name: DEFAULT_RECEIVER,
          webhook_configs: [],
          email_configs: [],
          wechat_configs: [],
          dingtalk_configs: [],
          wecom_configs: [],
          feishu_configs: [],
          sms_configs: [],
          slack_configs: [],
          telegram_configs: [],
          pagerduty_configs: [],
          policy: 'all',
          fallback_after: 2,
          language: 'zh-CN',
        },
      ]
    ).map(receiverConfig),
    inhibitRules: file.inhibit_rules.map(inhibitRule),
    timeIntervals,
  };
}
