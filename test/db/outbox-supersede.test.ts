// A group that flushed several times before its notifications went out (an alert storm with a short
// group_interval, or a receiver that was down) sends its latest state, not every outdated one in
// turn — unless an older one says something the newer does not (a resolved alert that left).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { dialects, openTestStore } from '../support/db.js';
import type { TestStore } from '../support/db.js';
import { startFakeWebhook } from '../support/fake-webhook.js';
import type { FakeWebhook } from '../support/fake-webhook.js';
import { FakeClock } from '../../src/kernel/clock.js';
import { outboxRepo } from '../../src/notify/outbox.js';
import type { DeliveryEngine } from '../../src/notify/delivery/engine.js';
import { testEngine } from '../support/engine.js';
import { receiversFrom } from '../support/receivers.js';
import type { AlertRef, NewNotification } from '../../src/notify/outbox.js';

const firing = (fingerprint: string): AlertRef => ({
  fingerprint,
  status: 'firing',
  startsAt: 0,
  endsAt: null,
});
const resolved = (fingerprint: string): AlertRef => ({
  fingerprint,
  status: 'resolved',
  startsAt: 0,
  endsAt: 1,
});

for (const d of await dialects()) {
  describe(`outbox on ${d.name}`, { skip: d.skip ?? false }, () => {
    let store: TestStore;
    let hook: FakeWebhook;
    let worker: DeliveryEngine;
    const clock = new FakeClock();
    const note = (id: string, groupKey: string, alerts: AlertRef[]): NewNotification => ({
      id,
      groupKey,
      receiver: 'team',
      integration: 'webhook/0',
      content: { receiver: 'team', groupKey, groupLabels: {}, externalUrl: 'http://wp', alerts },
    });
    const enqueue = async (n: NewNotification) => {
      await outboxRepo.enqueue(store.database.db, [n], clock.now());
      clock.advance(1000);
    };
    const statuses = async () =>
      Object.fromEntries(
        (await store.database.db.selectFrom('notifications').select(['id', 'status']).execute()).map((r) => [
          r.id,
          r.status,
        ]),
      );

    before(async () => {
      store = await openTestStore(d.name);
      hook = await startFakeWebhook();
      worker = testEngine(
        store,
        clock,
        receiversFrom([{ name: 'team', webhook_configs: [{ url: hook.url }] }]),
      );
    });
    after(async () => {
      await hook?.close();
      await store?.cleanup();
    });

    test('only the newest of a group’s pending notifications is sent when it lists all the older ones’ alerts', async () => {
      await enqueue(note('g1-1', 'g1', [firing('a')]));
      await enqueue(note('g1-2', 'g1', [firing('a'), firing('b')]));
      await enqueue(note('g1-3', 'g1', [firing('a'), firing('b'), firing('c')]));
      // Another group is never covered by g1's notifications.
      await enqueue(note('g2-1', 'g2', [firing('a')]));
      await worker.drain();
      assert.deepEqual(await statuses(), {
        'g1-1': 'superseded',
        'g1-2': 'superseded',
        'g1-3': 'delivered',
        'g2-1': 'delivered',
      });
      const sent = hook.requests.map(
        (r) => (r.body as { alerts: { labels: { alertname: string } }[] }).alerts,
      );
      assert.deepEqual(sent.map((alerts) => alerts.map((a) => a.labels.alertname).sort()).sort(), [
        ['a'],
        ['a', 'b', 'c'],
      ]);
    });

    test('a notification telling of an alert the newer one no longer lists is still sent', async () => {
      const before = hook.requests.length;
      await enqueue(note('g3-1', 'g3', [firing('a'), resolved('x')]));
      await enqueue(note('g3-2', 'g3', [firing('a')]));
      await worker.drain();
      const s = await statuses();
      assert.equal(s['g3-1'], 'delivered', 'x resolved: only the older notification says so');
      assert.equal(s['g3-2'], 'delivered');
      assert.equal(hook.requests.length, before + 2);
    });
  });
}
