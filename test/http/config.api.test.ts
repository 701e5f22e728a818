// Objects declared in the configuration file are applied declaratively and are read-only elsewhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../support/db.js';
import { setupAdmin, startTestApp } from '../support/app.js';

const V1 = `
teams:
  - name: ops
    description: 运维
    members: [{ user: admin, role: admin }, { user: ghost, role: viewer }]
  - name: platform
services:
  - name: erp
    team: ops
    tier: P0
    runbook_url: https://wiki.example.com/erp
    labels: { env: prod }
  - name: shopee-connector
    team: platform
    tier: P1
    labels: { platform: shopee }
`;

const V2 = `
teams:
  - name: ops
    description: 运维 (24x7)
    members: [{ user: admin, role: responder }]
services:
  - name: erp
    team: ops
    tier: P1
`;

for (const d of await dialects()) {
  test(
    `config file objects are created, updated, removed and read-only via the API (${d.name})`,
    { skip: d.skip ?? false },
    async () => {
      const t = await startTestApp({ dialect: d.name, configYaml: V1 });
      try {
        const admin = await setupAdmin(t);
        const file = t.configFile as string;

        let services = (await admin.req('GET', '/api/v1/services')).body.items;
        assert.deepEqual(
          services.map((s: { name: string }) => s.name),
          ['erp', 'shopee-connector'],
        );
        const erp = services[0];
        assert.equal(erp.managedBy, file);
        assert.equal(erp.team, 'ops');
        assert.deepEqual(erp.labels, { env: 'prod' });

        // Read-only through the API, with the file to edit named.
        const patch = await admin.req('PATCH', `/api/v1/services/${erp.id}`, { tier: 'P3' });
        assert.equal(patch.status, 409);
        assert.ok(patch.body.error.message.includes(file));
        const teams = (await admin.req('GET', '/api/v1/teams')).body.items;
        const ops = teams.find((x: { name: string }) => x.name === 'ops');
        assert.equal((await admin.req('DELETE', `/api/v1/teams/${ops.id}`)).status, 409);
        // Members were applied at start before the admin existed: reload applies them now.
        assert.deepEqual(ops.members, []);
        const first = await admin.req('POST', '/api/v1/config/reload');
        assert.equal(first.status, 200);
        assert.deepEqual(first.body.updated, ['team ops']);
        assert.ok(first.body.warnings.some((w: string) => w.includes('"ghost"')));
        // An object made through the API is not touched by the file.
        assert.equal((await admin.req('POST', '/api/v1/services', { name: 'adhoc' })).status, 201);

        t.writeConfig(V2);
        const res = await admin.req('POST', '/api/v1/config/reload');
        assert.equal(res.status, 200);
        assert.deepEqual(res.body.removed.sort(), ['service shopee-connector', 'team platform']);
        assert.deepEqual(res.body.updated.sort(), ['service erp', 'team ops']);
        services = (await admin.req('GET', '/api/v1/services')).body.items;
        assert.deepEqual(
          services.map((s: { name: string }) => s.name),
          ['adhoc', 'erp'],
        );
        assert.equal(services[1].tier, 'P1');
        assert.equal(services[1].runbookUrl, null);
        const ops2 = (await admin.req('GET', '/api/v1/teams')).body.items[0];
        assert.equal(ops2.description, '运维 (24x7)');
        assert.deepEqual(
          ops2.members.map((m: { role: string }) => m.role),
          ['responder'],
        );

        const status = await admin.req('GET', '/api/v1/config');
        assert.equal(status.body.path, file);
        assert.ok(status.body.appliedAt);

        // A broken file is refused with every problem listed; what was applied stays.
        t.writeConfig(
          'teams:\n  - name: Bad Name\nservices:\n  - name: erp\n    tier: P7\n    runbook_url: ftp://x\n',
        );
        const broken = await admin.req('POST', '/api/v1/config/reload');
        assert.equal(broken.status, 400);
        const paths = broken.body.error.details.map((x: { path: string }) => x.path);
        assert.ok(paths.includes('teams[0].name'), paths.join());
        assert.ok(paths.includes('services[0].tier'), paths.join());
        assert.ok(paths.includes('services[0].runbook_url'), paths.join());
        assert.equal((await admin.req('GET', '/api/v1/services')).body.items.length, 2);

        const audit = (await admin.req('GET', '/api/v1/audit?action=config.apply')).body.items;
        assert.ok(audit.length >= 2);
        assert.equal(audit.at(-1).actor.type, 'config');
      } finally {
        await t.close();
      }
    },
  );
}

test('reloading needs admin, and a server without a file says how to give it one', async () => {
  const t = await startTestApp();
  try {
    const admin = await setupAdmin(t);
    const res = await admin.req('POST', '/api/v1/config/reload');
    assert.equal(res.status, 409);
    assert.match(res.body.error.message, /--config/);
    await admin.req('POST', '/api/v1/users', { username: 'ed', password: 'editor password', role: 'editor' });
    const { login } = await import('../support/app.js');
    const ed = await login(t, 'ed', 'editor password');
    assert.equal((await ed.req('POST', '/api/v1/config/reload')).status, 403);
  } finally {
    await t.close();
  }
});
