// Acknowledging an alert group from the notification's signed link or the API: the reminders
// (repeat_interval) stop while only the acknowledged alerts fire; a new alert is still news, and the
// alert's detail says who acknowledged it.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setupAdmin, startTestApp } from '../support/app.js';
import type { TestApp } from '../support/app.js';
import { startFakeDingtalk } from '../support/fakes/dingtalk.js';
import type { FakeDingtalk } from '../support/fakes/dingtalk.js';

const H = 3_600_000;
const config = (ding: string) => `
route:
  receiver: ops
  group_by: [alertname]
  group_wait: 0s
  group_interval: 1m
  repeat_interval: 1h
receivers:
  - name: ops
    language: en
    dingtalk_configs: [{ url: '${ding}' }]
`;

describe('acknowledging an alert group', () => {
  let t: TestApp;
  let ding: FakeDingtalk;
  let admin: Awaited<ReturnType<typeof setupAdmin>>;
  const fire = (store: string) =>
    admin.req('POST', '/api/v2/alerts', [
      {
        labels: { alertname: 'InventorySyncLag', store, severity: 'P2' },
        endsAt: new Date(t.clock.now() + 10 * H).toISOString(),
      },
    ]);
  const tick = async (ms: number) => {
    t.clock.advance(ms);
    await t.app.dispatcher.flushDue();
    await t.app.outbox.drain();
  };
  const link = (text: string, label: string) =>
    new URL(new RegExp(`\\[${label}\\]\\((http://[^)]+)\\)`).exec(text)?.[1] ?? 'http://x/none').pathname;
  const form = { 'content-type': 'application/x-www-form-urlencoded' };

  before(async () => {
    ding = await startFakeDingtalk({ clock: { now: () => t.clock.now() }, accessToken: 'tok' });
    t = await startTestApp({ configYaml: config(ding.url) });
    admin = await setupAdmin(t);
  });
  after(async () => {
    await t?.close();
    await ding?.close();
  });

  test('the link asks first, then acknowledges: no repeat until another alert fires', async () => {
    await fire('MY-1');
    await tick(0);
    assert.equal(ding.messages.length, 1);
    const ack = link(ding.messages[0]?.text ?? '', 'Acknowledge');
    const page = await t.request({ method: 'GET', url: ack });
    assert.equal(page.status, 200);
    assert.match(page.raw, /Acknowledge this alert group/);
    await tick(H);
    assert.equal(ding.messages.length, 2, 'not acknowledged yet: the hourly reminder goes out');

    const done = await t.request({ method: 'POST', url: ack, payload: '', headers: form });
    assert.equal(done.status, 200, done.raw);
    assert.match(done.raw, /Acknowledged \(1 alerts firing\)/);
    await tick(H);
    await tick(H);
    assert.equal(ding.messages.length, 2, 'no reminders once acknowledged');

    const fp = (await admin.req('GET', '/api/v2/alerts')).body[0].fingerprint as string;
    const detail = (await admin.req('GET', `/api/v1/alerts/${fp}`)).body;
    assert.equal(detail.groups[0].acknowledged.by, 'link (ops)');

    await fire('MY-2');
    await tick(60_000);
    assert.equal(ding.messages.length, 3, 'a new alert in the group is news');
    assert.match(ding.messages[2]?.text ?? '', /MY-2/);
    await tick(H);
    assert.equal(ding.messages.length, 4, 'the new alert was not acknowledged: reminders come back');
  });

  test('the API acknowledges in the user’s name; a resolved group cannot be acknowledged', async () => {
    const fp = (await admin.req('GET', '/api/v2/alerts')).body[0].fingerprint as string;
    const groupKey = (await admin.req('GET', `/api/v1/alerts/${fp}`)).body.groups[0].groupKey as string;
    const r = await admin.req('POST', '/api/v1/alert-groups/acknowledge', { groupKey });
    assert.equal(r.status, 200, r.raw);
    assert.deepEqual([r.body.acknowledgedBy, r.body.firing], ['admin', 2]);
    const before = ding.messages.length;
    await tick(H);
    assert.equal(ding.messages.length, before);
    const gone = await admin.req('POST', '/api/v1/alert-groups/acknowledge', {
      groupKey: '{}:{alertname="Nope"}',
    });
    assert.equal(gone.status, 404);
    assert.match(gone.body.error.message, /no longer exists/);
  });
});
