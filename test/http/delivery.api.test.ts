// Delivery through the HTTP API, end to end: an alert reaches a signed DingTalk robot (faithful fake)
// through a receiver from the config file; the delivery log, the receivers' state (secrets never
// shown), the test message, the template preview, and the signed "silence 1 h" link of the message.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../support/db.js';
import { setupAdmin, startTestApp } from '../support/app.js';
import type { TestApp } from '../support/app.js';
import { startFakeDingtalk } from '../support/fakes/dingtalk.js';
import type { FakeDingtalk } from '../support/fakes/dingtalk.js';

const SECRET = 'SECdeadbeef0123456789';
const TOKEN = 'robot-token-a1b2';

const config = (ding: string) => `
route:
  receiver: ops
  group_by: [alertname, store]
  group_wait: 0s
  group_interval: 1m
receivers:
  - name: ops
    language: en
    dingtalk_configs:
      - url: '${ding}'
        secret: ${SECRET}
        at_mobiles: ['13800001234']
`;

for (const d of await dialects()) {
  describe(`delivery API on ${d.name}`, { skip: d.skip ?? false }, () => {
    let t: TestApp;
    let ding: FakeDingtalk;
    let admin: Awaited<ReturnType<typeof setupAdmin>>;

    before(async () => {
      const clock = { now: () => t.clock.now() };
      ding = await startFakeDingtalk({ clock, accessToken: TOKEN, secret: SECRET });
      t = await startTestApp({
        dialect: d.name,
        configYaml: config(ding.url),
        start: Date.parse('2026-11-26T02:00:00Z'),
      });
      admin = await setupAdmin(t);
    });
    after(async () => {
      await t?.close();
      await ding?.close();
    });

    test('an alert reaches the robot, and the delivery log and the receiver say so without the secrets', async () => {
      const fired = await admin.req('POST', '/api/v2/alerts', [
        {
          labels: { alertname: 'OrderSyncStalled', store: 'MY-1', platform: 'shopee', severity: 'P1' },
          annotations: { summary: 'Order sync stalled' },
          endsAt: new Date(t.clock.now() + 3_600_000).toISOString(),
        },
      ]);
      assert.equal(fired.status, 200);
      await t.app.dispatcher.flushDue();
      await t.app.outbox.drain();
      assert.equal(ding.messages.length, 1);
      const msg = ding.messages[0];
      assert.match(msg?.title ?? '', /P1 FIRING.*Order sync stalled/);
      assert.deepEqual(msg?.mentioned, ['13800001234']);

      const log = await admin.req('GET', '/api/v1/deliveries?receiver=ops');
      assert.equal(log.status, 200);
      assert.equal(log.body.deliveries.length, 1);
      const entry = log.body.deliveries[0];
      assert.deepEqual(
        [entry.ok, entry.channel, entry.providerCode, entry.alertCount],
        [true, 'dingtalk/0', '0', 1],
      );
      const fp = (await admin.req('GET', '/api/v2/alerts')).body[0].fingerprint as string;
      assert.equal(
        (await admin.req('GET', `/api/v1/deliveries?fingerprint=${fp}`)).body.deliveries.length,
        1,
      );
      assert.equal(
        (await admin.req('GET', '/api/v1/deliveries?fingerprint=0000000000000000')).body.deliveries.length,
        0,
      );
      assert.equal((await admin.req('GET', '/api/v1/deliveries?fingerprint=nope')).status, 400);

      const receivers = await admin.req('GET', '/api/v1/receivers');
      const ch = receivers.body.receivers[0].channels[0];
      assert.equal(ch.id, 'dingtalk/0');
      assert.match(ch.target, /access_token=…a1b2, signed/);
      assert.deepEqual(ch.rateLimit, { perSecond: null, perMinute: 20 });
      assert.deepEqual([ch.last24h.ok, ch.last24h.failed, ch.health.failing], [1, 0, false]);
      assert.ok(!receivers.raw.includes(TOKEN) && !receivers.raw.includes(SECRET), 'no secret in the answer');
    });

    test('a test message goes through the receiver and says what the robot answered', async () => {
      const before = ding.messages.length;
      const r = await admin.req('POST', '/api/v1/receivers/ops/test', {});
      assert.equal(r.status, 200);
      assert.deepEqual(
        r.body.results.map((x: { channel: string; ok: boolean }) => [x.channel, x.ok]),
        [['dingtalk/0', true]],
      );
      assert.equal(ding.messages.length, before + 1);
      assert.equal((await admin.req('POST', '/api/v1/receivers/nobody/test', {})).status, 404);
      const bad = await admin.req('POST', '/api/v1/receivers/ops/test', { channel: 'wecom/0' });
      assert.equal(bad.status, 400);
      assert.match(bad.body.error.message, /has no channel "wecom\/0"; it has dingtalk\/0/);
      const log = await admin.req('GET', '/api/v1/deliveries?channel=dingtalk/0&limit=1');
      assert.match(log.body.deliveries[0].notificationId, /^test:/);
    });

    test('the preview renders a receiver’s templates, and reports a broken template by name', async () => {
      const ok = await admin.req('POST', '/api/v1/templates/preview', {
        receiver: 'ops',
        templates: { title: '{{ severity }} · {{ alerts | size }} alerts · {{ status }}' },
      });
      assert.equal(ok.status, 200);
      assert.equal(ok.body.message.title, 'P1 · 3 alerts · firing');
      assert.deepEqual(ok.body.problems, []);
      const broken = await admin.req('POST', '/api/v1/templates/preview', {
        language: 'zh-CN',
        templates: { markdown: '{% for a in alerts %}{{ a.labels.store }' },
      });
      assert.equal(broken.status, 200);
      assert.equal(broken.body.problems[0].template, 'markdown');
      assert.match(broken.body.message.markdown, /模板/);
    });

    test('the message’s silence link asks first, then silences the group for an hour, once', async () => {
      const msg = ding.messages[0];
      const link = msg?.text.match(/\[Silence 1h\]\((http:\/\/[^)]+\/l\/[^)]+)\)/)?.[1] ?? '';
      assert.ok(link, `a silence link in ${msg?.text}`);
      const path = new URL(link).pathname;
      const page = await t.request({ method: 'GET', url: path });
      assert.equal(page.status, 200);
      assert.match(page.raw, /Silence these alerts for 1 h/);
      assert.match(page.raw, /alertname=&quot;OrderSyncStalled&quot;/);
      assert.equal(
        (await admin.req('GET', '/api/v2/silences')).body.length,
        0,
        'opening the link silences nothing',
      );

      const form = { 'content-type': 'application/x-www-form-urlencoded' };
      const done = await t.request({ method: 'POST', url: path, payload: '', headers: form });
      assert.equal(done.status, 200);
      assert.match(done.raw, /Silenced until/);
      const again = await t.request({ method: 'POST', url: path, payload: '', headers: form });
      assert.match(again.raw, /already silenced by this link/);
      const silences = (await admin.req('GET', '/api/v2/silences')).body;
      assert.equal(silences.length, 1);
      assert.equal(Date.parse(silences[0].endsAt) - Date.parse(silences[0].startsAt), 3_600_000);
      assert.deepEqual(
        silences[0].matchers.map((m: { name: string; value: string }) => `${m.name}=${m.value}`).sort(),
        ['alertname=OrderSyncStalled', 'store=MY-1'],
      );

      const tampered = path.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
      const refused = await t.request({ method: 'POST', url: tampered, payload: '', headers: form });
      assert.equal(refused.status, 400);
      assert.match(refused.raw, /not valid/);
      t.clock.advance(25 * 3_600_000);
      const expired = await t.request({ method: 'GET', url: path });
      assert.equal(expired.status, 400);
      assert.match(expired.raw, /expired/);
    });
  });
}
