import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMarkdown } from '../channels/markdown-lite.js';
import { MessageRenderer } from './renderer.js';
import { MIN, T0, alert, notification, options } from './fixtures.test.js';

const renderer = new MessageRenderer();

describe('default messages', () => {
  test('a firing P1 in Chinese says what, where, how bad, since when, and where the runbook is', () => {
    const m = renderer.render(notification([alert()]), options());
    assert.equal(m.title, '[P1 告警] 订单同步停滞 · shopee MY-1');
    assert.match(m.markdown, /^### \[P1 告警\] 订单同步停滞 · shopee MY-1\n/);
    for (const line of [
      '- **级别**: P1 严重',
      '- **问题**: 订单同步停滞',
      '- **服务**: order-sync',
      '- **平台**: shopee',
      '- **店铺**: MY-1',
      '- **当前值**: 0 单/5分钟（阈值 < 1）',
      '- **开始**: 2026-11-26 10:00，已持续 12 分钟',
      '- **处理手册**: [打开处理手册](https://wiki.example.com/runbooks/order-sync)',
    ])
      assert.ok(m.markdown.split('\n').includes(line), `missing ${line} in\n${m.markdown}`);
    assert.equal(
      m.text,
      '[P1 告警] 订单同步停滞 · shopee MY-1，当前值 0 单/5分钟（阈值 < 1），10:00 起已持续 12 分钟。',
    );
    assert.deepEqual(
      m.links.map((l) => l.label),
      ['打开', '认领', '静默 1 小时'],
    );
    assert.equal(m.severity, 'P1');
    assert.equal(m.status, 'firing');
    assert.equal(m.detailUrl, 'https://watchpost.example.com/alerts/42');
    assert.equal(m.idempotencyKey, 'n-42:0');
    assert.deepEqual(m.mentions, { mobiles: ['13800138000'], userIds: [], all: false });
  });

  test('the same alert in English', () => {
    const m = renderer.render(notification([alert()]), options({ language: 'en' }));
    assert.equal(m.title, '[P1 FIRING] 订单同步停滞 · shopee MY-1');
    for (const line of [
      '- **Severity**: P1 major',
      '- **Service**: order-sync',
      '- **Store**: MY-1',
      '- **Value**: 0 单/5分钟 (threshold < 1)',
      '- **Since**: 2026-11-26 10:00, firing for 12 min',
      '- **Runbook**: [Open runbook](https://wiki.example.com/runbooks/order-sync)',
    ])
      assert.ok(m.markdown.split('\n').includes(line), `missing ${line} in\n${m.markdown}`);
    assert.equal(
      m.text,
      '[P1 FIRING] 订单同步停滞 · shopee MY-1: value 0 单/5分钟 (threshold < 1); firing since 10:00 (12 min).',
    );
    assert.deepEqual(
      m.links.map((l) => l.label),
      ['Open', 'Acknowledge', 'Silence 1h'],
    );
  });

  test('a resolved alert says so and how long it lasted', () => {
    const resolved = alert({ status: 'resolved', endsAt: T0 + 95 * MIN });
    const zh = renderer.render(notification([resolved]), options({ now: T0 + 100 * MIN }));
    assert.equal(zh.title, '[P1 已恢复] 订单同步停滞 · shopee MY-1');
    assert.equal(zh.status, 'resolved');
    assert.ok(
      zh.markdown.includes('- **持续**: 1 小时 35 分钟（2026-11-26 10:00 → 2026-11-26 11:35）'),
      zh.markdown,
    );
    assert.ok(zh.text.includes('持续 1 小时 35 分钟（10:00 → 11:35）'), zh.text);
    const en = renderer.render(notification([resolved]), options({ language: 'en', now: T0 + 100 * MIN }));
    assert.equal(en.title, '[P1 RESOLVED] 订单同步停滞 · shopee MY-1');
    assert.ok(
      en.markdown.includes('- **Lasted**: 1h 35m (2026-11-26 10:00 → 2026-11-26 11:35)'),
      en.markdown,
    );
  });

  test('a group fires while any alert fires, with the worst severity, and counts both states', () => {
    const m = renderer.render(
      notification([
        alert({ fingerprint: 'a', labels: { ...alert().labels, store: 'MY-1', severity: 'warning' } }),
        alert({ fingerprint: 'b', labels: { ...alert().labels, store: 'SG-2', severity: 'critical' } }),
        alert({
          fingerprint: 'c',
          status: 'resolved',
          endsAt: T0 + 5 * MIN,
          labels: { ...alert().labels, store: 'TH-3' },
        }),
      ]),
      options(),
    );
    assert.equal(m.status, 'firing');
    assert.equal(m.severity, 'P0');
    // The stores differ, so the title names only what they share.
    assert.equal(m.title, '[P0 告警] 订单同步停滞 · shopee（共 3 条）');
    assert.ok(m.markdown.includes('- **告警数**: 3（告警中 2，已恢复 1）'), m.markdown);
    assert.ok(!m.markdown.includes('**店铺**'), 'no single store is the group’s');
    assert.ok(m.markdown.includes('store=SG-2'));
    assert.ok(m.markdown.includes('🟢 **P1** 订单同步停滞 · store=TH-3'), m.markdown);
  });

  test('no severity label: no severity shown, severity null', () => {
    const labels = { alertname: 'DiskFull', instance: 'db-1' };
    const m = renderer.render(notification([alert({ labels, annotations: {} })]), options());
    assert.equal(m.severity, null);
    assert.equal(m.title, '[告警] DiskFull');
    assert.ok(!m.markdown.includes('级别'));
  });

  test('flapping alerts are marked', () => {
    const one = renderer.render(notification([alert({ flapping: true })]), options({ language: 'en' }));
    assert.ok(one.markdown.includes('- **Problem**: 订单同步停滞 (flapping)'), one.markdown);
    assert.ok(one.text.includes('flapping'));
    const two = renderer.render(
      notification([
        alert({ flapping: true }),
        alert({ fingerprint: 'b', labels: { ...alert().labels, store: 'B' } }),
      ]),
      options(),
    );
    assert.match(two.markdown, /store=MY-1 .*（抖动）/);
    assert.doesNotMatch(two.markdown, /store=B .*（抖动）/);
  });

  test('related context lines (trace IDs) are listed with their links', () => {
    const m = renderer.render(
      notification([alert()]),
      options({
        context: [{ kind: 'trace', text: 'trace 4bf92f3577b34da6', url: 'https://trace.example.com/4bf' }],
      }),
    );
    assert.ok(
      m.markdown.includes('- **链路**: trace 4bf92f3577b34da6（[查看](https://trace.example.com/4bf)）'),
    );
  });

  test('an empty group still renders, resolved and without severity', () => {
    const m = renderer.render(notification([]), options({ language: 'en' }));
    assert.equal(m.title, '[RESOLVED] Alert');
    assert.equal(m.severity, null);
    assert.ok(m.markdown.startsWith('### [RESOLVED] Alert'));
  });

  test('absent ack and silence links are left out', () => {
    const m = renderer.render(notification([alert()]), options({ links: { detailUrl: 'https://w/a/1' } }));
    assert.deepEqual(m.links, [{ label: '打开', url: 'https://w/a/1' }]);
  });
});

describe('times', () => {
  test('are shown in the given zone, Asia/Shanghai by default', () => {
    const at = (timeZone?: string) =>
      renderer.render(notification([alert()]), options(timeZone ? { timeZone } : {})).markdown;
    assert.ok(at().includes('2026-11-26 10:00'));
    assert.ok(at('UTC').includes('2026-11-26 02:00'));
    assert.ok(at('America/New_York').includes('2026-11-25 21:00'));
  });

  test('an unknown zone shows UTC and says so', () => {
    const m = renderer.render(notification([alert()]), options({ timeZone: 'Mars/Olympus' }));
    assert.ok(m.markdown.includes('2026-11-26 02:00'));
    assert.ok(m.text.includes('时区 "Mars/Olympus" 无效，时间按 UTC 显示'));
  });
});

describe('storms', () => {
  const storm = Array.from({ length: 2000 }, (_, i) =>
    alert({
      fingerprint: `f${i}`,
      status: i % 100 === 0 ? 'resolved' : 'firing',
      endsAt: i % 100 === 0 ? T0 + MIN : null,
      labels: { ...alert().labels, store: `S-${i}`, zone: i < 1500 ? 'sg-1' : 'sg-2' },
      startsAt: T0 + i,
    }),
  );

  test('2,000 alerts make a bounded summary, not 2,000 lines', () => {
    const m = renderer.render(notification(storm), options());
    assert.ok(m.markdown.length < 6000, `markdown is ${m.markdown.length} chars`);
    assert.ok(m.markdown.includes('#### 告警风暴：共 2,000 条（告警中 1,980，已恢复 20）'), m.markdown);
    assert.ok(m.markdown.includes('- **zone**（2 个值）: sg-1 ×1,500 · sg-2 ×500'), m.markdown);
    assert.ok(m.markdown.includes('- **store**（2,000 个值）'));
    assert.equal(m.markdown.match(/^- 🔴/gm)?.length, 20);
    assert.ok(m.markdown.includes('- … 另有 1,980 条未列出'));
    assert.ok(m.text.length < 200, m.text);
    assert.equal(m.title, '[P1 告警] 订单同步停滞 · shopee（共 2,000 条）');
  });

  test('the route’s maxAlertsListed sets how many are listed', () => {
    const m = renderer.render(notification(storm, { maxAlertsListed: 5 }), options({ language: 'en' }));
    assert.equal(m.markdown.match(/^- 🔴/gm)?.length, 5);
    assert.ok(m.markdown.includes('- … and 1,995 more not listed'), m.markdown);
    assert.ok(m.markdown.includes('- **zone** (2 values): sg-1 ×1,500 · sg-2 ×500'));
  });
});

describe('label values cannot break the Markdown', () => {
  test('*, _, [, ], backticks and line breaks in values stay text', () => {
    const labels = { ...alert().labels, store: 'MY_1*[x](https://evil.example.com)`', service: 'a\n### b' };
    const annotations = { summary: '**urgent** _now_', value: '`rm -rf`' };
    const m = renderer.render(notification([alert({ labels, annotations })]), options());
    const lines = parseMarkdown(m.markdown);
    assert.equal(lines.filter((l) => l.kind === 'heading').length, 1);
    const runs = lines.flatMap((l) => ('runs' in l ? l.runs : []));
    assert.deepEqual(
      runs.filter((r) => r.href).map((r) => r.href),
      [],
      'the link in the store label stays text',
    );
    assert.deepEqual(
      runs.filter((r) => r.bold).map((r) => r.text),
      ['级别', '问题', '服务', '平台', '店铺', '当前值', '开始'],
    );
    assert.ok(runs.every((r) => !r.code));
    assert.ok(m.markdown.includes('MY\\_1\\*\\[x\\](https://evil.example.com)\\`'));
    assert.ok(m.markdown.includes('- **服务**: a ### b'));
  });
});
