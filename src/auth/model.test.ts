import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allows, checkPassword, requirePermission } from './model.js';
import type { Actor, Role, Scope } from './model.js';

const user = (role: Role): Actor => ({
  type: 'user',
  id: 'u',
  userId: 'u',
  name: 'u',
  role,
  scopes: null,
  ip: null,
});
const token = (role: Role, scopes: Scope[]): Actor => ({ ...user(role), type: 'token', id: 't', scopes });

test('roles grant in order: viewer reads, responder responds, editor writes, admin administers', () => {
  assert.ok(allows(user('viewer'), 'read'));
  assert.ok(!allows(user('viewer'), 'respond'));
  assert.ok(allows(user('responder'), 'respond'));
  assert.ok(!allows(user('responder'), 'write'));
  assert.ok(allows(user('editor'), 'write'));
  assert.ok(!allows(user('editor'), 'admin'));
  assert.ok(allows(user('admin'), 'admin'));
});

test('an ingest token only ingests, whatever its owner may do', () => {
  const t = token('admin', ['ingest']);
  assert.ok(allows(t, 'ingest'));
  assert.ok(!allows(t, 'read'));
  assert.ok(!allows(t, 'write'));
});

test('a token never exceeds its owner: an admin-scoped token of a viewer can only read', () => {
  const t = token('viewer', ['admin']);
  assert.ok(allows(t, 'read'));
  assert.ok(!allows(t, 'write'));
  assert.ok(!allows(t, 'admin'));
});

test('a read token cannot write even for an admin', () => {
  assert.ok(!allows(token('admin', ['read']), 'write'));
  assert.ok(allows(token('admin', ['write']), 'write'));
  assert.ok(!allows(token('admin', ['write']), 'admin'));
});

test('a respond token reads and responds (silences) but changes no configuration', () => {
  const t = token('responder', ['respond']);
  assert.ok(allows(t, 'read'));
  assert.ok(allows(t, 'respond'));
  assert.ok(!allows(t, 'write'));
  assert.ok(!allows(t, 'ingest'));
  assert.ok(!allows(token('viewer', ['respond']), 'respond'), 'never more than its owner');
  assert.throws(() => requirePermission(token('admin', ['read']), 'respond'), /token scope respond/);
});

test('a refusal says what was needed and what the caller has', () => {
  assert.throws(
    () => requirePermission(token('admin', ['read']), 'write'),
    (e: Error & { code?: string }) =>
      e.code === 'forbidden' && /scope write/.test(e.message) && /\[read\]/.test(e.message),
  );
  assert.throws(() => requirePermission(user('viewer'), 'admin'), /role admin or higher\); you are a viewer/);
});

test('passwords need length, not composition', () => {
  assert.throws(() => checkPassword('short'), /at least 10 characters/);
  assert.doesNotThrow(() => checkPassword('correct horse battery'));
});
