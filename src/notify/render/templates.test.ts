import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MessageRenderer } from './renderer.js';
import { MIN, T0, alert, notification, options } from './fixtures.test.js';

const renderer = new MessageRenderer();
const render = (templates: Parameters<MessageRenderer['check']>[0], over = {}) =>
  renderer.render(notification([alert()]), options({ templates, ...over }));

describe('user templates', () => {
  test('an override is used; the default title is there to reuse', () => {
    const m = render({
      title: '{{ severity }}|{{ summary }}|{{ labels.store }}{{ commonLabels.store }}',
      markdown:
        '自定义 {{ alerts.size }} 条：{{ title }}\n{% for a in alerts %}- {{ a.labels.store }} {{ a.startsAt }}{% endfor %}',
    });
    assert.equal(m.title, 'P1|订单同步停滞|MY-1');
    assert.equal(m.markdown, '自定义 1 条：[P1 告警] 订单同步停滞 · shopee MY-1\n- MY-1 2026-11-26 10:00');
    // The text template was not overridden: the default one.
    assert.ok(m.text.startsWith('[P1 告警] 订单同步停滞 · shopee MY-1，'));
  });

  test('a multi-line title becomes one line', () => {
    assert.equal(render({ title: '{{ severity }}\n\n  {{ summary }}' }).title, 'P1 订单同步停滞');
  });

  test('the custom filters format in the receiver’s language and zone', () => {
    const t =
      '{{ 3900000 | duration }}|{{ startsAtMs | datetime: "full" }}|{{ "critical" | severity_name }}|{{ 1995 | number }}|{{ "a*b" | escape_md }}';
    assert.equal(
      render({ markdown: t }).markdown,
      '1 小时 5 分钟|2026-11-26 10:00:00 UTC+8|P0 紧急|1,995|a\\*b',
    );
    assert.equal(
      render({ markdown: t }, { language: 'en', timeZone: 'UTC' }).markdown,
      '1h 5m|2026-11-26 02:00:00 UTC+0|P0 critical|1,995|a\\*b',
    );
  });

  test('blank templates mean the defaults', () => {
    const m = render({ title: '  ', markdown: '', text: '\n' });
    assert.equal(m.title, '[P1 告警] 订单同步停滞 · shopee MY-1');
    assert.ok(!m.text.includes('template error'));
  });
});

describe('broken templates', () => {
  test('check() names the template and the line of a syntax error', () => {
    const problems = renderer.check({ title: '{{ summary }}', markdown: 'ok\n{% if severity %}\nno end' });
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.template, 'markdown');
    assert.match(problems[0]?.message ?? '', /not closed, line:2/);
    assert.deepEqual(renderer.check({ title: '{{ title }}', text: '{{ summary | upcase }}' }), []);
  });

  test('check() reports an unknown filter', () => {
    const problems = renderer.check({ text: '{{ summary | shout }}' });
    assert.equal(problems[0]?.template, 'text');
    assert.match(problems[0]?.message ?? '', /undefined filter: shout/);
  });

  test('render falls back to the default template and says so in one line', () => {
    const m = render({ markdown: 'ok\n{% if severity %}\nno end' });
    assert.ok(m.markdown.startsWith('### [P1 告警] 订单同步停滞'), m.markdown);
    const note = m.markdown.split('\n').at(-1) ?? '';
    assert.match(
      note,
      /^> ⚠️ 自定义模板出错，已改用默认模板（template error: markdown: tag \{% if severity %\} not closed, line:2/,
    );
    assert.match(m.text.split('\n').at(-1) ?? '', /template error: markdown:/);
    assert.equal(m.title, '[P1 告警] 订单同步停滞 · shopee MY-1');
  });

  test('a template that renders nothing falls back, and the note says why', () => {
    const m = render({ text: '{% if false %}x{% endif %}' }, { language: 'en' });
    assert.ok(m.text.startsWith('[P1 FIRING] 订单同步停滞'));
    assert.ok(
      m.text.includes('template error, default template used: text: the text template rendered nothing'),
    );
  });

  test('the alert is never lost, whatever the templates', () => {
    const bad = '{% for %}';
    const m = render({ title: bad, markdown: bad, text: bad });
    assert.equal(m.title, '[P1 告警] 订单同步停滞 · shopee MY-1');
    assert.ok(m.markdown.includes('**问题**: 订单同步停滞'));
    assert.ok(m.text.includes('title: ') && m.text.includes('markdown: ') && m.text.includes('text: '));
  });
});

describe('the sandbox', () => {
  test('a loop over a huge range is stopped by the memory limit and reported', () => {
    // The outer range alone is over the allocation limit: it stops at once, long before the time limit,
    // also on a loaded machine.
    const huge = '{% for i in (1..2000000) %}{% for j in (1..1000000) %}x{% endfor %}{% endfor %}';
    const [problem] = renderer.check({ markdown: huge });
    assert.equal(problem?.template, 'markdown');
    assert.match(problem?.message ?? '', /memory alloc limit exceeded/);
    const m = render({ markdown: huge });
    assert.ok(m.markdown.includes('**问题**'));
    assert.match(m.markdown, /limit exceeded.*allocation units per render/);
  });

  test('a long-running template is stopped by the render time limit and reported', () => {
    const slow = new MessageRenderer({ limits: { renderLimitMs: 30 } });
    const loop =
      '{% for i in (1..1000) %}{% for j in (1..1000) %}{% for k in (1..1000) %}{% endfor %}{% endfor %}{% endfor %}';
    const [problem] = slow.check({ text: loop });
    assert.match(problem?.message ?? '', /template render limit exceeded/);
    const m = slow.render(notification([alert()]), options({ templates: { text: loop } }));
    assert.ok(m.text.startsWith('[P1 告警]'));
    assert.match(m.text, /template render limit exceeded.*30 ms/);
  });

  test('a huge template source is refused by the parse limit', () => {
    const small = new MessageRenderer({ limits: { parseLimit: 1000 } });
    const [problem] = small.check({ title: 'x'.repeat(1001) });
    assert.match(problem?.message ?? '', /parse length limit exceeded/);
  });

  test('only own properties are reachable: prototypes and constructors render empty', () => {
    const m = render({
      markdown:
        '[{{ alerts.constructor }}][{{ alerts.constructor.name }}][{{ summary.constructor }}][{{ commonLabels.__proto__ }}][{{ links.toString }}]',
    });
    assert.equal(m.markdown, '[][][][][]');
  });

  test('templates cannot read files', () => {
    const m = render({ markdown: "{% include 'package.json' %}", text: "{% render '/etc/passwd' %}" });
    assert.ok(!m.markdown.includes('watchpost') && !m.text.includes('root:'));
    assert.match(m.markdown, /template error: markdown: .*Failed to lookup/);
  });

  test('{% increment %} in one template does not change what the next one sees', () => {
    const m = render({ title: '{% increment alertCount %}{{ summary }}', markdown: '{{ alertCount }}' });
    assert.equal(m.markdown, '1');
  });
});

describe('resolved groups in templates', () => {
  test('endsAt and duration describe the whole outage', () => {
    const a = alert({ status: 'resolved', endsAt: T0 + 35 * MIN });
    const m = renderer.render(
      notification([a]),
      options({ templates: { text: '{{ startsAt }}→{{ endsAt }} {{ duration }} {{ alerts[0].endsAt }}' } }),
    );
    assert.equal(m.text, '2026-11-26 10:00→2026-11-26 10:35 35 分钟 2026-11-26 10:35');
  });
});
