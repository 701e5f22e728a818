// A faithful fake of Twilio's Messages API (2010-04-01) on 127.0.0.1, for channel tests.
//   const tw = await startFakeTwilio({ accountSid, authToken, now: () => clock.now() });
//   tw.messagesUrl -> 'http://127.0.0.1:<port>/2010-04-01/Accounts/<sid>/Messages.json'
//   tw.sent        -> every accepted message (To, From / MessagingServiceSid, Body)
//   tw.requests    -> every request with its answer
//   tw.failNext(503) -> the next request gets this status with Twilio's error body
// It checks HTTP basic auth (AccountSid:AuthToken, the path's account must be the caller's),
// the request rate (default 5 per second per account → 429, code 20429), To (E.164, 21211),
// From or MessagingServiceSid (21603 / 21606), Body (21602, and at most 1,600 characters, counted in
// UTF-16 units → 21617), unsubscribed recipients (21610), and answers 201 with a message resource.
// Errors are Twilio's JSON: {code, message, more_info, status}.
import { startHttpFake } from './http-fake.js';
import type { RecordedExchange, FakeAnswer, FakeRequest } from './http-fake.js';

export interface TwilioSentMessage {
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  at: number;
}

export interface FakeTwilio {
  messagesUrl: string;
  readonly sent: readonly TwilioSentMessage[];
  readonly requests: readonly RecordedExchange[];
  failNext(status: number, code?: number, message?: string): void;
  close(): Promise<void>;
}

export interface FakeTwilioOptions {
  accountSid: string;
  authToken: string;
  now: () => number;
  /** Numbers this account may send from; default any E.164 number. */
  from?: string[];
  /** API requests per second before 429; default 5. */
  perSecond?: number;
  /** Recipients who replied STOP. */
  unsubscribed?: string[];
}

export async function startFakeTwilio(opts: FakeTwilioOptions): Promise<FakeTwilio> {
  const sent: TwilioSentMessage[] = [];
  const injected: FakeAnswer[] = [];
  const recent: number[] = [];
  let seq = 0;

  const error = (status: number, code: number, message: string): FakeAnswer => ({
    status,
    body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
  });

  const handle = (req: FakeRequest): FakeAnswer => {
    const inject = injected.shift();
    if (inject) return inject;
    const now = opts.now();
    const path = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(req.path);
    if (!path) return error(404, 20404, 'The requested resource was not found');
    const auth = /^Basic ([A-Za-z0-9+/=]+)$/.exec(req.headers.authorization ?? '');
    const [user, ...rest] = auth
      ? Buffer.from(auth[1] ?? '', 'base64')
          .toString('utf8')
          .split(':')
      : [];
    if (user !== opts.accountSid || rest.join(':') !== opts.authToken) {
      return error(401, 20003, 'Authenticate');
    }
    if (decodeURIComponent(path[1] ?? '') !== opts.accountSid) {
      return error(404, 20404, `The requested resource ${req.path} was not found`);
    }
    if (req.method !== 'POST') return error(405, 20004, 'Method not allowed');

    while (recent.length > 0 && (recent[0] ?? 0) <= now - 1000) recent.shift();
    if (recent.length >= (opts.perSecond ?? 5)) return error(429, 20429, 'Too Many Requests');
    recent.push(now);

    const form = new URLSearchParams(req.rawBody.toString('utf8'));
    const to = form.get('To');
    const from = form.get('From');
    const service = form.get('MessagingServiceSid');
    const body = form.get('Body');
    if (!to) return error(400, 21604, "A 'To' phone number is required.");
    if (!/^\+[1-9]\d{6,14}$/.test(to))
      return error(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    if (!from && !service) {
      return error(400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required to send a message.");
    }
    if (from && (!/^\+[1-9]\d{6,14}$/.test(from) || (opts.from && !opts.from.includes(from)))) {
      return error(
        400,
        21606,
        `The From phone number ${from} is not a valid message-capable Twilio phone number for this destination/account.`,
      );
    }
    if (!body) return error(400, 21602, 'Message body is required.');
    if (body.length > 1600)
      return error(400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
    if (opts.unsubscribed?.includes(to))
      return error(400, 21610, 'Attempt to send to unsubscribed recipient');

    sent.push({ to, from, messagingServiceSid: service, body, at: now });
    const sid = `SM${(++seq).toString(16).padStart(32, '0')}`;
    const created = new Date(now).toUTCString().replace('GMT', '+0000');
    return {
      status: 201,
      body: {
        account_sid: opts.accountSid,
        api_version: '2010-04-01',
        body,
        date_created: created,
        date_sent: null,
        date_updated: created,
        direction: 'outbound-api',
        error_code: null,
        error_message: null,
        from,
        messaging_service_sid: service,
        num_media: '0',
        num_segments: String(Math.max(1, Math.ceil(body.length / 67))),
        price: null,
        price_unit: 'USD',
        sid,
        status: service && !from ? 'accepted' : 'queued',
        to,
        uri: `/2010-04-01/Accounts/${opts.accountSid}/Messages/${sid}.json`,
      },
    };
  };

  const server = await startHttpFake(handle);
  return {
    messagesUrl: `${server.origin}/2010-04-01/Accounts/${opts.accountSid}/Messages.json`,
    sent,
    requests: server.exchanges,
    failNext(status, code = 20500, message = 'Internal Server Error') {
      injected.push(error(status, code, message));
    },
    close: () => server.close(),
  };
}
