import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { DestinationLimiter } from './limiter.js';

test('20 per minute: the 21st message waits until the first leaves the window', () => {
  const l = new DestinationLimiter({ perSecond: null, perMinute: 20 });
  for (let i = 0; i < 20; i++) {
    assert.equal(l.nextAt(1_000 + i), 1_000 + i);
    l.record(1_000 + i);
  }
  assert.equal(l.available(1_020), 0);
  assert.equal(l.nextAt(1_020), 61_000);
  assert.equal(l.available(61_000), 1);
});

test('a throttle answer closes the destination for the penalty, whatever the windows say', () => {
  const l = new DestinationLimiter({ perSecond: 5, perMinute: 100 });
  l.record(0);
  l.closeUntil(600_000);
  assert.equal(l.nextAt(1_000), 600_000);
  assert.equal(l.available(599_999), 0);
  assert.equal(l.available(600_000), 5);
});

test('no window of the limits ever holds more sends than allowed, for any arrival pattern', () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 300 }),
      fc.integer({ min: 1, max: 10 }),
      fc.integer({ min: 1, max: 30 }),
      (gaps, perSecond, perMinute) => {
        const l = new DestinationLimiter({ perSecond, perMinute });
        const sends: number[] = [];
        let now = 0;
        for (const g of gaps) {
          now += g;
          const at = l.nextAt(now);
          l.record(at);
          sends.push(at);
          now = at;
        }
        for (const t of sends) {
          assert.ok(sends.filter((s) => s >= t && s < t + 1_000).length <= perSecond);
          assert.ok(sends.filter((s) => s >= t && s < t + 60_000).length <= perMinute);
        }
      },
    ),
  );
});
