import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { SecretBox, loadSecretKey, parseSecretKey } from './secret-box.js';

test('a sealed secret opens with the same key and context, and does not contain the plaintext', () => {
  const box = new SecretBox(randomBytes(32));
  const sealed = box.seal('dingtalk-secret-SEC123', 'channel:1');
  assert.ok(sealed.startsWith('enc:v1:'));
  assert.ok(!sealed.includes('SEC123'));
  assert.equal(box.open(sealed, 'channel:1'), 'dingtalk-secret-SEC123');
  assert.notEqual(box.seal('same'), box.seal('same'), 'a fresh IV each time');
});

test('another key, another context or a flipped byte is refused with a clear message', () => {
  const box = new SecretBox(randomBytes(32));
  const sealed = box.seal('x', 'a');
  assert.throws(() => new SecretBox(randomBytes(32)).open(sealed, 'a'), /secret key differs/);
  assert.throws(() => box.open(sealed, 'b'), /secret key differs/);
  const parts = sealed.split(':');
  const ct = Buffer.from(parts[4] ?? '', 'base64');
  ct[0] = (ct[0] ?? 0) ^ 1;
  parts[4] = ct.toString('base64');
  assert.throws(() => box.open(parts.join(':'), 'a'), /secret key differs/);
});

test('keys are accepted as base64 or hex of 32 bytes; weak keys are refused with the fix', () => {
  const k = randomBytes(32);
  assert.deepEqual(parseSecretKey(k.toString('base64'), 'X'), k);
  assert.deepEqual(parseSecretKey(k.toString('hex'), 'X'), k);
  assert.throws(
    () => parseSecretKey('password123', 'WATCHPOST_SECRET_KEY'),
    /WATCHPOST_SECRET_KEY.*openssl rand -base64 32/,
  );
});

test('without an env key a key file is generated with mode 0600 and reused; a world-readable one is refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wp-key-'));
  const first = loadSecretKey(null, dir);
  assert.equal(first.created, true);
  assert.equal(statSync(join(dir, 'secret.key')).mode & 0o777, 0o600);
  const second = loadSecretKey(null, dir);
  assert.equal(second.created, false);
  assert.deepEqual(second.key, first.key);
  chmodSync(join(dir, 'secret.key'), 0o644);
  assert.throws(() => loadSecretKey(null, dir), /chmod 600/);
  const dir2 = mkdtempSync(join(tmpdir(), 'wp-key-'));
  writeFileSync(join(dir2, 'secret.key'), 'x', { mode: 0o600 });
  const env = randomBytes(32).toString('base64');
  assert.equal(loadSecretKey(env, dir2).source, 'env');
});
