import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HttpClient } from '../http-client.js';
import { FakeClock } from '../../kernel/clock.js';
import type { DeliveryOutcome } from './channel.js';
import {
  buildPagerDutyEvent,
  interpretPagerDutyAnswer,
  pagerDutyChannel,
  pagerDutyDedupKey,
} from './pagerduty.js';
import {
  eventErrors,
  PAGERDUTY_FAKE_KEY,
  startFakePagerDuty,
} from '../../../test/support/fakes/pagerduty.js';
import type { FakePagerDuty } from '../../../test/support/fakes/pagerduty.js';
import { channelTestClient, sampleMessage } from '../../../test/support/fakes/message.js';
import { utf8Bytes } from '../../kernel/text.js';

const { ctxAt } = channelTestClient();
const noKey = (o: DeliveryOutcome, key = PAGERDUTY_FAKE_KEY) =>
  assert.ok(!o.message.includes(key), `leaked: ${o.message}`);
const GROUP = '{}:{alertname="OrderSyncStalled"}';
const start = async (
  t: { after(fn: () => Promise<void>): void },
  clock: FakeClock,
): Promise<FakePagerDuty> => {
  const pd = await startFakePagerDuty({ now: () => clock.now() });
  t.after(() => pd.close());
  return pd;
};

describe('pagerduty channel against the fake Events API v2', () => {
  test('firing triggers and resolved resolves the same alert, keyed by the group', async (t) => {
    const clock = new FakeClock('2026-11-26T08:00:00Z');
    const pd = await start(t, clock);
    const cfg = { url: pd.url, routingKey: PAGERDUTY_FAKE_KEY, source: 'shop-ops', component: 'order-sync' };
    const firing = sampleMessage({ severity: 'P0', idempotencyKey: `${GROUP}#n-41:0` });
    const o = await pagerDutyChannel.send(cfg, firing, ctxAt(clock));
    assert.deepEqual(
      { ok: o.ok, retryable: o.retryable, status: o.status, code: o.providerCode, message: o.message },
      {
        ok: true,
        retryable: false,
        status: 202,
        code: 'success',
        message: 'pagerduty accepted the event: 202 Event processed',
      },
    );
    const [trigger] = pd.events;
    assert.deepEqual(
      {
        action: trigger?.event_action,
        dedup: trigger?.dedup_key,
        summary: trigger?.payload.summary,
        source: trigger?.payload.source,
        severity: trigger?.payload.severity,
        component: trigger?.payload.component,
        timestamp: trigger?.payload.timestamp,
        links: trigger?.links,
        client_url: trigger?.client_url,
      },
      {
        action: 'trigger',
        dedup: GROUP,
        summary: firing.title,
        source: 'shop-ops',
        severity: 'critical',
        component: 'order-sync',
        timestamp: '2026-11-26T08:00:00.000Z',
        links: firing.links.map((l) => ({ href: l.url, text: l.label })),
        client_url: firing.detailUrl,
      },
    );
    assert.equal(pd.alerts.get(GROUP), 'triggered');

    clock.advance(60_000);
    const resolved = await pagerDutyChannel.send(
      cfg,
      { ...firing, status: 'resolved', idempotencyKey: `${GROUP}#n-42:0` },
      ctxAt(clock),
    );
    assert.equal(resolved.ok, true, resolved.message);
    assert.deepEqual(pd.events[1], {
      routing_key: PAGERDUTY_FAKE_KEY,
      event_action: 'resolve',
      dedup_key: GROUP,
    });
    assert.equal(pd.alerts.get(GROUP), 'resolved');
  });

  test('severities map P0..P3 and unknown to critical; a long summary is cut to 1,024 characters', () => {
    const cfg = { routingKey: PAGERDUTY_FAKE_KEY };
    const sev = (severity: 'P0' | 'P1' | 'P2' | 'P3' | null) =>
      buildPagerDutyEvent(cfg, sampleMessage({ severity }), 0).payload?.severity;
    assert.deepEqual(
      [sev('P0'), sev('P1'), sev('P2'), sev('P3'), sev(null)],
      ['critical', 'error', 'warning', 'info', 'critical'],
    );
    const long = buildPagerDutyEvent(cfg, sampleMessage({ title: '订'.repeat(2000) }), 0);
    assert.equal(long.payload?.summary.length, 1024);
    assert.ok(long.payload?.summary.endsWith('…'));
    const big = buildPagerDutyEvent(cfg, sampleMessage({ text: '订单'.repeat(100_000) }), 0);
    const body = big.payload?.custom_details.body as string;
    assert.ok(
      utf8Bytes(body) <= 256 * 1024 &&
        body.endsWith('…（内容过长已截断，详见 https://watchpost.example.com/alerts/42）'),
    );
    assert.equal(pagerDutyDedupKey('no-separator'), 'no-separator');
    assert.match(pagerDutyDedupKey('x'.repeat(300) + '#n'), /^watchpost-[0-9a-f]{64}$/);
  });

  test('an over-long message still arrives: the fake accepts the truncated event', async (t) => {
    const clock = new FakeClock();
    const pd = await start(t, clock);
    const msg = sampleMessage({ title: 'T'.repeat(5000), text: '订单😀'.repeat(200_000) });
    const o = await pagerDutyChannel.send({ url: pd.url, routingKey: PAGERDUTY_FAKE_KEY }, msg, ctxAt(clock));
    assert.equal(o.ok, true, o.message);
    assert.ok((pd.exchanges[0]?.rawBody.length ?? 0) < 512 * 1024);
  });

  test('a wrong routing key is permanent with PagerDuty’s errors, and the key is not shown', async (t) => {
    const clock = new FakeClock();
    const pd = await start(t, clock);
    const short = await pagerDutyChannel.send(
      { url: pd.url, routingKey: 'short-key' },
      sampleMessage(),
      ctxAt(clock),
    );
    assert.deepEqual(
      {
        ok: short.ok,
        retryable: short.retryable,
        status: short.status,
        code: short.providerCode,
        message: short.message,
      },
      {
        ok: false,
        retryable: false,
        status: 400,
        code: 'invalid event',
        message:
          "pagerduty refused the event: 400 Event object is invalid: Length of 'routing_key' is incorrect (should be 32 characters)",
      },
    );
    const unknown = 'ffffffffffffffffffffffffffffffff';
    const o = await pagerDutyChannel.send(
      { url: pd.url, routingKey: unknown },
      sampleMessage(),
      ctxAt(clock),
    );
    assert.equal(o.message, 'pagerduty refused the event: 400 Event object is invalid: Invalid routing key');
    noKey(o, unknown);
  });

  test('more than 120 events a minute is throttled (retryable); 5xx retryable; unreachable retryable', async (t) => {
    const clock = new FakeClock();
    const pd = await start(t, clock);
    const cfg = { url: pd.url, routingKey: PAGERDUTY_FAKE_KEY };
    for (let i = 0; i < 120; i++) {
      const ok = await pagerDutyChannel.send(cfg, sampleMessage({ idempotencyKey: `g${i}#n` }), ctxAt(clock));
      assert.equal(ok.ok, true, ok.message);
      clock.advance(100);
    }
    const over = await pagerDutyChannel.send(cfg, sampleMessage(), ctxAt(clock));
    assert.deepEqual(
      [over.ok, over.retryable, over.status, over.providerCode],
      [false, true, 429, 'throttle event'],
    );
    assert.match(
      over.message,
      /^pagerduty is throttling this routing key: 429 Requests for this service are arriving too quickly/,
    );
    clock.advance(60_000);
    pd.respondWith(503, { status: 'unavailable', message: 'Service Unavailable' });
    const outage = await pagerDutyChannel.send(cfg, sampleMessage(), ctxAt(clock));
    assert.deepEqual(
      [outage.retryable, outage.status, outage.message],
      [true, 503, 'pagerduty failed to take the event: 503 Service Unavailable'],
    );

    await pd.close();
    const fresh = new HttpClient();
    t.after(() => fresh.close());
    const down = await pagerDutyChannel.send(cfg, sampleMessage(), ctxAt(clock, fresh));
    assert.deepEqual([down.ok, down.retryable, down.status], [false, true, null]);
    assert.match(down.message, /^pagerduty: could not reach PagerDuty: .*ECONNREFUSED/);
    noKey(down);
  });

  test('a 2xx without status "success" is not a success', () => {
    const i = interpretPagerDutyAnswer(200, {}, '<html>proxy login</html>', 0);
    assert.deepEqual([i.ok, i.retryable], [false, false]);
    assert.match(i.message, /did not confirm the event/);
  });
});

describe('the fake validates events as PagerDuty does', () => {
  test("the documentation's example trigger is valid; broken fields are each named", () => {
    const example = {
      routing_key: 'samplekeyhere0123456789abcdefghi',
      event_action: 'trigger',
      dedup_key: 'samplekeyhere',
      payload: {
        summary: 'Example alert on host1.example.com',
        timestamp: '2015-07-17T08:42:58.315+0000',
        source: 'monitoringtool:cloudvendor:central-region-dc-01:852559987:cluster/api-stats-prod-003',
        severity: 'info',
        component: 'postgres',
        group: 'prod-datapipe',
        class: 'deploy',
        custom_details: { 'ping time': '1500ms', 'load avg': 0.75 },
      },
      links: [{ href: 'https://example.com/', text: 'Link text' }],
    };
    assert.equal(example.routing_key.length, 32);
    assert.deepEqual(eventErrors(example), []);
    assert.deepEqual(
      eventErrors({ ...example, payload: { ...example.payload, severity: 'P1', summary: '' } }),
      [
        "'payload.summary' is missing or blank",
        "'payload.severity' is invalid (must be one of the following: 'critical', 'warning', 'error' or 'info')",
      ],
    );
    assert.deepEqual(eventErrors({ routing_key: example.routing_key, event_action: 'resolve' }), [
      "'dedup_key' is missing or blank",
    ]);
    assert.deepEqual(eventErrors({ ...example, event_action: 'close' }), [
      "'event_action' is invalid (must be one of the following: 'trigger', 'acknowledge' or 'resolve')",
    ]);
  });
});
