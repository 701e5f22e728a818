import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sampleMessage } from '../../../test/support/fakes/message.js';
import { MessageRenderer } from './renderer.js';
import { alert, notification, options } from './fixtures.test.js';

const renderer = new MessageRenderer();
const opts = { idempotencyKey: 'digest-7', detailUrl: 'https://watchpost.example.com/notifications?dest=3' };

test('a digest of 30 messages lists 20, each bounded, and counts the rest', () => {
  const messages = Array.from({ length: 30 }, (_, i) =>
    renderer.render(
      notification([
        alert({ labels: { ...alert().labels, store: `S-${i}`, severity: i === 7 ? 'P0' : 'P2' } }),
      ]),
      options({ mentions: { mobiles: [`1380000000${i % 3}`], userIds: i === 4 ? ['u-4'] : [], all: false } }),
    ),
  );
  const d = renderer.renderDigest(messages, { language: 'zh-CN', ...opts });
  assert.equal(d.title, '[摘要] 30 条通知（限流期间合并）');
  assert.ok(d.markdown.includes('告警中 30 条，已恢复 0 条'));
  assert.ok(d.markdown.includes('**20. \\[P2 告警\\] 订单同步停滞 · shopee S-19**'), d.markdown);
  assert.ok(!d.markdown.includes('**21.'));
  assert.ok(d.markdown.endsWith('… 另有 10 条通知'));
  // Each message: its title and at most three lines of its body.
  const first = d.markdown.split('**1. ')[1]?.split('\n\n')[0]?.split('\n') ?? [];
  assert.deepEqual(first.slice(1), [
    '- **级别**: P2 一般',
    '- **问题**: 订单同步停滞',
    '- **服务**: order-sync',
  ]);
  assert.ok(d.markdown.length < 8000, `${d.markdown.length} chars`);
  assert.equal(d.text.split('\n').length, 2 + 20 + 1);
  assert.equal(d.severity, 'P0');
  assert.equal(d.status, 'firing');
  assert.deepEqual(d.links, [{ label: '打开', url: opts.detailUrl }]);
  assert.equal(d.detailUrl, opts.detailUrl);
  assert.equal(d.idempotencyKey, 'digest-7');
  assert.deepEqual(d.mentions, {
    mobiles: ['13800000000', '13800000001', '13800000002'],
    userIds: ['u-4'],
    all: false,
  });
});

test('an English digest of resolved messages is resolved, and "all" survives the merge', () => {
  const messages = [
    sampleMessage({ status: 'resolved', severity: null }),
    sampleMessage({ status: 'resolved', severity: 'P3', mentions: { mobiles: [], userIds: [], all: true } }),
  ];
  const d = renderer.renderDigest(messages, { language: 'en', ...opts });
  assert.equal(d.title, '[Digest] 2 notifications (merged while throttled)');
  assert.equal(d.status, 'resolved');
  assert.equal(d.severity, 'P3');
  assert.equal(d.mentions.all, true);
  assert.deepEqual(d.links, [{ label: 'Open', url: opts.detailUrl }]);
  assert.ok(d.markdown.includes('0 firing, 2 resolved'));
});

test('very long lines in the merged messages are cut', () => {
  const long = sampleMessage({ markdown: `### t\n- ${'x'.repeat(5000)}` });
  const d = renderer.renderDigest([long], { language: 'en', ...opts });
  assert.ok(d.markdown.length < 600, `${d.markdown.length}`);
  assert.ok(d.markdown.includes('x…'));
});
