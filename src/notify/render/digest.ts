// Pure: several notifications for one throttled destination merged into one message. Bounded
// whatever the input: at most MAX_LISTED messages, each its title and first lines, then a count
// of the rest. The merged message carries the worst severity, "firing" if any input fires, every
// input's mentions, and one link: to the list in Watchpost.
import type { ChannelMessage } from '../channels/channel.js';
import { cut } from '../channels/truncate.js';
import { escapeMarkdown, formatCount, oneLine, worstSeverity } from './format.js';
import type { LanguagePack } from './language-pack.js';

export interface DigestOptions {
  idempotencyKey: string;
  detailUrl: string;
}

export const MAX_LISTED = 20;
const LINES_EACH = 3;
const MAX_LINE = 200;

/** The digest of `messages`, in the language of `words`. */
export function buildDigest(
  messages: readonly ChannelMessage[],
  o: DigestOptions,
  words: LanguagePack['words'],
): ChannelMessage {
  const firing = messages.filter((m) => m.status === 'firing').length;
  const title = words.digestTitle(formatCount(messages.length));
  const counts = words.digestCounts(formatCount(firing), formatCount(messages.length - firing));
  const listed = messages.slice(0, MAX_LISTED);
  const more = messages.length - listed.length;

  const md = [`### ${title}`, counts];
  const text = [title, counts];
  listed.forEach((m, i) => {
    const t = cut(oneLine(m.title), MAX_LINE);
    md.push('', `**${i + 1}. ${escapeMarkdown(t)}**`, ...firstLines(m.markdown));
    text.push(`${i + 1}. ${t}`);
  });
  if (more > 0) {
    md.push('', words.digestMore(formatCount(more)));
    text.push(words.digestMore(formatCount(more)));
  }

  return {
    title,
    markdown: md.join('\n'),
    text: text.join('\n'),
    severity: worstSeverity(messages.map((m) => m.severity)),
    status: firing > 0 ? 'firing' : 'resolved',
    links: o.detailUrl ? [{ label: words.open, url: o.detailUrl }] : [],
    detailUrl: o.detailUrl,
    mentions: {
      mobiles: [...new Set(messages.flatMap((m) => m.mentions.mobiles))],
      userIds: [...new Set(messages.flatMap((m) => m.mentions.userIds))],
      all: messages.some((m) => m.mentions.all),
    },
    idempotencyKey: o.idempotencyKey,
  };
}

/**
 * The first non-blank lines of a message body after its heading (which repeats the title), each
 * cut to MAX_LINE; headings inside become plain lines so the digest keeps one level of structure.
 */
function firstLines(markdown: string): string[] {
  const lines = markdown
    .split(/\r?\n/)
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '');
  if (lines[0]?.startsWith('#')) lines.shift();
  return lines.slice(0, LINES_EACH).map((l) => cut(l.replace(/^\s*#{1,6}\s+/, ''), MAX_LINE));
}
