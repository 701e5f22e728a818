// Label matchers exactly as Alertmanager reads and applies them: `=`, `!=`, `=~`, `!~`; a missing
// label equals the empty string; regular expressions are fully anchored (`^(?:…)$`). They are
// written the way amtool, `matchers:` in route and inhibit configuration and `filter[]` in API v2
// write them: `{alertname="A", severity=~"P0|P1"}`, braces optional.
//
// Regular expressions run on re2js, a pure-JavaScript port of RE2 (Go's regexp): matching takes
// time linear in the input, so a user-written pattern such as `(a+)+$` cannot stall the process,
// and the syntax (no lookaround, no backreferences) is the one Alertmanager accepts.

import { RE2JS } from 're2js';
import { DomainError } from './errors.js';
import { isValidLabelName, type Labels } from './labels.js';

export const MATCH_TYPES = ['=', '!=', '=~', '!~'] as const;
export type MatchType = (typeof MATCH_TYPES)[number];

export interface Matcher {
  name: string;
  type: MatchType;
  value: string;
}

/** A matcher with its regular expression compiled once; reuse it for every label set. */
export interface CompiledMatcher extends Readonly<Matcher> {
  /** True when the label set satisfies the matcher; a missing label counts as "". */
  matches(labels: Labels): boolean;
  /** True when a label with this value satisfies the matcher. */
  matchesValue(value: string): boolean;
}

/** A matcher as Alertmanager's API v2 spells it (silences, `GET /alerts` filters). */
export interface ApiMatcher {
  name: string;
  value: string;
  isRegex: boolean;
  /** Absent means true, as in Alertmanager's API. */
  isEqual?: boolean;
}

const isRegexType = (t: MatchType): boolean => t === '=~' || t === '!~';

/**
 * Compiles `m` once. Throws DomainError('invalid') naming the matcher and RE2's reason when its
 * regular expression is invalid. Matching is linear in the value's length.
 */
export function compileMatcher(m: Matcher): CompiledMatcher {
  const { name, type, value } = m;
  let test: (v: string) => boolean;
  if (isRegexType(type)) {
    const re = compileRegex(m);
    test = type === '=~' ? (v) => re.testExact(v) : (v) => !re.testExact(v);
  } else {
    test = type === '=' ? (v) => v === value : (v) => v !== value;
  }
  return {
    name,
    type,
    value,
    matchesValue: test,
    matches: (labels) => test(labels[name] ?? ''),
  };
}

/**
 * Compiles the user's pattern as written and matches it with `testExact` (RE2's both-ends anchoring),
 * which accepts exactly what `^(?:pattern)$` accepts, with one compilation instead of two. A value
 * such as `a)|(b`, which the anchoring group would balance, is therefore rejected (Alertmanager
 * accepts it by accident), and RE2's message quotes what the user wrote.
 */
function compileRegex(m: Matcher): RE2JS {
  try {
    return RE2JS.compile(m.value);
  } catch (e) {
    const reason = (e as Error).message.replace(/^error parsing regexp: /, '');
    // Lookaround and backreferences are what people most often bring from other engines.
    const hint = /Perl syntax|escape sequence/.test(reason)
      ? ' (RE2 syntax: no lookaround or backreferences)'
      : '';
    throw new DomainError('invalid', `${formatMatcher(m)}: invalid regular expression: ${reason}${hint}`);
  }
}

/** True when every matcher holds for `labels` (an empty list matches everything). */
export function matchesAll(matchers: readonly CompiledMatcher[], labels: Labels): boolean {
  return matchers.every((m) => m.matches(labels));
}

/**
 * True when the matcher also holds for an alert that lacks the label (its value counts as ""), as
 * `a=""`, `a!="x"` and `a=~".*"` do. A silence needs at least one matcher for which this is false.
 */
export function matchesEmpty(m: Matcher | CompiledMatcher): boolean {
  return ('matchesValue' in m ? m : compileMatcher(m)).matchesValue('');
}

/** Orders matchers by name, then value, then type, as Alertmanager sorts a route's matchers. */
export function compareMatchers(a: Matcher, b: Matcher): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  if (a.value !== b.value) return a.value < b.value ? -1 : 1;
  return MATCH_TYPES.indexOf(a.type) - MATCH_TYPES.indexOf(b.type);
}

// ---------------------------------------------------------------------------------------------
// Text form

const escapeValue = (v: string): string =>
  v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

/** `name="value"` with `\`, `"` and line feeds escaped, as Alertmanager prints a matcher. */
export function formatMatcher(m: Matcher): string {
  return `${m.name}${m.type}"${escapeValue(m.value)}"`;
}

/** `{a="b", c=~"d"}`; parseMatchers reads it back to the same list. */
export function formatMatchers(matchers: readonly Matcher[]): string {
  return `{${matchers.map(formatMatcher).join(', ')}}`;
}

const isSpace = (c: string | undefined): boolean => c !== undefined && /^\s$/u.test(c);
const isNameStart = (c: string | undefined): boolean => c !== undefined && /^[a-zA-Z_]$/.test(c);
const isNameChar = (c: string | undefined): boolean => c !== undefined && /^[a-zA-Z0-9_]$/.test(c);
/** Characters that end an unquoted value; a value containing them must be quoted. */
const ENDS_UNQUOTED = new Set([',', '{', '}', '"']);

const describe = (c: string | undefined): string => (c === undefined ? 'the end' : JSON.stringify(c));

/**
 * Parses Alertmanager's matcher syntax: `{alertname="A", severity=~"P0|P1"}` or the same without
 * braces, `alertname=A,service!~"x.*"`. Values may be quoted (escapes `\"`, `\\`, `\n`; any other
 * backslash is kept literally, as Alertmanager does) or unquoted (up to a space, `,`, `{`, `}` or
 * `"`; `a=` is the empty value). A trailing comma is allowed; an empty input gives no matchers.
 * Regular expressions are checked. Throws DomainError('invalid') saying at which column (counted in
 * characters from 1) what was expected.
 */
export function parseMatchers(input: string): Matcher[] {
  const chars = Array.from(input);
  let pos = 0;
  const peek = (): string | undefined => chars[pos];
  const fail = (at: number, message: string): never => {
    throw new DomainError('invalid', `column ${at + 1}: ${message}`);
  };
  const skipSpace = (): void => {
    while (isSpace(peek())) pos += 1;
  };

  const label = (): string => {
    const start = pos;
    if (!isNameStart(peek())) {
      if (peek() === '"') fail(pos, 'quoted label names are not supported; write the name without quotes');
      fail(pos, `expected a label name ([a-zA-Z_][a-zA-Z0-9_]*), found ${describe(peek())}`);
    }
    while (isNameChar(peek())) pos += 1;
    return chars.slice(start, pos).join('');
  };

  const operator = (name: string): MatchType => {
    const c = peek();
    const next = chars[pos + 1];
    if (c === '=') {
      pos += next === '~' ? 2 : 1;
      return next === '~' ? '=~' : '=';
    }
    if (c === '!' && (next === '=' || next === '~')) {
      pos += 2;
      return next === '=' ? '!=' : '!~';
    }
    return fail(pos, `expected =, !=, =~ or !~ after label name "${name}", found ${describe(c)}`);
  };

  const quoted = (): string => {
    const open = pos;
    pos += 1;
    let out = '';
    for (;;) {
      const c = peek();
      if (c === undefined) return fail(open, 'quoted value is not closed: add the closing "');
      pos += 1;
      if (c === '"') return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = peek();
      if (e === '"' || e === '\\') out += e;
      else if (e === 'n') out += '\n';
      else if (e === undefined) return fail(open, 'quoted value is not closed: add the closing "');
      else out += `\\${e}`;
      pos += 1;
    }
  };

  const unquoted = (): string => {
    const start = pos;
    for (let c = peek(); c !== undefined && !isSpace(c) && !ENDS_UNQUOTED.has(c); c = peek()) pos += 1;
    return chars.slice(start, pos).join('');
  };

  const matcher = (): Matcher => {
    const name = label();
    skipSpace();
    const type = operator(name);
    skipSpace();
    const valueAt = pos;
    const value = peek() === '"' ? quoted() : unquoted();
    const m: Matcher = { name, type, value };
    if (isRegexType(type)) {
      try {
        compileRegex(m);
      } catch (e) {
        fail(valueAt, (e as Error).message);
      }
    }
    return m;
  };

  const out: Matcher[] = [];
  skipSpace();
  const braced = peek() === '{';
  if (braced) pos += 1;
  for (;;) {
    skipSpace();
    const c = peek();
    if (c === undefined) {
      if (braced) fail(pos, 'expected } to close the { at column 1');
      return out;
    }
    if (c === '}') {
      if (!braced) fail(pos, 'unexpected }: there is no { to close');
      pos += 1;
      skipSpace();
      if (peek() !== undefined) fail(pos, `unexpected ${describe(peek())} after the closing }`);
      return out;
    }
    out.push(matcher());
    skipSpace();
    const after = peek();
    if (after === ',') pos += 1;
    else if (after !== undefined && after !== '}') {
      fail(
        pos,
        `expected , or ${braced ? '}' : 'the end'} after a matcher, found ${describe(after)}` +
          (isSpace(chars[pos - 1]) ? '; quote values that contain spaces: name="a b"' : ''),
      );
    }
  }
}

/** Parses exactly one matcher, such as `severity=~"P0|P1"`; throws DomainError('invalid') otherwise. */
export function parseMatcher(input: string): Matcher {
  const list = parseMatchers(input);
  const [only] = list;
  if (only === undefined || list.length > 1) {
    throw new DomainError(
      'invalid',
      list.length === 0
        ? 'expected a matcher such as alertname="DiskFull", found nothing'
        : `expected one matcher, found ${list.length}`,
    );
  }
  return only;
}

// ---------------------------------------------------------------------------------------------
// API v2 form

export function toApiMatcher(m: Matcher): Required<ApiMatcher> {
  return {
    name: m.name,
    value: m.value,
    isRegex: isRegexType(m.type),
    isEqual: m.type === '=' || m.type === '=~',
  };
}

/**
 * Converts an API v2 matcher, checking its label name and regular expression; throws
 * DomainError('invalid') for either.
 */
export function fromApiMatcher(a: ApiMatcher): Matcher {
  const equal = a.isEqual ?? true;
  const type: MatchType = a.isRegex ? (equal ? '=~' : '!~') : equal ? '=' : '!=';
  if (!isValidLabelName(a.name)) {
    throw new DomainError(
      'invalid',
      `invalid label name ${JSON.stringify(a.name)} in matcher: it must match [a-zA-Z_][a-zA-Z0-9_]*`,
    );
  }
  const m: Matcher = { name: a.name, type, value: a.value };
  if (a.isRegex) compileRegex(m);
  return m;
}
