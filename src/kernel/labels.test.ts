import { test } from 'node:test';
import assert from 'node:assert/strict';
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
