// The dispatcher's own timer (not a test calling flushDue): the groups due at a timer's time are
// read while the timer waits for it (Pump.beforeDue). Whether a group was created before or after
// that read, it is flushed once its time has come, once. (Each flush checks its group's time again
// under the lock, and the pass reads what is due after flushing what it read ahead.)
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../support/db.js';
import { setupAdmin, startTestApp } from '../support/app.js';
import type { TestApp } from '../support/app.js';
import { startFakeWebhook } from '../support/fake-webhook.js';
import type { FakeWebhook } from '../support/fake-webhook.js';

const GROUP_WAIT_MS = 50;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const config = (hook: string) => `
route:
  receiver: team
  group_by: [alertname]
  group_wait: ${GROUP_WAIT_MS}ms
  group_interval: 5m
  repeat_interval: 4h
receivers:
  - name: team
    webhook_configs: [{ url: '${hook}' }]
`;

for (const d of await dialects()) {
  describe(`the flush timer on ${d.name}`, { skip: d.skip ?? false }, () => {
    let t: TestApp;
    let hook: FakeWebhook;
    let ingest: Record<string, string>;
    const fire = (alertname: string) =>
      t.request({
        method: 'POST',
        url: '/api/v2/alerts',
        body: [{ labels: { alertname } }],
        headers: ingest,
      });

    before(async () => {
      hook = await startFakeWebhook();
      t = await startTestApp({ dialect: d.name, configYaml: config(hook.url) });
      const admin = await setupAdmin(t);
      ingest = {
        authorization: `Bearer ${(await admin.req('POST', '/api/v1/tokens', { name: 'i', scopes: ['ingest'] })).body.token as string}`,
      };
      t.app.dispatcher.start();
      t.app.outbox.start();
    });
    after(async () => {
      await t?.close();
      await hook?.close();
    });

    test('groups read ahead of their time and groups that fell due since are flushed at that time, each once', async () => {
      assert.equal((await fire('ReadAhead')).status, 200);
      // The timer for group_wait fires (real time) while the test's clock has not got there: the
      // groups due then are read ahead, and the flush waits for the clock.
      await sleep(GROUP_WAIT_MS + 30);
      assert.equal(hook.requests.length, 0, 'nothing before the clock reaches group_wait');
      // A group created after that read, due at the same time.
      assert.equal((await fire('JoinedLater')).status, 200);
      await sleep(10);
      assert.equal(hook.requests.length, 0);
      t.clock.advance(GROUP_WAIT_MS);
      const got = await hook.waitFor(2, 5_000);
      await sleep(2 * GROUP_WAIT_MS + 50); // time for a second, wrong, notification of either group
      assert.equal(hook.requests.length, 2, 'one notification per group');
      assert.deepEqual(
        got.map((r) => (r.body as { groupLabels: { alertname: string } }).groupLabels.alertname).sort(),
        ['JoinedLater', 'ReadAhead'],
      );
    });
  });
}
