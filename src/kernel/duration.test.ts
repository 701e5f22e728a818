import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatDuration, parseByteSize, parseDuration } from './duration.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

test('parseDuration reads every Prometheus unit and combinations of them', () => {
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('30s'), 30_000);
  assert.equal(parseDuration('5m'), 5 * MIN);
  assert.equal(parseDuration('1h'), HOUR);
  assert.equal(parseDuration('7d'), 7 * DAY);
  assert.equal(parseDuration('2w'), 14 * DAY);
  assert.equal(parseDuration('1y'), 365 * DAY);
  assert.equal(parseDuration('1h30m'), 90 * MIN);
  assert.equal(parseDuration('1d2h3m4s5ms'), DAY + 2 * HOUR + 3 * MIN + 4005);
  assert.equal(parseDuration('0'), 0);
  assert.equal(parseDuration('0s'), 0);
});

test('parseDuration rejects what it cannot read with a message that quotes the input and says what to write', () => {
  const cases: [string, RegExp][] = [
    ['', /invalid duration "": empty/],
    ['-5m', /"-5m": negative durations are not allowed/],
    ['5x', /"5x": unknown unit "x"; use ms, s, m, h, d, w or y/],
    ['30', /"30": missing unit after 30/],
    ['1.5h', /fractions are not allowed; combine units instead, e.g. 1h30m/],
    ['30m1h', /units must go from largest to smallest/],
    ['1m1m', /units must go from largest to smallest/],
    ['five minutes', /unexpected/],
  ];
  for (const [input, message] of cases) assert.throws(() => parseDuration(input), message, input);
});

test('formatDuration uses the largest units first', () => {
  assert.equal(formatDuration(90 * MIN), '1h30m');
  assert.equal(formatDuration(0), '0s');
  assert.equal(formatDuration(500), '500ms');
  assert.equal(formatDuration(8 * DAY), '1w1d');
  assert.equal(formatDuration(1500), '1s500ms');
  assert.throws(() => formatDuration(-1), RangeError);
  assert.throws(() => formatDuration(1.5), RangeError);
});

test('formatDuration is the inverse of parseDuration', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 200 * 365 * DAY }), (ms) => {
      assert.equal(parseDuration(formatDuration(ms)), ms);
    }),
  );
});

test('parseByteSize counts a kilobyte as 1024 bytes, in any case', () => {
  assert.equal(parseByteSize('1048576'), 1_048_576);
  assert.equal(parseByteSize(4096), 4096);
  assert.equal(parseByteSize('512kb'), 512 * 1024);
  assert.equal(parseByteSize('1mb'), 1_048_576);
  assert.equal(parseByteSize('1MB'), 1_048_576);
  assert.equal(parseByteSize('10MiB'), 10 * 1_048_576);
  assert.equal(parseByteSize('1.5kb'), 1536);
  assert.equal(parseByteSize('2 gb'), 2 * 1024 ** 3);
  assert.equal(parseByteSize('100b'), 100);
});

test('parseByteSize rejects unknown units, negatives and empty input', () => {
  assert.throws(() => parseByteSize('10 parsecs'), /invalid size "10 parsecs": unknown unit "parsecs"/);
  assert.throws(() => parseByteSize('-1mb'), /negative sizes are not allowed/);
  assert.throws(() => parseByteSize(''), /empty/);
  assert.throws(() => parseByteSize('mb'), /write a number with an optional unit/);
  assert.throws(() => parseByteSize(-5), /whole, non-negative/);
});
