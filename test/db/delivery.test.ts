// The delivery engine against faithful fakes of DingTalk and WeCom, on SQLite and PostgreSQL: what
// reaches the group, what the delivery log says, and what happens under throttling, outages, wrong
// secrets and a crash between sending and recording.
import { describe, test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { dialects, openTestStore } from '../support/db.js';
import type { TestStore } from '../support/db.js';
import { testEngine } from '../support/engine.js';
import { receiversFrom } from '../support/receivers.js';
import { startFakeDingtalk } from '../support/fakes/dingtalk.js';
import type { FakeDingtalk } from '../support/fakes/dingtalk.js';
import { startFakeWecom } from '../support/fakes/wecom.js';
import { startFakeSmtp } from '../support/fakes/smtp.js';
import type { FakeWecom } from '../support/fakes/wecom.js';
import { FakeClock } from '../../src/kernel/clock.js';
import { outboxRepo } from '../../src/notify/outbox.js';
import { HttpClient } from '../../src/notify/http-client.js';
import type { ReceiverConfig } from '../../src/config/model.js';
import type { NewNotification, NotificationRow } from '../../src/notify/outbox.js';
import type { ChannelHealthEvent } from '../../src/notify/delivery/health.js';

const SECRET = 'SEC0123456789abcdef';

for (const d of await dialects()) {
  describe(`delivery engine on ${d.name}`, { skip: d.skip ?? false }, () => {
    let store: TestStore;
    let ding: FakeDingtalk;
    let wecom: FakeWecom;
    const clock = new FakeClock('2026-11-26T02:00:00Z');
    let seq = 0;
    const client = new HttpClient();
    const engineFor = (receivers: ReceiverConfig[], over: Parameters<typeof testEngine>[3] = {}) =>
      testEngine(store, clock, receivers, { client, ...over });

    /** One notification per call, each for its own group with one firing alert. */
    const notify = async (receiver: string, channel: string, count = 1): Promise<string[]> => {
      const items: NewNotification[] = [];
      for (let i = 0; i < count; i++) {
        const id = `n${++seq}`;
        const groupKey = `{}:{alertname="OrderSyncStalled${seq}"}`;
        items.push({
          id,
          groupKey,
          receiver,
          integration: channel,
          content: {
            receiver,
            groupKey,
            groupLabels: { alertname: `OrderSyncStalled${seq}` },
            externalUrl: 'http://wp.test',
            alerts: [
              {
                fingerprint: `OrderSyncStalled${seq}`,
                status: 'firing',
                startsAt: clock.now(),
                endsAt: null,
              },
            ],
          },
        });
      }
      await outboxRepo.enqueue(store.database.db, items, clock.now());
      return items.map((n) => n.id);
    };
    const rows = async (ids: string[]) =>
      store.database.db
        .selectFrom('notifications')
        .select(['id', 'status', 'attempts', 'last_error', 'integration'])
        .where('id', 'in', ids)
        .orderBy('id')
        .execute();
    const attempts = async () =>
      store.database.db.selectFrom('delivery_attempts').selectAll().orderBy('id').execute();
    const throttled = () => ding.requests.filter((r) => JSON.stringify(r.answer.body).includes('130101'));

    before(async () => {
      store = await openTestStore(d.name);
    });
    beforeEach(async () => {
      clock.advance(3_600_000);
      ding = await startFakeDingtalk({ clock, accessToken: 'tok', secret: SECRET });
      wecom = await startFakeWecom({ clock, key: 'wkey' });
    });
    afterEach(async () => {
      await ding.close();
      await wecom.close();
    });
    after(async () => {
      await client.close();
      await store?.cleanup();
    });

    test('a notification reaches a signed DingTalk robot once, and the delivery log says where and what it answered', async () => {
      const receivers = receiversFrom([
        { name: 'ops', dingtalk_configs: [{ url: ding.url, secret: SECRET }] },
      ]);
      const [id] = await notify('ops', 'dingtalk/0');
      await engineFor(receivers).drain();
      assert.equal(ding.messages.length, 1);
      const msg = ding.messages[0];
      assert.match(msg?.title ?? '', /OrderSyncStalled/);
      assert.match(msg?.msgUuid ?? '', new RegExp(`#${id}$`));
      const log = (await attempts()).filter((a) => a.notification_id === id);
      assert.equal(log.length, 1);
      assert.deepEqual(
        [log[0]?.ok, log[0]?.channel, log[0]?.receiver, log[0]?.provider_code],
        [1, 'dingtalk/0', 'ops', '0'],
      );
      assert.match(log[0]?.destination ?? '', /^dingtalk:[0-9a-f]{16}$/);
      assert.ok(!JSON.stringify(log).includes('tok'), 'the access token never reaches the log');
    });

    test('a burst beyond the robot’s 20 a minute: nothing lost, never throttled, the rest merged into one digest', async () => {
      const receivers = receiversFrom([
        { name: 'ops', dingtalk_configs: [{ url: ding.url, secret: SECRET }] },
      ]);
      const engine = engineFor(receivers);
      const ids: string[] = [];
      for (let i = 0; i < 25; i++) {
        ids.push(...(await notify('ops', 'dingtalk/0')));
        await engine.drain();
        clock.advance(1_000);
      }
      assert.equal(ding.messages.length, 20, 'twenty single messages within the minute');
      assert.deepEqual(
        (await rows(ids.slice(20))).map((r) => [r.status, r.attempts]),
        Array(5).fill(['pending', 0]),
        'the rest wait untried',
      );
      // The first message leaves the window a minute after it went: one place free, five waiting.
      clock.advance(35_000);
      await engine.drain();
      assert.equal(ding.messages.length, 21);
      const digest = ding.messages[20];
      assert.match(digest?.title ?? '', /5/);
      for (const n of ids.slice(20))
        assert.match(digest?.text ?? '', new RegExp(`OrderSyncStalled${n.slice(1)}\\b`));
      assert.deepEqual(
        (await rows(ids)).map((r) => r.status),
        Array(25).fill('delivered'),
      );
      assert.equal(throttled().length, 0, 'the robot never answered "send too fast"');
      const merged = (await attempts()).filter((a) => ids.slice(20).includes(a.notification_id));
      assert.deepEqual(
        merged.map((a) => a.merged),
        Array(5).fill(5),
      );
    });

    test('a throttle answer closes the robot for its 10-minute penalty, then one digest says everything', async () => {
      // A limit set too high (or another tool posting to the same robot) gets the robot throttled.
      const receivers = receiversFrom([
        {
          name: 'ops',
          dingtalk_configs: [{ url: ding.url, secret: SECRET, rate_limit: { per_minute: 40 } }],
        },
      ]);
      const engine = engineFor(receivers);
      const ids: string[] = [];
      for (let i = 0; i < 24; i++) {
        ids.push(...(await notify('ops', 'dingtalk/0')));
        await engine.drain();
        clock.advance(1_000);
      }
      assert.equal(ding.messages.length, 20);
      assert.equal(throttled().length, 1, 'after the first "send too fast" nothing more is tried');
      for (let minute = 0; minute < 9; minute++) {
        clock.advance(60_000);
        await engine.drain();
      }
      assert.equal(throttled().length, 1, 'nothing is sent during the penalty');
      clock.advance(60_000);
      await engine.drain();
      assert.equal(ding.messages.length, 21);
      assert.match(ding.messages[20]?.title ?? '', /4/);
      assert.deepEqual(
        (await rows(ids)).map((r) => r.status),
        Array(24).fill('delivered'),
      );
    });

    test('policy fallback: after the primary failed fallback_after attempts, the second channel delivers', async () => {
      const receivers = receiversFrom([
        {
          name: 'p0',
          policy: 'fallback',
          fallback_after: 2,
          // Nothing listens on port 9: the robot is unreachable.
          dingtalk_configs: [{ url: 'http://127.0.0.1:9/robot/send?access_token=tok' }],
          wecom_configs: [{ url: `${wecom.url}` }],
        },
      ]);
      const engine = engineFor(receivers);
      const [id = ''] = await notify('p0', 'dingtalk/0');
      await engine.drain();
      assert.deepEqual(
        (await rows([id])).map((r) => [r.status, r.attempts]),
        [['pending', 1]],
      );
      clock.advance(5_000);
      await engine.drain();
      const [first] = await rows([id]);
      assert.equal(first?.status, 'failed');
      assert.match(first?.last_error ?? '', /handed to wecom\/0/);
      assert.equal(wecom.messages.length, 1);
      assert.match(JSON.stringify(wecom.messages[0]), /OrderSyncStalled/);
    });

    test('e-mail from Alertmanager’s email_configs reaches a real SMTP server, text and HTML, with the silence link', async () => {
      const smtp = await startFakeSmtp({ auth: { user: 'wp', password: 'pw' }, tls: 'none' });
      try {
        const receivers = receiversFrom([
          {
            name: 'mail',
            language: 'en',
            email_configs: [
              {
                to: 'oncall@example.com, lead@example.com',
                from: 'watchpost@example.com',
                smarthost: `127.0.0.1:${smtp.port}`,
                auth_username: 'wp',
                auth_password: 'pw',
                require_tls: false,
              },
            ],
          },
        ]);
        const [id = ''] = await notify('mail', 'email/0');
        await engineFor(receivers).drain();
        const [mail] = await smtp.waitFor(1);
        assert.deepEqual(mail?.envelope.to, ['oncall@example.com', 'lead@example.com']);
        assert.equal(mail?.user, 'wp');
        assert.match(mail?.parsed.subject ?? '', /FIRING.*OrderSyncStalled/);
        assert.match(mail?.parsed.text ?? '', /OrderSyncStalled/);
        assert.match(String(mail?.parsed.html), /<a href="http:\/\/wp\.test\/l\//);
        assert.equal((await rows([id]))[0]?.status, 'delivered');
        const [log] = (await attempts()).filter((a) => a.notification_id === id);
        assert.equal(log?.provider_code, '250');
      } finally {
        await smtp.close();
      }
    });

    test('a wrong signing secret fails at once with the channel and code named, and three in a row raise the channel’s health alarm', async () => {
      const events: ChannelHealthEvent[] = [];
      const receivers = receiversFrom([
        { name: 'ops', dingtalk_configs: [{ url: ding.url, secret: 'SECwrong0000000000' }] },
      ]);
      const engine = engineFor(receivers, { onChannelHealth: (e) => events.push(e) });
      const ids = await notify('ops', 'dingtalk/0', 3);
      await engine.drain();
      const r = await rows(ids);
      assert.deepEqual(
        r.map((x) => [x.status, x.attempts]),
        Array(3).fill(['failed', 1]),
      );
      assert.match(r[0]?.last_error ?? '', /dingtalk.*310000|310000.*dingtalk/i);
      assert.match(r[0]?.last_error ?? '', /sign/);
      assert.ok(!(r[0]?.last_error ?? '').includes('SECwrong'), 'the secret is redacted');
      assert.deepEqual(
        events.map((e) => [e.receiver, e.channel, e.failing, e.failures]),
        [['ops', 'dingtalk/0', true, 3]],
      );
    });

    test('killed between sending and recording: the retry after restart posts nothing twice (msgUuid)', async () => {
      const receivers = receiversFrom([
        { name: 'ops', dingtalk_configs: [{ url: ding.url, secret: SECRET }] },
      ]);
      const [id = ''] = await notify('ops', 'dingtalk/0');
      await engineFor(receivers).drain();
      // As if the process died before its "delivered" was committed: the row is still pending.
      await store.database.db
        .updateTable('notifications')
        .set({ status: 'pending', attempts: 0, next_attempt_at: clock.now() })
        .where('id', '=', id)
        .execute();
      await engineFor(receivers).drain();
      assert.equal(ding.requests.length, 2, 'sent again: at least once');
      assert.equal(ding.messages.length, 1, 'DingTalk posted it once');
      assert.equal((await rows([id]))[0]?.status, 'delivered');
    });

    test('handed over at its flush: sent without a claim; when that process dies first, the next one sends it after the claim runs out, when it stops first, at once', async () => {
      const receivers = receiversFrom([
        { name: 'ops', dingtalk_configs: [{ url: ding.url, secret: SECRET }] },
      ]);
      const lease = 60_000;
      /** What a flush does with a hand-off: written claimed for the lease, then given to the engine. */
      const flushed = async (): Promise<NotificationRow> => {
        const id = `h${++seq}`;
        const groupKey = `{}:{alertname="StockSyncLag${seq}"}`;
        const n: NewNotification = {
          id,
          groupKey,
          receiver: 'ops',
          integration: 'dingtalk/0',
          content: {
            receiver: 'ops',
            groupKey,
            groupLabels: { alertname: `StockSyncLag${seq}` },
            externalUrl: 'http://wp.test',
            alerts: [
              { fingerprint: `StockSyncLag${seq}`, status: 'firing', startsAt: clock.now(), endsAt: null },
            ],
          },
        };
        const now = clock.now();
        await outboxRepo.enqueue(store.database.db, [n], now, now + lease);
        return { ...n, status: 'pending', attempts: 0, createdAt: now, nextAttemptAt: now + lease };
      };
      const first = await flushed();
      const engine = engineFor(receivers, { leaseMs: lease });
      engine.take([first]);
      await engine.drain();
      assert.equal(ding.messages.length, 1);
      assert.match(ding.messages[0]?.msgUuid ?? '', new RegExp(`#${first.id}$`));
      assert.equal((await rows([first.id]))[0]?.status, 'delivered');

      // Handed to an engine that dies before its pass: nobody else takes it while it is claimed.
      const second = await flushed();
      engineFor(receivers, { leaseMs: lease }).take([second]);
      const next = engineFor(receivers, { leaseMs: lease });
      await next.drain();
      assert.equal(ding.messages.length, 1, 'still claimed by the process that flushed it');
      clock.advance(lease);
      await next.drain();
      assert.equal(ding.messages.length, 2);
      assert.match(ding.messages[1]?.msgUuid ?? '', new RegExp(`#${second.id}$`));
      // Handed to an engine that stops before its pass: the next one sends it at once.
      const third = await flushed();
      const stopping = engineFor(receivers, { leaseMs: lease });
      stopping.take([third]);
      await stopping.stop();
      await next.drain();
      assert.equal(ding.messages.length, 3);
      assert.match(ding.messages[2]?.msgUuid ?? '', new RegExp(`#${third.id}$`));
      assert.deepEqual(
        (await rows([first.id, second.id, third.id])).map((r) => [r.status, r.attempts]),
        [
          ['delivered', 1],
          ['delivered', 1],
          ['delivered', 1],
        ],
      );
    });
  });
}
