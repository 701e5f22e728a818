// Slack incoming webhook: POST {text, blocks} to the webhook URL (its path is the credential).
// Success is the plain-text body `ok`; errors are plain-text codes with a 4xx (invalid_payload,
// no_text, invalid_blocks, channel_not_found, channel_is_archived, invalid_token, no_service …) and
// are permanent; 429 (about one message per second per webhook) and 5xx are retryable, 429 with a
// Retry-After hint. Limits are in characters: `text` 40,000, a section's text 3,000, a header's 150,
// a button's label 75 and URL 3,000, 25 buttons per actions block.
import type { Channel, ChannelMessage, DeliveryOutcome, SendContext } from './channel.js';
import type { Language, Verdict } from './common.js';
import { excerpt, networkRetryable, retryAfterMs, toOutcome, truncationFooter } from './common.js';
import { truncateChars } from './truncate.js';
import { escapeSlack, parseMarkdown, renderChatWithin, slackMrkdwn } from './markdown-lite.js';

export interface SlackConfig {
  /** The incoming webhook URL, https://hooks.slack.com/services/T…/B…/…; secret as a whole. */
  url: string;
  /** Language of the truncation footer; zh-CN when absent. */
  language?: Language;
  /** Deadline of the request; the client's default (10 s) when absent. */
  timeoutMs?: number;
}

export const SLACK_LIMITS = {
  text: 40_000,
  sectionText: 3_000,
  headerText: 150,
  buttonText: 75,
  buttonUrl: 3_000,
  buttons: 25,
} as const;

interface PlainText {
  type: 'plain_text';
  text: string;
  emoji: boolean;
}
export type SlackBlock =
  | { type: 'header'; text: PlainText }
  | { type: 'section'; text: { type: 'mrkdwn'; text: string } }
  | {
      type: 'actions';
      elements: { type: 'button'; action_id: string; text: PlainText; url: string }[];
    };

export interface SlackBody {
  /** The notification fallback (shown in pop-ups and where blocks cannot be). */
  text: string;
  blocks: SlackBlock[];
}

/** The webhook body for `msg`: header, section in mrkdwn (truncated with a footer), link buttons. */
export function buildSlackBody(msg: ChannelMessage, language?: Language): SlackBody {
  const footer = truncationFooter(language, msg.detailUrl);
  const title = truncateChars(
    msg.title.replace(/\s+/g, ' ').trim() || 'Watchpost',
    SLACK_LIMITS.headerText,
    '…',
  );
  const lines = parseMarkdown(msg.markdown);
  let section = renderChatWithin(lines, slackMrkdwn, SLACK_LIMITS.sectionText, footer).text;
  if (section.trim() === '') {
    section = truncateChars(
      escapeSlack(msg.text.trim() || msg.title),
      SLACK_LIMITS.sectionText,
      escapeSlack(footer),
    );
  }
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: title, emoji: true } },
    { type: 'section', text: { type: 'mrkdwn', text: section } },
  ];
  const buttons = msg.links
    .filter((l) => /^https?:\/\//i.test(l.url) && l.url.length <= SLACK_LIMITS.buttonUrl)
    .slice(0, SLACK_LIMITS.buttons)
    .map((l, i) => ({
      type: 'button' as const,
      action_id: `watchpost-link-${i}`,
      text: {
        type: 'plain_text' as const,
        text: truncateChars(l.label.trim() || l.url, SLACK_LIMITS.buttonText, '…'),
        emoji: true,
      },
      url: l.url,
    }));
  if (buttons.length > 0) blocks.push({ type: 'actions', elements: buttons });
  const fallback = `${msg.title}\n${msg.text}`.trim();
  return { text: truncateChars(escapeSlack(fallback), SLACK_LIMITS.text, escapeSlack(footer)), blocks };
}

const HINTS: Record<string, string> = {
  invalid_token: 'the webhook URL is wrong or was revoked: create a new incoming webhook',
  no_service: 'the webhook URL is wrong or was revoked: create a new incoming webhook',
  no_team: 'the workspace of this webhook no longer exists',
  team_disabled: 'the workspace of this webhook is disabled',
  channel_not_found: "the webhook's channel no longer exists: create a webhook for another channel",
  channel_is_archived: "the webhook's channel is archived: unarchive it or use another webhook",
  action_prohibited: 'a workspace admin restricted posting to this channel',
  posting_to_general_channel_denied: 'only admins may post to this channel',
  invalid_payload: 'Slack could not read the message',
  invalid_blocks: "Slack refused the message's blocks",
  no_text: 'the message had no text',
};

/** What Slack's answer means: only 200 with the body `ok` is a success. */
export function interpretSlackAnswer(
  status: number,
  headers: Record<string, string>,
  body: string,
  now: number,
): Verdict {
  const code = body.trim().split(/\s/)[0] ?? '';
  if (status === 200 && code === 'ok') {
    return { ok: true, retryable: false, providerCode: 'ok', message: 'slack accepted the message' };
  }
  const providerCode = /^[a-z_]{2,64}$/.test(code) ? code : String(status);
  if (status === 429) {
    const penaltyMs = retryAfterMs(headers['retry-after'], now);
    const wait = penaltyMs !== undefined ? `; Slack asks to wait ${Math.ceil(penaltyMs / 1000)} s` : '';
    return {
      ok: false,
      retryable: true,
      providerCode,
      message: `slack is throttling this webhook: 429 ${providerCode}${wait}`,
      ...(penaltyMs !== undefined ? { penaltyMs } : {}),
    };
  }
  if (status >= 500 || status === 408) {
    return {
      ok: false,
      retryable: true,
      providerCode,
      message: `slack failed to take the message: ${status}${excerpt(body)}`,
    };
  }
  if (status >= 300 && status < 400) {
    return {
      ok: false,
      retryable: false,
      providerCode: String(status),
      message: `slack redirects (${status}); redirects are not followed: configure the webhook URL itself`,
    };
  }
  const hint = HINTS[providerCode];
  return {
    ok: false,
    retryable: false,
    providerCode,
    message: `slack refused the message: ${status} ${providerCode}${hint ? `: ${hint}` : excerpt(body)}`,
  };
}

/** The parts of a webhook URL that are credentials: the URL, its path and its last segment. */
export function slackSecrets(url: string): string[] {
  const out = [url];
  try {
    const path = new URL(url).pathname;
    const rest = path.replace(/^\/services\//, '').replace(/^\//, '');
    if (rest.length >= 8) out.push(rest);
    const last = path.split('/').pop() ?? '';
    if (last.length >= 8) out.push(last);
  } catch {
    // An unparsable URL is redacted whole; the client reports it as invalid.
  }
  return out;
}

export const slackChannel: Channel<SlackConfig> = {
  kind: 'slack',
  async send(cfg: SlackConfig, msg: ChannelMessage, ctx: SendContext): Promise<DeliveryOutcome> {
    const secrets = slackSecrets(cfg.url);
    const body = JSON.stringify(buildSlackBody(msg, cfg.language));
    const res = await ctx.client.send({
      method: 'POST',
      url: cfg.url,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': `Watchpost/${ctx.version}`,
      },
      body,
      secrets,
      ...(cfg.timeoutMs !== undefined ? { timeoutMs: cfg.timeoutMs } : {}),
    });
    const base = { status: res.status, durationMs: res.durationMs };
    if (res.error) {
      const what =
        res.error.kind === 'invalid_url' ? 'the webhook URL is not usable' : 'could not reach Slack';
      return toOutcome(
        {
          ok: false,
          retryable: networkRetryable(res.error.kind),
          providerCode: null,
          message: `slack: ${what}: ${res.error.message}`,
        },
        base,
        secrets,
      );
    }
    return toOutcome(interpretSlackAnswer(res.status ?? 0, res.headers, res.body, ctx.now), base, secrets);
  },
};
