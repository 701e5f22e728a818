import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RE2JS } from 're2js';
import { isDomainError } from './errors.js';
import {
  compareMatchers,
  compileMatcher,
  formatMatcher,
  formatMatchers,
  fromApiMatcher,
  matchesAll,
  matchesEmpty,
  parseMatcher,
  parseMatchers,
  toApiMatcher,
  type Matcher,
  type MatchType,
} from './matchers.js';

const m = (name: string, type: MatchType, value: string): Matcher => ({ name, type, value });
const holds = (matcher: Matcher, labels: Record<string, string>): boolean =>
  compileMatcher(matcher).matches(labels);

/** The DomainError('invalid') message `fn` throws. */
function invalidMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(isDomainError(e), `expected a DomainError, got ${String(e)}`);
    assert.equal(e.code, 'invalid');
    return e.message;
  }
  assert.fail('expected an error');
}

test('each match type behaves as in Alertmanager (cases from pkg/labels/matcher_test.go)', () => {
  const cases: [Matcher, string, boolean][] = [
    [m('n', '=', 'v'), 'v', true],
    [m('n', '=', 'v'), 'v1', false],
    [m('n', '!=', 'v'), 'v', false],
    [m('n', '!=', 'v'), 'v1', true],
    [m('n', '=~', 'foo'), 'foo', true],
    [m('n', '=~', 'foo'), 'foobar', false], // anchored at the end
    [m('n', '=~', 'bar'), 'foobar', false], // and at the start
    [m('n', '=~', 'foo.*'), 'foobar', true],
    [m('n', '=~', 'foo|bar'), 'foobar', false], // ^(?:foo|bar)$, not ^foo|bar$
    [m('n', '=~', 'foo|bar'), 'bar', true],
    [m('n', '=~', 'P[01]'), 'P1', true],
    [m('n', '=~', 'p1'), 'P1', false],
    [m('n', '=~', '(?i)p1'), 'P1', true],
    [m('n', '=~', 'a.b'), 'a\nb', false], // "." does not match a line feed, as in Go
    [m('n', '!~', 'foo'), 'foobar', true],
    [m('n', '!~', 'foo.*'), 'foobar', false],
    [m('n', '!~', 'foo|bar'), 'baz', true],
  ];
  for (const [matcher, value, expected] of cases) {
    assert.equal(
      holds(matcher, { n: value }),
      expected,
      `${formatMatcher(matcher)} on ${JSON.stringify(value)}`,
    );
    assert.equal(compileMatcher(matcher).matchesValue(value), expected);
  }
});

test('a missing label counts as the empty string', () => {
  assert.equal(holds(m('env', '=', ''), {}), true);
  assert.equal(holds(m('env', '=', ''), { env: 'prod' }), false);
  assert.equal(holds(m('env', '!=', 'dev'), {}), true);
  assert.equal(holds(m('env', '=~', '.*'), {}), true);
  assert.equal(holds(m('env', '=~', '.+'), {}), false);
  assert.equal(holds(m('env', '!~', '.+'), {}), true);
  assert.equal(holds(m('env', '=', 'prod'), { other: 'prod' }), false);
});

test('values are Unicode: "." is one character, classes and literals work on CJK and emoji', () => {
  assert.equal(holds(m('x', '=', '中文'), { x: '中文' }), true);
  assert.equal(holds(m('x', '=~', '中.'), { x: '中文' }), true);
  assert.equal(holds(m('x', '=~', '.'), { x: '😀' }), true);
  assert.equal(holds(m('x', '=~', '..'), { x: '😀' }), false);
  assert.equal(holds(m('x', '=~', '\\p{Han}+'), { x: '仓库' }), true);
});

test('a catastrophic-backtracking pattern completes (RE2 matches in linear time)', () => {
  // A backtracking engine needs about 2^42 steps here; the test would not finish.
  const evil = compileMatcher(m('x', '=~', '(a+)+$'));
  assert.equal(evil.matchesValue(`${'a'.repeat(42)}b`), false);
  assert.equal(evil.matchesValue('a'.repeat(42)), true);
  const nested = compileMatcher(m('x', '!~', '(x+x+)+y'));
  assert.equal(nested.matches({ x: 'x'.repeat(5000) }), true);
});

test('an invalid regular expression is a DomainError naming the matcher and RE2’s reason', () => {
  assert.match(
    invalidMessage(() => compileMatcher(m('service', '=~', 'api('))),
    /^service=~"api\(": invalid regular expression: missing closing \)/,
  );
  assert.match(
    invalidMessage(() => compileMatcher(m('a', '!~', '(?=x)'))),
    /invalid or unsupported Perl syntax.*no lookaround or backreferences/,
  );
  assert.match(
    invalidMessage(() => compileMatcher(m('a', '=~', '(x)\\1'))),
    /invalid escape sequence/,
  );
  // Balanced only by the anchoring group; Alertmanager accepts it by accident, Watchpost does not.
  assert.match(
    invalidMessage(() => compileMatcher(m('a', '=~', 'a)|(b'))),
    /unexpected \)/,
  );
});

test('matchesAll needs every matcher; no matchers match everything', () => {
  const list = [m('a', '=', '1'), m('b', '=~', '2|3')].map(compileMatcher);
  assert.equal(matchesAll(list, { a: '1', b: '3' }), true);
  assert.equal(matchesAll(list, { a: '1', b: '4' }), false);
  assert.equal(matchesAll([], { a: '1' }), true);
});

test('matchesEmpty says whether a matcher also selects alerts without the label', () => {
  assert.equal(matchesEmpty(m('a', '=', '')), true);
  assert.equal(matchesEmpty(m('a', '!=', 'x')), true);
  assert.equal(matchesEmpty(m('a', '=~', '.*')), true);
  assert.equal(matchesEmpty(m('a', '=~', 'x|')), true);
  assert.equal(matchesEmpty(m('a', '!~', 'x')), true);
  assert.equal(matchesEmpty(m('a', '=', 'x')), false);
  assert.equal(matchesEmpty(m('a', '!=', '')), false);
  assert.equal(matchesEmpty(m('a', '=~', '.+')), false);
  assert.equal(matchesEmpty(compileMatcher(m('a', '!~', '.*'))), false);
});

test('parseMatchers reads braces or none, spaces, quoted and unquoted values, trailing commas', () => {
  const expected = [m('alertname', '=', 'A'), m('severity', '=~', 'P0|P1'), m('env', '!=', 'dev')];
  assert.deepEqual(parseMatchers('{alertname="A", severity=~"P0|P1", env!="dev"}'), expected);
  assert.deepEqual(parseMatchers('alertname=A,severity=~P0|P1,env!=dev'), expected);
  assert.deepEqual(parseMatchers('  { alertname = "A" ,severity =~ "P0|P1",  env != dev , }  '), expected);
  assert.deepEqual(parseMatchers('alertname=A,service!~"x.*"'), [
    m('alertname', '=', 'A'),
    m('service', '!~', 'x.*'),
  ]);
  assert.deepEqual(parseMatchers('instance=~"db-\\d+:9100"'), [m('instance', '=~', 'db-\\d+:9100')]);
  assert.deepEqual(parseMatchers('a=,b=""'), [m('a', '=', ''), m('b', '=', '')]);
  assert.deepEqual(parseMatchers(''), []);
  assert.deepEqual(parseMatchers('{}'), []);
  assert.deepEqual(parseMatchers('{ }'), []);
});

test('quoted values take \\" \\\\ and \\n escapes, keep other backslashes, and any UTF-8', () => {
  assert.deepEqual(parseMatchers('{quote="She said: \\"Hi, all!\\"", path="C:\\\\tmp", two="a\\nb"}'), [
    m('quote', '=', 'She said: "Hi, all!"'),
    m('path', '=', 'C:\\tmp'),
    m('two', '=', 'a\nb'),
  ]);
  assert.deepEqual(parseMatchers('re=~"a\\.b"'), [m('re', '=~', 'a\\.b')]);
  assert.deepEqual(parseMatchers('warehouse="深圳 2 号", x=中文, e=🚀'), [
    m('warehouse', '=', '深圳 2 号'),
    m('x', '=', '中文'),
    m('e', '=', '🚀'),
  ]);
});

test('parse errors say at which column what was expected', () => {
  const cases: [string, string][] = [
    ['{a="b"', 'column 7: expected } to close the { at column 1'],
    ['a="b"}', 'column 6: unexpected }: there is no { to close'],
    ['{a="b"} x', 'column 9: unexpected "x" after the closing }'],
    ['a~b', 'column 2: expected =, !=, =~ or !~ after label name "a", found "~"'],
    ['a', 'column 2: expected =, !=, =~ or !~ after label name "a", found the end'],
    ['1a=b', 'column 1: expected a label name ([a-zA-Z_][a-zA-Z0-9_]*), found "1"'],
    ['"a"=b', 'column 1: quoted label names are not supported; write the name without quotes'],
    ['a="b', 'column 3: quoted value is not closed: add the closing "'],
    ['a="b",,c="d"', 'column 7: expected a label name ([a-zA-Z_][a-zA-Z0-9_]*), found ","'],
    [
      'a=b c=d',
      'column 5: expected , or the end after a matcher, found "c"; quote values that contain spaces: name="a b"',
    ],
    [
      '{a="b" c="d"}',
      'column 8: expected , or } after a matcher, found "c"; quote values that contain spaces: name="a b"',
    ],
    ['x="中文", 1=2', 'column 9: expected a label name ([a-zA-Z_][a-zA-Z0-9_]*), found "1"'],
  ];
  for (const [input, message] of cases)
    assert.equal(
      invalidMessage(() => parseMatchers(input)),
      message,
      input,
    );
  assert.match(
    invalidMessage(() => parseMatchers('a="b", c=~"("')),
    /^column 11: c=~"\(": invalid regular expression: missing closing \)/,
  );
});

test('parseMatcher reads exactly one matcher', () => {
  assert.deepEqual(parseMatcher('a=~"b"'), m('a', '=~', 'b'));
  assert.deepEqual(parseMatcher('{a!~"b"}'), m('a', '!~', 'b'));
  assert.equal(
    invalidMessage(() => parseMatcher('a=b,c=d')),
    'expected one matcher, found 2',
  );
  assert.match(
    invalidMessage(() => parseMatcher(' ')),
    /^expected a matcher such as/,
  );
});

test('formatMatcher and formatMatchers write Alertmanager’s style', () => {
  assert.equal(formatMatcher(m('a', '=', 'b')), 'a="b"');
  assert.equal(formatMatcher(m('q', '!=', 'say "hi"\\\n')), 'q!="say \\"hi\\"\\\\\\n"');
  assert.equal(formatMatchers([m('a', '=', 'b'), m('c', '=~', 'd')]), '{a="b", c=~"d"}');
  assert.equal(formatMatchers([]), '{}');
});

test('API v2 matchers convert both ways; isEqual defaults to true', () => {
  const pairs: [Matcher, { isRegex: boolean; isEqual: boolean }][] = [
    [m('a', '=', 'x'), { isRegex: false, isEqual: true }],
    [m('a', '!=', 'x'), { isRegex: false, isEqual: false }],
    [m('a', '=~', 'x'), { isRegex: true, isEqual: true }],
    [m('a', '!~', 'x'), { isRegex: true, isEqual: false }],
  ];
  for (const [matcher, flags] of pairs) {
    const api = toApiMatcher(matcher);
    assert.deepEqual(api, { name: 'a', value: 'x', ...flags });
    assert.deepEqual(fromApiMatcher(api), matcher);
  }
  assert.deepEqual(fromApiMatcher({ name: 'a', value: 'x', isRegex: true }), m('a', '=~', 'x'));
  assert.match(
    invalidMessage(() => fromApiMatcher({ name: 'a-b', value: 'x', isRegex: false })),
    /invalid label name "a-b"/,
  );
  assert.match(
    invalidMessage(() => fromApiMatcher({ name: 'a', value: '[', isRegex: true })),
    /invalid regular expression/,
  );
});

test('compareMatchers orders by name, value, then type', () => {
  const sorted = [m('b', '=', '1'), m('a', '=~', '2'), m('a', '!=', '2'), m('a', '=', '3')].sort(
    compareMatchers,
  );
  assert.deepEqual(sorted.map(formatMatcher), ['a!="2"', 'a=~"2"', 'a="3"', 'b="1"']);
});

test('parseMatchers reads back what formatMatchers writes, for any names, values and types', () => {
  const name = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,12}$/);
  // Mostly the characters the syntax gives a meaning to, and ASCII; some of any Unicode.
  const unit = fc.oneof(
    { arbitrary: fc.constantFrom('"', '\\', '\n', ',', '{', '}', ' ', '=', '~', '!', 'n'), weight: 3 },
    { arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }), weight: 3 },
    { arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), weight: 1 },
  );
  const text = fc.string({ unit, maxLength: 20 });
  const matcher = fc.oneof(
    fc.record({ name, type: fc.constantFrom<MatchType>('=', '!='), value: text }),
    // Regular expressions must be valid: quote arbitrary text (it then matches exactly that text).
    fc.record({ name, type: fc.constantFrom<MatchType>('=~', '!~'), value: text.map((t) => RE2JS.quote(t)) }),
  );
  fc.assert(
    fc.property(
      fc.array(
        matcher.map((r): Matcher => ({ ...r })),
        { maxLength: 6 },
      ),
      (list) => {
        assert.deepEqual(parseMatchers(formatMatchers(list)), list);
        for (const one of list) assert.deepEqual(parseMatcher(formatMatcher(one)), one);
      },
    ),
  );
});
