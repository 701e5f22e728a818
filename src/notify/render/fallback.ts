// Pure: what a message says when a template did not give one. A user template that renders
// nothing is a problem named in the note; should a default template ever fail, the alert still
// goes out in plain words (never lose the alert).
import { escapeMarkdown } from './format.js';
import type { LanguagePack } from './language-pack.js';
import type { TemplateContext, TemplateName } from './types.js';

export const emptyMessage = (name: TemplateName): string => `the ${name} template rendered nothing`;

/** The last-resort title, markdown or text: severity, state, summary and counts, nothing else. */
export function emergency(name: TemplateName, pack: LanguagePack, ctx: TemplateContext): string {
  const head = `[${ctx.severity ?? '-'} ${ctx.status}] ${ctx.summary || pack.words.noSummary}`;
  const title = ctx.title || head;
  if (name === 'title') return head;
  const counts = `${ctx.alertCount} (${ctx.firingCount} firing, ${ctx.resolvedCount} resolved)`;
  return name === 'markdown'
    ? `### ${escapeMarkdown(title)}\n- ${escapeMarkdown(ctx.summary)}\n- ${counts}`
    : `${title} ${counts}`;
}
