import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { HttpClient, classifyNetworkError, redact, redactUrl } from './http-client.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A local server whose behaviour each test picks by path. */
async function startServer(routes: Record<string, Handler>) {
  const sockets = new Set<unknown>();
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const h = routes[path];
    if (h) h(req, res);
    else res.writeHead(404).end('no route');
  });
  server.on('connection', (s) => sockets.add(s));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    port,
    connections: () => sockets.size,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

const readBody = async (req: IncomingMessage): Promise<string> => {
  const parts: Buffer[] = [];
  for await (const c of req) parts.push(c as Buffer);
  return Buffer.concat(parts).toString('utf8');
};

describe('HttpClient', () => {
  const logs: Record<string, unknown>[] = [];
  const client = new HttpClient({ logger: { debug: (obj) => logs.push(obj) } });
  let srv: Awaited<ReturnType<typeof startServer>>;
  let bigBody: { written: number; finished: Promise<boolean> } | null = null;

  before(async () => {
    srv = await startServer({
      '/ok': (req, res) => {
        void readBody(req).then((body) => {
          res.writeHead(200, { 'content-type': 'application/json', 'x-echo': req.method ?? '' });
          res.end(JSON.stringify({ got: body, ct: req.headers['content-type'] }));
        });
      },
      '/fail': (_req, res) => res.writeHead(500).end('internal trouble'),
      '/hang': () => {
        // Never answers.
      },
      '/reset': (req) => req.socket.destroy(),
      '/huge': (_req, res) => {
        // 10 MB in 64 KiB chunks, honouring backpressure, so `written` shows how far the client read.
        const chunk = Buffer.alloc(64 * 1024, 'a');
        const total = 10 * 1024 * 1024;
        const state = { written: 0, finished: Promise.resolve(false) };
        state.finished = new Promise<boolean>((resolve) => {
          res.on('close', () => resolve(res.writableFinished));
        });
        bigBody = state;
        res.writeHead(200, { 'content-type': 'text/plain' });
        const pump = () => {
          while (state.written < total) {
            state.written += chunk.length;
            if (!res.write(chunk)) {
              res.once('drain', pump);
              return;
            }
          }
          res.end();
        };
        pump();
      },
      '/utf8': (_req, res) => res.writeHead(200).end('€€€€'), // 12 bytes, 3 per character
    });
  });
  after(async () => {
    await client.close();
    await srv.close();
  });

  test('a 2xx answer is ok and carries status, headers and body', async () => {
    const r = await client.send({
      method: 'POST',
      url: `${srv.base}/ok`,
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    assert.equal(r.ok, true);
    assert.equal(r.status, 200);
    assert.equal(r.error, null);
    assert.equal(r.headers['x-echo'], 'POST');
    assert.deepEqual(JSON.parse(r.body), { got: '{"a":1}', ct: 'application/json' });
    assert.equal(r.truncated, false);
    assert.ok(r.durationMs >= 0);
  });

  test('a 500 answer is a result, not an error, and not ok', async () => {
    const r = await client.send({ method: 'GET', url: `${srv.base}/fail` });
    assert.equal(r.ok, false);
    assert.equal(r.status, 500);
    assert.equal(r.error, null);
    assert.equal(r.body, 'internal trouble');
  });

  test('a server that never answers gives a timeout error after the configured limit', async () => {
    const r = await client.send({ method: 'POST', url: `${srv.base}/hang`, body: 'x', timeoutMs: 200 });
    assert.equal(r.ok, false);
    assert.equal(r.status, null);
    assert.deepEqual(r.error, { kind: 'timeout', message: 'no answer within 200 ms' });
  });

  test('a refused port gives a connect error naming the address', async () => {
    const closed = await startServer({});
    const port = closed.port;
    await closed.close();
    const r = await client.send({ method: 'POST', url: `http://127.0.0.1:${port}/x`, body: '{}' });
    assert.equal(r.ok, false);
    assert.equal(r.status, null);
    assert.equal(r.error?.kind, 'connect');
    assert.equal(r.error?.message, `connect ECONNREFUSED 127.0.0.1:${port}`);
  });

  test('a connection dropped by the server is a reset', async () => {
    const r = await client.send({ method: 'GET', url: `${srv.base}/reset` });
    assert.equal(r.error?.kind, 'reset');
    assert.match(r.error?.message ?? '', /closed by the other side/);
  });

  test('speaking TLS to a plain HTTP port is a tls error', async () => {
    const r = await client.send({ method: 'GET', url: `${srv.base.replace('http:', 'https:')}/ok` });
    assert.equal(r.error?.kind, 'tls');
  });

  test('an invalid or non-HTTP URL is refused before any connection', async () => {
    const a = await client.send({ method: 'POST', url: 'not a url' });
    assert.equal(a.error?.kind, 'invalid_url');
    const b = await client.send({ method: 'POST', url: 'ftp://127.0.0.1/x' });
    assert.equal(b.error?.kind, 'invalid_url');
    assert.match(b.error?.message ?? '', /use http or https/);
  });

  test('an endless body is cut at the limit and the rest is not read', async () => {
    const r = await client.send({ method: 'GET', url: `${srv.base}/huge`, maxResponseBytes: 1000 });
    assert.equal(r.ok, true);
    assert.equal(r.status, 200);
    assert.equal(r.truncated, true);
    assert.equal(Buffer.byteLength(r.body), 1000);
    assert.ok(bigBody);
    // The client dropped the connection: the server could not finish its 10 MB.
    assert.equal(await bigBody.finished, false);
    assert.ok(bigBody.written < 10 * 1024 * 1024, `server wrote ${bigBody.written} bytes`);
  });

  test('a body cut never splits a UTF-8 character', async () => {
    const r = await client.send({ method: 'GET', url: `${srv.base}/utf8`, maxResponseBytes: 7 });
    assert.equal(r.body, '€€');
    assert.equal(r.truncated, true);
    const whole = await client.send({ method: 'GET', url: `${srv.base}/utf8`, maxResponseBytes: 12 });
    assert.equal(whole.body, '€€€€');
    assert.equal(whole.truncated, false);
  });

  test('secrets never reach the log or the error message', async () => {
    logs.length = 0;
    const closed = await startServer({});
    await closed.close();
    const r = await client.send({
      method: 'POST',
      url: `http://bob:hunter2@127.0.0.1:${closed.port}/hook/S3CRET-PATH?access_token=tok123&keep=1`,
      body: '{}',
      secrets: ['S3CRET-PATH'],
    });
    assert.equal(r.error?.kind, 'connect');
    const logged = JSON.stringify(logs);
    for (const s of ['hunter2', 'bob', 'S3CRET-PATH', 'tok123']) {
      assert.ok(!logged.includes(s), `${s} leaked into ${logged}`);
      assert.ok(!r.error?.message.includes(s));
    }
    assert.equal(logs[0]?.url, `http://***@127.0.0.1:${closed.port}/hook/***?access_token=***&keep=1`);
    assert.equal(logs[0]?.method, 'POST');
    assert.equal(logs[0]?.error, 'connect');
  });

  test('an invalid URL with a secret is reported without it', async () => {
    const r = await client.send({ method: 'POST', url: 'https://exa mple.com/?token=abc', secrets: ['abc'] });
    assert.equal(r.error?.kind, 'invalid_url');
    assert.ok(!r.error?.message.includes('abc'));
  });

  test('a second request reuses the kept-alive connection', async () => {
    const fresh = await startServer({ '/ok': (_req, res) => res.writeHead(204).end() });
    const c = new HttpClient();
    try {
      const a = await c.send({ method: 'GET', url: `${fresh.base}/ok` });
      // undici hands the connection back to its pool on the next turn of the event loop.
      await new Promise((resolve) => setImmediate(resolve));
      const b = await c.send({ method: 'GET', url: `${fresh.base}/ok` });
      assert.equal(a.status, 204);
      assert.equal(b.status, 204);
      assert.equal(fresh.connections(), 1);
    } finally {
      await c.close();
      await fresh.close();
    }
  });

  test('a request whose deadline passes while it waits for a connection times out and is never sent', async () => {
    let received = 0;
    const slow = await startServer({
      '/hang': () => {
        received++; // never answers
      },
    });
    const c = new HttpClient({ connectionsPerOrigin: 1 });
    try {
      const first = c.send({ method: 'POST', url: `${slow.base}/hang`, body: 'a', timeoutMs: 400 });
      const queued = await c.send({ method: 'POST', url: `${slow.base}/hang`, body: 'b', timeoutMs: 100 });
      assert.deepEqual(queued.error, { kind: 'timeout', message: 'no answer within 100 ms' });
      assert.equal((await first).error?.kind, 'timeout');
      // The first request's connection is dropped at its deadline; the queued one, already answered
      // as timed out, is aborted when it would be written instead of reaching the server late.
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(received, 1);
    } finally {
      await c.close();
      await slow.close();
    }
  });
});

describe('redaction', () => {
  test('secrets are replaced, also when URL-encoded, longest first', () => {
    assert.equal(redact('a key/+= and a%20b and key', ['key/+=', 'a b']), 'a *** and *** and key');
    assert.equal(redact('abcdef abc', ['abc', 'abcdef']), '*** ***');
  });

  test('credential query parameters and userinfo are redacted in URLs and in free text', () => {
    assert.equal(
      redactUrl('https://oapi.dingtalk.com/robot/send?access_token=T0K&timestamp=1&sign=abc%3D'),
      'https://oapi.dingtalk.com/robot/send?access_token=***&timestamp=1&sign=***',
    );
    assert.equal(
      redactUrl('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K-1'),
      'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***',
    );
    assert.equal(
      redact('error: invalid webhook url https://u:p@host/x?api_key=1&password=2 (see docs)'),
      'error: invalid webhook url https://***@host/x?api_key=***&password=*** (see docs)',
    );
    assert.equal(redact('plain text, nothing secret'), 'plain text, nothing secret');
  });

  test('empty secrets are ignored', () => {
    assert.equal(redact('abc', ['']), 'abc');
  });
});

describe('classifyNetworkError', () => {
  test('DNS failures are dns, whether on the error or its cause', () => {
    const e = Object.assign(new Error('getaddrinfo ENOTFOUND hooks.example.invalid'), { code: 'ENOTFOUND' });
    assert.deepEqual(classifyNetworkError(e), {
      kind: 'dns',
      message: 'getaddrinfo ENOTFOUND hooks.example.invalid',
    });
    const wrapped = Object.assign(new Error(''), {
      cause: { code: 'EAI_AGAIN', message: 'getaddrinfo EAI_AGAIN x' },
    });
    assert.equal(classifyNetworkError(wrapped).kind, 'dns');
  });

  test('connect timeouts, TLS codes and unknown errors', () => {
    assert.equal(
      classifyNetworkError({ code: 'UND_ERR_CONNECT_TIMEOUT', message: 'Connect Timeout Error' }).kind,
      'connect',
    );
    assert.equal(classifyNetworkError({ code: 'ERR_TLS_CERT_ALTNAME_INVALID', message: 'x' }).kind, 'tls');
    assert.equal(classifyNetworkError({ code: 'UND_ERR_HEADERS_OVERFLOW', message: 'x' }).kind, 'too_large');
    assert.deepEqual(classifyNetworkError('boom'), { kind: 'other', message: 'boom' });
  });
});
