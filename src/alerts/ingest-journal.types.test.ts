import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeEntry, encodeEntry, mergeParts } from './ingest-journal.types.js';
import type { JournalPart } from './ingest-journal.types.js';
import type { Alert } from './model.js';
import { DEFAULT_LIMITS, alertProblems, normalizeAlert, receiveInto } from './model.js';
import type { PostableAlert } from './postable.js';
import { incomingOf } from './postable.js';

const NOW = Date.parse('2026-11-27T08:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** What `AlertService.ingest` makes of one request's body: its alerts, built, repeats received in order. */
function builtAtIngest(body: PostableAlert[], receivedAt: number, resolveTimeoutMs: number): Alert[] {
  const alerts = body.map((a, i) => {
    const r = normalizeAlert(
      incomingOf(a),
      'external',
      receivedAt,
      { ...DEFAULT_LIMITS, resolveTimeoutMs },
      `/${i}`,
    );
    if (!r.alert) throw new Error(JSON.stringify(r.problems));
    return r.alert;
  });
  return [...receiveInto(new Map(), alerts, receivedAt).values()];
}

const offset = fc.oneof(
  fc.integer({ min: -3, max: 25 }),
  fc.integer({ min: -10, max: 15 }).map((m) => m * 60_000),
);

// Few names and values, so that requests repeat alerts (the same fingerprint) and leave labels empty.
const postable: fc.Arbitrary<PostableAlert> = fc
  .record(
    {
      labels: fc.record(
        {
          alertname: fc.constantFrom('OrderSyncStalled', 'InventoryLag'),
          instance: fc.constantFrom('erp-1', 'erp-2', ''),
          service: fc.constantFrom('oms', '订单', ''),
        },
        { requiredKeys: ['alertname'] },
      ),
      annotations: fc.dictionary(fc.constantFrom('summary', 'runbook'), fc.string({ maxLength: 8 })),
      // Milliseconds around the requests' receive times (where whether an alert has resolved turns),
      // or minutes.
      startsAt: offset,
      endsAt: offset,
      generatorURL: fc.constantFrom('http://prom/graph', ''),
    },
    { requiredKeys: ['labels'] },
  )
  .map(({ startsAt, endsAt, ...rest }) => ({
    ...rest,
    ...(startsAt === undefined ? {} : { startsAt: iso(NOW + startsAt) }),
    ...(endsAt === undefined ? {} : { endsAt: iso(NOW + endsAt) }),
  }))
  .filter((a) => alertProblems(incomingOf(a), DEFAULT_LIMITS, '').length === 0);

const request = fc.record({
  body: fc.array(postable, { minLength: 1, maxLength: 6 }),
  delayMs: fc.integer({ min: 0, max: 5 }),
  /** Journalled as the body's text (Alertmanager's API), or built (every other input). */
  asText: fc.boolean(),
  /** How the text was written: compact, or with the spacing a sender may use. */
  spaced: fc.boolean(),
});

test('a request journalled as its text is applied as the alerts ingest would have built, alone or committed with others', () => {
  fc.assert(
    fc.property(
      fc.array(request, { minLength: 1, maxLength: 4 }),
      fc.constantFrom(60_000, 300_000),
      (requests, resolveTimeoutMs) => {
        let at = NOW;
        const received = requests.map((r) => (at += r.delayMs));
        const parts: JournalPart[] = requests.map((r, i) =>
          r.asText
            ? {
                kind: 'postable',
                text: JSON.stringify(r.body, null, r.spaced ? 2 : undefined),
                count: r.body.length,
                receivedAt: received[i]!,
                source: 'external',
                resolveTimeoutMs,
              }
            : { kind: 'alerts', alerts: builtAtIngest(r.body, received[i]!, resolveTimeoutMs) },
        );
        // The group commit: requests written together are received, in order, from the first one's time.
        const expected = receiveInto(
          new Map(),
          requests.flatMap((r, i) => builtAtIngest(r.body, received[i]!, resolveTimeoutMs)),
          received[0]!,
        );
        assert.deepEqual(decodeEntry(encodeEntry(parts, received[0]!), received[0]!), [...expected.values()]);
        // The same parts written without the journal (`AlertService`): the same alerts.
        assert.deepEqual([...mergeParts(parts, received[0]!).values()], [...expected.values()]);
      },
    ),
    { numRuns: 3000 },
  );
});

test('a request’s text is kept as it came: escapes, spacing and characters outside ASCII are read back as sent', () => {
  const text =
    '[ {"labels": {"alertname": "Order\\u0053ync", "service": "订单", "empty": ""},\n "annotations": {"summary": "a \\"quoted\\" line\\n"}} ]';
  const entry = encodeEntry(
    [
      {
        kind: 'postable',
        text,
        count: 1,
        receivedAt: NOW,
        source: 'external',
        resolveTimeoutMs: 300_000,
      },
    ],
    NOW,
  );
  assert.ok(entry.includes(text), 'spliced into the entry without being encoded again');
  const [a] = decodeEntry(entry, NOW);
  assert.deepEqual(a?.labels, { alertname: 'OrderSync', service: '订单' });
  assert.deepEqual(a?.annotations, { summary: 'a "quoted" line\n' });
  assert.equal(a?.startsAt, NOW);
  assert.equal(a?.endsAt, NOW + 300_000);
  assert.equal(a?.timeout, true);
});
