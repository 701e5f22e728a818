import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildWebhookPayload, formatGoTime } from './payload.js';
import type { NotificationContent, NotifiedAlert } from './payload.js';

const T0 = Date.parse('2026-11-26T08:00:00Z');

const alert = (labels: Record<string, string>, more: Partial<NotifiedAlert> = {}): NotifiedAlert => ({
  fingerprint: 'fp-' + Object.values(labels).join('-'),
  labels,
  annotations: {},
  startsAt: T0,
  endsAt: null,
  generatorUrl: '',
  status: 'firing',
  ...more,
});

const content = (alerts: NotifiedAlert[], more: Partial<NotificationContent> = {}): NotificationContent => ({
  receiver: 'shop-ops',
  groupKey: '{}:{alertname="OrderSyncStalled"}',
  groupLabels: { alertname: 'OrderSyncStalled' },
  externalUrl: 'https://watchpost.example.com',
  alerts,
  ...more,
});

describe('buildWebhookPayload', () => {
  test('produces Alertmanager version 4 JSON, field for field and in its key order', () => {
    const payload = buildWebhookPayload(
      content([
        alert(
          { store: 'MY-1', alertname: 'OrderSyncStalled', platform: 'shopee', severity: 'P1' },
          {
            fingerprint: 'd2ece51fe95ba900',
            annotations: { summary: 'Orders from MY-1 stopped syncing', runbook: 'https://wiki/x' },
            startsAt: Date.parse('2026-11-26T08:00:00.123Z'),
            endsAt: Date.parse('2026-11-26T08:05:00Z'),
            generatorUrl: 'https://watchpost.example.com/rules/7',
          },
        ),
        alert(
          { alertname: 'OrderSyncStalled', platform: 'lazada', severity: 'P1', store: 'MY-2' },
          {
            fingerprint: '0123456789abcdef',
            annotations: { summary: 'Orders from MY-2 stopped syncing', runbook: 'https://wiki/x' },
            startsAt: Date.parse('2026-11-26T07:30:00Z'),
            endsAt: Date.parse('2026-11-26T07:58:00.5Z'),
            status: 'resolved',
          },
        ),
      ]),
      { maxAlerts: 0 },
    );

    const expected =
      '{"receiver":"shop-ops","status":"firing","alerts":[' +
      '{"status":"resolved","labels":{"alertname":"OrderSyncStalled","platform":"lazada","severity":"P1","store":"MY-2"},' +
      '"annotations":{"runbook":"https://wiki/x","summary":"Orders from MY-2 stopped syncing"},' +
      '"startsAt":"2026-11-26T07:30:00Z","endsAt":"2026-11-26T07:58:00.5Z","generatorURL":"","fingerprint":"0123456789abcdef"},' +
      '{"status":"firing","labels":{"alertname":"OrderSyncStalled","platform":"shopee","severity":"P1","store":"MY-1"},' +
      '"annotations":{"runbook":"https://wiki/x","summary":"Orders from MY-1 stopped syncing"},' +
      '"startsAt":"2026-11-26T08:00:00.123Z","endsAt":"0001-01-01T00:00:00Z",' +
      '"generatorURL":"https://watchpost.example.com/rules/7","fingerprint":"d2ece51fe95ba900"}],' +
      '"groupLabels":{"alertname":"OrderSyncStalled"},' +
      '"commonLabels":{"alertname":"OrderSyncStalled","severity":"P1"},' +
      '"commonAnnotations":{"runbook":"https://wiki/x"},' +
      '"externalURL":"https://watchpost.example.com",' +
      '"version":"4","groupKey":"{}:{alertname=\\"OrderSyncStalled\\"}","truncatedAlerts":0}';
    assert.equal(JSON.stringify(payload), expected);
  });

  test('all resolved gives status resolved; an empty group has empty common sets', () => {
    const resolved = buildWebhookPayload(
      content([alert({ alertname: 'A' }, { status: 'resolved', endsAt: T0 + 60_000 })]),
      { maxAlerts: 0 },
    );
    assert.equal(resolved.status, 'resolved');
    assert.equal(resolved.alerts[0]?.endsAt, '2026-11-26T08:01:00Z');

    const empty = buildWebhookPayload(content([]), { maxAlerts: 0 });
    assert.deepEqual(
      { status: empty.status, alerts: empty.alerts, cl: empty.commonLabels, ca: empty.commonAnnotations },
      { status: 'resolved', alerts: [], cl: {}, ca: {} },
    );
  });

  test('a firing alert never carries an end, even when one is known', () => {
    const p = buildWebhookPayload(content([alert({ alertname: 'A' }, { endsAt: T0 + 300_000 })]), {
      maxAlerts: 0,
    });
    assert.equal(p.alerts[0]?.endsAt, '0001-01-01T00:00:00Z');
  });

  test('alerts are sorted like Alertmanager: job, then instance, then the label sets', () => {
    const p = buildWebhookPayload(
      content([
        alert({ alertname: 'A', x: '1' }), // no job, no instance, two labels
        alert({ alertname: 'A' }), // no job, no instance, one label
        alert({ alertname: 'A', job: 'web', instance: 'b' }),
        alert({ alertname: 'A', job: 'api', instance: 'z' }),
        alert({ alertname: 'A', job: 'web', instance: 'a' }),
        alert({ alertname: 'A', instance: 'a' }), // no job: after every alert with one
        alert({ alertname: 'B', job: 'web', instance: 'a' }),
      ]),
      { maxAlerts: 0 },
    );
    assert.deepEqual(
      p.alerts.map((a) => a.labels),
      [
        { alertname: 'A', instance: 'z', job: 'api' },
        { alertname: 'A', instance: 'a', job: 'web' },
        { alertname: 'B', instance: 'a', job: 'web' },
        { alertname: 'A', instance: 'b', job: 'web' },
        { alertname: 'A', instance: 'a' },
        { alertname: 'A' },
        { alertname: 'A', x: '1' },
      ],
    );
  });

  test('label values compare by UTF-8 bytes as in Go, not by UTF-16 units', () => {
    // U+FF5E (3 UTF-8 bytes, one UTF-16 unit 0xFF5E) sorts before U+1F600 (4 bytes, surrogates 0xD83D…)
    // in Go; JavaScript's default string order puts the emoji first.
    const p = buildWebhookPayload(content([alert({ alertname: '😀' }), alert({ alertname: '～' })]), {
      maxAlerts: 0,
    });
    assert.deepEqual(
      p.alerts.map((a) => a.labels.alertname),
      ['～', '😀'],
    );
  });

  test('any two label values are ordered as Go orders them: by their UTF-8 bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (x, y) => {
        fc.pre(x !== y);
        const p = buildWebhookPayload(content([alert({ alertname: x }), alert({ alertname: y })]), {
          maxAlerts: 0,
        });
        const want = Buffer.compare(Buffer.from(x), Buffer.from(y)) < 0 ? [x, y] : [y, x];
        assert.deepEqual(
          p.alerts.map((a) => a.labels.alertname),
          want,
        );
      }),
      { numRuns: 2000 },
    );
  });

  test('max_alerts keeps the first N after sorting and counts the rest', () => {
    const p = buildWebhookPayload(
      content([
        alert({ alertname: 'A', job: 'c' }, { annotations: { s: '3' } }),
        alert({ alertname: 'A', job: 'a' }, { annotations: { s: '1' }, status: 'resolved', endsAt: T0 }),
        alert({ alertname: 'A', job: 'b' }, { annotations: { s: '1' }, status: 'resolved', endsAt: T0 }),
      ]),
      { maxAlerts: 2 },
    );
    assert.equal(p.truncatedAlerts, 1);
    assert.deepEqual(
      p.alerts.map((a) => a.labels.job),
      ['a', 'b'],
    );
    // As in Alertmanager, status and the common sets describe the alerts sent, not the dropped one.
    assert.equal(p.status, 'resolved');
    assert.deepEqual(p.commonAnnotations, { s: '1' });
    assert.deepEqual(p.commonLabels, { alertname: 'A' });
  });

  test('max_alerts at or above the count keeps everything', () => {
    const p = buildWebhookPayload(content([alert({ alertname: 'A' }), alert({ alertname: 'B' })]), {
      maxAlerts: 2,
    });
    assert.equal(p.truncatedAlerts, 0);
    assert.equal(p.alerts.length, 2);
  });

  test('the receiver name is regexp-quoted as Alertmanager sends it', () => {
    const p = buildWebhookPayload(content([], { receiver: 'ops.team+db' }), { maxAlerts: 0 });
    assert.equal(p.receiver, 'ops\\.team\\+db');
  });

  test('the input is not modified', () => {
    const alerts = [alert({ alertname: 'B' }), alert({ alertname: 'A' })];
    buildWebhookPayload(content(alerts), { maxAlerts: 1 });
    assert.deepEqual(
      alerts.map((a) => a.labels.alertname),
      ['B', 'A'],
    );
  });
});

describe('formatGoTime', () => {
  test('writes instants as Go encodes time.Time: RFC 3339, UTC, no trailing zeros', () => {
    assert.equal(formatGoTime(Date.parse('2026-11-26T08:00:00.000Z')), '2026-11-26T08:00:00Z');
    assert.equal(formatGoTime(Date.parse('2026-11-26T08:00:10.000Z')), '2026-11-26T08:00:10Z');
    assert.equal(formatGoTime(Date.parse('2026-11-26T08:00:00.120Z')), '2026-11-26T08:00:00.12Z');
    assert.equal(formatGoTime(Date.parse('2026-11-26T08:00:00.007Z')), '2026-11-26T08:00:00.007Z');
  });
});
