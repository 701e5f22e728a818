// Twilio SMS: one `POST …/Accounts/{AccountSid}/Messages.json` per recipient (basic auth
// AccountSid:AuthToken, form To + From or MessagingServiceSid + Body), 201 Created on success.
// The body is the title and the plain text, cut to Twilio's 1,600 characters with a "truncated, see
// link" footer. The outcome is ok only when every recipient's request was accepted; failed
// recipients are reported by index (#1, #2…), never by number, since Twilio's error messages echo
// the number ("The 'To' number +1555… is not a valid phone number").
import type { Channel, ChannelMessage, DeliveryOutcome, SendContext } from './channel.js';
import { answered } from './channel.js';
import type { Language } from './common.js';
import { excerpt, field, networkRetryable, parseJsonObject, truncationFooter } from './common.js';
import { smsMessage } from './sms.js';
import { truncateChars } from './truncate.js';

export const TWILIO_API = 'https://api.twilio.com/2010-04-01';
/** Twilio refuses a longer Body (error 21617). */
export const TWILIO_MAX_BODY_CHARS = 1600;

export interface TwilioSmsConfig {
  /** Full Messages endpoint; defaults to `${TWILIO_API}/Accounts/{accountSid}/Messages.json`. */
  url?: string;
  accountSid: string;
  authToken: string;
  /** Sender number (E.164) — or `messagingServiceSid`; one of the two is required. */
  from?: string;
  messagingServiceSid?: string;
  /** Recipients, E.164: one request each. */
  to: string[];
  /** Language of the truncation footer; default zh-CN. */
  language?: Language;
  timeoutMs?: number;
}

export const twilioUrl = (cfg: TwilioSmsConfig): string =>
  cfg.url ?? `${TWILIO_API}/Accounts/${encodeURIComponent(cfg.accountSid)}/Messages.json`;

/** "Basic base64(AccountSid:AuthToken)". */
export function twilioAuthorization(accountSid: string, authToken: string): string {
  return `Basic ${Buffer.from(`${accountSid}:${authToken}`, 'utf8').toString('base64')}`;
}

/** The text sent: title, then the plain text, within 1,600 characters (footer included). */
export function twilioBody(msg: ChannelMessage, language: Language): string {
  const text = msg.text.startsWith(msg.title) ? msg.text : `${msg.title}\n${msg.text}`;
  return truncateChars(text.trim(), TWILIO_MAX_BODY_CHARS, truncationFooter(language, msg.detailUrl));
}

/** The form body for one recipient. */
export function twilioForm(cfg: TwilioSmsConfig, to: string, body: string): string {
  const form = new URLSearchParams();
  form.set('To', to);
  if (cfg.messagingServiceSid) form.set('MessagingServiceSid', cfg.messagingServiceSid);
  else if (cfg.from) form.set('From', cfg.from);
  form.set('Body', body);
  return form.toString();
}

export interface TwilioAnswer {
  ok: boolean;
  retryable: boolean;
  /** Twilio's numeric error code as text (e.g. "21211"), or the message status on success. */
  providerCode: string | null;
  /** Unredacted: the caller masks phone numbers and secrets. */
  message: string;
}

/** Reads one answer: 201 with a message sid is success; errors are `{code, message, more_info, status}`. */
export function interpretTwilioAnswer(status: number, body: string): TwilioAnswer {
  const json = parseJsonObject(body);
  if ((status === 200 || status === 201) && field(json, 'sid')) {
    const st = field(json, 'status') ?? 'queued';
    if (st === 'failed' || st === 'undelivered') {
      return {
        ok: false,
        retryable: false,
        providerCode: field(json, 'error_code') ?? st,
        message: `Twilio did not send the message: ${st} ${field(json, 'error_message') ?? ''}`.trim(),
      };
    }
    return { ok: true, retryable: false, providerCode: st, message: `Twilio accepted the message (${st})` };
  }
  const code = field(json, 'code') ?? null;
  const text = field(json, 'message') ?? '';
  const retryable = status === 429 || status >= 500 || code === '20429';
  if (code === null) {
    return { ok: false, retryable, providerCode: null, message: `Twilio answered ${status}${excerpt(body)}` };
  }
  const more = field(json, 'more_info');
  if (status === 429 || code === '20429') {
    return {
      ok: false,
      retryable: true,
      providerCode: code,
      message: `Twilio is throttling (${code}, HTTP ${status}): ${text}`,
    };
  }
  return {
    ok: false,
    retryable,
    providerCode: code,
    message: `Twilio refused the message (${code}, HTTP ${status}): ${text}${hint(code)}${more ? ` (${more})` : ''}`,
  };
}

function hint(code: string): string {
  if (code === '20003' || code === '20404') return ' — check account_sid and auth_token';
  if (code === '21211' || code === '21614' || code === '21610') return ' — check the recipient numbers';
  if (code === '21606' || code === '21659' || code === '21212') return ' — check from';
  return '';
}

export const twilioSmsChannel: Channel<TwilioSmsConfig> = {
  kind: 'twilio_sms',
  async send(cfg, msg, ctx: SendContext): Promise<DeliveryOutcome> {
    const phones = [...cfg.to, ...(cfg.from ? [cfg.from] : [])];
    const secrets = [cfg.authToken, twilioAuthorization(cfg.accountSid, cfg.authToken).slice(6)];
    const say = (text: string) => smsMessage(`twilio_sms: ${text}`, phones, secrets);
    const refuse = (text: string) =>
      answered({ ok: false, retryable: false, status: null, durationMs: 0 }, null, say(text));
    if (cfg.to.length === 0) return refuse('no recipient numbers configured (to)');
    if (!cfg.from && !cfg.messagingServiceSid) return refuse('set from or messaging_service_sid');

    const body = twilioBody(msg, cfg.language ?? 'zh-CN');
    const results: { index: number; status: number | null; durationMs: number; answer: TwilioAnswer }[] = [];
    // Sequentially: Twilio queues per sender anyway, and a throttle answer stops the rest.
    for (const [index, to] of cfg.to.entries()) {
      const res = await ctx.client.send({
        method: 'POST',
        url: twilioUrl(cfg),
        headers: {
          authorization: twilioAuthorization(cfg.accountSid, cfg.authToken),
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
          'user-agent': `Watchpost/${ctx.version}`,
        },
        body: twilioForm(cfg, to, body),
        secrets: [...secrets, ...phones],
        ...(cfg.timeoutMs !== undefined ? { timeoutMs: cfg.timeoutMs } : {}),
      });
      const answer: TwilioAnswer = res.error
        ? {
            ok: false,
            retryable: networkRetryable(res.error.kind),
            providerCode: null,
            message: `could not reach Twilio: ${res.error.message}`,
          }
        : interpretTwilioAnswer(res.status ?? 0, res.body);
      results.push({ index, status: res.status, durationMs: res.durationMs, answer });
      if (!answer.ok && (answer.providerCode === '20429' || answer.providerCode === '20003')) break;
    }
    return aggregateTwilio(cfg.to.length, results, say);
  },
};

/** One outcome for all recipients; recipients not tried (after a throttle or auth failure) count as failed. */
function aggregateTwilio(
  total: number,
  results: { index: number; status: number | null; durationMs: number; answer: TwilioAnswer }[],
  say: (text: string) => string,
): DeliveryOutcome {
  const durationMs = results.reduce((s, r) => s + r.durationMs, 0);
  const failed = results.filter((r) => !r.answer.ok);
  const last = results[results.length - 1];
  if (failed.length === 0 && results.length === total) {
    return answered(
      { ok: true, retryable: false, status: last?.status ?? null, durationMs },
      last?.answer.providerCode ?? null,
      say(
        total === 1
          ? (last?.answer.message ?? '')
          : `Twilio accepted the message for all ${total} recipients`,
      ),
    );
  }
  const first = failed[0];
  const skipped = total - results.length;
  if (total === 1 && first) {
    return answered(
      { ok: false, retryable: first.answer.retryable, status: first.status, durationMs },
      first.answer.providerCode,
      say(first.answer.message),
    );
  }
  const parts = failed.map((r) => `#${r.index + 1}: ${r.answer.message}`);
  if (skipped > 0) parts.push(`#${results.length + 1}–#${total} not tried`);
  return answered(
    {
      ok: false,
      // A retry resends to every recipient: worth it only when no failure is permanent.
      retryable: failed.every((r) => r.answer.retryable),
      status: first?.status ?? null,
      durationMs,
    },
    first?.answer.providerCode ?? null,
    say(`${failed.length + skipped} of ${total} recipients did not get the message: ${parts.join('; ')}`),
  );
}
