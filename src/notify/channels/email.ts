// E-mail over SMTP with nodemailer: one message with a plain-text part (msg.text) and an HTML part
// (msg.markdown through markdown-lite: every text escaped, only headings, bold, code, links and
// lists become markup), subject = msg.title. Transport security follows the configuration:
// implicit TLS (`secure`, port 465), or STARTTLS required (`requireTls`, the default, as
// Alertmanager's require_tls), or STARTTLS when offered. The SMTP reply decides: 2xx delivered,
// 4xx (421, 450, 451, 452 …) retryable, 5xx (535 bad login, 550 no such user …) permanent, with the
// reply code as providerCode; network failures and timeouts are retryable. SMTP is not HTTP, so this
// sender does not use ctx.client; it opens one connection per message and closes it.
import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Channel, ChannelMessage, DeliveryOutcome, SendContext } from './channel.js';
import type { Language, Verdict } from './common.js';
import { toOutcome } from './common.js';
import { escapeHtml, parseMarkdown, renderHtml } from './markdown-lite.js';

export interface EmailConfig {
  /** The SMTP server (smarthost). */
  host: string;
  /** 465 when `secure`, else 587. */
  port?: number;
  /** TLS from the first byte (SMTPS); default true only on port 465. */
  secure?: boolean;
  /** On a connection that is not `secure`, refuse to send unless STARTTLS succeeds. Default true. */
  requireTls?: boolean;
  auth?: { user: string; password: string };
  /** The From address, e.g. "Watchpost <alerts@example.com>". */
  from: string;
  to: string[];
  /** The name given in EHLO; the machine's host name when absent. */
  helloName?: string;
  tls?: {
    /** PEM certificates to trust besides the system's (a private CA or a self-signed server). */
    ca?: string;
    /** The name the server's certificate must carry, when `host` is an address or an alias. */
    serverName?: string;
    /** Accept any certificate. Only for tests and broken servers: the password travels unprotected. */
    insecureSkipVerify?: boolean;
  };
  /** Limit for each step (connect, greeting, every reply); 10 s when absent. */
  timeoutMs?: number;
  /** Language of the words this sender adds; zh-CN when absent. */
  language?: Language;
}

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers: Record<string, string>;
}

const LINK_WORDS: Record<Language, string> = { 'zh-CN': '查看详情', en: 'Details' };

/**
 * Subject, text and HTML of `msg`. The Message-ID is derived from `msg.idempotencyKey`, so a retry of
 * the same notification carries the same ID and mail clients show it once.
 */
export function buildEmail(cfg: EmailConfig, msg: ChannelMessage): EmailContent {
  const subject = msg.title.replace(/\s+/g, ' ').trim() || 'Watchpost';
  const links = msg.links.filter((l) => /^https?:\/\//i.test(l.url));
  const detail = links.some((l) => l.url === msg.detailUrl)
    ? []
    : [{ label: LINK_WORDS[cfg.language ?? 'zh-CN'], url: msg.detailUrl }];
  const allLinks = [...links, ...detail.filter((l) => /^https?:\/\//i.test(l.url))];

  const text = [msg.text.trim(), allLinks.map((l) => `${l.label}: ${l.url}`).join('\n')]
    .filter((s) => s !== '')
    .join('\n\n');

  const lines = parseMarkdown(msg.markdown);
  const body =
    lines.length > 0 ? renderHtml(lines) : `<p>${escapeHtml(msg.text.trim()).replace(/\n/g, '<br>\n')}</p>`;
  const buttons = allLinks
    .map(
      (l) =>
        `<a href="${escapeHtml(l.url)}" style="display:inline-block;margin:0 8px 8px 0;padding:6px 14px;` +
        `border:1px solid #1677ff;border-radius:4px;color:#1677ff;text-decoration:none">${escapeHtml(l.label)}</a>`,
    )
    .join('\n');
  const html = [
    '<!doctype html>',
    `<html lang="${cfg.language ?? 'zh-CN'}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family:-apple-system,Segoe UI,PingFang SC,Microsoft YaHei,sans-serif;line-height:1.5">',
    body,
    buttons ? `<p>${buttons}</p>` : '',
    '</body></html>',
  ]
    .filter((s) => s !== '')
    .join('\n');

  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(cfg.from)?.[1] ?? 'watchpost.invalid';
  const hash = createHash('sha256').update(msg.idempotencyKey, 'utf8').digest('hex').slice(0, 32);
  const headers: Record<string, string> = {
    'Auto-Submitted': 'auto-generated',
    'X-Watchpost-Status': msg.status,
  };
  if (msg.severity) headers['X-Watchpost-Severity'] = msg.severity;
  return { subject, text, html, messageId: `<watchpost.${hash}@${domain}>`, headers };
}

interface SmtpFailure {
  code?: unknown;
  responseCode?: unknown;
  response?: unknown;
  command?: unknown;
  message?: unknown;
}

/** What a nodemailer failure means: the SMTP reply code decides (4xx retry, 5xx do not). */
export function interpretSmtpError(err: unknown): Verdict {
  const e: SmtpFailure = typeof err === 'object' && err !== null ? err : {};
  const code = typeof e.code === 'string' ? e.code : '';
  const reply = typeof e.responseCode === 'number' ? e.responseCode : null;
  const response = typeof e.response === 'string' ? e.response.replace(/\s+/g, ' ').trim() : '';
  const text = typeof e.message === 'string' ? e.message : String(err);
  if (e.command === 'STARTTLS' && reply !== null && reply >= 500) {
    // A server that does not offer STARTTLS will not start to: a configuration problem, not a blip.
    return {
      ok: false,
      retryable: false,
      providerCode: String(reply),
      message: `email: the SMTP server cannot switch to TLS (STARTTLS) and require_tls is on: ${response || text}`,
    };
  }
  if (reply !== null && reply >= 400 && reply < 600) {
    const said = response || `${reply} ${text}`;
    if (reply < 500) {
      return {
        ok: false,
        retryable: true,
        providerCode: String(reply),
        message: `email: the SMTP server deferred the message: ${said}`,
      };
    }
    const what =
      code === 'EAUTH'
        ? 'refused the login (check the user and password)'
        : code === 'EENVELOPE'
          ? 'refused the sender or the recipients'
          : 'refused the message';
    return {
      ok: false,
      retryable: false,
      providerCode: String(reply),
      message: `email: the SMTP server ${what}: ${said}`,
    };
  }
  switch (code) {
    case 'EAUTH':
    case 'ENOAUTH':
      return {
        ok: false,
        retryable: false,
        providerCode: code,
        message: `email: cannot log in to the SMTP server: ${text}`,
      };
    case 'EENVELOPE':
    case 'ECONFIG':
    case 'EMESSAGE':
    case 'EREQUIRETLS':
      return {
        ok: false,
        retryable: false,
        providerCode: code,
        message: `email: the message cannot be sent: ${text}`,
      };
    default: {
      const what =
        code === 'ETIMEDOUT' ? 'the SMTP server did not answer in time' : 'could not talk to the SMTP server';
      return { ok: false, retryable: true, providerCode: code || null, message: `email: ${what}: ${text}` };
    }
  }
}

function secretsOf(cfg: EmailConfig): string[] {
  if (!cfg.auth) return [];
  const { user, password } = cfg.auth;
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  return [password, b64(password), b64(`\u0000${user}\u0000${password}`)].filter((s) => s !== '');
}

export const emailChannel: Channel<EmailConfig> = {
  kind: 'email',
  async send(cfg: EmailConfig, msg: ChannelMessage, ctx: SendContext): Promise<DeliveryOutcome> {
    const secrets = secretsOf(cfg);
    const started = performance.now();
    const done = (i: Verdict) =>
      toOutcome(i, { status: null, durationMs: Math.round(performance.now() - started) }, secrets);
    if (cfg.to.length === 0) {
      return done({
        ok: false,
        retryable: false,
        providerCode: null,
        message: 'email: no recipients: set `to`',
      });
    }
    const content = buildEmail(cfg, msg);
    const timeout = cfg.timeoutMs ?? 10_000;
    const secure = cfg.secure ?? cfg.port === 465;
    const transport = nodemailer.createTransport({
      host: cfg.host,
      port: cfg.port ?? (secure ? 465 : 587),
      secure,
      requireTLS: !secure && (cfg.requireTls ?? true),
      ...(cfg.auth ? { auth: { user: cfg.auth.user, pass: cfg.auth.password } } : {}),
      ...(cfg.helloName ? { name: cfg.helloName } : {}),
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
      dnsTimeout: timeout,
      tls: {
        ...(cfg.tls?.ca ? { ca: cfg.tls.ca } : {}),
        ...(cfg.tls?.serverName ? { servername: cfg.tls.serverName } : {}),
        rejectUnauthorized: !(cfg.tls?.insecureSkipVerify ?? false),
      },
      disableFileAccess: true,
      disableUrlAccess: true,
      logger: false,
    });
    try {
      const info = await transport.sendMail({
        from: cfg.from,
        to: cfg.to,
        subject: content.subject,
        text: content.text,
        html: content.html,
        messageId: content.messageId,
        date: new Date(ctx.now),
        headers: content.headers,
      });
      const reply = /^\d{3}/.exec(info.response)?.[0] ?? null;
      const rejected = info.rejected.map(String);
      const partial = rejected.length > 0 ? `; refused ${rejected.join(', ')}` : '';
      return done({
        ok: true,
        retryable: false,
        providerCode: reply,
        message: `email: the SMTP server accepted the message for ${info.accepted.length} of ${cfg.to.length} recipients${partial}: ${info.response}`,
      });
    } catch (err) {
      return done(interpretSmtpError(err));
    } finally {
      transport.close();
    }
  },
};
