// Channels added to a receiver through the API (what the UI does): checked like the file, secrets
// write-only and sealed at rest, used for delivery at once, kept across a reload and a restart,
// audited without secrets, and only for editors.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { dialects } from '../support/db.js';
import { login, setupAdmin, startTestApp } from '../support/app.js';
import type { TestApp } from '../support/app.js';
import { startFakeDingtalk } from '../support/fakes/dingtalk.js';
import type { FakeDingtalk } from '../support/fakes/dingtalk.js';

const SECRET = 'SECui0123456789abcdef';
const TOKEN = 'ui-robot-token-7c6d';

const config = `
route:
  receiver: shop-ops
  group_by: [alertname, store]
  group_wait: 0s
  group_interval: 1m
receivers:
  - name: shop-ops
`;

for (const d of await dialects()) {
  describe(`receiver channels API on ${d.name}`, { skip: d.skip ?? false }, () => {
    let t: TestApp;
    let ding: FakeDingtalk;
    let admin: Awaited<ReturnType<typeof setupAdmin>>;
    let viewer: Awaited<ReturnType<typeof login>>;
    let uid = '';
    const dataDir = { value: '' };
    const start = async (dir?: string) => {
      t = await startTestApp({
        dialect: d.name,
        configYaml: config,
        keepData: true,
        ...(dir ? { dataDir: dir } : {}),
      });
      dataDir.value = t.dataDir;
    };
    const receiver = async () =>
      (await admin.req('GET', '/api/v1/receivers')).body.receivers.find(
        (r: { name: string }) => r.name === 'shop-ops',
      );
    const fire = async (store: string) => {
      await admin.req('POST', '/api/v2/alerts', [
        {
          labels: { alertname: 'InventorySyncLag', store, severity: 'P2' },
          endsAt: new Date(t.clock.now() + 3_600_000).toISOString(),
        },
      ]);
      await t.app.dispatcher.flushDue();
      await t.app.outbox.drain();
    };

    before(async () => {
      ding = await startFakeDingtalk({
        clock: { now: () => t.clock.now() },
        accessToken: TOKEN,
        secret: SECRET,
      });
      await start();
      admin = await setupAdmin(t);
      const created = await admin.req('POST', '/api/v1/users', {
        username: 'vera',
        password: 'vera password 1',
        role: 'viewer',
      });
      assert.equal(created.status, 201, created.raw);
      viewer = await login(t, 'vera', 'vera password 1');
    });
    after(async () => {
      await t?.close();
      await ding?.close();
      if (dataDir.value) rmSync(dataDir.value, { recursive: true, force: true });
    });

    test('a channel is checked like the file: each problem names its field', async () => {
      const unknown = await admin.req('POST', '/api/v1/receivers/nobody/channels', {
        kind: 'dingtalk',
        config: {},
      });
      assert.equal(unknown.status, 404);
      assert.match(
        unknown.body.error.message,
        /no receiver "nobody" in the configuration file; it has shop-ops\. Declare/,
      );
      const kind = await admin.req('POST', '/api/v1/receivers/shop-ops/channels', {
        kind: 'pigeon',
        config: {},
      });
      assert.equal(kind.status, 400);
      assert.deepEqual(
        kind.body.error.details.map((x: { path: string }) => x.path),
        ['/kind'],
      );
      const noToken = await admin.req('POST', '/api/v1/receivers/shop-ops/channels', {
        kind: 'dingtalk',
        config: { url: 'https://oapi.dingtalk.com/robot/send' },
      });
      assert.equal(noToken.status, 400);
      assert.deepEqual(noToken.body.error.details, [
        {
          path: '/config',
          message: 'no access token: give the robot’s whole webhook URL as url, or access_token',
        },
      ]);
      const badUrl = await admin.req('POST', '/api/v1/receivers/shop-ops/channels', {
        kind: 'dingtalk',
        config: { url: 'not a url', at_mobile: ['1'] },
      });
      assert.equal(badUrl.status, 400);
      assert.deepEqual(
        badUrl.body.error.details.map((x: { path: string }) => x.path).sort(),
        ['/config/at_mobile', '/config/url'],
        'the URL is the problem, not a missing token',
      );
      assert.equal((await receiver()).channels.length, 0, 'nothing was stored');
    });

    test('an added channel delivers at once; its secrets are never shown and are sealed at rest', async () => {
      const viewerTry = await viewer.req('POST', '/api/v1/receivers/shop-ops/channels', {
        kind: 'dingtalk',
        config: { url: ding.url, secret: SECRET },
      });
      assert.equal(viewerTry.status, 403);
      const res = await admin.req('POST', '/api/v1/receivers/shop-ops/channels', {
        kind: 'dingtalk',
        config: { url: ding.url, secret: SECRET, at_mobiles: ['13800005678'] },
      });
      assert.equal(res.status, 201, res.raw);
      uid = res.body.uid;
      assert.match(res.body.id, /^dingtalk\/u[0-9a-f]{8}$/);
      assert.deepEqual(res.body.config, { url: '<secret>', secret: '<secret>', at_mobiles: ['13800005678'] });

      const r = await receiver();
      assert.equal(r.channels.length, 1);
      assert.deepEqual([r.channels[0].source, r.channels[0].uid], ['ui', uid]);
      assert.match(r.channels[0].target, /access_token=…7c6d, signed/);
      const everything =
        (await admin.req('GET', '/api/v1/receivers')).raw +
        (await admin.req('GET', '/api/v1/receiver-channels')).raw;
      assert.ok(!everything.includes(TOKEN) && !everything.includes(SECRET));

      const row = await t.app.database.db
        .selectFrom('receiver_channels')
        .selectAll()
        .executeTakeFirstOrThrow();
      assert.ok(!row.config.includes(TOKEN) && !row.config.includes(SECRET), 'sealed in the database');
      const audit = (await admin.req('GET', '/api/v1/audit?limit=50')).raw;
      assert.match(audit, /receiver_channel\.create/);
      assert.ok(!audit.includes(SECRET) && !audit.includes(TOKEN), 'no secret in the audit log');

      await fire('TH-1');
      assert.equal(ding.messages.length, 1);
      assert.deepEqual(ding.messages[0]?.mentioned, ['13800005678']);
    });

    test('an update that sends "<secret>" back keeps the secrets; other fields change', async () => {
      const res = await admin.req('PUT', `/api/v1/receiver-channels/${uid}`, {
        config: { url: '<secret>', secret: '<secret>', at_all: true },
      });
      assert.equal(res.status, 200, res.raw);
      assert.deepEqual(res.body.config, { url: '<secret>', secret: '<secret>', at_all: true });
      const test1 = await admin.req('POST', '/api/v1/receivers/shop-ops/test', {});
      assert.equal(test1.body.results[0].ok, true, JSON.stringify(test1.body));
      assert.equal(ding.messages.at(-1)?.atAll, true);
      const wrong = await admin.req('PUT', `/api/v1/receiver-channels/${uid}`, {
        config: { url: '<secret>', secret: 'SECnotRight000000000' },
      });
      assert.equal(wrong.status, 200);
      const test2 = await admin.req('POST', '/api/v1/receivers/shop-ops/test', {});
      assert.deepEqual([test2.body.results[0].ok, test2.body.results[0].providerCode], [false, '310000']);
      await admin.req('PUT', `/api/v1/receiver-channels/${uid}`, {
        config: { url: '<secret>', secret: SECRET },
      });
    });

    test('added channels survive a reload of the file and a restart', async () => {
      // A file that no longer declares the receiver: the channel is kept, listed as an orphan, unused.
      t.writeConfig(
        config
          .replace('- name: shop-ops', '- name: shop-ops-2')
          .replace('receiver: shop-ops', 'receiver: shop-ops-2'),
      );
      assert.equal((await admin.req('POST', '/-/reload')).status, 200);
      const orphaned = (await admin.req('GET', '/api/v1/receivers')).body;
      assert.deepEqual(
        orphaned.orphanChannels.map((c: { uid: string; receiver: string }) => [c.uid, c.receiver]),
        [[uid, 'shop-ops']],
      );
      t.writeConfig(config);
      assert.equal((await admin.req('POST', '/-/reload')).status, 200);
      assert.equal((await receiver()).channels.length, 1);
      assert.deepEqual((await admin.req('GET', '/api/v1/receivers')).body.orphanChannels, []);
      // A restarted test app gets a new PostgreSQL schema; the SQLite file stays in the data folder.
      if (d.name !== 'sqlite') return;
      const dir = t.dataDir;
      await t.close();
      await start(dir);
      admin = await login(t, 'admin', 'admin password 1');
      viewer = await login(t, 'vera', 'vera password 1');
      assert.equal((await receiver()).channels[0]?.uid, uid);
      const before = ding.messages.length;
      await fire('TH-2');
      assert.equal(ding.messages.length, before + 1);
    });

    test('a removed channel is gone and delivers nothing', async () => {
      assert.equal((await viewer.req('DELETE', `/api/v1/receiver-channels/${uid}`)).status, 403);
      assert.equal((await admin.req('DELETE', `/api/v1/receiver-channels/${uid}`)).status, 204);
      assert.equal((await receiver()).channels.length, 0);
      const before = ding.messages.length;
      await fire('TH-9');
      assert.equal(ding.messages.length, before, 'nothing sent: the receiver has no channel now');
      assert.equal((await admin.req('DELETE', `/api/v1/receiver-channels/${uid}`)).status, 404);
    });
  });
}
