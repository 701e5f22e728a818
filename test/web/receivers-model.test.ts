// The receivers pages' pure helpers (web/src/pages/receivers/receivers-model.ts). The web app has no test
// runner of its own; this model imports nothing, so Node runs it here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse } from 'yaml';
import {
  channelHealth,
  draftsChanged,
  problemsByTemplate,
  templatesYaml,
  type TemplateDrafts,
} from '../../web/src/pages/receivers/receivers-model.js';

const NOW = Date.parse('2026-11-26T02:00:00Z');

/** What the configuration file would read back from the snippet, for receiver `name`. */
function readBack(yaml: string, name: string): Record<string, string> {
  const doc = parse(yaml) as { receivers: { name: string; templates: Record<string, string> }[] };
  assert.equal(doc.receivers.length, 1);
  assert.equal(doc.receivers[0]?.name, name);
  return doc.receivers[0]?.templates ?? {};
}

test('the YAML snippet reads back as exactly the templates typed, whatever their quotes, breaks and indents', () => {
  const drafts: TemplateDrafts = {
    title: `{{ severity }} · it's "{{ status }}" #1: {{ summary }}`,
    markdown:
      '  ### indented first line\n- **store**: {{ store }}\n\n{%- for a in alerts %}\n  - {{ a.summary }}\n{%- endfor %}\n\n\n',
    text: '{{ title }}\nno trailing break',
  };
  const back = readBack(templatesYaml('ops', drafts), 'ops');
  assert.deepEqual(back, drafts);
});

test('any template of quotes, colons, tabs, spaces and line breaks reads back unchanged', () => {
  const char = fc.constantFrom(' ', '\n', '\t', 'a', '#', ':', "'", '"', '|', '-', '{', '%', '…', '>', '&');
  const source = fc.array(char, { maxLength: 30 }).map((a) => a.join(''));
  fc.assert(
    fc.property(source, source, source, (title, markdown, text) => {
      const drafts: TemplateDrafts = { title, markdown, text };
      const kept = Object.fromEntries(Object.entries(drafts).filter(([, v]) => v.trim() !== ''));
      assert.deepEqual(readBack(templatesYaml('ops', drafts), 'ops'), kept);
    }),
    { numRuns: 2000 },
  );
});

test('a single trailing line break and a template with a leading blank line survive', () => {
  const drafts: TemplateDrafts = { title: '', markdown: '\n### heading\nbody\n', text: 'x' };
  assert.deepEqual(readBack(templatesYaml('订单 ops: 组', drafts), '订单 ops: 组'), {
    markdown: drafts.markdown,
    text: 'x',
  });
});

test('empty drafts keep the defaults: they are left out, and none at all gives an empty templates block', () => {
  const partial = templatesYaml('ops', { title: '  ', markdown: '', text: '{{ title }}' });
  assert.deepEqual(readBack(partial, 'ops'), { text: '{{ title }}' });
  const none = templatesYaml('ops', { title: '', markdown: '', text: '' });
  assert.match(none, /templates: \{\}/);
  assert.deepEqual(readBack(none, 'ops'), {});
});

test('a channel is failing, throttled, both, or delivering; a penalty that ended no longer counts', () => {
  const ok = { health: { failing: false, failures: 0, since: null }, penaltyEndsAt: null };
  assert.deepEqual(channelHealth(ok, NOW), [{ kind: 'delivering' }]);
  const failing = {
    health: { failing: true, failures: 3, since: '2026-11-26T01:50:00.000Z' },
    penaltyEndsAt: null,
  };
  assert.deepEqual(channelHealth(failing, NOW), [
    { kind: 'failing', since: '2026-11-26T01:50:00.000Z', failures: 3 },
  ]);
  const until = '2026-11-26T02:10:00.000Z';
  assert.deepEqual(
    channelHealth({ ...failing, penaltyEndsAt: until }, NOW).map((s) => s.kind),
    ['failing', 'throttled'],
  );
  assert.deepEqual(channelHealth({ ...ok, penaltyEndsAt: until }, NOW), [{ kind: 'throttled', until }]);
  assert.deepEqual(channelHealth({ ...ok, penaltyEndsAt: '2026-11-26T01:59:59.000Z' }, NOW), [
    { kind: 'delivering' },
  ]);
});

test('drafts differ from the receiver only by content: a missing template equals an empty one', () => {
  const drafts: TemplateDrafts = { title: '', markdown: '', text: '' };
  assert.equal(draftsChanged({}, drafts), false);
  assert.equal(draftsChanged({ title: '{{ title }}' }, { ...drafts, title: '{{ title }}\n' }), false);
  assert.equal(draftsChanged({ title: '{{ title }}' }, drafts), true);
});

test('problems are grouped by template name; unknown names are dropped', () => {
  assert.deepEqual(
    problemsByTemplate([
      { template: 'markdown', message: 'tag "for" not closed' },
      { template: 'title', message: 'output not closed' },
      { template: 'markdown', message: 'second' },
      { template: 'other', message: 'ignored' },
    ]),
    { markdown: ['tag "for" not closed', 'second'], title: ['output not closed'] },
  );
});
