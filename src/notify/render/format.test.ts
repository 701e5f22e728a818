import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dateTimeFormatter, escapeMarkdown, formatDuration, safeUrl, severityName } from './format.js';

test('durations read as people write them, in two units at most', () => {
  const cases: [number, string, string][] = [
    [45_000, '45 秒', '45s'],
    [12 * 60_000, '12 分钟', '12 min'],
    [65 * 60_000, '1 小时 5 分钟', '1h 5m'],
    [2 * 3600_000, '2 小时', '2h'],
    [(26 * 60 + 7) * 60_000, '1 天 2 小时', '1d 2h'],
    [-5000, '0 秒', '0s'],
  ];
  for (const [ms, zh, en] of cases) {
    assert.equal(formatDuration(ms, 'zh-CN'), zh);
    assert.equal(formatDuration(ms, 'en'), en);
  }
});

test('times are local to the zone, across a date line', () => {
  const at = Date.parse('2026-11-26T02:00:00Z');
  assert.equal(dateTimeFormatter('Asia/Shanghai')(at), '2026-11-26 10:00');
  assert.equal(dateTimeFormatter('Asia/Kolkata')(at, 'full'), '2026-11-26 07:30:00 UTC+5:30');
  assert.equal(dateTimeFormatter('America/Los_Angeles')(at, 'date'), '2026-11-25');
  assert.equal(dateTimeFormatter('Asia/Shanghai')(Date.parse('2026-11-26T16:00:00Z'), 'time'), '00:00');
});

test('severity names accept aliases and leave unknown words alone', () => {
  assert.equal(severityName('P1', 'zh-CN'), 'P1 严重');
  assert.equal(severityName('warning', 'en'), 'P2 minor');
  assert.equal(severityName('weird', 'en'), 'weird');
  assert.equal(severityName(null, 'en'), '');
});

test('Markdown escaping keeps a value on one line and inert', () => {
  assert.equal(escapeMarkdown('a*b_c[d](e)`f\\g\nh'), 'a\\*b\\_c\\[d\\](e)\\`f\\\\g h');
});

test('only http(s) URLs become links, with the characters that end a link encoded', () => {
  assert.equal(safeUrl('javascript:alert(1)'), '');
  assert.equal(safeUrl('see the wiki'), '');
  assert.equal(safeUrl(' https://w.example.com/a b(c)<d> '), 'https://w.example.com/a%20b%28c%29%3Cd%3E');
});
