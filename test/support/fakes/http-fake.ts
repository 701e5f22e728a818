// The socket part of every HTTP provider fake (chat robots, SMS, Slack, Telegram, PagerDuty): a
// server on 127.0.0.1 (port chosen by the OS) that reads each request whole, hands it to the
// provider's logic, records it with the answer given, and answers with the status, headers and body
// (text, or JSON for anything else) it got. `waitFor(n)` resolves once n requests arrived, without
// polling. `WindowLimiter` counts requests in sliding windows for the rate limits. Each fake owns
// its protocol; this owns only the socket.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';

export interface FakeRequest {
  method: string;
  /** Path without the query, not decoded. */
  path: string;
  /** The query string decoded once, as a server framework would. */
  query: Record<string, string>;
  /** Header names in lower case. */
  headers: Record<string, string>;
  rawBody: Buffer;
  /** The body parsed as JSON; undefined when it is not JSON. */
  body: unknown;
}

export interface FakeAnswer {
  status: number;
  /** A string is sent as text/plain (or `contentType`); anything else as JSON (UTF-8). */
  body: unknown;
  headers?: Record<string, string>;
  contentType?: string;
}

export interface RecordedExchange extends FakeRequest {
  answer: FakeAnswer;
}

export interface HttpFake {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  readonly exchanges: readonly RecordedExchange[];
  /** Resolves once `count` requests were answered; rejects after `timeoutMs` saying how many were. */
  waitFor(count: number, timeoutMs?: number): Promise<RecordedExchange[]>;
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 with a port the OS chose; `close` also ends kept-alive connections. */
export async function listenLocal(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
): Promise<{ origin: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/**
 * Waiting for a list that grows as requests arrive: call `arrived()` after each push; `waitFor`
 * resolves with a copy once `count` are there, and rejects after `timeoutMs` saying how many came.
 */
export function arrivals<T>(
  list: readonly T[],
  what: string,
): { arrived: () => void; waitFor: (count: number, timeoutMs?: number) => Promise<T[]> } {
  const waiters = new Set<() => void>();
  return {
    arrived: () => {
      for (const w of [...waiters]) w();
    },
    waitFor: (count, timeoutMs = 2000) =>
      new Promise<T[]>((resolve, reject) => {
        const check = () => {
          if (list.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve([...list]);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`expected ${count} ${what} within ${timeoutMs} ms, got ${list.length}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
  };
}

export async function startHttpFake(handle: (req: FakeRequest) => FakeAnswer): Promise<HttpFake> {
  const exchanges: RecordedExchange[] = [];
  const waiting = arrivals(exchanges, 'requests');

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const parts: Buffer[] = [];
    for await (const c of req) parts.push(c as Buffer);
    const rawBody = Buffer.concat(parts);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    }
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const query: Record<string, string> = {};
    for (const [k, v] of new URL(req.url ?? '/', 'http://127.0.0.1').searchParams) query[k] = v;
    let body: unknown;
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      body = undefined;
    }
    const request: FakeRequest = { method: req.method ?? '', path, query, headers, rawBody, body };
    const answer = handle(request);
    exchanges.push({ ...request, answer });
    const text = typeof answer.body === 'string';
    res.writeHead(answer.status, {
      'content-type':
        answer.contentType ?? (text ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8'),
      ...answer.headers,
    });
    res.end(text ? (answer.body as string) : JSON.stringify(answer.body));
    waiting.arrived();
  };

  const { origin, close } = await listenLocal(serve);
  return { origin, exchanges, waitFor: waiting.waitFor, close };
}

/** Counts accepted events in sliding windows: `allow(now)` is false once any window is full. */
export class WindowLimiter {
  private readonly times: number[] = [];
  constructor(private readonly limits: readonly { max: number; windowMs: number }[]) {}

  /** Whether one more event fits at `now`; when it does, it is counted. */
  allow(now: number): boolean {
    return this.waitMs(now) === 0 && (this.times.push(now), true);
  }

  /** 0 when one more event fits at `now`, else how long until it does. */
  waitMs(now: number): number {
    const longest = Math.max(...this.limits.map((l) => l.windowMs));
    while (this.times.length > 0 && (this.times[0] ?? 0) <= now - longest) this.times.shift();
    let wait = 0;
    for (const { max, windowMs } of this.limits) {
      const inWindow = this.times.filter((t) => t > now - windowMs);
      if (inWindow.length >= max) {
        const oldest = inWindow[inWindow.length - max] ?? now;
        wait = Math.max(wait, oldest + windowMs - now);
      }
    }
    return wait;
  }
}
