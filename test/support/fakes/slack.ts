// A faithful fake of Slack incoming webhooks on 127.0.0.1.
//   const slack = await startFakeSlack({ now: () => clock.now() });
//   slack.url                        -> 'http://127.0.0.1:<port>/services/T0WATCH01/B0WATCH01/<secret>'
//   slack.setChannel('archived')     -> the webhook's channel is archived (410 channel_is_archived)
//   slack.respondWith(503, 'x', 1)   -> the next accepted request gets this answer (an outage)
//   slack.messages                   -> what was posted and accepted (parsed)
// Like Slack: POST JSON only; an unknown secret is 403 `invalid_token`, a path outside /services/ is
// 404 `no_service`; unparsable JSON is 400 `invalid_payload`; neither text nor blocks is 400
// `no_text`; text over 40,000 characters is 400 `msg_too_long`; blocks breaking Block Kit's limits
// (header 150, section 3,000, button label 75, URL 3,000, 25 buttons, 50 blocks, unique action_id)
// are 400 `invalid_blocks`; more than one message per second per webhook is 429 `rate_limited`
// with `Retry-After` in seconds; success is 200 with the plain-text body `ok`.
// Lengths are counted in characters (code points), as Slack does.
import type { FakeAnswer, FakeRequest, HttpFake, RecordedExchange } from './http-fake.js';
import { startHttpFake, WindowLimiter } from './http-fake.js';

export const SLACK_FAKE_SECRET = 'wpS1ackW3bh00kSecretAbcd';

export interface SlackPosted {
  text: string | undefined;
  blocks: unknown[] | undefined;
  raw: Record<string, unknown>;
}

export interface FakeSlack {
  /** The webhook URL of the default secret. */
  url: string;
  /** A webhook URL with another secret (unknown unless `secrets` listed it). */
  urlFor(secret: string): string;
  readonly messages: readonly SlackPosted[];
  readonly exchanges: readonly RecordedExchange[];
  setChannel(state: 'ok' | 'archived' | 'not_found'): void;
  respondWith(status: number, body: string, times?: number): void;
  waitFor(count: number, timeoutMs?: number): Promise<RecordedExchange[]>;
  close(): Promise<void>;
}

const LIMITS = { text: 40_000, header: 150, section: 3_000, button: 75, url: 3_000, buttons: 25, blocks: 50 };
const chars = (s: string) => Array.from(s).length;
const plain = (body: string, status: number, headers?: Record<string, string>): FakeAnswer => ({
  status,
  body,
  contentType: 'text/html',
  ...(headers ? { headers } : {}),
});

/** Why Slack would refuse `blocks`, or null when Block Kit accepts them. Exported for unit tests. */
export function blocksProblem(blocks: unknown): string | null {
  if (!Array.isArray(blocks)) return 'blocks is not an array';
  if (blocks.length > LIMITS.blocks) return 'more than 50 blocks';
  const actionIds = new Set<string>();
  for (const [i, b] of blocks.entries()) {
    const block = (b ?? {}) as Record<string, any>;
    switch (block.type) {
      case 'header': {
        const t = block.text;
        if (t?.type !== 'plain_text' || typeof t.text !== 'string' || t.text === '')
          return `blocks[${i}].text`;
        if (chars(t.text) > LIMITS.header) return `blocks[${i}].text must be at most 150 characters`;
        break;
      }
      case 'section': {
        const t = block.text;
        if (
          !t ||
          (t.type !== 'mrkdwn' && t.type !== 'plain_text') ||
          typeof t.text !== 'string' ||
          t.text === ''
        )
          return `blocks[${i}].text`;
        if (chars(t.text) > LIMITS.section) return `blocks[${i}].text must be at most 3000 characters`;
        break;
      }
      case 'actions': {
        const els = block.elements;
        if (!Array.isArray(els) || els.length === 0 || els.length > LIMITS.buttons)
          return `blocks[${i}].elements`;
        for (const [j, e] of (els as Record<string, any>[]).entries()) {
          if (e.type !== 'button') return `blocks[${i}].elements[${j}].type`;
          if (e.text?.type !== 'plain_text' || typeof e.text.text !== 'string' || e.text.text === '')
            return `blocks[${i}].elements[${j}].text`;
          if (chars(e.text.text) > LIMITS.button)
            return `blocks[${i}].elements[${j}].text must be at most 75 characters`;
          if (e.url !== undefined && (typeof e.url !== 'string' || chars(e.url) > LIMITS.url))
            return `blocks[${i}].elements[${j}].url`;
          if (e.action_id !== undefined) {
            if (actionIds.has(e.action_id)) return `blocks[${i}].elements[${j}].action_id must be unique`;
            actionIds.add(e.action_id);
          }
        }
        break;
      }
      case 'divider':
      case 'context':
        break;
      default:
        return `blocks[${i}].type`;
    }
  }
  return null;
}

export async function startFakeSlack(
  opts: { now?: () => number; secrets?: string[] } = {},
): Promise<FakeSlack> {
  const now = opts.now ?? (() => Date.now());
  const known = new Set([SLACK_FAKE_SECRET, ...(opts.secrets ?? [])]);
  const limiters = new Map<string, WindowLimiter>();
  const messages: SlackPosted[] = [];
  const queue: FakeAnswer[] = [];
  let channel: 'ok' | 'archived' | 'not_found' = 'ok';

  const handle = (req: FakeRequest): FakeAnswer => {
    const m = /^\/services\/(T[A-Z0-9]+)\/(B[A-Z0-9]+)\/([A-Za-z0-9]+)$/.exec(req.path);
    if (!m) return plain('no_service', 404);
    if (!known.has(m[3] ?? '')) return plain('invalid_token', 403);
    if (req.method !== 'POST') return plain('invalid_payload', 400);
    const body = req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      return plain('invalid_payload', 400);
    const raw = body as Record<string, unknown>;
    const hasText = typeof raw.text === 'string' && raw.text !== '';
    if (!hasText && (!Array.isArray(raw.blocks) || raw.blocks.length === 0)) return plain('no_text', 400);
    if (hasText && chars(raw.text as string) > LIMITS.text) return plain('msg_too_long', 400);
    if (raw.blocks !== undefined && blocksProblem(raw.blocks) !== null) return plain('invalid_blocks', 400);

    const hook = req.path;
    let limiter = limiters.get(hook);
    if (!limiter) limiters.set(hook, (limiter = new WindowLimiter([{ max: 1, windowMs: 1000 }])));
    const wait = limiter.waitMs(now());
    if (wait > 0) return plain('rate_limited', 429, { 'retry-after': String(Math.ceil(wait / 1000)) });
    limiter.allow(now());

    if (channel === 'archived') return plain('channel_is_archived', 410);
    if (channel === 'not_found') return plain('channel_not_found', 404);
    const injected = queue.shift();
    if (injected) return injected;
    messages.push({
      text: typeof raw.text === 'string' ? raw.text : undefined,
      blocks: Array.isArray(raw.blocks) ? raw.blocks : undefined,
      raw,
    });
    return plain('ok', 200);
  };

  const server: HttpFake = await startHttpFake(handle);
  const urlFor = (secret: string) => `${server.origin}/services/T0WATCH01/B0WATCH01/${secret}`;
  return {
    url: urlFor(SLACK_FAKE_SECRET),
    urlFor,
    messages,
    exchanges: server.exchanges,
    setChannel(state) {
      channel = state;
    },
    respondWith(status, body, times = 1) {
      for (let i = 0; i < times; i++) queue.push(plain(body, status));
    },
    waitFor: (count, timeoutMs) => server.waitFor(count, timeoutMs),
    close: () => server.close(),
  };
}
