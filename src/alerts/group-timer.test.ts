import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideFlush, firstFlushAt, nextFlushAfter } from './group-timer.js';
import type { NotifiedState } from './group-timer.js';

const T = { groupWaitMs: 30_000, groupIntervalMs: 300_000, repeatIntervalMs: 4 * 3600_000 };
const now = 1_800_000_000_000;
const never = { firing: null, resolved: [], flapping: [], at: null };

test('the first flush of a group with firing alerts notifies; a group resolved before it says nothing', () => {
  assert.deepEqual(decideFlush({ firing: ['a'], resolved: [] }, never, now, T, true), {
    notify: true,
    reason: 'new-firing',
  });
  assert.deepEqual(decideFlush({ firing: [], resolved: ['a'] }, never, now, T, true), {
    notify: false,
    reason: 'nothing-firing',
  });
});

test('a new firing alert notifies; the same set again does not, until the repeat interval', () => {
  const last = { firing: ['a'], resolved: [], flapping: [], at: now };
  assert.equal(
    decideFlush({ firing: ['a', 'b'], resolved: [] }, last, now + 1, T, true).reason,
    'new-firing',
  );
  assert.equal(
    decideFlush({ firing: ['a'], resolved: [] }, last, now + T.groupIntervalMs, T, true).notify,
    false,
  );
  assert.equal(
    decideFlush({ firing: ['a'], resolved: [] }, last, now + T.repeatIntervalMs, T, true).reason,
    'repeat',
  );
});

test('resolved alerts notify when the receiver wants them, and always when everything resolved', () => {
  const last = { firing: ['a', 'b'], resolved: [], flapping: [], at: now };
  assert.equal(decideFlush({ firing: ['a'], resolved: ['b'] }, last, now + 1, T, true).reason, 'resolved');
  assert.equal(decideFlush({ firing: ['a'], resolved: ['b'] }, last, now + 1, T, false).notify, false);
  assert.equal(decideFlush({ firing: [], resolved: ['a', 'b'] }, last, now + 1, T, false).reason, 'resolved');
  // A firing alert that dropped out (fewer firing, none new) is not news by itself.
  assert.equal(decideFlush({ firing: ['a'], resolved: [] }, last, now + 1, T, true).notify, false);
});

test('timers: group_wait before the first flush, group_interval after each', () => {
  assert.equal(firstFlushAt(now, T), now + 30_000);
  assert.equal(nextFlushAfter(now, T), now + 300_000);
});

test('an alert that starts flapping is news once; staying flapping is not', () => {
  const last = { firing: ['a', 'b'], resolved: [], flapping: [], at: now };
  assert.equal(
    decideFlush({ firing: ['a', 'b'], resolved: [], flapping: ['b'] }, last, now + 1, T, true).reason,
    'flapping',
  );
  const told = { ...last, flapping: ['b'] };
  assert.equal(
    decideFlush({ firing: ['a', 'b'], resolved: [], flapping: ['b'] }, told, now + 1, T, true).notify,
    false,
  );
});

test('an acknowledged group gets no repeat while only acknowledged alerts fire; news still goes out', () => {
  const last: NotifiedState = { firing: ['a', 'b'], resolved: [], flapping: [], at: now };
  const later = now + T.repeatIntervalMs;
  const acked = ['a', 'b'];
  assert.equal(
    decideFlush({ firing: ['a', 'b'], resolved: [] }, last, later, T, true, acked).reason,
    'acknowledged',
  );
  assert.equal(
    decideFlush({ firing: ['a'], resolved: ['b'] }, last, later, T, true, acked).reason,
    'resolved',
  );
  assert.equal(
    decideFlush({ firing: ['a', 'b', 'c'], resolved: [] }, last, later, T, true, acked).reason,
    'new-firing',
  );
  // An alert that fired after the acknowledgement brings the reminders back once it was notified.
  const told: NotifiedState = { firing: ['a', 'b', 'c'], resolved: [], flapping: [], at: now };
  assert.equal(
    decideFlush({ firing: ['a', 'b', 'c'], resolved: [] }, told, later, T, true, acked).reason,
    'repeat',
  );
});
