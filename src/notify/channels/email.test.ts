import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { HttpClient } from '../http-client.js';
import type { DeliveryOutcome, SendContext } from './channel.js';
import type { EmailConfig } from './email.js';
import { buildEmail, emailChannel, interpretSmtpError } from './email.js';
import { SMTP_FAKE_CERT, startFakeSmtp } from '../../../test/support/fakes/smtp.js';
import type { FakeSmtp } from '../../../test/support/fakes/smtp.js';
import { sampleMessage } from '../../../test/support/fakes/message.js';

const NOW = Date.parse('2026-11-26T08:00:00Z');
// SMTP does not use the HTTP client; the context still carries one.
const ctx: SendContext = { client: new HttpClient(), now: NOW, version: '1.2.3' };
const AUTH = { user: 'alerts@example.com', password: 'Sm7p-Pa55word!' };
const TO = ['ops@example.com', 'oncall@example.com'];

const start = async (
  t: { after(fn: () => Promise<void>): void },
  opts: Parameters<typeof startFakeSmtp>[0],
) => {
  const smtp = await startFakeSmtp(opts);
  t.after(() => smtp.close());
  return smtp;
};
const cfgFor = (smtp: FakeSmtp, extra: Partial<EmailConfig> = {}): EmailConfig => ({
  host: smtp.host,
  port: smtp.port,
  secure: false,
  auth: AUTH,
  from: 'Watchpost <alerts@example.com>',
  to: TO,
  tls: { ca: SMTP_FAKE_CERT, serverName: 'localhost' },
  timeoutMs: 3000,
  ...extra,
});
const brief = (o: DeliveryOutcome) => ({ ok: o.ok, retryable: o.retryable, code: o.providerCode });
const noPassword = (o: DeliveryOutcome) =>
  assert.ok(!o.message.includes(AUTH.password), `leaked: ${o.message}`);

describe('email channel against a real SMTP server', () => {
  test('STARTTLS + AUTH: subject, text and HTML parts and both recipients arrive', async (t) => {
    const smtp = await start(t, { auth: AUTH, tls: 'starttls' });
    const msg = sampleMessage({
      markdown:
        '### 订单同步停滞\n- **店铺**: shopee <script>alert(1)</script> & co\n- [runbook](https://wiki.example.com/rb?a=1&b=2)\n[x](javascript:alert(1))',
    });
    const o = await emailChannel.send(cfgFor(smtp), msg, ctx);
    assert.deepEqual(brief(o), { ok: true, retryable: false, code: '250' });
    assert.match(o.message, /^email: the SMTP server accepted the message for 2 of 2 recipients: 250/);
    const [mail] = await smtp.waitFor(1);
    assert.ok(mail);
    assert.equal(mail.secure, true, 'upgraded with STARTTLS');
    assert.equal(mail.user, AUTH.user);
    assert.deepEqual(mail.envelope, { from: 'alerts@example.com', to: TO });
    assert.equal(mail.parsed.subject, msg.title);
    const to = mail.parsed.to;
    assert.deepEqual(
      (Array.isArray(to) ? to : [to]).flatMap((a) => a?.value.map((v) => v.address)),
      TO,
    );
    assert.equal(mail.parsed.date?.getTime(), NOW);
    assert.equal(mail.parsed.headers.get('x-watchpost-severity'), 'P1');
    assert.equal(
      mail.parsed.text?.trim(),
      `${msg.text}\n\n打开: https://watchpost.example.com/alerts/42\n静默 1 小时: https://watchpost.example.com/s/abc?sig=xyz`,
    );
    const html = String(mail.parsed.html);
    assert.ok(html.includes('<h3>订单同步停滞</h3>'), html);
    assert.ok(
      html.includes('<li><strong>店铺</strong>: shopee &lt;script&gt;alert(1)&lt;/script&gt; &amp; co</li>'),
      html,
    );
    assert.ok(html.includes('<a href="https://wiki.example.com/rb?a=1&amp;b=2">runbook</a>'), html);
    assert.ok(!/<script|href="javascript/i.test(html), 'nothing executable');

    const again = await emailChannel.send(cfgFor(smtp), msg, ctx);
    assert.equal(again.ok, true);
    const [first, second] = await smtp.waitFor(2);
    assert.equal(second?.parsed.messageId, first?.parsed.messageId, 'a retry carries the same Message-ID');
  });

  test('implicit TLS (SMTPS) delivers; a certificate nobody trusts does not', async (t) => {
    const smtp = await start(t, { auth: AUTH, tls: 'implicit' });
    const o = await emailChannel.send(cfgFor(smtp, { secure: true }), sampleMessage(), ctx);
    assert.equal(o.ok, true, o.message);
    assert.equal((await smtp.waitFor(1))[0]?.secure, true);
    const untrusted = await emailChannel.send(cfgFor(smtp, { secure: true, tls: {} }), sampleMessage(), ctx);
    assert.equal(untrusted.ok, false);
    assert.match(untrusted.message, /certificate/i);
    noPassword(untrusted);
  });

  test('require TLS (the default) refuses a server without STARTTLS; without it, plain text is used', async (t) => {
    const smtp = await start(t, { tls: 'none' });
    const cfg = cfgFor(smtp, { auth: undefined });
    const refused = await emailChannel.send(cfg, sampleMessage(), ctx);
    assert.equal(refused.ok, false);
    assert.deepEqual(brief(refused), { ok: false, retryable: false, code: '500' });
    assert.match(
      refused.message,
      /^email: the SMTP server cannot switch to TLS \(STARTTLS\) and require_tls is on: 500/,
    );
    assert.equal(smtp.mails.length, 0);
    const plain = await emailChannel.send({ ...cfg, requireTls: false }, sampleMessage(), ctx);
    assert.equal(plain.ok, true, plain.message);
    assert.equal((await smtp.waitFor(1))[0]?.secure, false);
  });

  test('a wrong password is permanent with the reply code 535, and the password is not shown', async (t) => {
    const smtp = await start(t, { auth: AUTH });
    const o = await emailChannel.send(
      cfgFor(smtp, { auth: { user: AUTH.user, password: 'wrong-Pa55' } }),
      sampleMessage(),
      ctx,
    );
    assert.deepEqual(brief(o), { ok: false, retryable: false, code: '535' });
    assert.match(o.message, /^email: the SMTP server refused the login \(check the user and password\): 535/);
    assert.ok(!o.message.includes('wrong-Pa55'));
    assert.equal(smtp.mails.length, 0);
  });

  test('4xx replies are retryable, 5xx permanent, each with its code', async (t) => {
    const smtp = await start(t, { auth: AUTH });
    smtp.failNext('rcpt', 451, '4.3.0 Mailbox temporarily unavailable', 2);
    const deferred = await emailChannel.send(cfgFor(smtp), sampleMessage(), ctx);
    assert.deepEqual(brief(deferred), { ok: false, retryable: true, code: '451' });
    assert.match(deferred.message, /^email: the SMTP server deferred the message: .*451/);

    smtp.failNext('connect', 421, '4.7.0 Too many connections, try later');
    const busy = await emailChannel.send(cfgFor(smtp), sampleMessage(), ctx);
    assert.deepEqual(brief(busy), { ok: false, retryable: true, code: '421' });

    smtp.failNext('data', 552, '5.3.4 Message too big');
    const big = await emailChannel.send(cfgFor(smtp), sampleMessage(), ctx);
    assert.deepEqual(brief(big), { ok: false, retryable: false, code: '552' });

    smtp.failNext('rcpt', 550, '5.1.1 No such user');
    const partial = await emailChannel.send(cfgFor(smtp), sampleMessage(), ctx);
    assert.equal(partial.ok, true, 'one of two recipients still got it');
    assert.match(partial.message, /for 1 of 2 recipients; refused ops@example\.com/);
  });

  test('a refused connection and a silent server are retryable', async (t) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const port = (probe.address() as AddressInfo).port;
    probe.close();
    await once(probe, 'close');
    const refused = await emailChannel.send(
      { host: '127.0.0.1', port, from: 'a@example.com', to: TO },
      sampleMessage(),
      ctx,
    );
    assert.deepEqual([refused.ok, refused.retryable], [false, true]);
    assert.match(refused.message, /ECONNREFUSED/);

    const silent = createServer(() => undefined); // accepts, never greets
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    t.after(async () => {
      silent.close();
      await once(silent, 'close');
    });
    const sport = (silent.address() as AddressInfo).port;
    const quiet = await emailChannel.send(
      { host: '127.0.0.1', port: sport, from: 'a@example.com', to: TO, timeoutMs: 300 },
      sampleMessage(),
      ctx,
    );
    assert.deepEqual([quiet.ok, quiet.retryable], [false, true]);
    assert.match(quiet.message, /^email: the SMTP server did not answer in time/);
  });
});

describe('email content', () => {
  test('without Markdown the HTML is the escaped text; the detail link is added when no link has it', () => {
    const e = buildEmail(
      { host: 'h', from: 'a@example.com', to: ['b@example.com'], language: 'en' },
      sampleMessage({ markdown: '', text: 'a <b> & c\nnext', links: [] }),
    );
    assert.ok(e.html.includes('<p>a &lt;b&gt; &amp; c<br>\nnext</p>'));
    assert.ok(e.html.includes('>Details</a>'));
    assert.ok(e.text.endsWith('Details: https://watchpost.example.com/alerts/42'));
    assert.match(e.messageId, /^<watchpost\.[0-9a-f]{32}@example\.com>$/);
  });

  test('SMTP failures without a reply code are classified by kind', () => {
    assert.equal(interpretSmtpError({ code: 'ECONNECTION', message: 'Connection closed' }).retryable, true);
    assert.equal(
      interpretSmtpError({ code: 'EENVELOPE', message: 'No recipients defined' }).retryable,
      false,
    );
    assert.equal(
      interpretSmtpError({ code: 'EAUTH', responseCode: 454, response: '454 4.7.0 Temporary auth failure' })
        .retryable,
      true,
    );
  });
});
