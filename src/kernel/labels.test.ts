import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fingerprint, isValidLabelName } from './labels.js';

test('fingerprint matches the vectors read back from Alertmanager 0.25', () => {
  assert.equal(
    fingerprint({ alertname: 'OrderSyncStalled', platform: 'shopee', store: 'MY-1', severity: 'P1' }),
    'd2ece51fe95ba900',
  );
  assert.equal(fingerprint({ alertname: 'A', x: '中文' }), '118a01bd7a59c763');
});

test('fingerprint does not depend on the order labels were written in', () => {
  assert.equal(fingerprint({ b: '2', a: '1' }), fingerprint({ a: '1', b: '2' }));
  assert.notEqual(fingerprint({ a: '1', b: '2' }), fingerprint({ a: '12', b: '' }));
});

test('label names follow the Prometheus rules', () => {
  assert.ok(isValidLabelName('service_name'));
  assert.ok(!isValidLabelName('1abc'));
  assert.ok(!isValidLabelName('a-b'));
});

test('fingerprint equals FNV-1a 64 over the UTF-8 bytes, for any label set', () => {
  // The reference: the definition itself, on BigInt and TextEncoder.
  const reference = (labels: Record<string, string>): string => {
    const enc = new TextEncoder();
    let h = 0xcbf29ce484222325n;
    for (const name of Object.keys(labels).sort())
      for (const b of [...enc.encode(name), 0xff, ...enc.encode(labels[name]), 0xff])
        h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;
    return h.toString(16).padStart(16, '0');
  };
  fc.assert(
    fc.property(fc.dictionary(fc.string(), fc.string({ unit: 'binary' })), (labels) => {
      assert.equal(fingerprint(labels), reference(labels));
    }),
    { numRuns: 2000 },
  );
});
