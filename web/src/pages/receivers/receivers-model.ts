// Pure helpers of the receivers pages: a channel's health, the delivery log's badges, the template drafts and
// the YAML a user pastes into the configuration file. No imports, so that the unit test under test/web can load
// it with Node; the shapes below are the parts of api.ts's types that each helper reads.

export const TEMPLATE_NAMES = ['title', 'markdown', 'text'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

/** The three template sources as edited: an empty one means the default template. */
export type TemplateDrafts = Record<TemplateName, string>;

export interface ChannelHealthInput {
  health: { failing: boolean; failures: number; since: string | null };
  penaltyEndsAt: string | null;
}

export type HealthState =
  | { kind: 'delivering' }
  | { kind: 'failing'; since: string | null; failures: number }
  | { kind: 'throttled'; until: string };

/**
 * What to say about a channel: failing (consecutive failures since a time) and/or throttled by its provider
 * until a time still ahead of `now`; "delivering" only when neither holds.
 */
export function channelHealth(ch: ChannelHealthInput, now: number): HealthState[] {
  const states: HealthState[] = [];
  if (ch.health.failing)
    states.push({ kind: 'failing', since: ch.health.since, failures: ch.health.failures });
  // A penalty that has run out is history: the server may still report it until the next attempt.
  if (ch.penaltyEndsAt !== null && Date.parse(ch.penaltyEndsAt) > now)
    states.push({ kind: 'throttled', until: ch.penaltyEndsAt });
  return states.length === 0 ? [{ kind: 'delivering' }] : states;
}

/** Test messages carry notification ids starting with `test:` (the server's convention). */
export const isTestDelivery = (d: { notificationId: string }): boolean =>
  d.notificationId.startsWith('test:');

/** An attempt that carried several notifications merged while the destination was throttled. */
export const isDigest = (d: { merged: number }): boolean => d.merged > 1;

/** The drafts the editor starts from: the receiver's own templates, empty where it keeps the default. */
export function draftsOf(templates: Partial<Record<TemplateName, string>>): TemplateDrafts {
  return { title: templates.title ?? '', markdown: templates.markdown ?? '', text: templates.text ?? '' };
}

/** True when the drafts differ from the receiver's templates (a missing template and an empty one are the same). */
export function draftsChanged(
  templates: Partial<Record<TemplateName, string>>,
  drafts: TemplateDrafts,
): boolean {
  const saved = draftsOf(templates);
  return TEMPLATE_NAMES.some((n) => saved[n].trim() !== drafts[n].trim());
}

/** The problems the preview reported, by template name, in the order given. */
export function problemsByTemplate(
  problems: readonly { template: string; message: string }[],
): Partial<Record<TemplateName, string[]>> {
  const out: Partial<Record<TemplateName, string[]>> = {};
  for (const p of problems) {
    const name = TEMPLATE_NAMES.find((n) => n === p.template);
    if (name !== undefined) (out[name] ??= []).push(p.message);
  }
  return out;
}

const PLAIN_NAME = /^[A-Za-z0-9_][A-Za-z0-9_./-]*$/;

const singleQuoted = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/**
 * One template as a YAML value at `indent` spaces, read back exactly: a single line single-quoted (any
 * character is literal there); several lines as a literal block whose chomping keeps the trailing line
 * breaks, or double-quoted when a line ends in white space.
 */
function yamlValue(source: string, indent: number): string {
  const text = source.replace(/\r\n?/g, '\n');
  if (!text.includes('\n')) return singleQuoted(text);
  // A line ending in white space reads back differently across YAML parsers in a block: quote it (JSON's
  // escapes are YAML's double-quoted ones).
  if (/[ \t]$/m.test(text)) return JSON.stringify(text);
  const trailing = /\n*$/.exec(text)?.[0].length ?? 0;
  const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
  const body = trailing === 0 ? text : text.slice(0, text.length - 1);
  // YAML guesses the block's indentation from its first line: give it when that line starts with a space.
  const indicator = /^\s/.test(body) ? '2' : '';
  const pad = ' '.repeat(indent);
  const lines = body.split('\n').map((l) => (l === '' ? '' : pad + l));
  return `|${indicator}${chomp}\n${lines.join('\n')}`;
}

/**
 * The `templates:` block of receiver `receiver` for the configuration file, under `receivers:` so that it says
 * where it goes; empty drafts are left out (they mean the default), and none at all gives `templates: {}`.
 */
export function templatesYaml(receiver: string, drafts: TemplateDrafts): string {
  const name = PLAIN_NAME.test(receiver) ? receiver : singleQuoted(receiver);
  const head = `receivers:\n  - name: ${name}\n`;
  const set = TEMPLATE_NAMES.filter((n) => drafts[n].trim() !== '');
  if (set.length === 0) return `${head}    templates: {}\n`;
  return `${head}    templates:\n${set.map((n) => `      ${n}: ${yamlValue(drafts[n], 8)}\n`).join('')}`;
}
