// Channels added to a receiver in the UI or the API, and how they join the file's receivers. A
// channel is written exactly as a `*_configs` entry of the file (snake_case keys) and checked by the
// file's own schema and checks, so both ways of configuring say the same things and fail the same
// way. Secret fields are write-only: answers show them as `<secret>` (Alertmanager's mask), and an
// update that sends `<secret>` back keeps the stored value.
import { validateConfigText } from '../config/load.js';
import type { ChannelDecl, ReceiverConfig } from '../config/model.js';
import type { ErrorDetail } from '../kernel/errors.js';

export const UI_CHANNEL_KINDS = [
  'dingtalk',
  'wecom',
  'feishu',
  'sms',
  'email',
  'webhook',
  'slack',
  'telegram',
  'pagerduty',
] as const;
export type UiChannelKind = (typeof UI_CHANNEL_KINDS)[number];

export const MASK = '<secret>';

/** The keys of each kind that hold credentials (a robot's URL carries its token). */
export const SECRET_KEYS: Record<UiChannelKind, readonly string[]> = {
  dingtalk: ['url', 'access_token', 'secret'],
  wecom: ['url', 'key'],
  feishu: ['url', 'token', 'secret'],
  sms: ['access_key_secret', 'secret_key', 'auth_token'],
  email: ['auth_password'],
  webhook: ['url', 'signing_secret', 'http_config'],
  slack: ['api_url'],
  telegram: ['bot_token'],
  pagerduty: ['routing_key'],
};

export type ChannelSpec = Record<string, unknown>;

export interface UiChannel {
  id: string;
  receiver: string;
  kind: UiChannelKind;
  /** Plain text, secrets included: never answered as is (see `masked`). */
  config: ChannelSpec;
  position: number;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

/** The channel id in notifications and logs: `<kind>/u<first 8 of the row id>`. */
export const uiChannelId = (c: Pick<UiChannel, 'kind' | 'id'>): string =>
  `${c.kind}/u${c.id.replace(/-/g, '').slice(0, 8)}`;

/** `config` with every secret field present replaced by `<secret>`. */
export function masked(kind: UiChannelKind, config: ChannelSpec): ChannelSpec {
  const out: ChannelSpec = { ...config };
  for (const k of SECRET_KEYS[kind]) if (out[k] !== undefined && out[k] !== null) out[k] = MASK;
  return out;
}

/** `next`, with each secret field sent back as `<secret>` taken from `prev` (write-only secrets). */
export function keepSecrets(kind: UiChannelKind, next: ChannelSpec, prev: ChannelSpec): ChannelSpec {
  const out: ChannelSpec = { ...next };
  for (const k of SECRET_KEYS[kind]) if (out[k] === MASK) out[k] = prev[k];
  return out;
}

/** Field paths of the file (`receivers[0].dingtalk_configs[0].url`) as pointers into the request body. */
const pointer = (path: string, key: string): string => {
  const prefix = `receivers[0].${key}[0]`;
  if (path === prefix) return '/config';
  if (path.startsWith(`${prefix}.`))
    return `/config/${path
      .slice(prefix.length + 1)
      .replace(/\[(\d+)\]/g, '.$1')
      .split('.')
      .join('/')}`;
  return '/config';
};

/**
 * The channel `config` of `kind` builds for a receiver in `language`, or the problems with it, each
 * with a pointer into the request (`/config/url`) and the file's message.
 */
export function buildUiChannel(
  kind: UiChannelKind,
  config: ChannelSpec,
  language: ReceiverConfig['language'],
): { decl: ChannelDecl; problems: [] } | { decl: null; problems: ErrorDetail[] } {
  const key = `${kind}_configs`;
  const text = JSON.stringify({
    route: { receiver: 'r' },
    receivers: [{ name: 'r', language, [key]: [config] }],
  });
  const r = validateConfigText(text, 'channel.json');
  if (!r.ok)
    return {
      decl: null,
      problems: r.problems.map((p) => ({ path: pointer(p.path, key), message: p.message })),
    };
  const decl = r.config.receivers[0]?.channels[0];
  if (!decl) return { decl: null, problems: [{ path: '/config', message: 'describes no channel' }] };
  return { decl, problems: [] };
}

/**
 * The receivers in force: the file's, each followed by the channels added to it in the UI (in their
 * order). Channels of a receiver the file no longer names are left out (`orphans`), kept in the
 * database in case the name comes back.
 */
export function withUiChannels(
  fileReceivers: readonly ReceiverConfig[],
  channels: readonly UiChannel[],
): { receivers: ReceiverConfig[]; orphans: UiChannel[] } {
  const orphans: UiChannel[] = [];
  const added = new Map<string, ChannelDecl[]>();
  for (const c of [...channels].sort((a, b) => a.position - b.position)) {
    const receiver = fileReceivers.find((r) => r.name === c.receiver);
    if (!receiver) {
      orphans.push(c);
      continue;
    }
    const built = buildUiChannel(c.kind, c.config, receiver.language);
    if (!built.decl) {
      // Stored when it was valid; a newer version may check more. It is shown, not delivered.
      orphans.push(c);
      continue;
    }
    added.set(c.receiver, [...(added.get(c.receiver) ?? []), { ...built.decl, id: uiChannelId(c) }]);
  }
  return {
    receivers: fileReceivers.map((r) => ({ ...r, channels: [...r.channels, ...(added.get(r.name) ?? [])] })),
    orphans,
  };
}
