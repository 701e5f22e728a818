import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DUMMY_HASH, hashPassword, verifyPassword } from './password.js';

const cheap = { N: 1024, r: 8, p: 1 };

test('a password verifies against its own hash only', async () => {
  const h = await hashPassword('订单同步 correct horse', cheap);
  assert.match(h, /^scrypt\$1024\$8\$1\$/);
  assert.equal(await verifyPassword('订单同步 correct horse', h), true);
  assert.equal(await verifyPassword('订单同步 correct hors', h), false);
});

test('two hashes of one password differ (salted) and the default cost is memory-hard', async () => {
  assert.notEqual(await hashPassword('same password', cheap), await hashPassword('same password', cheap));
  const h = await hashPassword('default cost password');
  assert.match(h, /^scrypt\$65536\$8\$1\$/); // 64 MiB per hash
});

test('the dummy hash and malformed hashes never verify', async () => {
  assert.equal(await verifyPassword('', DUMMY_HASH), false);
  assert.equal(await verifyPassword('x', 'bcrypt$whatever'), false);
});
