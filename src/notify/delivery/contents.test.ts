import assert from 'node:assert/strict';
import { test } from 'node:test';
import { receiversFrom } from '../../../test/support/receivers.js';
import type { AlertDetails, NotificationRow } from '../outbox.js';
import { Contents } from './contents.js';
import type { Item } from './contents.js';

const [receiver] = receiversFrom([{ name: 'team', webhook_configs: [{ url: 'http://127.0.0.1:1/' }] }]);

const row = (id: string): NotificationRow => ({
  id,
  groupKey: '{}:{alertname="A"}',
  receiver: 'team',
  integration: receiver!.channels[0]!.id,
  content: {
    receiver: 'team',
    groupKey: '{}:{alertname="A"}',
    groupLabels: { alertname: 'A' },
    externalUrl: 'http://watchpost',
    alerts: [{ fingerprint: 'f1', status: 'firing', startsAt: 1_000, endsAt: null }],
  },
  status: 'pending',
  attempts: 0,
  createdAt: 1_000,
  nextAttemptAt: 61_000,
});

/** The alert store as delivery reads it, with the summary it holds now and how often it was read. */
const store = () => {
  const s = { summary: 'first', reads: 0 };
  const details: AlertDetails = (fps) => {
    s.reads++;
    return Promise.resolve(
      new Map(
        fps.map((fp) => [
          fp,
          { labels: { alertname: 'A' }, annotations: { summary: s.summary }, generatorUrl: '' },
        ]),
      ),
    );
  };
  return { s, details };
};

const item = (id: string, decl = receiver!.channels[0]!): Item => ({ n: row(id), receiver: receiver!, decl });

const summaryOf = async (c: Contents, i: Item) => {
  const p = await c.prepare(i);
  assert.ok('content' in p);
  return p.content.alerts[0]?.annotations.summary;
};

test('what was read ahead is sent once, with the webhook payload built; afterwards it is read again', async () => {
  const { s, details } = store();
  const c = new Contents(details);
  c.expect([item('n1')]);
  assert.equal(s.reads, 1, 'read during the wait');
  s.summary = 'changed later';
  const p = await c.prepare(item('n1'));
  assert.equal(s.reads, 1, 'not read again when taken');
  assert.ok('payload' in p && p.payload);
  assert.equal(p.payload.alerts[0]?.annotations.summary, 'first');
  assert.equal(await summaryOf(c, item('n1')), 'changed later', 'a later attempt reads the alerts again');
  assert.equal(s.reads, 2);
});

test('what was read ahead is not used for another channel, after forget, or after the flush rolled back', async () => {
  const { s, details } = store();
  const c = new Contents(details);
  c.expect([item('n1')]);
  s.summary = 'now';
  // A reload built new channel declarations: the notification is read for the one in force.
  const [reloaded] = receiversFrom([{ name: 'team', webhook_configs: [{ url: 'http://127.0.0.1:1/' }] }]);
  assert.equal(await summaryOf(c, item('n1', reloaded!.channels[0])), 'now');
  c.expect([item('n2')]);
  c.forget(['n2']);
  assert.equal(await summaryOf(c, item('n2')), 'now');
  c.expect([item('n3')]);
  c.expect([]); // rolled back
  assert.equal(await summaryOf(c, item('n3')), 'now');
});

test('a read ahead that fails is reported to the sender that takes it, not as an unhandled rejection', async () => {
  let fail = true;
  const c = new Contents(() =>
    fail ? Promise.reject(new Error('database closed')) : Promise.resolve(new Map()),
  );
  c.expect([item('n1')]);
  await new Promise((r) => setImmediate(r));
  fail = false;
  await assert.rejects(c.prepare(item('n1')), /database closed/);
});
