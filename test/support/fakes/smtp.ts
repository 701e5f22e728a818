// A real SMTP server (the `smtp-server` package) on 127.0.0.1 that receives mail and parses it with
// `mailparser`, for the e-mail channel's tests.
//   const smtp = await startFakeSmtp({ auth: { user, password }, tls: 'starttls' });
//   cfg = { host: '127.0.0.1', port: smtp.port, tls: { ca: SMTP_FAKE_CERT, serverName: 'localhost' }, … }
//   smtp.failNext('rcpt', 451, '4.3.0 Try again later') -> the next RCPT TO gets that reply
//   await smtp.waitFor(1)  -> the parsed mails once one has arrived
// `tls`: 'starttls' (default; offers STARTTLS on a plain connection), 'implicit' (TLS from the first
// byte, like port 465) or 'none' (STARTTLS not offered). With `auth`, AUTH PLAIN/LOGIN is required
// and a wrong password gets 535; AUTH is refused before TLS unless `tls` is 'none'. The certificate
// is a self-signed one for localhost and 127.0.0.1 (valid until 2126): trust it through `ca`.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import type { ParsedMail } from 'mailparser';
import { arrivals } from './http-fake.js';

export const SMTP_FAKE_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgXhfZbcjUyJHDh7+i
ZxWCfF9J8dd4xvQrrH+PPkUy2hWhRANCAAQvH6jxlWbaG9kLWgF+pN3XFAKpcINs
Xkra2j0rxRpVKk3SwN0suLIQhr2mlD7GVg5MhPMrACs6qYBIIa9cDU1j
-----END PRIVATE KEY-----
`;

export const SMTP_FAKE_CERT = `-----BEGIN CERTIFICATE-----
MIIBmjCCAUCgAwIBAgITPEyFnYt8LGtRyoKx6XxH1vtDFjAKBggqhkjOPQQDAjAU
MRIwEAYDVQQDDAlsb2NhbGhvc3QwIBcNMjYxMTI2MTA1MTM3WhgPMjEyNjExMDIx
MDUxMzdaMBQxEjAQBgNVBAMMCWxvY2FsaG9zdDBZMBMGByqGSM49AgEGCCqGSM49
AwEHA0IABC8fqPGVZtob2QtaAX6k3dcUAqlwg2xeStraPSvFGlUqTdLA3Sy4shCG
vaaUPsZWDkyE8ysAKzqpgEghr1wNTWOjbzBtMB0GA1UdDgQWBBRaUP5cqda/fSob
y7+wnpKw6X5iYDAfBgNVHSMEGDAWgBRaUP5cqda/fSoby7+wnpKw6X5iYDAPBgNV
HRMBAf8EBTADAQH/MBoGA1UdEQQTMBGCCWxvY2FsaG9zdIcEfwAAATAKBggqhkjO
PQQDAgNIADBFAiEA23Xfz6TupZroNBtWt9Y6ZZhLYhs4OwXZp/1yYN9aJcUCIG3r
lh0CPUJzxveY9sMYPIKdQrY2CHvpRUmg67s78ss2
-----END CERTIFICATE-----
`;

export interface ReceivedMail {
  envelope: { from: string; to: string[] };
  /** The authenticated user, or null. */
  user: string | null;
  /** True when the message travelled over TLS (implicit or after STARTTLS). */
  secure: boolean;
  raw: string;
  parsed: ParsedMail;
}

type Phase = 'connect' | 'mail' | 'rcpt' | 'data';

export interface FakeSmtp {
  host: string;
  port: number;
  readonly mails: readonly ReceivedMail[];
  /** The next `times` commands of `phase` are answered with `code message` (e.g. 451, 421, 550). */
  failNext(phase: Phase, code: number, message: string, times?: number): void;
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

const smtpError = (code: number, message: string): Error & { responseCode: number } =>
  Object.assign(new Error(message), { responseCode: code });

export async function startFakeSmtp(
  opts: { auth?: { user: string; password: string }; tls?: 'starttls' | 'implicit' | 'none' } = {},
): Promise<FakeSmtp> {
  const tls = opts.tls ?? 'starttls';
  const mails: ReceivedMail[] = [];
  const failures: Record<Phase, { code: number; message: string }[]> = {
    connect: [],
    mail: [],
    rcpt: [],
    data: [],
  };
  const waiting = arrivals(mails, 'mails');
  const fail = (phase: Phase) => {
    const f = failures[phase].shift();
    return f ? smtpError(f.code, f.message) : null;
  };

  const server = new SMTPServer({
    secure: tls === 'implicit',
    key: SMTP_FAKE_KEY,
    cert: SMTP_FAKE_CERT,
    name: 'smtp.fake.test',
    banner: 'Watchpost fake SMTP',
    logger: false,
    disabledCommands: tls === 'none' ? ['STARTTLS'] : [],
    authOptional: opts.auth === undefined,
    allowInsecureAuth: tls === 'none',
    authMethods: ['PLAIN', 'LOGIN'],
    size: 10 * 1024 * 1024,
    onConnect(_session, cb) {
      cb(fail('connect'));
    },
    onAuth(auth, _session, cb) {
      if (opts.auth && auth.username === opts.auth.user && auth.password === opts.auth.password) {
        cb(null, { user: auth.username });
      } else {
        cb(smtpError(535, '5.7.8 Authentication credentials invalid'));
      }
    },
    onMailFrom(_address, _session, cb) {
      cb(fail('mail'));
    },
    onRcptTo(_address, _session, cb) {
      cb(fail('rcpt'));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const failure = fail('data');
        if (failure) {
          cb(failure);
          return;
        }
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((parsed) => {
            const from = session.envelope.mailFrom;
            mails.push({
              envelope: { from: from ? from.address : '', to: session.envelope.rcptTo.map((r) => r.address) },
              user: typeof session.user === 'string' ? session.user : null,
              secure: session.secure,
              raw: raw.toString('utf8'),
              parsed,
            });
            waiting.arrived();
            cb(null);
          })
          .catch((err: unknown) => cb(err instanceof Error ? err : new Error(String(err))));
      });
    },
  });
  server.on('error', () => undefined);
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const { port } = server.server.address() as AddressInfo;

  return {
    host: '127.0.0.1',
    port,
    mails,
    failNext(phase, code, message, times = 1) {
      for (let i = 0; i < times; i++) failures[phase].push({ code, message });
    },
    waitFor: (count, timeoutMs = 3000) => waiting.waitFor(count, timeoutMs),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
