// One repository suite, run against SQLite and PostgreSQL: the same inputs must give the same
// answers on both, including constraint errors, transactions and number types.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { dialects, openTestStore } from '../support/db.js';
import type { TestStore } from '../support/db.js';
import { migrateToLatest, pendingMigrations } from '../../src/db/database.js';
import { migrations } from '../../src/db/migrations/index.js';
import { isUniqueViolation } from '../../src/db/dialect.js';
import { userRepo } from '../../src/auth/user.repo.js';
import { tokenRepo, sessionRepo } from '../../src/auth/access.repo.js';
import { teamRepo } from '../../src/auth/team.repo.js';
import { auditRepo } from '../../src/auth/audit.repo.js';
import { settingsRepo } from '../../src/db/settings.repo.js';
import { serviceRepo } from '../../src/catalog/service.repo.js';
import type { UserRecord } from '../../src/auth/user.repo.js';

const T = 1_800_000_000_123; // beyond 2^32: catches a bigint that comes back as a string or is truncated

const user = (id: string, username: string): UserRecord => ({
  id,
  username,
  displayName: username,
  role: 'editor',
  disabled: false,
  createdAt: T,
  updatedAt: T,
});

for (const d of await dialects()) {
  describe(`repository contract on ${d.name}`, { skip: d.skip ?? false }, () => {
    let s: TestStore;
    before(async () => {
      s = await openTestStore(d.name);
    });
    after(async () => {
      await s?.cleanup();
    });

    test('migrations are complete and running them again changes nothing', async () => {
      assert.deepEqual(await pendingMigrations(s.database), []);
      const again = await migrateToLatest(s.database);
      assert.deepEqual(again.applied, []);
      assert.equal(again.current, Object.keys(migrations).at(-1));
    });

    test('users round-trip, with times as exact numbers and usernames matched case-insensitively', async () => {
      await userRepo.insert(s.database.db, user('u1', 'Alice'), 'hash1');
      const got = await userRepo.byUsername(s.database.db, 'alice');
      assert.ok(got);
      assert.equal(got.id, 'u1');
      assert.equal(got.createdAt, T);
      assert.equal(typeof got.createdAt, 'number');
      assert.equal(got.passwordHash, 'hash1');
      assert.equal(got.disabled, false);
      assert.equal(await userRepo.count(s.database.db), 1);
    });

    test('a duplicate username is a unique violation on both dialects', async () => {
      await assert.rejects(
        () => userRepo.insert(s.database.db, user('u2', 'Alice'), 'h'),
        (e) => isUniqueViolation(e),
      );
    });

    test('a failing transaction leaves nothing behind', async () => {
      const before = await userRepo.count(s.database.db);
      await assert.rejects(
        s.database.db.transaction().execute(async (trx) => {
          await userRepo.insert(trx, user('u3', 'bob'), 'h');
          await auditRepo.append(trx, {
            at: T,
            actor: { type: 'system', id: null, name: 'test' },
            action: 'user.create',
            targetType: 'user',
            targetId: 'u3',
            before: null,
            after: null,
            sourceIp: null,
          });
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.equal(await userRepo.count(s.database.db), before);
      assert.equal(await userRepo.byUsername(s.database.db, 'bob'), null);
      assert.equal((await auditRepo.list(s.database.db, { limit: 10, targetId: 'u3' })).length, 0);
    });

    test('audit entries come back newest first, page by page, with JSON intact', async () => {
      for (let i = 0; i < 5; i++)
        await auditRepo.append(s.database.db, {
          at: T + i,
          actor: { type: 'user', id: 'u1', name: 'alice' },
          action: 'service.update',
          targetType: 'service',
          targetId: `svc${i}`,
          before: { n: i },
          after: { n: i + 1, note: '订单同步' },
          sourceIp: '127.0.0.1',
        });
      const page1 = await auditRepo.list(s.database.db, { limit: 3, action: 'service.update' });
      assert.deepEqual(
        page1.map((e) => e.targetId),
        ['svc4', 'svc3', 'svc2'],
      );
      assert.deepEqual(page1[0]?.after, { n: 5, note: '订单同步' });
      assert.equal(page1[0]?.at, T + 4);
      const page2 = await auditRepo.list(s.database.db, {
        limit: 3,
        action: 'service.update',
        before: page1.at(-1)?.id,
      });
      assert.deepEqual(
        page2.map((e) => e.targetId),
        ['svc1', 'svc0'],
      );
      const ranged = await auditRepo.list(s.database.db, {
        limit: 10,
        action: 'service.update',
        from: T + 1,
        to: T + 3,
      });
      assert.deepEqual(
        ranged.map((e) => e.targetId),
        ['svc2', 'svc1'],
      );
    });

    test('team members follow their users: deleting a user removes the membership', async () => {
      await userRepo.insert(s.database.db, user('u4', 'carol'), 'h');
      await teamRepo.insert(s.database.db, {
        id: 't1',
        name: 'ops',
        description: '运维',
        managedBy: null,
        createdAt: T,
        updatedAt: T,
      });
      await teamRepo.setMembers(s.database.db, 't1', [
        { userId: 'u1', role: 'admin' },
        { userId: 'u4', role: 'responder' },
      ]);
      let t = await teamRepo.byName(s.database.db, 'ops');
      assert.deepEqual(
        t?.members.map((m) => `${m.username}:${m.role}`),
        ['Alice:admin', 'carol:responder'],
      );
      await userRepo.remove(s.database.db, 'u4');
      t = await teamRepo.byName(s.database.db, 'ops');
      assert.deepEqual(
        t?.members.map((m) => m.username),
        ['Alice'],
      );
    });

    test('services keep their labels and lose their team, not themselves, when the team goes', async () => {
      await serviceRepo.insert(
        s.database.db,
        {
          id: 's1',
          name: 'erp',
          description: '',
          teamId: 't1',
          tier: 'P0',
          runbookUrl: null,
          labels: { platform: 'shopee', store: 'MY-1' },
          managedBy: 'f.yml',
        },
        T,
      );
      let svc = await serviceRepo.byId(s.database.db, 's1');
      assert.equal(svc?.team, 'ops');
      assert.deepEqual(svc?.labels, { platform: 'shopee', store: 'MY-1' });
      await teamRepo.remove(s.database.db, 't1');
      svc = await serviceRepo.byId(s.database.db, 's1');
      assert.equal(svc?.teamId, null);
      assert.equal(svc?.managedBy, 'f.yml');
    });

    test('API tokens: found by hash, hidden once revoked', async () => {
      await tokenRepo.insert(
        s.database.db,
        {
          id: 'k1',
          name: 'ci',
          userId: 'u1',
          prefix: 'wp_abc',
          scopes: ['read', 'ingest'],
          createdAt: T,
          lastUsedAt: null,
          expiresAt: null,
          revokedAt: null,
        },
        'hash-k1',
      );
      assert.deepEqual((await tokenRepo.byHash(s.database.db, 'hash-k1'))?.scopes, ['read', 'ingest']);
      assert.equal((await tokenRepo.list(s.database.db, 'u1')).length, 1);
      await tokenRepo.revoke(s.database.db, 'k1', T + 1);
      assert.equal((await tokenRepo.list(s.database.db, 'u1')).length, 0);
      assert.equal((await tokenRepo.byHash(s.database.db, 'hash-k1'))?.revokedAt, T + 1);
    });

    test('expired sessions are swept, live ones stay', async () => {
      const base = {
        userId: 'u1',
        csrfToken: 'c',
        createdAt: T,
        lastSeenAt: T,
        sourceIp: null,
        userAgent: null,
      };
      await sessionRepo.insert(s.database.db, { ...base, idHash: 'old', expiresAt: T + 10 });
      await sessionRepo.insert(s.database.db, { ...base, idHash: 'new', expiresAt: T + 1000 });
      await sessionRepo.removeExpired(s.database.db, T + 100);
      assert.equal(await sessionRepo.byHash(s.database.db, 'old'), null);
      assert.equal((await sessionRepo.byHash(s.database.db, 'new'))?.expiresAt, T + 1000);
    });

    test('a setting can be taken only once, even by racing callers', async () => {
      await settingsRepo.put(s.database.db, 'setup_token', 'x', T);
      await settingsRepo.put(s.database.db, 'setup_token', 'y', T); // upsert
      assert.equal(await settingsRepo.get(s.database.db, 'setup_token'), 'y');
      const takes = await Promise.all(
        [1, 2, 3].map(() =>
          s.database.db.transaction().execute((trx) => settingsRepo.take(trx, 'setup_token')),
        ),
      );
      assert.deepEqual(takes.filter(Boolean).length, 1);
    });
  });
}
