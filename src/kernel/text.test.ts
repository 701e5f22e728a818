import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { utf8Bytes } from './text.js';

test('utf8Bytes counts what TextEncoder writes, lone surrogates included', () => {
  assert.equal(utf8Bytes(''), 0);
  assert.equal(utf8Bytes('P1 订单同步'), 3 + 4 * 3);
  assert.equal(utf8Bytes('\ud83d\ude00'), 4);
  assert.equal(utf8Bytes('\ud800x\udc00'), 7);
  fc.assert(
    fc.property(
      fc.string({ unit: 'binary' }),
      fc.string({ unit: fc.nat(0xffff).map((c) => String.fromCharCode(c)) }),
      (a, b) => {
        assert.equal(utf8Bytes(a), new TextEncoder().encode(a).length);
        assert.equal(utf8Bytes(b), new TextEncoder().encode(b).length);
      },
    ),
    { numRuns: 2000 },
  );
});
