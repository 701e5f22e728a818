import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../kernel/clock.js';
import { Pump } from './pump.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a timer that fires before its time on the clock runs no pass; the pass comes once the time has come', async () => {
  const clock = new FakeClock('2026-11-27T03:00:00Z');
  const due = clock.now() + 20;
  let passes = 0;
  const pump = new Pump({
    clock,
    run: () => {
      passes += 1;
      return Promise.resolve();
    },
    nextDue: () => Promise.resolve(passes < 2 ? due : null),
    onError: (e) => assert.fail(String(e)),
  });
  pump.start(); // the first pass, for what fell due while stopped
  await sleep(80); // the 20 ms timer fired (real time), but the clock has not moved
  assert.equal(passes, 1, 'no pass before its time');
  clock.advance(20);
  await sleep(60);
  assert.equal(passes, 2, 'the pass at its time');
  await pump.stop();
});
