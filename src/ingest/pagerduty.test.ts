import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fingerprint } from '../kernel/labels.js';
import { OPEN_UNTIL_RESOLVED } from './model.js';
import type { KeyState, PdEvent } from './pagerduty.js';
import { decide, fieldName, parseEvent } from './pagerduty.js';

const NOW = Date.parse('2026-11-26T08:00:00Z');

const valid = (body: unknown): PdEvent => {
  const r = parseEvent(body);
  assert.ok(r.event, JSON.stringify(r.problems));
  return r.event;
};

const trigger = (payload: Record<string, unknown> = {}, over: Record<string, unknown> = {}) =>
  valid({
    event_action: 'trigger',
    dedup_key: 'k1',
    payload: { summary: 'disk full', source: 'db-1', severity: 'warning', ...payload },
    ...over,
  });

test('fieldName writes JSON pointers as PagerDuty names fields', () => {
  assert.equal(fieldName('/payload/severity'), 'payload.severity');
  assert.equal(fieldName('/links/0/href'), 'links[0].href');
  assert.equal(fieldName('/'), 'event');
});

test('parseEvent accepts PagerDuty’s documented example and keeps its fields', () => {
  const ev = valid({
    payload: {
      summary: 'DISK at 99% on machine prod-datapipe03.example.com',
      timestamp: '2015-07-17T08:42:58.315+0000',
      severity: 'critical',
      source: 'prod-datapipe03.example.com',
      component: 'mysql',
      group: 'prod-datapipe',
      class: 'disk',
      custom_details: { free_space: '1%', ping_time: '1500ms', load_avg: 0.75 },
    },
    routing_key: 'samplekeyhere',
    dedup_key: 'samplekeyhere',
    images: [
      {
        src: 'https://chart.googleapis.com/chart?chs=600x400',
        href: 'https://example.com/',
        alt: 'An example link',
      },
    ],
    links: [{ href: 'https://example.com/', text: 'This is a link' }],
    event_action: 'trigger',
    client: 'Sample Monitoring Service',
    client_url: 'https://monitoring.example.com',
  });
  assert.equal(ev.action, 'trigger');
  assert.equal(ev.payload?.timestamp, Date.parse('2015-07-17T08:42:58.315Z'));
  assert.equal(ev.links[0]?.text, 'This is a link');
  assert.equal(ev.images[0]?.alt, 'An example link');
});

test('parseEvent lists every problem with its field, and ignores a payload on resolve', () => {
  const r = parseEvent({
    event_action: 'trigger',
    payload: { severity: 'Critical', source: 5 },
    images: [{}],
  });
  assert.deepEqual(r.problems, [
    { path: '/payload/summary', message: 'is required' },
    { path: '/payload/source', message: 'must be a non-empty string' },
    { path: '/payload/severity', message: 'must be one of critical, error, warning, info' },
    { path: '/images/0/src', message: 'is required (a string)' },
  ]);
  assert.ok(parseEvent({ event_action: 'resolve', dedup_key: 'k', payload: 'ignored' }).event);
  assert.deepEqual(parseEvent({ event_action: 'acknowledge', dedup_key: '' }).problems, [
    { path: '/dedup_key', message: 'must not be empty: leave it out to have one generated' },
  ]);
});

test('a long summary is cut at 1024 characters, as PagerDuty does', () => {
  assert.equal(trigger({ summary: 'x'.repeat(2000) }).payload?.summary.length, 1024);
});

test('a first trigger opens an alert that fires until resolved, labelled for routing', () => {
  const d = decide(trigger({ class: 'disk', component: 'mysql' }), 'k1', null, NOW, 'me');
  assert.deepEqual(d.problems, []);
  assert.deepEqual(d.alert?.labels, {
    alertname: 'disk',
    dedup_key: 'k1',
    severity: 'warning',
    source: 'db-1',
    component: 'mysql',
  });
  assert.equal(d.alert?.startsAt, NOW);
  assert.equal(d.alert?.endsAt, OPEN_UNTIL_RESOLVED);
  assert.equal(d.next?.fingerprint, fingerprint(d.alert?.labels ?? {}));
  assert.equal(d.next?.status, 'open');
});

test('the event timestamp starts the alert, but never in the future', () => {
  const past = trigger({ timestamp: '2026-11-26T07:55:00Z' });
  assert.equal(decide(past, 'k1', null, NOW, 'me').alert?.startsAt, NOW - 5 * 60_000);
  const future = trigger({ timestamp: '2026-11-26T09:00:00Z' });
  assert.equal(decide(future, 'k1', null, NOW, 'me').alert?.startsAt, NOW);
});

const open = (): KeyState => {
  const d = decide(trigger({ class: 'disk' }), 'k1', null, NOW - 60_000, 'me');
  assert.ok(d.next);
  return d.next;
};

test('a trigger on an open key keeps its labels and start, refreshes annotations, keeps the acknowledgement', () => {
  const acked = decide(
    valid({ event_action: 'acknowledge', dedup_key: 'k1' }),
    'k1',
    open(),
    NOW - 30_000,
    'ops/pd',
  );
  assert.ok(acked.next);
  const d = decide(
    trigger({ class: 'other', severity: 'critical', summary: 'worse' }),
    'k1',
    acked.next,
    NOW,
    'me',
  );
  assert.equal(d.alert?.labels.alertname, 'disk');
  assert.equal(d.alert?.labels.severity, 'warning');
  assert.equal(d.alert?.startsAt, NOW - 60_000);
  assert.equal(d.alert?.annotations?.summary, 'worse');
  assert.equal(d.alert?.annotations?.acknowledged_by, 'ops/pd');
  assert.equal(d.alert?.annotations?.acknowledged_at, new Date(NOW - 30_000).toISOString());
});

test('resolve ends the alert now; a later trigger starts after that end, so it is a new episode', () => {
  const r = decide(valid({ event_action: 'resolve', dedup_key: 'k1' }), 'k1', open(), NOW, 'me');
  assert.equal(r.alert?.endsAt, NOW);
  assert.equal(r.next?.status, 'resolved');
  assert.ok(r.next);
  const again = decide(trigger({ timestamp: '2026-11-26T07:00:00Z' }), 'k1', r.next, NOW, 'me');
  assert.equal(again.alert?.startsAt, NOW + 1, 'starts after the previous end even with an old timestamp');
  assert.equal(again.next?.status, 'open');
  assert.equal(again.alert?.annotations?.acknowledged_at, undefined);
});

test('acknowledging an unknown or resolved key, or resolving an unknown one, changes nothing', () => {
  const ack = valid({ event_action: 'acknowledge', dedup_key: 'k1' });
  assert.deepEqual(decide(ack, 'k1', null, NOW, 'me'), { next: null, alert: null, problems: [] });
  const resolved = decide(valid({ event_action: 'resolve', dedup_key: 'k1' }), 'k1', open(), NOW, 'me').next;
  assert.equal(decide(ack, 'k1', resolved, NOW + 1, 'me').alert, null);
  assert.equal(
    decide(valid({ event_action: 'resolve', dedup_key: 'k1' }), 'k1', null, NOW, 'me').alert,
    null,
  );
});

test('custom_details too large for an annotation is a problem naming payload.custom_details', () => {
  const d = decide(trigger({ custom_details: { blob: 'x'.repeat(20_000) } }), 'k1', null, NOW, 'me');
  assert.equal(d.next, null);
  assert.deepEqual(d.problems, [
    { path: '/payload/custom_details', message: 'value is longer than 16384 bytes' },
  ]);
});
