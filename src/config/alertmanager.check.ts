// What the schema cannot say about the Alertmanager-compatible sections: matcher syntax and regular
// expressions, receiver and time-interval names that must exist and be unique, the rules of the
// root route, group_by, durations, time ranges and zones. Runs on the file as parsed, next to the
// schema check, so every problem is reported at once with its path.

import { DomainError } from '../kernel/errors.js';
import { compileMatcher, parseMatchers } from '../kernel/matchers.js';
import {
  canonicalTimeZone,
  parseDayOfMonthRange,
  parseMonthRange,
  parseTimeOfDay,
  parseTimeRange,
  parseWeekdayRange,
  parseYearRange,
} from '../kernel/time-interval.js';
import { checkChannels } from './channels.check.js';
import { checkDuration, checkUnique, get, isHttpUrl, isObject, type Report } from './checks.js';
import { HTTP_URL_MESSAGE } from './schema-parts.js';
import { didYouMean, formatPath, type ConfigPath } from './problems.js';

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

const entries = (v: unknown): [string, unknown][] => (isObject(v) ? Object.entries(v) : []);

/** Calls `fn` for each item of `v` when it is a list. */
const each = (v: unknown, fn: (item: unknown, i: number) => void): void => {
  if (Array.isArray(v)) v.forEach(fn);
};

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** `unknown receiver "pager"; defined: default, ops-webhook` (+ a suggestion when one is close). */
function unknownName(what: string, name: string, defined: readonly string[]): string {
  const list = defined.length > 0 ? `defined: ${defined.join(', ')}` : `no ${what}s are defined`;
  return `unknown ${what} ${JSON.stringify(name)}; ${list}${didYouMean(name, defined)}`;
}

function checkMatcherLines(v: unknown, p: ConfigPath, report: Report): void {
  each(v, (line, i) => {
    if (typeof line !== 'string') return;
    try {
      parseMatchers(line);
    } catch (e) {
      report([...p, i], `invalid matcher ${JSON.stringify(line)}: ${messageOf(e)}`);
    }
  });
}

function checkRegexMap(v: unknown, p: ConfigPath, report: Report): void {
  for (const [name, value] of entries(v)) {
    if (typeof value !== 'string') continue;
    try {
      compileMatcher({ name, type: '=~', value });
    } catch (e) {
      report([...p, name], e instanceof DomainError ? e.message : messageOf(e));
    }
  }
}

interface Names {
  receivers: string[];
  intervals: string[];
}

function checkRoute(route: unknown, p: ConfigPath, names: Names, report: Report): void {
  const at = (...rest: (string | number)[]): ConfigPath => [...p, ...rest];
  const receiver = get(route, 'receiver');
  if (typeof receiver === 'string' && !names.receivers.includes(receiver))
    report(at('receiver'), unknownName('receiver', receiver, names.receivers));

  const groupBy = strings(get(route, 'group_by'));
  if (groupBy.includes('...') && groupBy.length > 1)
    report(at('group_by'), 'cannot mix "..." with label names: use ["..."] alone to group by all labels');
  groupBy.forEach((label, i) => {
    if (label !== '...' && groupBy.indexOf(label) < i)
      report(at('group_by', i), `duplicate label "${label}"`);
  });

  checkMatcherLines(get(route, 'matchers'), at('matchers'), report);
  checkRegexMap(get(route, 'match_re'), at('match_re'), report);
  checkDuration(get(route, 'group_wait'), at('group_wait'), report, true);
  checkDuration(get(route, 'group_interval'), at('group_interval'), report);
  checkDuration(get(route, 'repeat_interval'), at('repeat_interval'), report);
  checkDuration(get(get(route, 'flapping'), 'window'), at('flapping', 'window'), report);
  for (const key of ['mute_time_intervals', 'active_time_intervals']) {
    each(get(route, key), (name, i) => {
      if (typeof name === 'string' && !names.intervals.includes(name))
        report(at(key, i), unknownName('time interval', name, names.intervals));
    });
  }
  each(get(route, 'routes'), (child, i) => checkRoute(child, at('routes', i), names, report));
}

/** Alertmanager's rules for the root route: it takes every alert, so it needs a receiver and no conditions. */
function checkRootRoute(route: unknown, report: Report): void {
  if (get(route, 'receiver') === undefined)
    report(
      ['route', 'receiver'],
      'required: the root route needs a receiver for alerts no child route takes',
    );
  for (const key of ['matchers', 'match', 'match_re']) {
    if (get(route, key) !== undefined)
      report(
        ['route', key],
        'the root route takes every alert and cannot have matchers; put them on a child route',
      );
  }
  if (get(route, 'continue') === true) report(['route', 'continue'], 'the root route cannot have continue');
  for (const key of ['mute_time_intervals', 'active_time_intervals']) {
    if (strings(get(route, key)).length > 0)
      report(['route', key], `the root route cannot have ${key}; put them on a child route`);
  }
}

function checkReceivers(receivers: unknown, report: Report): void {
  checkUnique(receivers, ['receivers'], 'name', 'receiver name', report);
  each(receivers, (r, i) => {
    each(get(r, 'webhook_configs'), (w, j) => {
      const p: ConfigPath = ['receivers', i, 'webhook_configs', j];
      const url = get(w, 'url');
      if (typeof url === 'string' && !isHttpUrl(url)) report([...p, 'url'], HTTP_URL_MESSAGE);
      checkDuration(get(w, 'timeout'), [...p, 'timeout'], report, true);
      const http = get(w, 'http_config');
      if (get(http, 'bearer_token') !== undefined && get(http, 'basic_auth') !== undefined)
        report([...p, 'http_config'], 'set bearer_token or basic_auth, not both');
      const proxy = get(http, 'proxy_url');
      if (typeof proxy === 'string' && !isHttpUrl(proxy))
        report([...p, 'http_config', 'proxy_url'], HTTP_URL_MESSAGE);
    });
    each(get(r, 'email_configs'), (c, j) => {
      const host = get(c, 'smarthost');
      if (typeof host === 'string' && Number(host.slice(host.lastIndexOf(':') + 1)) > 65535)
        report(['receivers', i, 'email_configs', j, 'smarthost'], 'the port must be 0-65535');
    });
    checkChannels(r, i, report);
    each(get(r, 'wechat_configs'), (c, j) => {
      const url = get(c, 'api_url');
      if (typeof url === 'string' && !isHttpUrl(url))
        report(['receivers', i, 'wechat_configs', j, 'api_url'], HTTP_URL_MESSAGE);
    });
  });
}

const RANGE_PARSERS: readonly [string, (s: string) => unknown][] = [
  ['weekdays', parseWeekdayRange],
  ['days_of_month', parseDayOfMonthRange],
  ['months', parseMonthRange],
  ['years', parseYearRange],
];

function checkTimeInterval(ti: unknown, p: ConfigPath, report: Report): void {
  each(get(ti, 'times'), (t, k) => {
    const start = get(t, 'start_time');
    const end = get(t, 'end_time');
    if (typeof start !== 'string' || typeof end !== 'string') return;
    let wellFormed = true;
    for (const [key, v] of [
      ['start_time', start],
      ['end_time', end],
    ] as const) {
      try {
        parseTimeOfDay(v);
      } catch (e) {
        report([...p, 'times', k, key], messageOf(e));
        wellFormed = false;
      }
    }
    if (!wellFormed) return;
    try {
      parseTimeRange(start, end);
    } catch (e) {
      report([...p, 'times', k], messageOf(e));
    }
  });
  for (const [key, parse] of RANGE_PARSERS) {
    each(get(ti, key), (v, k) => {
      if (typeof v !== 'string' && typeof v !== 'number') return;
      try {
        parse(String(v));
      } catch (e) {
        report([...p, key, k], messageOf(e));
      }
    });
  }
  const location = get(ti, 'location');
  if (typeof location === 'string' && location !== 'Local') {
    try {
      canonicalTimeZone(location);
    } catch (e) {
      report([...p, 'location'], messageOf(e));
    }
  }
}

/** Names of the time intervals from both lists, reporting names used twice across them. */
function checkTimeIntervals(root: unknown, report: Report): string[] {
  const seen = new Map<string, ConfigPath>();
  for (const key of ['time_intervals', 'mute_time_intervals']) {
    each(get(root, key), (named, i) => {
      const name = get(named, 'name');
      if (typeof name === 'string') {
        const first = seen.get(name);
        if (first !== undefined)
          report(
            [key, i, 'name'],
            `duplicate time interval name ${JSON.stringify(name)} (also at ${formatPath(first)})`,
          );
        else seen.set(name, [key, i]);
      }
      each(get(named, 'time_intervals'), (ti, j) =>
        checkTimeInterval(ti, [key, i, 'time_intervals', j], report),
      );
    });
  }
  return [...seen.keys()];
}

/** Reports every problem of the route, receivers, inhibit_rules and time interval sections. */
export function checkAlertmanager(root: unknown, report: Report): void {
  const receivers = get(root, 'receivers');
  checkReceivers(receivers, report);
  const names: Names = {
    receivers: Array.isArray(receivers) ? [...new Set(strings(receivers.map((r) => get(r, 'name'))))] : [],
    intervals: checkTimeIntervals(root, report),
  };

  const route = get(root, 'route');
  if (isObject(route)) {
    checkRootRoute(route, report);
    checkRoute(route, ['route'], names, report);
  } else if (route === undefined && receivers !== undefined) {
    report(
      ['route'],
      'required when receivers are defined: add a root route naming the receiver for alerts no child route takes',
    );
  }

  each(get(root, 'inhibit_rules'), (rule, i) => {
    checkMatcherLines(get(rule, 'source_matchers'), ['inhibit_rules', i, 'source_matchers'], report);
    checkMatcherLines(get(rule, 'target_matchers'), ['inhibit_rules', i, 'target_matchers'], report);
    checkRegexMap(get(rule, 'source_match_re'), ['inhibit_rules', i, 'source_match_re'], report);
    checkRegexMap(get(rule, 'target_match_re'), ['inhibit_rules', i, 'target_match_re'], report);
  });
}
