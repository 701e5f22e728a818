// Silences through the Alertmanager API v2 and Watchpost's own additions, on both stores:
// lifecycle, validation, Alertmanager's update-or-replace, the preview, permissions and the audit.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../support/db.js';
import { login, setupAdmin, startTestApp } from '../support/app.js';
import type { TestApp } from '../support/app.js';

const MIN = 60_000;
const H = 60 * MIN;

for (const d of await dialects()) {
  describe(`silences on ${d.name}`, { skip: d.skip ?? false }, () => {
    let t: TestApp;
    let admin: Awaited<ReturnType<typeof setupAdmin>>;
    let write: Record<string, string>;
    let read: Record<string, string>;
    let ingest: Record<string, string>;
    let viewerToken: Record<string, string>;
    let viewer: Awaited<ReturnType<typeof login>>;
    let responder: Awaited<ReturnType<typeof login>>;

    const iso = (ms: number) => new Date(ms).toISOString();
    const at = (offsetMs: number) => iso(t.clock.now() + offsetMs);
    const req = (
      method: 'GET' | 'POST' | 'DELETE',
      url: string,
      headers: Record<string, string>,
      body?: unknown,
    ) => t.request({ method, url, headers, ...(body !== undefined ? { body } : {}) });
    const postSilence = (body: unknown, headers = write) => req('POST', '/api/v2/silences', headers, body);
    const getSilence = async (id: string) =>
      (await req('GET', `/api/v2/silence/${id}`, read)).body as Record<string, any>;
    const eq = (name: string, value: string) => ({ name, value, isRegex: false, isEqual: true });
    const re = (name: string, value: string) => ({ name, value, isRegex: true, isEqual: true });
    const body = (over: Record<string, unknown> = {}) => ({
      matchers: [eq('alertname', 'DiskFull')],
      startsAt: at(0),
      endsAt: at(H),
      createdBy: 'ada',
      comment: 'replacing the disk',
      ...over,
    });
    const create = async (over: Record<string, unknown> = {}, headers = write): Promise<string> => {
      const res = await postSilence(body(over), headers);
      assert.equal(res.status, 200, res.raw);
      return res.body.silenceID as string;
    };
    const audit = async (id: string) =>
      (await admin.req('GET', `/api/v1/audit?targetType=silence&targetId=${id}&limit=50`)).body
        .items as any[];

    before(async () => {
      t = await startTestApp({ dialect: d.name });
      admin = await setupAdmin(t);
      const token = async (
        as: { req: typeof admin.req },
        scopes: string[],
        name = scopes.join('-'),
      ): Promise<Record<string, string>> => {
        const res = await as.req('POST', '/api/v1/tokens', { name, scopes });
        assert.equal(res.status, 201, res.raw);
        return { authorization: `Bearer ${res.body.token as string}` };
      };
      write = await token(admin, ['write'], 'ops');
      read = await token(admin, ['read']);
      ingest = await token(admin, ['ingest']);
      for (const [username, role] of [
        ['vera', 'viewer'],
        ['rita', 'responder'],
      ] as const) {
        const res = await admin.req('POST', '/api/v1/users', {
          username,
          password: `${username} password 1`,
          role,
        });
        assert.equal(res.status, 201, res.raw);
      }
      viewer = await login(t, 'vera', 'vera password 1');
      responder = await login(t, 'rita', 'rita password 1');
      viewerToken = await token(viewer, ['read']);
    });
    after(async () => t?.close());

    test('create, get, list and expire a silence, in Alertmanager’s format', async () => {
      const created = at(0);
      const id = await create({ matchers: [eq('alertname', 'DiskFull'), re('instance', 'db-.*')] });
      assert.match(id, /^[0-9a-f-]{36}$/);
      assert.deepEqual(await getSilence(id), {
        id,
        status: { state: 'active' },
        updatedAt: created,
        matchers: [eq('alertname', 'DiskFull'), re('instance', 'db-.*')],
        startsAt: created,
        endsAt: at(H),
        createdBy: 'ada',
        comment: 'replacing the disk',
      });
      const listed = (await req('GET', '/api/v2/silences', read)).body as any[];
      assert.ok(listed.some((s) => s.id === id));

      // Alertmanager's filter: a silence is listed when it has that very matcher.
      const filtered = async (expr: string) =>
        ((await req('GET', `/api/v2/silences?filter=${encodeURIComponent(expr)}`, read)).body as any[]).map(
          (s) => s.id,
        );
      assert.ok((await filtered('instance=~"db-.*"')).includes(id));
      assert.ok(!(await filtered('instance="db-1"')).includes(id));

      t.clock.advance(10 * MIN);
      const expired = await req('DELETE', `/api/v2/silence/${id}`, write);
      assert.equal(expired.status, 200);
      assert.equal(expired.raw, '');
      const after = await getSilence(id);
      assert.equal(after.status.state, 'expired');
      assert.equal(after.endsAt, at(0));
      assert.equal(after.updatedAt, at(0));

      t.clock.advance(MIN);
      const again = await req('DELETE', `/api/v2/silence/${id}`, write);
      assert.equal(again.status, 200, 'expiring an expired silence succeeds, as in Alertmanager');
      assert.equal((await getSilence(id)).endsAt, after.endsAt, 'and changes nothing');

      const unknown = '00000000-0000-4000-8000-00000000dead';
      assert.equal((await req('DELETE', `/api/v2/silence/${unknown}`, write)).status, 404);
      const missing = await req('GET', `/api/v2/silence/${unknown}`, read);
      assert.equal(missing.status, 404);
      assert.match(missing.body.error.message, /silence .* does not exist/);
    });

    test('a pending silence is listed as pending and expiring it ends it before it starts', async () => {
      const id = await create({ startsAt: at(H), endsAt: at(2 * H) });
      const s = await getSilence(id);
      assert.equal(s.status.state, 'pending');
      assert.equal(s.startsAt, at(H));
      await req('DELETE', `/api/v2/silence/${id}`, write);
      const e = await getSilence(id);
      assert.equal(e.status.state, 'expired');
      assert.equal(e.startsAt, at(0));
      assert.equal(e.endsAt, at(0));
    });

    test('invalid silences are refused with the path of each problem, and nothing is stored', async () => {
      const before = ((await req('GET', '/api/v2/silences', read)).body as any[]).length;
      const problems = async (over: Record<string, unknown>) => {
        const res = await postSilence(body(over));
        assert.equal(res.status, 400, res.raw);
        assert.equal(res.body.error.code, 'invalid');
        return res.body.error.details as { path: string; message: string }[];
      };

      assert.deepEqual(
        (await problems({ matchers: [] })).map((p) => p.path),
        ['/matchers'],
      );
      const empty = await problems({ matchers: [eq('instance', ''), re('job', '.*')] });
      assert.deepEqual(
        empty.map((p) => p.path),
        ['/matchers'],
      );
      assert.match(empty[0]?.message ?? '', /at least one matcher must not match the empty string/);
      assert.deepEqual(
        (await problems({ startsAt: at(H), endsAt: at(0) })).map((p) => p.path),
        ['/endsAt'],
      );
      assert.deepEqual(
        (await problems({ startsAt: at(-2 * H), endsAt: at(-H) })).map((p) => p.path),
        ['/endsAt'],
      );
      const regex = await problems({ matchers: [eq('alertname', 'X'), re('service', 'erp|[z-a]')] });
      assert.deepEqual(
        regex.map((p) => p.path),
        ['/matchers/1/value'],
      );
      assert.match(regex[0]?.message ?? '', /invalid regular expression at column 6: .*`z-a`/);
      const name = await problems({ matchers: [eq('alertname', 'X'), eq('0bad', 'x')] });
      assert.deepEqual(
        name.map((p) => p.path),
        ['/matchers/1/name'],
      );
      const { comment: _omitted, ...noComment } = body();
      const schema = await postSilence(noComment);
      assert.equal(schema.status, 400);
      assert.deepEqual(
        schema.body.error.details.map((p: { path: string }) => p.path),
        ['/comment'],
      );

      // The text form (filter, preview) says at which column.
      const filter = await req(
        'GET',
        `/api/v2/silences?filter=${encodeURIComponent('service=~"(erp"')}`,
        read,
      );
      assert.equal(filter.status, 400);
      assert.equal(filter.body.error.details[0].path, 'querystring:/filter/0');
      assert.match(filter.body.error.message, /column 10: .*missing closing \)/);

      assert.equal(((await req('GET', '/api/v2/silences', read)).body as any[]).length, before);
    });

    test('re-posting updates in place when Alertmanager would, and otherwise replaces with a new id', async () => {
      const startsAt = at(0);
      const id = await create({ comment: 'first' });
      t.clock.advance(MIN);

      // Same matchers, same start: the same silence, longer, with a new comment.
      assert.equal(await create({ id, startsAt, endsAt: at(3 * H), comment: 'longer' }), id);
      const updated = await getSilence(id);
      assert.equal(updated.status.state, 'active');
      assert.equal(updated.endsAt, at(3 * H));
      assert.equal(updated.comment, 'longer');
      assert.equal(updated.updatedAt, at(0));
      assert.equal(updated.startsAt, startsAt);

      // Changed matchers: the old silence expires now and a new one starts now.
      t.clock.advance(MIN);
      const moved = await create({
        id,
        startsAt,
        endsAt: at(2 * H),
        matchers: [eq('alertname', 'DiskFull'), eq('instance', 'db-1')],
      });
      assert.notEqual(moved, id);
      const old = await getSilence(id);
      assert.equal(old.status.state, 'expired');
      assert.equal(old.endsAt, at(0));
      const replacement = await getSilence(moved);
      assert.equal(replacement.status.state, 'active');
      assert.equal(replacement.startsAt, at(0), 'a new silence does not start in the past');

      // An expired silence is never revived: posting its id gives another new silence.
      t.clock.advance(MIN);
      const revived = await create({ id, startsAt: at(0), endsAt: at(H) });
      assert.ok(![id, moved].includes(revived));
      assert.equal((await getSilence(id)).endsAt, old.endsAt, 'the expired one is left as it was');

      const unknown = await postSilence(body({ id: '00000000-0000-4000-8000-00000000beef' }));
      assert.equal(unknown.status, 404);

      assert.deepEqual(
        (await audit(id)).map((e) => e.action),
        ['silence.expire', 'silence.update', 'silence.create'],
      );
      const created = (await audit(moved))[0];
      assert.equal(created.action, 'silence.create');
      assert.equal(created.after.replaces, id);
    });

    test('createdBy defaults to the authenticated user; the reason is shown by Watchpost’s API only', async () => {
      const res = await postSilence({ ...body(), createdBy: undefined, reason: 'INC-4711' });
      assert.equal(res.status, 200, res.raw);
      const id = res.body.silenceID as string;
      const v2 = await getSilence(id);
      assert.equal(v2.createdBy, 'admin');
      assert.ok(!('reason' in v2));
      const v1 = (await req('GET', `/api/v1/silences/${id}`, read)).body;
      assert.equal(v1.reason, 'INC-4711');
      assert.equal(v1.createdAt, at(0));
      assert.equal(v1.createdBy, 'admin');

      // Changing it without a reason keeps the reason.
      const again = await req('POST', '/api/v1/silences', write, {
        ...body({ id, startsAt: v2.startsAt, comment: 'still' }),
      });
      assert.equal(again.status, 200, again.raw);
      assert.equal(again.body.outcome, 'updated');
      assert.equal(again.body.silence.reason, 'INC-4711');
      const active = (await req('GET', '/api/v1/silences?state=active', read)).body.items as any[];
      assert.ok(active.some((s) => s.id === id));
      assert.ok(active.every((s) => s.status.state === 'active'));
    });

    test('the preview lists the firing alerts the matchers would mute, and a silence mutes them', async () => {
      const alerts = [
        { alertname: 'OrderSyncStalled', platform: 'shopee', store: 'MY-1' },
        { alertname: 'OrderSyncStalled', platform: 'shopee', store: 'SG-1' },
        { alertname: 'QueueBacklog', store: 'MY-1' },
      ];
      const sent = await req(
        'POST',
        '/api/v2/alerts',
        ingest,
        alerts.map((labels) => ({ labels })),
      );
      assert.equal(sent.status, 200, sent.raw);
      const expr = '{alertname="OrderSyncStalled", store=~"MY-.*"}';
      const preview = await req('GET', `/api/v1/silences/preview?matchers=${encodeURIComponent(expr)}`, read);
      assert.equal(preview.status, 200, preview.raw);
      assert.deepEqual(
        preview.body.alerts.map((a: any) => a.labels),
        [alerts[0]],
      );
      const tooWide = await req(
        'GET',
        `/api/v1/silences/preview?matchers=${encodeURIComponent('store=~".*"')}`,
        read,
      );
      assert.equal(tooWide.status, 400);
      assert.match(tooWide.body.error.message, /must not match the empty string/);

      const id = await create({ matchers: [eq('alertname', 'OrderSyncStalled'), re('store', 'MY-.*')] });
      const listed = async (qs = '') =>
        (await req('GET', `/api/v2/alerts${qs}`, read)).body as {
          labels: Record<string, string>;
          status: { state: string; silencedBy: string[] };
        }[];
      const my1 = (await listed()).find((a) => a.labels.store === 'MY-1' && a.labels.platform === 'shopee');
      assert.deepEqual(my1?.status.silencedBy, [id]);
      assert.equal(my1?.status.state, 'suppressed');
      const unsilenced = await listed('?silenced=false');
      assert.ok(!unsilenced.some((a) => a.labels.store === 'MY-1' && a.labels.platform === 'shopee'));
      assert.ok(unsilenced.some((a) => a.labels.store === 'SG-1'));
      const suppressedOnly = await listed('?active=false');
      assert.ok(suppressedOnly.every((a) => a.status.state === 'suppressed'));
      assert.ok(suppressedOnly.length >= 1);

      await req('DELETE', `/api/v2/silence/${id}`, write);
      const back = (await listed('?silenced=false')).find(
        (a) => a.labels.store === 'MY-1' && a.labels.platform === 'shopee',
      );
      assert.equal(back?.status.state, 'active', 'an expired silence mutes nothing, at once');
    });

    test('viewers cannot silence (403), responders can; reading needs read', async () => {
      assert.equal((await postSilence(body(), viewerToken)).status, 403);
      assert.equal((await viewer.req('POST', '/api/v2/silences', body())).status, 403);
      assert.equal((await postSilence(body(), read)).status, 403, 'a read-only token cannot either');
      assert.equal((await postSilence(body(), {})).status, 401);
      assert.equal((await req('GET', '/api/v2/silences', {})).status, 401);
      assert.equal((await req('GET', '/api/v2/silences', viewerToken)).status, 200);

      const res = await responder.req('POST', '/api/v2/silences', body({ createdBy: undefined }));
      assert.equal(res.status, 200, res.raw);
      const id = res.body.silenceID as string;
      assert.equal((await getSilence(id)).createdBy, 'rita');
      assert.equal((await viewer.req('DELETE', `/api/v2/silence/${id}`)).status, 403);
      assert.equal((await responder.req('DELETE', `/api/v2/silence/${id}`)).status, 200);
    });

    test('a responder’s respond-scoped token (amtool’s) silences and expires, and changes nothing else', async () => {
      const made = await responder.req('POST', '/api/v1/tokens', { name: 'amtool', scopes: ['respond'] });
      assert.equal(made.status, 201, made.raw);
      const amtool = { authorization: `Bearer ${made.body.token as string}` };
      const id = await create({ createdBy: 'rita' }, amtool);
      assert.equal((await req('GET', '/api/v2/silences', amtool)).status, 200);
      assert.equal((await req('DELETE', `/api/v2/silence/${id}`, amtool)).status, 200);
      const denied = await req('POST', '/api/v1/maintenance', amtool, { name: 'x' });
      assert.equal(denied.status, 403, 'configuration needs write');
      assert.match(denied.raw, /write permission needed/);
      // A viewer cannot make a respond token: it would exceed the viewer's role.
      const tooMuch = await viewer.req('POST', '/api/v1/tokens', { name: 'x', scopes: ['respond'] });
      assert.equal(tooMuch.status, 403, tooMuch.raw);
      assert.match(tooMuch.raw, /scope respond needs a role responder/);
    });

    test('the audit log records the authenticated actor, whatever createdBy says', async () => {
      const res = await responder.req('POST', '/api/v2/silences', body({ createdBy: 'night shift' }));
      const id = res.body.silenceID as string;
      const [created] = await audit(id);
      assert.equal(created.action, 'silence.create');
      assert.equal(created.actor.type, 'user');
      assert.equal(created.actor.name, 'rita');
      assert.equal(created.after.createdBy, 'night shift');
      assert.equal(created.before, null);

      const byToken = await create({ createdBy: undefined });
      const [tokenEntry] = await audit(byToken);
      assert.equal(tokenEntry.actor.type, 'token');
      assert.equal(tokenEntry.actor.name, 'admin/ops');
      assert.equal(tokenEntry.after.createdBy, 'admin');

      await responder.req('DELETE', `/api/v2/silence/${id}`);
      const [expired] = await audit(id);
      assert.equal(expired.action, 'silence.expire');
      assert.equal(expired.before.endsAt, Date.parse(at(H)));
      assert.equal(expired.after.endsAt, t.clock.now());
    });

    test('the flush path is served from memory until a write, or until refreshMs for other instances', async () => {
      const svc = t.app.services.silences;
      const id = await create({ matchers: [eq('alertname', 'CacheProbe')] });
      const ids = async () => (await svc.activeCompiled()).map((c) => c.silence.id);
      assert.ok((await ids()).includes(id), 'a write through the service is seen at once');
      const first = await svc.activeCompiled();
      assert.deepEqual(
        (await svc.activeCompiled()).map((c) => c.matchers),
        first.map((c) => c.matchers),
      );
      assert.equal((await svc.activeCompiled())[0]?.matchers, first[0]?.matchers, 'compiled once, reused');

      // Another instance writes straight to the shared database.
      const now = t.clock.now();
      await t.app.database.db
        .insertInto('silences')
        .values({
          id: 'from-elsewhere',
          matchers: JSON.stringify([{ name: 'alertname', type: '=', value: 'Elsewhere' }]),
          starts_at: now,
          ends_at: now + H,
          created_by: 'other',
          comment: '',
          reason: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      assert.ok(!(await ids()).includes('from-elsewhere'), 'not read again within refreshMs');
      t.clock.advance(10_000);
      assert.ok((await ids()).includes('from-elsewhere'), 'read again after refreshMs');
      // The state is decided per call: the same cached silences expire on time.
      assert.ok(!(await svc.activeCompiled(t.clock.now() + 2 * H)).some((c) => c.silence.id === id));
    });
  });
}
