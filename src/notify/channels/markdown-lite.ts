// Pure: the small Markdown subset notification bodies use (headings, **bold**, `code`, [links](…),
// "-" / "1." list items, paragraphs), parsed into lines of styled runs and rendered for channels
// that do not take Markdown as-is: HTML for e-mail, Telegram's HTML subset, Slack's mrkdwn.
// Everything else is text: every renderer escapes it, so a label value can never inject markup.
// Links keep only http(s) and mailto URLs; any other scheme (javascript:, data:) becomes text.
// Renderers can stop at a budget counted the way the provider counts, cutting on a code point and
// never inside a tag or an entity, then append a footer; the result is always well-formed.

/** A piece of text with one style. */
export interface Run {
  text: string;
  bold: boolean;
  code: boolean;
  /** A safe http(s)/mailto URL when the run is a link's label. */
  href: string | null;
}

export type MdLine =
  | { kind: 'heading'; level: number; runs: Run[] }
  | { kind: 'item'; ordered: boolean; number: number; runs: Run[] }
  | { kind: 'text'; runs: Run[] }
  | { kind: 'blank' };

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const BULLET = /^\s*[-*+]\s+(.*)$/;
const ORDERED = /^\s*(\d{1,9})[.)]\s+(.*)$/;
const INLINE =
  /\\([\\`*_[\]()#>~|!-])|`([^`\n]+)`|\*\*(.+?)\*\*|__(.+?)__|\[([^\]\n]+)\]\(\s*<?([^)\s>]+)>?\s*\)/g;
const SAFE_URL = /^(https?:\/\/|mailto:)/i;

/** The lines of `md`; runs of consecutive blank lines become one. */
export function parseMarkdown(md: string): MdLine[] {
  const out: MdLine[] = [];
  for (const raw of md.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trimEnd();
    let m: RegExpExecArray | null;
    if (line.trim() === '') {
      if (out.length > 0 && out[out.length - 1]?.kind !== 'blank') out.push({ kind: 'blank' });
    } else if ((m = HEADING.exec(line))) {
      out.push({ kind: 'heading', level: m[1]?.length ?? 1, runs: parseInline(m[2] ?? '') });
    } else if ((m = ORDERED.exec(line))) {
      out.push({ kind: 'item', ordered: true, number: Number(m[1]), runs: parseInline(m[2] ?? '') });
    } else if ((m = BULLET.exec(line))) {
      out.push({ kind: 'item', ordered: false, number: 0, runs: parseInline(m[1] ?? '') });
    } else {
      out.push({ kind: 'text', runs: parseInline(line) });
    }
  }
  while (out[out.length - 1]?.kind === 'blank') out.pop();
  return out;
}

/** The runs of one line of inline Markdown; `bold` marks them all bold (a heading, a bold span). */
export function parseInline(s: string, bold = false): Run[] {
  const runs: Run[] = [];
  const push = (r: Run) => {
    if (r.text === '') return;
    const last = runs[runs.length - 1];
    if (last && last.bold === r.bold && last.code === r.code && last.href === r.href) last.text += r.text;
    else runs.push(r);
  };
  const text = (t: string) => push({ text: t, bold, code: false, href: null });
  let at = 0;
  for (const m of s.matchAll(INLINE)) {
    text(s.slice(at, m.index));
    at = m.index + m[0].length;
    const [, escaped, code, bold1, bold2, label, url] = m;
    if (escaped !== undefined) text(escaped);
    else if (code !== undefined) push({ text: code, bold, code: true, href: null });
    else if (bold1 !== undefined || bold2 !== undefined) {
      for (const r of parseInline(bold1 ?? bold2 ?? '', true)) push(r);
    } else if (label !== undefined && url !== undefined) {
      const plain = label.replace(/\*\*|__/g, '');
      if (SAFE_URL.test(url)) push({ text: plain, bold, code: false, href: url });
      else text(`${plain} (${url})`);
    }
  }
  text(s.slice(at));
  return runs;
}

/** The text of `lines` without any markup, list items prefixed with "• " or "1. ". */
export function plainText(lines: readonly MdLine[]): string {
  return lines
    .map((l) => (l.kind === 'blank' ? '' : itemPrefix(l) + l.runs.map((r) => r.text).join('')))
    .join('\n');
}

const itemPrefix = (l: MdLine): string => (l.kind === 'item' ? (l.ordered ? `${l.number}. ` : '• ') : '');

// --- HTML (e-mail) ----------------------------------------------------------------------------------

/** Escapes the five characters that matter in HTML text and attribute values. */
export const escapeHtml = (s: string): string =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

function htmlRun(r: Run): string {
  let out = escapeHtml(r.text);
  if (r.code) out = `<code>${out}</code>`;
  if (r.bold) out = `<strong>${out}</strong>`;
  if (r.href) out = `<a href="${escapeHtml(r.href)}">${out}</a>`;
  return out;
}

/** An HTML fragment (h1–h6, p with br, ul/ol/li, strong, code, a) with every text escaped. */
export function renderHtml(lines: readonly MdLine[]): string {
  const out: string[] = [];
  let para: string[] = [];
  let list: { ordered: boolean; items: string[] } | null = null;
  const flush = () => {
    if (para.length) out.push(`<p>${para.join('<br>\n')}</p>`);
    para = [];
    if (list) {
      const tag = list.ordered ? 'ol' : 'ul';
      out.push(`<${tag}>\n${list.items.map((i) => `<li>${i}</li>`).join('\n')}\n</${tag}>`);
    }
    list = null;
  };
  for (const l of lines) {
    switch (l.kind) {
      case 'blank':
        flush();
        break;
      case 'heading':
        flush();
        out.push(`<h${l.level}>${l.runs.map(htmlRun).join('')}</h${l.level}>`);
        break;
      case 'item':
        if (para.length || (list && list.ordered !== l.ordered)) flush();
        list ??= { ordered: l.ordered, items: [] };
        list.items.push(l.runs.map(htmlRun).join(''));
        break;
      case 'text':
        if (list) flush();
        para.push(l.runs.map(htmlRun).join(''));
        break;
    }
  }
  flush();
  return out.join('\n');
}

// --- Chat dialects with a budget ----------------------------------------------------------------------

/** How a chat provider writes runs and counts length. */
export interface Dialect {
  /** The run as the provider's markup. */
  run(r: Run): string;
  /** What the provider counts of a rendered run (Telegram: visible characters; Slack: all of it). */
  cost(r: Run, rendered: string): number;
  /** The footer (plain text) as markup; its cost is `cost` of it as an unstyled run. */
  footer(text: string): string;
}

/** Renders `lines` (headings as bold lines, items with "• "/"1. "), one per "\n". */
export function renderChat(lines: readonly MdLine[], d: Dialect): string {
  return renderChatWithin(lines, d, Number.POSITIVE_INFINITY, '').text;
}

/**
 * `lines` in dialect `d` when they cost at most `max`; otherwise the longest prefix (cut inside a run
 * on a code point, never inside markup) that fits together with `footer`, followed by `footer`.
 */
export function renderChatWithin(
  lines: readonly MdLine[],
  d: Dialect,
  max: number,
  footer: string,
): { text: string; truncated: boolean } {
  const full = renderBudget(lines, d, max);
  if (!full.cut) return { text: full.text, truncated: false };
  const footerText = d.footer(footer);
  const footerCost = d.cost({ text: footer, bold: false, code: false, href: null }, footerText);
  const room = Math.max(0, max - footerCost);
  const part = renderBudget(lines, d, room);
  return { text: part.text + footerText, truncated: true };
}

function renderBudget(lines: readonly MdLine[], d: Dialect, max: number): { text: string; cut: boolean } {
  let out = '';
  let used = 0;
  const fits = (n: number) => used + n <= max;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] as MdLine;
    const sep = i === 0 ? '' : '\n';
    if (!fits(sep.length)) return { text: out, cut: true };
    out += sep;
    used += sep.length;
    if (l.kind === 'blank') continue;
    const prefix = itemPrefix(l);
    if (!fits(prefix.length)) return { text: out, cut: true };
    out += prefix;
    used += prefix.length;
    const runs = l.kind === 'heading' ? l.runs.map((r) => ({ ...r, bold: true })) : l.runs;
    for (const r of runs) {
      const rendered = d.run(r);
      const cost = d.cost(r, rendered);
      if (fits(cost)) {
        out += rendered;
        used += cost;
        continue;
      }
      const prefixRun = longestFitting(r, d, max - used);
      if (prefixRun) out += d.run(prefixRun);
      return { text: out, cut: true };
    }
  }
  return { text: out, cut: false };
}

/** The run with the longest prefix of its text (whole code points) costing at most `room`, or null. */
function longestFitting(r: Run, d: Dialect, room: number): Run | null {
  const points = Array.from(r.text);
  const costOf = (n: number) => {
    const part = { ...r, text: points.slice(0, n).join('') };
    return d.cost(part, d.run(part));
  };
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (costOf(mid) <= room) lo = mid;
    else hi = mid - 1;
  }
  return lo > 0 ? { ...r, text: points.slice(0, lo).join('') } : null;
}

/** Telegram's HTML parse mode: b, code and a; `&`, `<`, `>` escaped; length = visible characters. */
export const telegramHtml: Dialect = {
  run(r) {
    let out = r.text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    if (r.code) out = `<code>${out}</code>`;
    if (r.bold) out = `<b>${out}</b>`;
    if (r.href) out = `<a href="${escapeHtml(r.href)}">${out}</a>`;
    return out;
  },
  cost: (r) => r.text.length,
  footer: (t) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
};

/** Slack's mrkdwn: `&`, `<`, `>` escaped, *bold*, `code`, <url|label>; length = the whole text. */
export const slackMrkdwn: Dialect = {
  run(r) {
    const text = escapeSlack(r.text);
    if (r.href) return `<${escapeSlack(r.href).replace(/\|/g, '%7C')}|${text.replace(/\|/g, '¦')}>`;
    if (r.code) return `\`${text.replace(/`/g, 'ˋ')}\``;
    if (r.bold) return `*${text.replace(/\*/g, '∗')}*`;
    return text;
  },
  cost: (_r, rendered) => rendered.length,
  footer: (t) => escapeSlack(t),
};

/** Escapes the three characters Slack treats as markup in text and mrkdwn. */
export const escapeSlack = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
