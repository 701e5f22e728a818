import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  parseMarkdown,
  plainText,
  renderChatWithin,
  renderHtml,
  slackMrkdwn,
  telegramHtml,
} from './markdown-lite.js';
import { parseTelegramHtml } from '../../../test/support/fakes/telegram.js';

test('headings, bold, code, links and lists parse; unsafe links and escapes stay text', () => {
  const lines = parseMarkdown(
    '## Title\n\n- **a** `b`\n2. [c](https://e.x)\n\\*\\*not bold\\*\\* [d](javascript:x)',
  );
  assert.deepEqual(plainText(lines), 'Title\n\n• a b\n2. c\n**not bold** d (javascript:x)');
  assert.equal(
    renderHtml(lines),
    '<h2>Title</h2>\n<ul>\n<li><strong>a</strong> <code>b</code></li>\n</ul>\n<ol>\n<li><a href="https://e.x">c</a></li>\n</ol>\n<p>**not bold** d (javascript:x)</p>',
  );
});

test('property: a Telegram text cut to any budget is valid HTML within the budget, ending with the footer', () => {
  const md = fc.array(
    fc.oneof(
      fc.string({ unit: 'binary', maxLength: 30 }),
      fc.constantFrom('**粗体**', '- item <&>', '[l](https://e.x/?a&b)', '`c<d>`', '### 标题 😀', ''),
    ),
    { maxLength: 30 },
  );
  fc.assert(
    fc.property(md, fc.integer({ min: 20, max: 300 }), (parts, max) => {
      const footer = '…(cut)';
      const { text, truncated } = renderChatWithin(
        parseMarkdown(parts.join('\n')),
        telegramHtml,
        max,
        footer,
      );
      const parsed = parseTelegramHtml(text);
      assert.ok(parsed.ok, `${JSON.stringify(text)}: ${parsed.ok ? '' : parsed.error}`);
      assert.ok(parsed.visible.length <= max);
      if (truncated) assert.ok(parsed.visible.endsWith(footer));
      assert.ok(!/[\uD800-\uDBFF]…\(cut\)$/.test(parsed.visible), 'no half surrogate pair');
    }),
    { numRuns: 300 },
  );
});

test('Slack text counts the markup and is cut inside a run, never inside a link', () => {
  const lines = parseMarkdown('see [the runbook](https://wiki.example.com/a?b=1&c=2) now');
  const { text, truncated } = renderChatWithin(lines, slackMrkdwn, 50, '…');
  assert.equal(truncated, true);
  assert.ok(text.length <= 50);
  assert.equal(text, 'see <https://wiki.example.com/a?b=1&amp;c=2|the >…');
});
