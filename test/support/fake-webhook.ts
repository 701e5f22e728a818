// A webhook receiver on 127.0.0.1 (port chosen by the OS) for channel tests.
//   const hook = await startFakeWebhook({ signingSecret? });
//   hook.url                      -> 'http://127.0.0.1:<port>/hook' (any path is accepted)
//   hook.respondWith(503, 'busy', 2) -> the next 2 accepted requests get 503 'busy' (default: 200 'ok')
//   hook.hang(1)                  -> the next accepted request gets no answer until close()
//   await hook.waitFor(3, 2000)   -> resolves with the requests once 3 have arrived (no polling)
//   hook.requests                 -> every request: method, path, headers, raw and parsed body, arrival
//   await hook.close()
// With `signingSecret`, it checks X-Watchpost-Signature the way a receiver would (its own HMAC code,
// independent of the sender's) and answers 401 to a missing or wrong signature.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { arrivals, listenLocal } from './fakes/http-fake.js';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { performance } from 'node:perf_hooks';

export interface ReceivedRequest {
  method: string;
  /** Path and query as sent. */
  path: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  rawBody: string;
  /** The body parsed as JSON; undefined when it is not JSON. */
  body: unknown;
  /** performance.now() when the body had fully arrived. */
  arrivedAt: number;
  /** null when no signing secret is configured. */
  signature: 'valid' | 'invalid' | 'missing' | 'stale' | null;
}

export interface FakeWebhook {
  url: string;
  readonly requests: readonly ReceivedRequest[];
  /** The next `times` accepted requests get this answer (a non-string body is sent as JSON). */
  respondWith(status: number, body?: unknown, times?: number): void;
  /** The next `times` accepted requests get no answer at all. */
  hang(times?: number): void;
  /** Resolves once `count` requests have arrived; rejects after `timeoutMs` saying how many did. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

type Answer = { kind: 'respond'; status: number; body: string; json: boolean } | { kind: 'hang' };

export async function startFakeWebhook(
  opts: {
    signingSecret?: string;
    /** With a clock, a timestamp more than `toleranceSeconds` (default 300) away is refused. */
    now?: () => number;
    toleranceSeconds?: number;
  } = {},
): Promise<FakeWebhook> {
  const requests: ReceivedRequest[] = [];
  const queue: Answer[] = [];
  const waiting = arrivals(requests, 'webhook requests');

  const checkSignature = (headers: Record<string, string>, raw: Buffer): ReceivedRequest['signature'] => {
    if (opts.signingSecret === undefined) return null;
    const ts = headers['x-watchpost-timestamp'];
    const sig = headers['x-watchpost-signature'];
    if (!ts || !sig) return 'missing';
    const mac = createHmac('sha256', opts.signingSecret);
    mac.update(Buffer.concat([Buffer.from(ts + '.', 'utf8'), raw]));
    const expected = Buffer.from('sha256=' + mac.digest('hex'));
    const given = Buffer.from(sig);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
    if (opts.now && Math.abs(opts.now() / 1000 - Number(ts)) > (opts.toleranceSeconds ?? 300)) return 'stale';
    return 'valid';
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const parts: Buffer[] = [];
    for await (const c of req) parts.push(c as Buffer);
    const raw = Buffer.concat(parts);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    }
    const rawBody = raw.toString('utf8');
    let body: unknown;
    try {
      body = JSON.parse(rawBody);
    } catch {
      body = undefined;
    }
    const signature = checkSignature(headers, raw);
    requests.push({
      method: req.method ?? '',
      path: req.url ?? '',
      headers,
      rawBody,
      body,
      arrivedAt: performance.now(),
      signature,
    });
    waiting.arrived();

    if (signature !== null && signature !== 'valid') {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `signature ${signature}` }));
      return;
    }
    const answer = queue.shift() ?? { kind: 'respond', status: 200, body: 'ok', json: false };
    if (answer.kind === 'hang') return;
    res.writeHead(answer.status, { 'content-type': answer.json ? 'application/json' : 'text/plain' });
    res.end(answer.body);
  };

  const { origin, close } = await listenLocal(handle);

  return {
    url: `${origin}/hook`,
    requests,
    respondWith(status, body = '', times = 1) {
      const json = typeof body !== 'string';
      const text = json ? JSON.stringify(body) : body;
      for (let i = 0; i < times; i++) queue.push({ kind: 'respond', status, body: text, json });
    },
    hang(times = 1) {
      for (let i = 0; i < times; i++) queue.push({ kind: 'hang' });
    },
    waitFor: waiting.waitFor,
    close,
  };
}
