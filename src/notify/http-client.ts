// The one outbound HTTP client (CONVENTIONS rule 8). Every channel sends through `HttpClient.send`,
// which bounds the time (connect + headers + body), bounds the bytes read from the answer, never
// throws for network failures, and keeps secrets out of what it logs and of its error messages.
import { Agent } from 'undici';
import type { Dispatcher } from 'undici';
import { performance } from 'node:perf_hooks';

export type HttpMethod = 'POST' | 'GET' | 'PUT';

export interface HttpRequest {
  method: HttpMethod;
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Deadline for the whole exchange: connect, headers and body. Default 10 000 ms. */
  timeoutMs?: number;
  /** Bytes of the answer's body kept; the rest is not read and the request is aborted. Default 64 KiB. */
  maxResponseBytes?: number;
  /** Values (tokens, keys, passwords, signatures) replaced by `***` in logs and error messages. */
  secrets?: string[];
}

export type HttpErrorKind =
  'timeout' | 'connect' | 'dns' | 'tls' | 'reset' | 'too_large' | 'invalid_url' | 'other';

export interface HttpError {
  kind: HttpErrorKind;
  /** Redacted, e.g. "connect ECONNREFUSED 127.0.0.1:9" or "no answer within 10000 ms". */
  message: string;
}

export interface HttpResult {
  /** True when an answer with a 2xx status arrived completely (or up to the size limit) in time. */
  ok: boolean;
  /** The answer's status, or null when none arrived. */
  status: number | null;
  /** Header names in lower case; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The body decoded as UTF-8, at most `maxResponseBytes` bytes, cut on a character boundary. */
  body: string;
  /** True when the body was longer than `maxResponseBytes` and was cut (the rest was not read). */
  truncated: boolean;
  durationMs: number;
  error: HttpError | null;
}

/** The part of a pino logger the client uses. */
export interface HttpLogger {
  debug(obj: Record<string, unknown>, msg: string): void;
}

export interface HttpClientOptions {
  logger?: HttpLogger;
  /** Time allowed to open a connection (TCP + TLS). Default 5 000 ms. */
  connectTimeoutMs?: number;
  /** Default deadline of `send` when the request sets none. Default 10 000 ms. */
  timeoutMs?: number;
  /** Default body limit of `send` when the request sets none. Default 64 KiB. */
  maxResponseBytes?: number;
  /** How long an idle kept-alive connection stays open. Default 4 000 ms. */
  keepAliveTimeoutMs?: number;
  /** Connections per origin. Default 8. */
  connectionsPerOrigin?: number;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024;
const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

/**
 * Sends HTTP requests over one keep-alive connection pool. Construct one per app and `close()` it on
 * shutdown. Redirects are not followed: a 3xx comes back as a result like any other status, so a
 * notification is never silently re-posted to another host.
 */
export class HttpClient {
  private readonly agent: Agent;
  private readonly logger: HttpLogger | undefined;
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;

  constructor(opts: HttpClientOptions = {}) {
    this.logger = opts.logger;
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxResponseBytes = opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.agent = new Agent({
      connect: { timeout: opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS },
      keepAliveTimeout: opts.keepAliveTimeoutMs ?? 4_000,
      keepAliveMaxTimeout: 60_000,
      connections: opts.connectionsPerOrigin ?? 8,
      // The per-request deadline below is the real limit; these only stop undici's own 300 s defaults
      // from outliving it.
      headersTimeout: 0,
      bodyTimeout: 0,
    });
  }

  /** Sends one request. Resolves for every outcome; network failures come back in `error`. */
  async send(req: HttpRequest): Promise<HttpResult> {
    const started = performance.now();
    const secrets = req.secrets ?? [];
    const timeoutMs = req.timeoutMs ?? this.timeoutMs;
    const limit = Math.max(0, req.maxResponseBytes ?? this.maxResponseBytes);
    const logUrl = redactUrl(req.url, secrets);

    const finish = (r: Omit<HttpResult, 'durationMs'>): HttpResult => {
      const result: HttpResult = { ...r, durationMs: Math.round(performance.now() - started) };
      this.logger?.debug(
        {
          method: req.method,
          url: logUrl,
          status: result.status,
          durationMs: result.durationMs,
          ...(result.truncated ? { truncated: true } : {}),
          ...(result.error ? { error: result.error.kind, reason: result.error.message } : {}),
        },
        'outbound http request',
      );
      return result;
    };
    const failed = (kind: HttpErrorKind, message: string, status: number | null = null) =>
      finish({
        ok: false,
        status,
        headers: {},
        body: '',
        truncated: false,
        error: { kind, message: redact(message, secrets) },
      });

    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      return failed('invalid_url', `invalid URL ${JSON.stringify(logUrl)}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return failed(
        'invalid_url',
        `unsupported URL scheme ${JSON.stringify(url.protocol)}: use http or https`,
      );
    }

    return new Promise<HttpResult>((resolve) => {
      let done = false;
      let status: number | null = null;
      let headers: Record<string, string> = {};
      const chunks: Buffer[] = [];
      let received = 0;
      /** Set once the request reaches a connection: aborts it there (and drops that connection). */
      let controller: Dispatcher.DispatchController | null = null;
      /** Why the exchange ended early (the deadline, the body limit): aborts it when it starts. */
      let stopped: Error | null = null;
      const settle = (r: HttpResult) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(r);
      };
      const stop = (why: Error) => {
        stopped ??= why;
        if (controller && !controller.aborted) controller.abort(why);
      };
      const timer = setTimeout(() => {
        settle(failed('timeout', `no answer within ${timeoutMs} ms`, status));
        stop(new Error('deadline passed'));
      }, timeoutMs);
      const error = (err: unknown) => {
        const { kind, message } = classifyNetworkError(err);
        settle(failed(kind, message, status));
      };
      const answer = (truncated: boolean) => {
        const all = Buffer.concat(chunks, received);
        const body = truncated ? all.subarray(0, utf8Boundary(all, limit)) : all;
        const ok = status !== null && status >= 200 && status < 300;
        settle(finish({ ok, status, headers, body: body.toString('utf8'), truncated, error: null }));
      };
      // undici's dispatcher API: callbacks instead of a response stream, which costs several times
      // as much per request on a path that runs once per notification.
      const handler: Dispatcher.DispatchHandler = {
        onRequestStart: (c) => {
          controller = c;
          if (stopped) c.abort(stopped);
        },
        onResponseStart: (_c, statusCode, h) => {
          status = statusCode;
          headers = flattenHeaders(h);
        },
        onResponseData: (_c, chunk) => {
          chunks.push(chunk);
          received += chunk.length;
          // Keep one byte past the limit so the cut can be moved back onto a character boundary;
          // aborting drops the connection instead of reading the rest of an unbounded answer.
          if (received > limit && !done) {
            answer(true);
            stop(new Error('answer too large'));
          }
        },
        onResponseEnd: () => answer(false),
        onResponseError: (_c, err) => error(err),
      };
      try {
        this.agent.dispatch(
          {
            origin: url.origin,
            path: url.pathname + url.search,
            method: req.method,
            headers: req.headers ?? {},
            body: req.body ?? null,
          },
          handler,
        );
      } catch (err) {
        error(err); // arguments undici refuses (a header value it cannot send, say)
      }
    });
  }

  /** Closes idle connections and waits for requests in flight (each bounded by its deadline). */
  async close(): Promise<void> {
    await this.agent.close();
  }
}

/** The largest cut ≤ `limit` that does not split a UTF-8 sequence (`buf` holds more than `limit` bytes). */
function utf8Boundary(buf: Buffer, limit: number): number {
  let end = Math.min(limit, buf.length);
  // A byte 10xxxxxx continues the character before it: cutting before it would split that character.
  while (end > 0 && end < buf.length && ((buf[end] ?? 0) & 0xc0) === 0x80) end--;
  return end;
}

function flattenHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(h)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);
const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const TOO_LARGE_CODES = new Set([
  'UND_ERR_HEADERS_OVERFLOW',
  'UND_ERR_RES_EXCEEDED_MAX_SIZE',
  'HPE_HEADER_OVERFLOW',
]);
const TLS_CODES = new Set([
  'EPROTO',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);

/**
 * Maps an error thrown by undici or the socket layer to a kind and an unredacted message. Exported
 * for tests of the cases a local server cannot produce (DNS failures).
 */
export function classifyNetworkError(err: unknown): HttpError {
  type Fields = { code?: unknown; message?: unknown; cause?: unknown };
  const fields = (x: unknown): Fields => (typeof x === 'object' && x !== null ? x : {});
  const e = fields(err);
  const cause = fields(e.cause);
  const codes = [e.code, cause.code].filter((c): c is string => typeof c === 'string');
  const message =
    [e.message, cause.message].find((m): m is string => typeof m === 'string' && m !== '') ?? String(err);
  const has = (set: Set<string>) => codes.some((c) => set.has(c));

  if (has(DNS_CODES)) return { kind: 'dns', message };
  if (codes.includes('UND_ERR_CONNECT_TIMEOUT'))
    return { kind: 'connect', message: `connect timeout: ${message}` };
  if (has(CONNECT_CODES)) return { kind: 'connect', message };
  if (has(TLS_CODES) || codes.some((c) => c.startsWith('ERR_TLS_') || c.startsWith('ERR_SSL_'))) {
    return { kind: 'tls', message };
  }
  if (has(TIMEOUT_CODES)) return { kind: 'timeout', message };
  if (has(RESET_CODES)) return { kind: 'reset', message: `connection closed by the other side: ${message}` };
  if (has(TOO_LARGE_CODES)) return { kind: 'too_large', message };
  return { kind: 'other', message };
}

// --- Redaction -------------------------------------------------------------------------------------

/** Query parameters whose value is a credential, matched anywhere in the name (`api_key`, `x-token`…). */
const SENSITIVE_PARAM = /token|key|sign|secret|passw|pwd|auth|credential/i;
const PARAM = /([?&;])([^=&#\s"'<>]+)=([^&#\s"'<>]*)/g;
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^/?#@\s"'<>]+@/gi;

/**
 * Replaces every occurrence of each secret (also in its URL-encoded form), the values of query
 * parameters named like credentials, and the userinfo of URLs in `text` by `***`. Use it on anything
 * that may echo a request: provider error bodies, exception messages, log fields.
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  const variants = new Set<string>();
  for (const s of secrets) {
    if (!s) continue;
    variants.add(s);
    variants.add(encodeURIComponent(s));
  }
  // Longest first, so a secret that contains another is replaced whole.
  for (const v of [...variants].sort((a, b) => b.length - a.length)) out = out.split(v).join('***');
  out = out.replace(USERINFO, '$1***@');
  out = out.replace(PARAM, (all, sep: string, name: string, value: string) =>
    SENSITIVE_PARAM.test(name) && value !== '' && value !== '***' ? `${sep}${name}=***` : all,
  );
  return out;
}

/** `redact` for one URL: credentials in userinfo, in sensitive query parameters and in `secrets` become `***`. */
export function redactUrl(url: string, secrets: readonly string[] = []): string {
  return redact(url, secrets);
}
