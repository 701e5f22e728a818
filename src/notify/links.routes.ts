// `/l/<token>`: the signed "acknowledge" and "silence for 1 h" links of a notification (links.ts),
// usable without logging in. GET shows what the link will do and a button; only the button's POST
// acts, so a chat app fetching the link for a preview changes nothing. Pressing twice makes one
// silence; acknowledging again only moves the acknowledgement to now.
import type { FastifyReply } from 'fastify';
import type { App } from '../http/server.js';
import { systemActor } from '../auth/model.js';
import { DomainError } from '../kernel/errors.js';
import type { SilenceService } from '../alerts/silence.service.js';
import type { AckClaims, ActionLinks, LinkClaims, SilenceClaims } from './links.js';
import type { AckService } from '../alerts/ack.service.js';
import { matcherText } from './links.js';

export interface LinkRouteDeps {
  links: ActionLinks;
  silences: Pick<SilenceService, 'upsert' | 'list'>;
  acks: Pick<AckService, 'acknowledge'>;
  clock: { now(): number };
}

const WORDS = {
  'zh-CN': {
    silenceTitle: '静默告警',
    ask: (h: string) => `将以下告警静默 ${h}：`,
    button: '确认静默',
    done: (until: string) => `已静默，至 ${until} 结束。`,
    already: (until: string) => `这些告警已被此链接静默，至 ${until} 结束。`,
    ackTitle: '认领告警',
    ackAsk: '认领这组告警（“我在处理”）：在没有新告警触发前，不再重复提醒。',
    ackButton: '确认认领',
    acked: (n: number) => `已认领（${n} 条告警正在触发）。有新告警或恢复时仍会通知。`,
    bad: '链接无效',
  },
  en: {
    silenceTitle: 'Silence alerts',
    ask: (h: string) => `Silence these alerts for ${h}:`,
    button: 'Silence',
    done: (until: string) => `Silenced until ${until}.`,
    already: (until: string) => `These alerts are already silenced by this link, until ${until}.`,
    ackTitle: 'Acknowledge alerts',
    ackAsk:
      'Acknowledge this alert group (“I am on it”): no more repeat reminders until another alert fires.',
    ackButton: 'Acknowledge',
    acked: (n: number) => `Acknowledged (${n} alerts firing). New alerts and resolutions are still notified.`,
    bad: 'Link not valid',
  },
} as const;

const esc = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

function page(reply: FastifyReply, status: number, lang: 'zh-CN' | 'en', title: string, body: string) {
  return reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .send(
      `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${esc(title)} · Watchpost</title><style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem}code{background:#f4f4f4;padding:.2rem .4rem;word-break:break-all}button{font-size:1rem;padding:.5rem 1.5rem}</style></head><body><h1>${esc(title)}</h1>${body}</body></html>`,
    );
}

const hours = (ms: number, lang: 'zh-CN' | 'en'): string =>
  lang === 'zh-CN' ? `${ms / 3_600_000} 小时` : `${ms / 3_600_000} h`;

const comment = (c: SilenceClaims): string => `Silenced from a notification link (receiver ${c.receiver})`;

const FORM = (label: string) => `<form method="post"><button type="submit">${esc(label)}</button></form>`;

export function registerLinkRoutes(http: App, d: LinkRouteDeps): void {
  void http.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_req, body, done) => done(null, body),
    );

    const verify = (token: string, reply: FastifyReply): LinkClaims | null => {
      try {
        return d.links.verify(token);
      } catch (e) {
        const message = e instanceof DomainError ? e.message : 'this link is not valid';
        void page(reply, 400, 'en', WORDS.en.bad, `<p>${esc(message)}</p>`);
        return null;
      }
    };

    const silence = async (c: SilenceClaims, reply: FastifyReply) => {
      const w = WORDS[c.language];
      const actor = systemActor('notification link');
      const matchers = Object.entries(c.labels).map(([name, value]) => ({ name, type: '=' as const, value }));
      const now = d.clock.now();
      const same = (await d.silences.list(actor, { state: 'active' })).find(
        (s) =>
          s.comment === comment(c) &&
          matcherText(Object.fromEntries(s.matchers.map((m) => [m.name, m.value]))) ===
            matcherText(c.labels) &&
          s.matchers.every((m) => m.type === '='),
      );
      const until = (at: number) => new Date(at).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
      if (same)
        return page(reply, 200, c.language, w.silenceTitle, `<p>${esc(w.already(until(same.endsAt)))}</p>`);
      const r = await d.silences.upsert(actor, {
        matchers,
        endsAt: now + c.durationMs,
        createdBy: `link (${c.receiver})`,
        comment: comment(c),
      });
      return page(reply, 200, c.language, w.silenceTitle, `<p>${esc(w.done(until(r.silence.endsAt)))}</p>`);
    };

    const acknowledge = async (c: AckClaims, reply: FastifyReply) => {
      const w = WORDS[c.language];
      try {
        const a = await d.acks.acknowledge(
          systemActor('notification link'),
          c.groupKey,
          `link (${c.receiver})`,
        );
        return page(reply, 200, c.language, w.ackTitle, `<p>${esc(w.acked(a.firing.length))}</p>`);
      } catch (e) {
        if (e instanceof DomainError && e.code === 'not_found')
          return page(reply, 404, c.language, w.ackTitle, `<p>${esc(e.message)}</p>`);
        throw e;
      }
    };

    scope.get<{ Params: { token: string } }>('/l/:token', { schema: { hide: true } }, async (req, reply) => {
      const c = verify(req.params.token, reply);
      if (!c) return reply;
      const w = WORDS[c.language];
      if (c.action === 'ack')
        return page(reply, 200, c.language, w.ackTitle, `<p>${esc(w.ackAsk)}</p>${FORM(w.ackButton)}`);
      return page(
        reply,
        200,
        c.language,
        w.silenceTitle,
        `<p>${esc(w.ask(hours(c.durationMs, c.language)))}</p><p><code>${esc(matcherText(c.labels))}</code></p>${FORM(w.button)}`,
      );
    });

    scope.post<{ Params: { token: string } }>('/l/:token', { schema: { hide: true } }, async (req, reply) => {
      const c = verify(req.params.token, reply);
      if (!c) return reply;
      return c.action === 'ack' ? acknowledge(c, reply) : silence(c, reply);
    });
  });
}
