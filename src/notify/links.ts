// The links a notification carries: open in Watchpost, and "acknowledge" and "silence for 1 h",
// which work without logging in. Those two are signed (HMAC-SHA256 with a key derived from the
// server's secret key) and expire; each names what it acts on (the group to acknowledge; the silence
// to create, the group's labels as matchers), so it cannot be bent to anything else. Opening it shows a confirmation page and only its button (a POST)
// acts: chat apps fetch links to preview them, and a preview must never silence anything.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../kernel/clock.js';
import { DomainError } from '../kernel/errors.js';
import type { NotificationContent } from './payload.js';

export interface AckClaims {
  action: 'ack';
  groupKey: string;
  receiver: string;
  language: 'zh-CN' | 'en';
  expiresAt: number;
}

export type LinkClaims = SilenceClaims | AckClaims;

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

  sign(claims: LinkClaims): string {
    const payload = b64(JSON.stringify(claims));
    return `${payload}.${this.mac(payload)}`;
  }

  /** The claims of a token this server signed; `invalid` when tampered with, `gone` when expired. */
  verify(token: string): LinkClaims {
    const [payload = '', mac = ''] = token.split('.');
    const want = Buffer.from(this.mac(payload));
    const got = Buffer.from(mac);
    if (got.length !== want.length || !timingSafeEqual(got, want))
      throw new DomainError(
        'invalid',
        'this link is not valid: it was changed, or signed by another Watchpost',
      );
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as LinkClaims;
    if (claims.expiresAt < this.o.clock.now())
      throw new DomainError('invalid', 'this link has expired: open the alerts in Watchpost instead');
    return claims;
  }

  /** The links for one notification: acknowledge while something fires, silence when the group has labels. */
  forContent(
    content: NotificationContent,
    language: 'zh-CN' | 'en',
  ): { detailUrl: string; silenceUrl?: string; ackUrl?: string } {
    const labels = silenceLabels(content);
    const filter =
      Object.keys(labels).length > 0 ? `?matchers=${encodeURIComponent(matcherText(labels))}` : '';
    const out: { detailUrl: string; silenceUrl?: string; ackUrl?: string } = {
      detailUrl: `${this.base}/alerts${filter}`,
    };
    const expiresAt = this.o.clock.now() + this.ttlMs;
    const receiver = content.receiver;
    if (content.alerts.some((a) => a.status === 'firing'))
      out.ackUrl = `${this.base}/l/${this.sign({ action: 'ack', groupKey: content.groupKey, receiver, language, expiresAt })}`;
    if (Object.keys(labels).length > 0)
      out.silenceUrl = `${this.base}/l/${this.sign({ action: 'silence', labels, durationMs: 3_600_000, receiver, language, expiresAt })}`;
    return out;
  }
}
