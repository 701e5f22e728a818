import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../kernel/clock.js';
import { Pump } from './pump.js';
import type { PumpOptions } from './pump.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A pump whose first pass finds something due 20 ms later on a test clock, and then nothing. */
function pumpDueIn20ms(beforeDue?: PumpOptions['beforeDue']) {
  const clock = new FakeClock('2026-11-27T03:00:00Z');
  const due = clock.now() + 20;
  const counts = { passes: 0 };
  const pump = new Pump({
    clock,
    run: () => {
      counts.passes += 1;
      return Promise.resolve();
    },
    nextDue: () => Promise.resolve(counts.passes < 2 ? due : null),
    onError: (e) => assert.fail(String(e)),
    ...(beforeDue ? { beforeDue } : {}),
  });
  return { clock, due, counts, pump };
}

test('a timer that fires before its time on the clock runs no pass; the pass comes once the time has come', async () => {
  const { clock, counts, pump } = pumpDueIn20ms();
  pump.start(); // the first pass, for what fell due while stopped
  await sleep(80); // the 20 ms timer fired (real time), but the clock has not moved
  assert.equal(counts.passes, 1, 'no pass before its time');
  clock.advance(20);
  await sleep(60);
  assert.equal(counts.passes, 2, 'the pass at its time');
  await pump.stop();
});

test('beforeDue is told the time while the timer waits for it; the pass comes at that time', async () => {
  const told: { at: number; early: boolean }[] = [];
  const { clock, due, counts, pump } = pumpDueIn20ms((at) => told.push({ at, early: clock.now() < at }));
  pump.start();
  await sleep(80);
  assert.equal(counts.passes, 1);
  assert.ok(told.length >= 1, 'told while waiting');
  assert.ok(
    told.every((t) => t.at === due && t.early),
    JSON.stringify(told),
  );
  clock.advance(20);
  await sleep(60);
  assert.equal(counts.passes, 2, 'the pass at its time');
  const before = told.length;
  await sleep(30);
  assert.equal(told.length, before, 'nothing more to wait for: not told again');
  await pump.stop();
});

test('waiting out the last stretch before a due time sleeps between turns instead of keeping a core busy', async () => {
  // A test clock that never gets to the due time: the pump stays in its last stretch (turn by turn,
  // then a timer, then turn by turn again) for the whole measurement.
  const clock = new FakeClock('2026-11-27T03:00:00Z');
  const pump = new Pump({
    clock,
    run: () => Promise.resolve(),
    nextDue: () => Promise.resolve(clock.now() + 1),
    onError: (e) => assert.fail(String(e)),
  });
  pump.start();
  await sleep(20);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await sleep(300);
  const cpu = process.cpuUsage(cpu0);
  const wallMs = performance.now() - t0;
  await pump.stop();
  const busy = (cpu.user + cpu.system) / 1000 / wallMs;
  // Spinning (setImmediate alone, as before) measured ~0.8 here.
  assert.ok(busy < 0.5, `the waiting process used ${(busy * 100).toFixed(0)} % of a core`);
});
