// The links a notification carries: open in Watchpost, and "silence for 1 h", which works without
// logging in. The silence link is signed (HMAC-SHA256 with a key derived from the server's secret
// key) and expires; it names the silence to create (the group's labels as matchers), so it cannot be
// bent to silence anything else. Opening it shows a confirmation page and only its button (a POST)
// acts: chat apps fetch links to preview them, and a preview must never silence anything.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../kernel/clock.js';
import { DomainError } from '../kernel/errors.js';
import type { NotificationContent } from './payload.js';

export interface SilenceClaims {
  action: 'silence';
  /** Equality matchers: label → value. */
  labels: Record<string, string>;
  durationMs: number;
  receiver: string;
  language: 'zh-CN' | 'en';
  /** Epoch ms after which the link no longer works. */
  expiresAt: number;
}

export interface LinkOptions {
  key: Buffer;
  /** Where users reach Watchpost (server.external_url). */
  externalUrl: string;
  clock: Clock;
  /** How long a link works; default 24 h. */
  ttlMs?: number;
}

const b64 = (b: Buffer | string): string => Buffer.from(b).toString('base64url');

/** The labels every alert of `content` carries with the same value: what a silence of the group matches. */
export function silenceLabels(content: NotificationContent): Record<string, string> {
  if (Object.keys(content.groupLabels).length > 0) return { ...content.groupLabels };
  const [first, ...rest] = content.alerts;
  if (!first) return {};
  return Object.fromEntries(
    Object.entries(first.labels).filter(([k, v]) => rest.every((a) => a.labels[k] === v)),
  );
}

/** `{alertname="x",service="y"}`: the alerts page filter for a group. */
export function matcherText(labels: Record<string, string>): string {
  return `{${Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',')}}`;
}

export class ActionLinks {
  private readonly ttlMs: number;
  private readonly base: string;

  constructor(private readonly o: LinkOptions) {
    this.ttlMs = o.ttlMs ?? 24 * 3_600_000;
    this.base = o.externalUrl.replace(/\/+$/, '');
  }

  private mac(payload: string): string {
    return b64(createHmac('sha256', this.o.key).update(payload).digest().subarray(0, 18));
  }

  sign(claims: SilenceClaims): string {
    const payload = b64(JSON.stringify(claims));
    return `${payload}.${this.mac(payload)}`;
  }

  /** The claims of a token this server signed; `invalid` when tampered with, `gone` when expired. */
  verify(token: string): SilenceClaims {
    const [payload = '', mac = ''] = token.split('.');
    const want = Buffer.from(this.mac(payload));
    const got = Buffer.from(mac);
    if (got.length !== want.length || !timingSafeEqual(got, want))
      throw new DomainError(
        'invalid',
        'this link is not valid: it was changed, or signed by another Watchpost',
      );
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as SilenceClaims;
    if (claims.expiresAt < this.o.clock.now())
      throw new DomainError('invalid', 'this link has expired: silence the alerts from Watchpost instead');
    return claims;
  }

  /** The links for one notification. */
  forContent(
    content: NotificationContent,
    language: 'zh-CN' | 'en',
  ): { detailUrl: string; silenceUrl?: string } {
    const labels = silenceLabels(content);
    const filter =
      Object.keys(labels).length > 0 ? `?matchers=${encodeURIComponent(matcherText(labels))}` : '';
    const detailUrl = `${this.base}/alerts${filter}`;
    if (Object.keys(labels).length === 0) return { detailUrl };
    const token = this.sign({
      action: 'silence',
      labels,
      durationMs: 3_600_000,
      receiver: content.receiver,
      language,
      expiresAt: this.o.clock.now() + this.ttlMs,
    });
    return { detailUrl, silenceUrl: `${this.base}/l/${token}` };
  }
}
