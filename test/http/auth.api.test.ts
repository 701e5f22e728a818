// First-run setup, login, sessions, CSRF, API tokens with scopes, users and the audit log, through
// the HTTP API on both state stores.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../support/db.js';
import { login, startTestApp } from '../support/app.js';
import type { TestApp } from '../support/app.js';

for (const d of await dialects()) {
  describe(`auth API on ${d.name}`, { skip: d.skip ?? false }, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp({
        dialect: d.name,
        configYaml: 'auth:\n  login_rate_limit: { max: 1000, window: 1m }\n',
      });
    });
    after(async () => t?.close());

    test('first-run setup needs the printed token, creates an admin once, and is then closed', async () => {
      assert.deepEqual((await t.request({ method: 'GET', url: '/api/v1/setup' })).body, { needed: true });
      const token = await t.app.services.auth.ensureSetupToken();
      assert.ok(token && token.length >= 20);
      assert.equal(
        await t.app.services.auth.ensureSetupToken(),
        token,
        'the same token on every start until used',
      );

      const wrong = await t.request({
        method: 'POST',
        url: '/api/v1/setup',
        body: { token: 'nope', username: 'admin', password: 'admin password 1' },
      });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.body.error.details[0].path, '/token');

      const weak = await t.request({
        method: 'POST',
        url: '/api/v1/setup',
        body: { token, username: 'admin', password: 'short' },
      });
      assert.equal(weak.status, 400);
      assert.match(weak.body.error.message, /at least 10 characters/);

      const ok = await t.request({
        method: 'POST',
        url: '/api/v1/setup',
        body: { token, username: 'admin', password: 'admin password 1', displayName: 'Ada Admin' },
      });
      assert.equal(ok.status, 201);
      assert.equal(ok.body.user.role, 'admin');
      assert.equal(ok.body.user.displayName, 'Ada Admin');
      assert.equal(ok.body.user.password_hash, undefined);

      const again = await t.request({
        method: 'POST',
        url: '/api/v1/setup',
        body: { token, username: 'eve', password: 'eve password 12' },
      });
      assert.equal(again.status, 409);
      assert.deepEqual((await t.request({ method: 'GET', url: '/api/v1/setup' })).body, { needed: false });
      assert.equal(await t.app.services.auth.ensureSetupToken(), null);
    });

    test('login sets an httpOnly SameSite cookie; wrong password and unknown user get the same answer', async () => {
      const bad1 = await t.request({
        method: 'POST',
        url: '/api/v1/auth/login',
        body: { username: 'admin', password: 'wrong password' },
      });
      const bad2 = await t.request({
        method: 'POST',
        url: '/api/v1/auth/login',
        body: { username: 'nobody', password: 'wrong password' },
      });
      assert.equal(bad1.status, 401);
      assert.deepEqual(bad1.body, bad2.body);
      const s = await login(t, 'ADMIN', 'admin password 1');
      assert.match(s.setCookie, /wp_session=/);
      assert.match(s.setCookie, /HttpOnly/);
      assert.match(s.setCookie, /SameSite=Lax/);
      const me = await s.req('GET', '/api/v1/auth/session');
      assert.equal(me.status, 200);
      assert.equal(me.body.user.username, 'admin');
      assert.equal(me.body.csrfToken, s.csrf);
    });

    test('a cookie-authenticated write without the CSRF header is refused; with it, it succeeds', async () => {
      const s = await login(t, 'admin', 'admin password 1');
      const noHeader = await t.request({
        method: 'POST',
        url: '/api/v1/teams',
        body: { name: 'ops' },
        headers: { cookie: s.cookie },
      });
      assert.equal(noHeader.status, 403);
      assert.match(noHeader.body.error.message, /x-csrf-token/);
      const wrongHeader = await t.request({
        method: 'POST',
        url: '/api/v1/teams',
        body: { name: 'ops' },
        headers: { cookie: s.cookie, 'x-csrf-token': 'forged' },
      });
      assert.equal(wrongHeader.status, 403);
      const ok = await s.req('POST', '/api/v1/teams', { name: 'ops', description: '运维值班' });
      assert.equal(ok.status, 201);
      assert.equal((await s.req('GET', '/api/v1/teams')).body.items.length, 1);
    });

    test('invalid input is refused with every offending field named, and nothing is stored', async () => {
      const s = await login(t, 'admin', 'admin password 1');
      const res = await s.req('POST', '/api/v1/users', {
        username: 'bad name!',
        password: 'x'.repeat(300),
        role: 'king',
        shoeSize: 44,
      });
      assert.equal(res.status, 400);
      const paths = res.body.error.details.map((x: { path: string }) => x.path).sort();
      assert.deepEqual(paths, ['/password', '/role', '/shoeSize', '/username']);
      assert.equal((await s.req('GET', '/api/v1/users')).body.items.length, 1);
    });

    test('users: admins add them; roles limit what they can do; the last admin cannot be demoted', async () => {
      const s = await login(t, 'admin', 'admin password 1');
      const created = await s.req('POST', '/api/v1/users', {
        username: 'vera',
        password: 'viewer password',
        role: 'viewer',
      });
      assert.equal(created.status, 201);
      const dup = await s.req('POST', '/api/v1/users', {
        username: 'Vera',
        password: 'viewer password',
        role: 'viewer',
      });
      assert.equal(dup.status, 409);
      const v = await login(t, 'vera', 'viewer password');
      assert.equal((await v.req('GET', '/api/v1/teams')).status, 200);
      const denied = await v.req('POST', '/api/v1/teams', { name: 'platform' });
      assert.equal(denied.status, 403);
      assert.match(denied.body.error.message, /admin permission needed/);
      const me = (await s.req('GET', '/api/v1/auth/session')).body.user;
      const demote = await s.req('PATCH', `/api/v1/users/${me.id}`, { role: 'editor' });
      assert.equal(demote.status, 409);
      assert.match(demote.body.error.message, /last admin/);
      // A viewer may change their own display name but not their role.
      const vid = created.body.id as string;
      assert.equal((await v.req('PATCH', `/api/v1/users/${vid}`, { displayName: 'Vera V.' })).status, 200);
      assert.equal((await v.req('PATCH', `/api/v1/users/${vid}`, { role: 'admin' })).status, 403);
    });

    test('a new password ends the user’s other sessions', async () => {
      const s = await login(t, 'admin', 'admin password 1');
      const v = await login(t, 'vera', 'viewer password');
      const vid = (await v.req('GET', '/api/v1/auth/session')).body.user.id as string;
      assert.equal(
        (await s.req('PATCH', `/api/v1/users/${vid}`, { password: 'a brand new password' })).status,
        200,
      );
      assert.equal((await v.req('GET', '/api/v1/auth/session')).status, 401);
      await login(t, 'vera', 'a brand new password');
    });

    test('API tokens: shown once, stored hashed, limited by scope and by the owner’s role, revocable', async () => {
      const s = await login(t, 'admin', 'admin password 1');
      const created = await s.req('POST', '/api/v1/tokens', { name: 'grafana', scopes: ['read'] });
      assert.equal(created.status, 201);
      const token = created.body.token as string;
      assert.match(token, /^wp_/);
      const list = await s.req('GET', '/api/v1/tokens');
      assert.ok(!list.raw.includes(token), 'the plaintext is never listed');
      assert.equal(list.body.items[0].prefix, token.slice(0, 9));

      const bearer = { authorization: `Bearer ${token}` };
      assert.equal((await t.request({ method: 'GET', url: '/api/v1/teams', headers: bearer })).status, 200);
      const write = await t.request({
        method: 'POST',
        url: '/api/v1/teams',
        body: { name: 'x1' },
        headers: bearer,
      });
      assert.equal(write.status, 403);
      assert.match(write.body.error.message, /scopes \[read\]/);

      const ingest = (await s.req('POST', '/api/v1/tokens', { name: 'prom', scopes: ['ingest'] })).body
        .token as string;
      assert.equal(
        (
          await t.request({
            method: 'GET',
            url: '/api/v1/teams',
            headers: { authorization: `Bearer ${ingest}` },
          })
        ).status,
        403,
      );

      // A viewer cannot mint a write token.
      const v = await login(t, 'vera', 'a brand new password');
      const tooMuch = await v.req('POST', '/api/v1/tokens', { name: 'x', scopes: ['write'] });
      assert.equal(tooMuch.status, 403);
      assert.match(tooMuch.body.error.message, /vera is a viewer/);

      const id = created.body.item.id as string;
      assert.equal((await s.req('DELETE', `/api/v1/tokens/${id}`)).status, 204);
      const revoked = await t.request({ method: 'GET', url: '/api/v1/teams', headers: bearer });
      assert.equal(revoked.status, 401);
      assert.match(revoked.body.error.message, /unknown, revoked or expired/);
    });

    test('an expired token stops working when its time is up', async () => {
      const s = await login(t, 'admin', 'admin password 1');
      const token = (
        await s.req('POST', '/api/v1/tokens', { name: 'short', scopes: ['read'], expiresInDays: 1 })
      ).body.token as string;
      const h = { authorization: `Bearer ${token}` };
      assert.equal((await t.request({ method: 'GET', url: '/api/v1/users', headers: h })).status, 200);
      t.clock.advance(86_400_000 + 1);
      assert.equal((await t.request({ method: 'GET', url: '/api/v1/users', headers: h })).status, 401);
    });

    test('the audit log records every write with actor, before/after and source IP, for admins only', async () => {
      const s = await login(t, 'admin', 'admin password 1');
      const res = await s.req('GET', '/api/v1/audit?limit=200');
      assert.equal(res.status, 200);
      const actions = new Set(res.body.items.map((e: { action: string }) => e.action));
      for (const a of [
        'setup.complete',
        'auth.login',
        'auth.login_failed',
        'team.create',
        'user.create',
        'user.update',
        'token.create',
        'token.revoke',
      ])
        assert.ok(actions.has(a), `audit has ${a}`);
      const teamCreate = res.body.items.find((e: { action: string }) => e.action === 'team.create');
      assert.equal(teamCreate.actor.name, 'admin');
      assert.equal(teamCreate.after.name, 'ops');
      assert.equal(teamCreate.sourceIp, '127.0.0.1');
      assert.ok(!res.raw.includes('scrypt$'), 'no password hash in the audit log');
      const update = res.body.items.find(
        (e: { action: string; after: { password?: string } }) =>
          e.action === 'user.update' && e.after.password,
      );
      assert.equal(update.after.password, 'changed');
      const page = await s.req('GET', '/api/v1/audit?limit=2');
      assert.equal(page.body.items.length, 2);
      const next = await s.req('GET', `/api/v1/audit?limit=2&before=${page.body.nextBefore}`);
      assert.ok(next.body.items[0].id < page.body.items[1].id);
      const v = await login(t, 'vera', 'a brand new password');
      assert.equal((await v.req('GET', '/api/v1/audit')).status, 403);
    });

    test('logout ends the session and clears the cookie', async () => {
      const s = await login(t, 'admin', 'admin password 1');
      const out = await s.req('POST', '/api/v1/auth/logout');
      assert.equal(out.status, 204);
      assert.match(String(out.headers['set-cookie']), /wp_session=;/);
      assert.equal((await s.req('GET', '/api/v1/auth/session')).status, 401);
      assert.equal((await s.req('GET', '/api/v1/users')).status, 401);
    });
  });
}

test('the setup page’s token is consumed when an admin is made with the CLI path instead', async () => {
  const t = await startTestApp();
  try {
    assert.ok(await t.app.services.auth.ensureSetupToken());
    const { systemActor } = await import('../../src/auth/model.js');
    await t.app.services.accounts.createUser(systemActor('cli'), {
      username: 'root',
      password: 'root password 1',
      role: 'admin',
    });
    assert.equal(await t.app.services.auth.ensureSetupToken(), null);
    assert.deepEqual((await t.request({ method: 'GET', url: '/api/v1/setup' })).body, { needed: false });
  } finally {
    await t.close();
  }
});

test('setup with two racing requests creates exactly one admin', async () => {
  const t = await startTestApp();
  try {
    const token = await t.app.services.auth.ensureSetupToken();
    const results = await Promise.all(
      ['a1', 'a2', 'a3'].map((u) =>
        t.request({
          method: 'POST',
          url: '/api/v1/setup',
          body: { token, username: u, password: 'racing password' },
        }),
      ),
    );
    assert.deepEqual(results.map((r) => r.status).sort(), [201, 409, 409]);
  } finally {
    await t.close();
  }
});

test('logins are rate limited per client address, with the wait in the answer', async () => {
  const t = await startTestApp({ configYaml: 'auth:\n  login_rate_limit: { max: 3, window: 1m }\n' });
  try {
    let last = 0;
    let retryAfter: unknown;
    for (let i = 0; i < 12; i++) {
      const r = await t.request({
        method: 'POST',
        url: '/api/v1/auth/login',
        body: { username: 'admin', password: 'guess number ' + i },
      });
      last = r.status;
      retryAfter = r.headers['retry-after'];
      if (last === 429) {
        assert.equal(r.body.error.code, 'rate_limited');
        assert.match(r.body.error.message, /wait \d+ s/);
        break;
      }
    }
    assert.equal(last, 429);
    assert.ok(Number(retryAfter) > 0);
  } finally {
    await t.close();
  }
});
