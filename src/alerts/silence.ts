// Pure: what a silence is, when it is in effect, what makes one valid, and how re-posting one
// changes it — each as Alertmanager's silence package and API v2 do it.
import type { ErrorDetail } from '../kernel/errors.js';
import type { Labels } from '../kernel/labels.js';
import { isValidLabelName } from '../kernel/labels.js';
import type { ApiMatcher, CompiledMatcher, Matcher, MatchType } from '../kernel/matchers.js';
import { compareMatchers, compileMatcher, matchesAll, matchesEmpty } from '../kernel/matchers.js';

export type SilenceState = 'pending' | 'active' | 'expired';

export interface Silence {
  id: string;
  matchers: Matcher[];
  /** Epoch milliseconds. */
  startsAt: number;
  endsAt: number;
  createdBy: string;
  comment: string;
  /** Watchpost addition: why the alerts are silenced (a ticket, a deploy); null when not given. */
  reason: string | null;
  createdAt: number;
  updatedAt: number;
}

/** What a client posts: Alertmanager's postableSilence, with times as epoch ms. */
export interface SilenceInput {
  /** An existing silence to change; absent for a new one. */
  id?: string | undefined;
  matchers: Matcher[];
  startsAt: number;
  endsAt: number;
  createdBy: string;
  comment: string;
  reason?: string | null | undefined;
}

/** A silence with its matchers compiled once, for matching many label sets. */
export interface CompiledSilence {
  readonly silence: Silence;
  readonly matchers: readonly CompiledMatcher[];
}

/** Alertmanager's state of a silence at `now`: pending before its start, expired from its end on. */
export function silenceState(s: Pick<Silence, 'startsAt' | 'endsAt'>, now: number): SilenceState {
  if (s.startsAt > now) return 'pending';
  if (s.endsAt <= now) return 'expired';
  return 'active';
}

/** The matcher an API v2 matcher `{name, value, isRegex, isEqual}` stands for, unchecked. */
export function matcherFromApi(a: ApiMatcher): Matcher {
  const equal = a.isEqual ?? true;
  const type: MatchType = a.isRegex ? (equal ? '=~' : '!~') : equal ? '=' : '!=';
  return { name: a.name, type, value: a.value };
}

/** RE2 names the offending fragment in backquotes; its place in the value is the column. */
function regexProblem(m: Matcher): string | null {
  try {
    compileMatcher(m);
    return null;
  } catch (e) {
    const message = (e as Error).message;
    const reason = /invalid regular expression: (.*)$/s.exec(message)?.[1] ?? message;
    const fragment = /`([^`]*)`/.exec(reason)?.[1];
    const at = fragment ? m.value.indexOf(fragment) : -1;
    return `invalid regular expression${at >= 0 ? ` at column ${at + 1}` : ''}: ${reason}`;
  }
}

/**
 * Problems of a silence's matchers, with JSON pointers under `/matchers`: at least one, valid
 * label names and RE2 expressions (with the column of the fault in the value), and not every
 * matcher matching the empty string (Alertmanager's rule). Empty when valid.
 */
export function validateMatchers(matchers: readonly Matcher[]): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  if (matchers.length === 0)
    problems.push({
      path: '/matchers',
      message: 'at least one matcher is required, e.g. {"name": "alertname", "value": "DiskFull"}',
    });
  let allMatchEmpty = true;
  matchers.forEach((m, i) => {
    if (!isValidLabelName(m.name)) {
      problems.push({
        path: `/matchers/${i}/name`,
        message: `invalid label name ${JSON.stringify(m.name)}: use [a-zA-Z_][a-zA-Z0-9_]*`,
      });
      return;
    }
    const bad = m.type === '=~' || m.type === '!~' ? regexProblem(m) : null;
    if (bad) problems.push({ path: `/matchers/${i}/value`, message: bad });
    else allMatchEmpty = allMatchEmpty && matchesEmpty(m);
  });
  if (problems.length === 0 && matchers.length > 0 && allMatchEmpty)
    problems.push({
      path: '/matchers',
      message:
        'at least one matcher must not match the empty string: each of these also matches alerts ' +
        'that lack the label, so the silence would mute almost everything; add one such as alertname="DiskFull"',
    });
  return problems;
}

/**
 * Every problem of a silence to be stored at `now`, with JSON pointers into the posted body: the
 * matchers' (see `validateMatchers`), an end after the start (Alertmanager's API refuses equal
 * times too), an end in the future, and a creator. Empty when valid.
 */
export function validateSilence(
  input: Pick<SilenceInput, 'matchers' | 'startsAt' | 'endsAt' | 'createdBy'>,
  now: number,
): ErrorDetail[] {
  const problems = validateMatchers(input.matchers);
  if (!(input.endsAt > input.startsAt))
    problems.push({ path: '/endsAt', message: 'endsAt must be after startsAt' });
  else if (!(input.endsAt > now))
    problems.push({ path: '/endsAt', message: 'endsAt is in the past: a silence must end in the future' });
  if (input.createdBy.trim() === '')
    problems.push({ path: '/createdBy', message: 'required: who is creating the silence' });
  return problems;
}

/** True when both lists hold the same matchers, in any order. */
export function sameMatchers(a: readonly Matcher[], b: readonly Matcher[]): boolean {
  if (a.length !== b.length) return false;
  const x = [...a].sort(compareMatchers);
  const y = [...b].sort(compareMatchers);
  return x.every((m, i) => compareMatchers(m, y[i] as Matcher) === 0);
}

/**
 * What posting `next` for the existing silence `prev` does (Alertmanager's `Silences.Set` and
 * `canUpdate`): `update` in place when the matchers are unchanged and history is not rewritten (an
 * active silence keeps its start, to the second; a pending one is not moved into the past);
 * otherwise `replace` — the old silence expires (unless it already has) and a new id is created.
 */
export function planUpsert(
  prev: Silence,
  next: Pick<SilenceInput, 'matchers' | 'startsAt' | 'endsAt'>,
  now: number,
): 'update' | 'replace' {
  if (!sameMatchers(prev.matchers, next.matchers)) return 'replace';
  switch (silenceState(prev, now)) {
    case 'active':
      if (Math.floor(prev.startsAt / 1000) !== Math.floor(next.startsAt / 1000)) return 'replace';
      if (next.endsAt < now) return 'replace';
      return 'update';
    case 'pending':
      return next.startsAt < now ? 'replace' : 'update';
    case 'expired':
      return 'replace';
  }
}

/** The silence expired at `now` (a pending one also starts then), or null when it already has. */
export function expireAt(s: Silence, now: number): Silence | null {
  switch (silenceState(s, now)) {
    case 'expired':
      return null;
    case 'active':
      return { ...s, endsAt: now, updatedAt: now };
    case 'pending':
      return { ...s, startsAt: now, endsAt: now, updatedAt: now };
  }
}

export function compileSilence(s: Silence): CompiledSilence {
  return { silence: s, matchers: s.matchers.map(compileMatcher) };
}

/** Ids of the silences active at `now` whose every matcher holds for `labels`, in the given order. */
export function silencedBy(silences: readonly CompiledSilence[], labels: Labels, now: number): string[] {
  const ids: string[] = [];
  for (const c of silences)
    if (silenceState(c.silence, now) === 'active' && matchesAll(c.matchers, labels)) ids.push(c.silence.id);
  return ids;
}

/**
 * Alertmanager's `filter` on GET /silences: a silence is listed when each filter matcher appears
 * among its matchers with the same name, operator and value (it does not evaluate the filter).
 */
export function silenceMatchesFilter(s: Silence, filter: readonly Matcher[]): boolean {
  return filter.every((f) =>
    s.matchers.some((m) => m.name === f.name && m.type === f.type && m.value === f.value),
  );
}

const STATE_ORDER: Record<SilenceState, number> = { active: 0, pending: 1, expired: 2 };

/**
 * Alertmanager's listing order: active (ending soonest first), then pending (starting soonest
 * first), then expired (most recently ended first).
 */
export function compareSilences(now: number): (a: Silence, b: Silence) => number {
  return (a, b) => {
    const sa = silenceState(a, now);
    const sb = silenceState(b, now);
    if (sa !== sb) return STATE_ORDER[sa] - STATE_ORDER[sb];
    switch (sa) {
      case 'active':
        return a.endsAt - b.endsAt;
      case 'pending':
        return a.startsAt - b.startsAt;
      case 'expired':
        return b.endsAt - a.endsAt;
    }
  };
}
