import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { utf8Bytes } from '../../kernel/text.js';
import { prefixWithin, truncateUtf8 } from './truncate.js';

test('a message within the limit is unchanged; one over it is cut on a character and says so', () => {
  assert.equal(truncateUtf8('订单同步', 12, '…'), '订单同步');
  const out = truncateUtf8('订单同步停滞', 13, '…');
  assert.equal(out, '订单同…');
  assert.ok(utf8Bytes(out) <= 13);
  assert.equal(prefixWithin('a😀b', 4), 'a', 'an emoji (4 bytes) is never split');
});

test('property: the result fits, is a prefix plus the footer, and is never split inside a character', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary' }), fc.integer({ min: 0, max: 200 }), (s, max) => {
      const footer = '…(truncated)';
      const out = truncateUtf8(s, max, footer);
      assert.ok(utf8Bytes(out) <= max || utf8Bytes(s) <= max);
      assert.ok(!/[\uD800-\uDBFF]$/.test(out.replace(footer, '')), 'no lone high surrogate');
      if (utf8Bytes(s) <= max) assert.equal(out, s);
      else if (utf8Bytes(footer) < max) {
        assert.ok(out.endsWith(footer));
        assert.ok(s.startsWith(out.slice(0, out.length - footer.length)));
      }
    }),
    { numRuns: 500 },
  );
});
