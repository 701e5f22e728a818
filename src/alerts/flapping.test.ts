import { test } from 'node:test';
import assert from 'node:assert/strict';
import { changesIn, flapCandidates, isFlapping } from './flapping.js';

const H = 3_600_000;
const NOW = Date.parse('2026-11-26T08:00:00Z');

test('changes count every start and end inside the window, none in the future', () => {
  const eps = [
    { startedAt: NOW - 2 * H, endedAt: NOW - 50 * 60_000 }, // only its end is in the last hour
    { startedAt: NOW - 40 * 60_000, endedAt: NOW - 30 * 60_000 },
    { startedAt: NOW - 10 * 60_000, endedAt: null },
    { startedAt: NOW + H, endedAt: null }, // posted with only endsAt: it starts at its end
  ];
  assert.equal(changesIn(eps, NOW - H, NOW), 4);
});

test('flapping is more changes than the threshold; threshold 0 turns it off', () => {
  assert.equal(isFlapping(4, { threshold: 4, windowMs: H }), false);
  assert.equal(isFlapping(5, { threshold: 4, windowMs: H }), true);
  assert.equal(isFlapping(50, { threshold: 0, windowMs: H }), false);
});

test('only alerts whose state could be news are checked', () => {
  const members = [
    { fingerprint: 'told', firing: true },
    { fingerprint: 'new', firing: true },
    { fingerprint: 'gone', firing: false },
    { fingerprint: 'flapping', firing: true },
  ];
  assert.deepEqual(flapCandidates(members, { firing: ['told', 'flapping'], flapping: ['flapping'] }), [
    'new',
    'gone',
    'flapping',
  ]);
  assert.deepEqual(flapCandidates(members, { firing: null, flapping: [] }), [
    'told',
    'new',
    'gone',
    'flapping',
  ]);
});
