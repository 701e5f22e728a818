// Maintenance windows through /api/v1/maintenance on both stores: the lifecycle, validation that
// names each field, permissions, the audit log, the calendar, and windows the configuration file
// declares (read-only here, changed by reloading the file).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../support/db.js';
import { login, setupAdmin, startTestApp } from '../support/app.js';
import type { TestApp } from '../support/app.js';

const CONFIG = (comment: string, extra = '') => `
maintenance_windows:
  - name: ERP weekly backup
    matchers: ['service="erp"']
    time_zone: Asia/Shanghai
    mode: expected
    comment: ${comment}
    cron: '0 2 * * 0'
    duration: 2h
${extra}`;

for (const d of await dialects()) {
  describe(`maintenance windows on ${d.name}`, { skip: d.skip ?? false }, () => {
    let t: TestApp;
    let admin: Awaited<ReturnType<typeof setupAdmin>>;
    let viewer: Awaited<ReturnType<typeof login>>;

    const eq = (name: string, value: string) => ({ name, value, isRegex: false, isEqual: true });
    const weekly = (over: Record<string, unknown> = {}) => ({
      name: 'WMS nightly deploy',
      matchers: [eq('service', 'wms'), eq('env', 'prod')],
      schedule: { kind: 'weekly', days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '22:00', end: '06:00' },
      timeZone: 'Asia/Shanghai',
      mode: 'mute',
      comment: 'deploys run at night',
      ...over,
    });
    const create = async (body: unknown) => {
      const res = await admin.req('POST', '/api/v1/maintenance', body);
      assert.equal(res.status, 201, res.raw);
      return res.body as Record<string, any>;
    };
    const audit = async (id: string) =>
      (await admin.req('GET', `/api/v1/audit?targetType=maintenance_window&targetId=${id}&limit=50`)).body
        .items as any[];

    before(async () => {
      // Thursday 26 November 2026, 16:00 in Shanghai.
      t = await startTestApp({ dialect: d.name, configYaml: CONFIG('full backup') });
      admin = await setupAdmin(t);
      const res = await admin.req('POST', '/api/v1/users', {
        username: 'vera',
        password: 'vera password 1',
        role: 'viewer',
      });
      assert.equal(res.status, 201, res.raw);
      viewer = await login(t, 'vera', 'vera password 1');
    });
    after(async () => t?.close());

    test('create, read, list, replace and delete a window, each change audited', async () => {
      const w = await create(weekly());
      assert.match(w.id, /^[0-9a-f-]{36}$/);
      assert.deepEqual(w, {
        id: w.id,
        name: 'WMS nightly deploy',
        matchers: [eq('service', 'wms'), eq('env', 'prod')],
        schedule: { kind: 'weekly', days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '22:00', end: '06:00' },
        timeZone: 'Asia/Shanghai',
        mode: 'mute',
        comment: 'deploys run at night',
        createdBy: 'admin',
        source: 'api',
        managedBy: null,
        activeNow: false,
        // Thursday 22:00 in Shanghai.
        nextStartsAt: '2026-11-26T14:00:00.000Z',
        createdAt: '2026-11-26T08:00:00.000Z',
        updatedAt: '2026-11-26T08:00:00.000Z',
      });
      assert.deepEqual((await viewer.req('GET', `/api/v1/maintenance/${w.id}`)).body, w);
      const list = (await viewer.req('GET', '/api/v1/maintenance')).body.items as any[];
      assert.deepEqual(
        list.map((x) => x.name),
        ['ERP weekly backup', 'WMS nightly deploy'],
        'by name, declared windows included',
      );

      // Friday 00:30 in Shanghai: inside Thursday night's window.
      t.clock.set('2026-11-26T16:30:00Z');
      const during = (await admin.req('GET', `/api/v1/maintenance/${w.id}`)).body;
      assert.equal(during.activeNow, true);
      assert.equal(during.nextStartsAt, '2026-11-27T14:00:00.000Z');

      const put = await admin.req('PUT', `/api/v1/maintenance/${w.id}`, {
        ...weekly(),
        schedule: { kind: 'cron', cron: '30 1 * * *', duration: '1h30m' },
        mode: 'expected',
      });
      assert.equal(put.status, 200, put.raw);
      assert.deepEqual(put.body.schedule, { kind: 'cron', cron: '30 1 * * *', duration: '1h30m' });
      assert.equal(put.body.mode, 'expected');
      assert.equal(put.body.activeNow, false, 'Friday 00:30: the first firing is at 01:30');
      assert.equal(put.body.nextStartsAt, '2026-11-26T17:30:00.000Z');
      assert.equal(put.body.createdAt, '2026-11-26T08:00:00.000Z');
      assert.equal(put.body.updatedAt, '2026-11-26T16:30:00.000Z');

      const del = await admin.req('DELETE', `/api/v1/maintenance/${w.id}`);
      assert.equal(del.status, 204, del.raw);
      const gone = await admin.req('GET', `/api/v1/maintenance/${w.id}`);
      assert.equal(gone.status, 404);
      assert.match(gone.body.error.message, /maintenance window .* does not exist/);
      assert.equal((await admin.req('DELETE', `/api/v1/maintenance/${w.id}`)).status, 404);

      const entries = await audit(w.id);
      assert.deepEqual(
        entries.map((e) => e.action),
        ['maintenance.delete', 'maintenance.update', 'maintenance.create'],
      );
      assert.equal(entries[0].actor.name, 'admin');
      assert.equal(entries[1].before.schedule.kind, 'weekly');
      assert.equal(entries[1].after.schedule.kind, 'cron');
      t.clock.set('2026-11-26T08:00:00Z');
    });

    test('the flush path sees a window as soon as it is written, and the matching alerts with its mode', async () => {
      const now = Date.parse('2026-11-26T08:00:00Z');
      const w = await create({
        ...weekly({ name: 'OMS migration' }),
        matchers: [eq('service', 'oms')],
        schedule: { kind: 'once', startsAt: '2026-11-26T07:00:00Z', endsAt: '2026-11-26T09:00:00Z' },
        mode: 'expected',
      });
      const lookup = await t.app.services.maintenance.lookup(now);
      assert.ok(lookup, 'a window is active');
      assert.deepEqual(lookup({ service: 'oms' }), [{ id: w.id, name: 'OMS migration', mode: 'expected' }]);
      assert.deepEqual(lookup({ service: 'erp' }), []);
      assert.equal((await admin.req('DELETE', `/api/v1/maintenance/${w.id}`)).status, 204);
      assert.equal(await t.app.services.maintenance.lookup(now), undefined, 'deleted: nothing active');
    });

    test('a bad window gets 400 naming every field and its fix', async () => {
      const res = await admin.req('POST', '/api/v1/maintenance', {
        name: '',
        matchers: [{ name: 'service', value: '.*', isRegex: true }],
        schedule: { kind: 'cron', cron: '0 25 * * *', duration: '0s', days: ['mon'] },
        timeZone: 'Asia/Beijing',
      });
      assert.equal(res.status, 400, res.raw);
      const byPath = Object.fromEntries((res.body.error.details as any[]).map((p) => [p.path, p.message]));
      assert.deepEqual(Object.keys(byPath).sort(), [
        '/matchers',
        '/name',
        '/schedule/cron',
        '/schedule/days',
        '/schedule/duration',
        '/timeZone',
      ]);
      assert.match(
        byPath['/schedule/cron'],
        /invalid cron expression "0 25 \* \* \*": Invalid value for hour: 25/,
      );
      assert.match(byPath['/schedule/days'], /not used by a cron schedule .*: remove it/);
      assert.match(byPath['/schedule/duration'], /longer than 0/);
      assert.match(byPath['/timeZone'], /unknown time zone "Asia\/Beijing": use an IANA name/);
      assert.match(byPath['/matchers'], /must not match the empty string/);
      assert.match(res.body.error.message, /^invalid maintenance window: /);

      const weeklyBad = await admin.req('POST', '/api/v1/maintenance', {
        ...weekly(),
        schedule: { kind: 'weekly', days: ['mon', 'Monday'], start: '9:00' },
      });
      assert.equal(weeklyBad.status, 400);
      assert.deepEqual(
        (weeklyBad.body.error.details as any[]).map((p) => p.path),
        ['/schedule/days/1', '/schedule/start', '/schedule/end'],
      );
      const onceBad = await admin.req('POST', '/api/v1/maintenance', {
        ...weekly(),
        schedule: { kind: 'once', startsAt: '2026-12-01T04:00:00Z', endsAt: '2026-12-01T02:00:00Z' },
      });
      assert.deepEqual(onceBad.body.error.details, [
        { path: '/schedule/endsAt', message: 'endsAt must be after startsAt' },
      ]);
      const noKind = await admin.req('POST', '/api/v1/maintenance', {
        ...weekly(),
        schedule: { cron: '* * * * *' },
      });
      assert.equal(noKind.status, 400);
      assert.ok((noKind.body.error.details as any[]).some((p) => p.path === '/schedule/kind'));

      await create(weekly({ name: 'Taken' }));
      const dup = await admin.req('POST', '/api/v1/maintenance', weekly({ name: 'Taken' }));
      assert.equal(dup.status, 409);
      assert.deepEqual(dup.body.error.details, [{ path: '/name', message: 'already taken' }]);
    });

    test('viewers read windows and the calendar; changing them needs write permission', async () => {
      assert.equal((await viewer.req('GET', '/api/v1/maintenance')).status, 200);
      const res = await viewer.req('POST', '/api/v1/maintenance', weekly({ name: 'by a viewer' }));
      assert.equal(res.status, 403);
      assert.match(res.body.error.message, /write permission needed/);
      assert.equal((await t.request({ method: 'GET', url: '/api/v1/maintenance' })).status, 401);
    });

    test('the calendar lists each occurrence in a range, and refuses a range it cannot serve', async () => {
      const monthly = await create({
        ...weekly({ name: 'Month-end close' }),
        schedule: { kind: 'monthly', days: [-1], start: '23:00', end: '01:00' },
        timeZone: 'UTC',
      });
      const from = '2026-11-28T19:00:00Z';
      const to = '2026-12-07T00:00:00Z';
      const res = await viewer.req('GET', `/api/v1/maintenance/calendar?from=${from}&to=${to}`);
      assert.equal(res.status, 200, res.raw);
      const items = (res.body.items as any[]).filter((i) =>
        ['ERP weekly backup', 'Month-end close'].includes(i.name),
      );
      assert.deepEqual(items, [
        // Sunday 02:00 in Shanghai.
        {
          windowId: items[0].windowId,
          name: 'ERP weekly backup',
          mode: 'expected',
          startsAt: '2026-11-28T18:00:00.000Z',
          endsAt: '2026-11-28T20:00:00.000Z',
        },
        {
          windowId: monthly.id,
          name: 'Month-end close',
          mode: 'mute',
          startsAt: '2026-11-30T23:00:00.000Z',
          endsAt: '2026-12-01T01:00:00.000Z',
        },
        {
          windowId: items[0].windowId,
          name: 'ERP weekly backup',
          mode: 'expected',
          startsAt: '2026-12-05T18:00:00.000Z',
          endsAt: '2026-12-05T20:00:00.000Z',
        },
      ]);
      assert.equal(
        String(items[0]?.startsAt) < from,
        true,
        'an occurrence running at `from` is listed whole',
      );

      const long = await viewer.req(
        'GET',
        `/api/v1/maintenance/calendar?from=${from}&to=2027-03-31T00:00:00Z`,
      );
      assert.equal(long.status, 400);
      assert.deepEqual(
        long.body.error.details.map((p: any) => p.path),
        ['querystring:/to'],
      );
      assert.match(long.body.error.message, /92 days/);
      const backwards = await viewer.req('GET', `/api/v1/maintenance/calendar?from=${to}&to=${from}`);
      assert.equal(backwards.status, 400);
      assert.match(backwards.body.error.message, /to: must be after from/);
      const garbled = await viewer.req('GET', `/api/v1/maintenance/calendar?from=yesterday&to=${to}`);
      assert.equal(garbled.status, 400);
      assert.ok((garbled.body.error.details as any[]).some((p) => p.path === 'querystring:/from'));
    });

    test('windows the file declares are read-only here and follow the file on reload', async () => {
      const list = async () => (await admin.req('GET', '/api/v1/maintenance')).body.items as any[];
      const declared = (await list()).find((w) => w.name === 'ERP weekly backup');
      assert.ok(declared);
      assert.equal(declared.source, 'config');
      assert.equal(declared.managedBy, t.configFile);
      assert.equal(declared.mode, 'expected');
      assert.deepEqual(declared.schedule, { kind: 'cron', cron: '0 2 * * 0', duration: '2h' });
      assert.equal(declared.createdBy, `config:${t.configFile}`);

      const put = await admin.req(
        'PUT',
        `/api/v1/maintenance/${declared.id}`,
        weekly({ name: 'ERP weekly backup' }),
      );
      assert.equal(put.status, 409);
      assert.ok(
        put.body.error.message.includes(`managed by the configuration file ${t.configFile}`),
        put.raw,
      );
      assert.equal((await admin.req('DELETE', `/api/v1/maintenance/${declared.id}`)).status, 409);
      const clash = await admin.req('POST', '/api/v1/maintenance', weekly({ name: 'ERP weekly backup' }));
      assert.equal(clash.status, 409);

      // The file changes one window and adds another; the cache of the flush path follows at once.
      const now = t.clock.now();
      assert.equal(await t.app.services.maintenance.lookup(now), undefined);
      t.writeConfig(
        CONFIG(
          'incremental backup',
          `  - name: Storefront freeze
    matchers: ['service=~"storefront|api-gateway"']
    time_zone: UTC
    once: { starts_at: '2026-11-26 07:00', ends_at: '2026-11-26T10:00:00+00:00' }
`,
        ),
      );
      const reload = await admin.req('POST', '/api/v1/config/reload');
      assert.equal(reload.status, 200, reload.raw);
      assert.deepEqual(reload.body.created, ['maintenance window Storefront freeze']);
      assert.deepEqual(reload.body.updated, ['maintenance window ERP weekly backup']);
      const after = await list();
      assert.equal(after.find((w) => w.name === 'ERP weekly backup')?.comment, 'incremental backup');
      assert.equal(after.find((w) => w.name === 'ERP weekly backup')?.id, declared.id, 'the same window');
      const freeze = after.find((w) => w.name === 'Storefront freeze');
      assert.equal(freeze?.activeNow, true);
      assert.deepEqual(freeze?.schedule, {
        kind: 'once',
        startsAt: '2026-11-26T07:00:00.000Z',
        endsAt: '2026-11-26T10:00:00.000Z',
      });
      const lookup = await t.app.services.maintenance.lookup(now);
      assert.deepEqual(
        lookup?.({ service: 'api-gateway' }).map((m) => m.name),
        ['Storefront freeze'],
      );

      // Removed from the file: removed here.
      t.writeConfig(CONFIG('incremental backup'));
      const again = await admin.req('POST', '/api/v1/config/reload');
      assert.deepEqual(again.body.removed, ['maintenance window Storefront freeze']);
      assert.equal(
        (await list()).some((w) => w.name === 'Storefront freeze'),
        false,
      );
      assert.equal(await t.app.services.maintenance.lookup(now), undefined);
    });
  });
}

test('a window made in the API is taken over by a file that declares its name', async () => {
  const t = await startTestApp({ configYaml: '' });
  try {
    const admin = await setupAdmin(t);
    const res = await admin.req('POST', '/api/v1/maintenance', {
      name: 'ERP weekly backup',
      matchers: [{ name: 'service', value: 'erp', isRegex: false }],
      schedule: { kind: 'weekly', days: ['sun'], start: '02:00', end: '04:00' },
      timeZone: 'Asia/Shanghai',
    });
    assert.equal(res.status, 201, res.raw);
    t.writeConfig(CONFIG('from the file'));
    const reload = await admin.req('POST', '/api/v1/config/reload');
    assert.deepEqual(reload.body.updated, ['maintenance window ERP weekly backup']);
    assert.match(
      reload.body.warnings.join('\n'),
      /maintenance window ERP weekly backup existed already and is now managed by/,
    );
    const w = (await admin.req('GET', `/api/v1/maintenance/${res.body.id as string}`)).body;
    assert.equal(w.source, 'config');
    assert.deepEqual(w.schedule, { kind: 'cron', cron: '0 2 * * 0', duration: '2h' });
    assert.equal(w.createdBy, 'admin', 'the creator stays');
  } finally {
    await t.close();
  }
});
