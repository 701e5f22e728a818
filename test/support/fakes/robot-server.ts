// The HTTP part the chat-robot fakes (DingTalk, WeCom, Feishu) share: a server on 127.0.0.1 (port
// chosen by the OS) that reads each request whole, hands it to the provider's logic, records it with
// the answer given, and answers JSON. Each fake owns its protocol; this owns only the socket.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';

export interface RobotRequest {
  method: string;
  /** Path without the query. */
  path: string;
  /** The query string decoded once, as a server framework would. */
  query: Record<string, string>;
  /** Header names in lower case. */
  headers: Record<string, string>;
  rawBody: Buffer;
  /** The body parsed as JSON; undefined when it is not JSON. */
  body: unknown;
}

export interface RobotAnswer {
  status: number;
  body: unknown;
}

export interface RecordedRequest extends RobotRequest {
  answer: RobotAnswer;
}

export interface RobotServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  readonly requests: readonly RecordedRequest[];
  close(): Promise<void>;
}

export async function startRobotServer(handle: (req: RobotRequest) => RobotAnswer): Promise<RobotServer> {
  const requests: RecordedRequest[] = [];

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const parts: Buffer[] = [];
    for await (const c of req) parts.push(c as Buffer);
    const rawBody = Buffer.concat(parts);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = v;
    let body: unknown;
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      body = undefined;
    }
    const request: RobotRequest = {
      method: req.method ?? '',
      path: url.pathname,
      query,
      headers,
      rawBody,
      body,
    };
    const answer = handle(request);
    requests.push({ ...request, answer });
    res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(answer.body));
  };

  const server = createServer((req, res) => {
    serve(req, res).catch(() => res.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** Counts events in sliding windows: `allow(now)` is false once any window is full. */
export class SlidingWindows {
  private readonly times: number[] = [];
  constructor(private readonly limits: readonly { max: number; windowMs: number }[]) {}

  /** Whether one more event fits at `now`; when it does, it is counted. */
  allow(now: number): boolean {
    const longest = Math.max(...this.limits.map((l) => l.windowMs));
    while (this.times.length > 0 && (this.times[0] ?? 0) <= now - longest) this.times.shift();
    for (const { max, windowMs } of this.limits) {
      const inWindow = this.times.filter((t) => t > now - windowMs).length;
      if (inWindow >= max) return false;
    }
    this.times.push(now);
    return true;
  }
}
