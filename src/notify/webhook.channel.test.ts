import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HttpClient } from './http-client.js';
import { buildWebhookPayload } from './payload.js';
import { sendWebhook, signWebhook, verifyWebhookSignature } from './webhook.channel.js';
import type { DeliveryOutcome } from './webhook.channel.js';
import { startFakeWebhook } from '../../test/support/fake-webhook.js';
import type { FakeWebhook } from '../../test/support/fake-webhook.js';

const NOW = Date.parse('2026-11-26T08:00:00Z');
const SECRETS = { bearer: 'bearer-T0KEN-abc', password: 'pa55-w0rd!', signing: 'whsec_sign1ng' };

const payload = buildWebhookPayload(
  {
    receiver: 'shop-ops',
    groupKey: '{}:{alertname="OrderSyncStalled"}',
    groupLabels: { alertname: 'OrderSyncStalled' },
    externalUrl: 'https://watchpost.example.com',
    alerts: [
      {
        fingerprint: 'd2ece51fe95ba900',
        labels: { alertname: 'OrderSyncStalled', platform: 'shopee', store: 'MY-1', severity: 'P1' },
        annotations: { summary: '订单同步停止 — MY-1' },
        startsAt: NOW - 60_000,
        endsAt: null,
        generatorUrl: 'https://watchpost.example.com/rules/7',
        status: 'firing',
      },
    ],
  },
  { maxAlerts: 0 },
);

const assertNoSecrets = (o: DeliveryOutcome, secrets: string[]) => {
  for (const s of secrets) {
    assert.ok(!o.message.includes(s), `secret ${s} leaked: ${o.message}`);
  }
  assert.ok(o.message.length <= 500);
};

describe('sendWebhook', () => {
  const client = new HttpClient();
  let hook: FakeWebhook;

  beforeEach(async () => {
    hook = await startFakeWebhook();
  });
  after(async () => {
    await client.close();
  });
  const done = async () => hook.close();

  test('the payload arrives intact as JSON with the user-agent', async (t) => {
    t.after(done);
    const o = await sendWebhook(client, { url: hook.url, version: '1.2.3' }, payload, NOW);
    assert.deepEqual(
      { ok: o.ok, retryable: o.retryable, status: o.status, providerCode: o.providerCode },
      { ok: true, retryable: false, status: 200, providerCode: null },
    );
    const [req] = await hook.waitFor(1);
    assert.equal(req?.method, 'POST');
    assert.equal(req?.path, '/hook');
    assert.equal(req?.headers['content-type'], 'application/json');
    assert.equal(req?.headers['user-agent'], 'Watchpost/1.2.3');
    assert.equal(req?.headers.authorization, undefined);
    assert.deepEqual(req?.body, payload);
  });

  test("the user-agent says 'dev' when no version is given", async (t) => {
    t.after(done);
    await sendWebhook(client, { url: hook.url }, payload, NOW);
    const [req] = await hook.waitFor(1);
    assert.equal(req?.headers['user-agent'], 'Watchpost/dev');
  });

  test('a bearer token goes in the Authorization header', async (t) => {
    t.after(done);
    const o = await sendWebhook(client, { url: hook.url, bearerToken: SECRETS.bearer }, payload, NOW);
    assert.equal(o.ok, true);
    const [req] = await hook.waitFor(1);
    assert.equal(req?.headers.authorization, `Bearer ${SECRETS.bearer}`);
  });

  test('basic auth goes in the Authorization header', async (t) => {
    t.after(done);
    await sendWebhook(
      client,
      { url: hook.url, basicAuth: { username: 'ops', password: SECRETS.password } },
      {},
      NOW,
    );
    const [req] = await hook.waitFor(1);
    const expected = Buffer.from(`ops:${SECRETS.password}`).toString('base64');
    assert.equal(req?.headers.authorization, `Basic ${expected}`);
  });

  test('a 500 is retryable and says what the receiver answered', async (t) => {
    t.after(done);
    hook.respondWith(500, { error: 'database is down' });
    const o = await sendWebhook(client, { url: hook.url }, payload, NOW);
    assert.equal(o.ok, false);
    assert.equal(o.retryable, true);
    assert.equal(o.status, 500);
    assert.equal(o.message, 'the receiver failed to take the notification: 500 {"error":"database is down"}');
  });

  test('408 and 429 are retryable', async (t) => {
    t.after(done);
    hook.respondWith(408, 'slow');
    hook.respondWith(429, 'too many');
    const a = await sendWebhook(client, { url: hook.url }, payload, NOW);
    const b = await sendWebhook(client, { url: hook.url }, payload, NOW);
    assert.deepEqual([a.status, a.retryable, b.status, b.retryable], [408, true, 429, true]);
    assert.match(b.message, /throttling: 429 too many/);
  });

  test('a 400 is not retryable and quotes the start of the body', async (t) => {
    t.after(done);
    hook.respondWith(400, `invalid payload:\n  missing field "text"\n${'x'.repeat(1000)}`);
    const o = await sendWebhook(client, { url: hook.url }, payload, NOW);
    assert.equal(o.ok, false);
    assert.equal(o.retryable, false);
    assert.equal(o.status, 400);
    assert.ok(
      o.message.startsWith(
        'the receiver refused the notification: 400 invalid payload: missing field "text" xxx',
      ),
      o.message,
    );
    assert.ok(o.message.endsWith('…'));
    assert.ok(o.message.length <= 500);
  });

  test('a 3xx is not followed and not retryable', async (t) => {
    t.after(done);
    hook.respondWith(301, '');
    const o = await sendWebhook(client, { url: hook.url }, payload, NOW);
    assert.deepEqual([o.ok, o.retryable, o.status], [false, false, 301]);
    assert.match(o.message, /redirects are not followed/);
    assert.equal(hook.requests.length, 1);
  });

  test('a receiver that does not answer in time is a retryable timeout', async (t) => {
    t.after(done);
    hook.hang();
    const o = await sendWebhook(client, { url: hook.url, timeoutMs: 200 }, payload, NOW);
    assert.deepEqual([o.ok, o.retryable, o.status], [false, true, null]);
    assert.equal(o.message, 'could not reach the receiver: no answer within 200 ms');
  });

  test('an unreachable receiver is retryable; an unusable URL is not', async (t) => {
    t.after(done);
    const closed = await startFakeWebhook();
    await closed.close();
    const refused = await sendWebhook(client, { url: closed.url }, payload, NOW);
    assert.deepEqual([refused.ok, refused.retryable], [false, true]);
    assert.match(refused.message, /^could not reach the receiver: connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
    const bad = await sendWebhook(client, { url: 'hooks.example.com/x' }, payload, NOW);
    assert.deepEqual([bad.ok, bad.retryable], [false, false]);
    assert.match(bad.message, /the webhook URL is not usable/);
  });

  test('secrets never appear in the message, even when the receiver echoes them', async (t) => {
    t.after(done);
    const basic = Buffer.from(`ops:${SECRETS.password}`).toString('base64');
    hook.respondWith(
      403,
      `denied: Bearer ${SECRETS.bearer} / ${SECRETS.signing} / ${encodeURIComponent(SECRETS.bearer)}`,
    );
    hook.respondWith(503, `retry: Basic ${basic} (${SECRETS.password})`);
    const cfg = {
      url: `${hook.url}?token=${SECRETS.bearer}`,
      bearerToken: SECRETS.bearer,
      signingSecret: SECRETS.signing,
    };
    const a = await sendWebhook(client, cfg, payload, NOW);
    assert.equal(a.status, 403);
    assertNoSecrets(a, [SECRETS.bearer, SECRETS.signing]);
    assert.equal(a.message, 'the receiver refused the notification: 403 denied: Bearer *** / *** / ***');
    const b = await sendWebhook(
      client,
      { url: hook.url, basicAuth: { username: 'ops', password: SECRETS.password } },
      payload,
      NOW,
    );
    assert.equal(b.status, 503);
    assertNoSecrets(b, [SECRETS.password, basic]);
    assert.equal(b.message, 'the receiver failed to take the notification: 503 retry: Basic *** (***)');
  });

  test('a payload that is not JSON is refused without a request', async (t) => {
    t.after(done);
    const o = await sendWebhook(client, { url: hook.url }, { n: 1n }, NOW);
    assert.deepEqual([o.ok, o.retryable, o.status], [false, false, null]);
    assert.match(o.message, /cannot be written as JSON/);
    assert.equal(hook.requests.length, 0);
  });
});

describe('webhook signing', () => {
  const client = new HttpClient();
  let hook: FakeWebhook;
  before(async () => {
    hook = await startFakeWebhook({ signingSecret: SECRETS.signing, now: () => NOW });
  });
  after(async () => {
    await client.close();
    await hook.close();
  });

  test('a signed request verifies at the receiver; a tampered body does not', async () => {
    const o = await sendWebhook(
      client,
      { url: hook.url, signingSecret: SECRETS.signing },
      payload,
      NOW + 999,
    );
    assert.equal(o.ok, true, o.message);
    const [req] = await hook.waitFor(1);
    assert.ok(req);
    assert.equal(req.signature, 'valid');
    const ts = req.headers['x-watchpost-timestamp'] ?? '';
    const sig = req.headers['x-watchpost-signature'] ?? '';
    assert.equal(ts, String(NOW / 1000));
    assert.match(sig, /^sha256=[0-9a-f]{64}$/);
    assert.equal(verifyWebhookSignature(SECRETS.signing, ts, req.rawBody, sig), true);
    assert.equal(
      verifyWebhookSignature(SECRETS.signing, ts, req.rawBody.replace('MY-1', 'MY-2'), sig),
      false,
    );
    assert.equal(verifyWebhookSignature(SECRETS.signing, String(Number(ts) + 1), req.rawBody, sig), false);
    assert.equal(verifyWebhookSignature('another secret', ts, req.rawBody, sig), false);
  });

  test('a request signed with the wrong secret is refused by the receiver, not retried', async () => {
    const o = await sendWebhook(client, { url: hook.url, signingSecret: 'wrong-secret' }, payload, NOW);
    assert.deepEqual([o.ok, o.retryable, o.status], [false, false, 401]);
    assert.equal(o.message, 'the receiver refused the notification: 401 {"error":"signature invalid"}');
    assert.equal(hook.requests.at(-1)?.signature, 'invalid');
  });

  test('verification can refuse old timestamps', () => {
    const ts = String(NOW / 1000);
    const sig = signWebhook(SECRETS.signing, ts, '{}');
    assert.equal(verifyWebhookSignature(SECRETS.signing, ts, '{}', sig, { nowMs: NOW + 299_000 }), true);
    assert.equal(verifyWebhookSignature(SECRETS.signing, ts, '{}', sig, { nowMs: NOW + 301_000 }), false);
    assert.equal(verifyWebhookSignature(SECRETS.signing, 'abc', '{}', sig), false);
  });

  test('the signature is HMAC-SHA256 over "timestamp.body" (a known vector)', () => {
    // printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac secret
    assert.equal(
      signWebhook('secret', '1700000000', '{"a":1}'),
      'sha256=49f24e537407743fa4a0242bb63b94b9a47ee99cbbe071ccd8a22550ae411686',
    );
  });
});
