// Pure helpers of the channel dialog: the form's values from a stored channel, the `config` the server takes
// (one entry of the file's `<kind>_configs`, snake_case, empty optional fields left out) from the form's values,
// and where each of the server's error pointers belongs in the form. Secrets are write-only: the form never
// holds `<secret>`; a stored secret left empty is sent back as `<secret>`, which tells the server to keep it.
// The `.js` in the import below lets the unit test under test/web (Node's module resolution) load this too.
import {
  CHANNEL_FIELDS,
  MASK,
  PER_MINUTE,
  SMS_PROVIDERS,
  type ChannelKind,
  type FieldSpec,
  type SmsProvider,
} from './channel-fields.js';

export type ChannelConfig = Record<string, unknown>;
/** The form's values: one per field key (`per_minute` for `rate_limit.per_minute`). */
export type ChannelFormValues = Record<string, unknown>;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const providerOf = (v: unknown): SmsProvider => SMS_PROVIDERS.find((p) => p === v) ?? SMS_PROVIDERS[0];

/** The fields of `kind` the form shows: for SMS, those of the chosen provider and the common ones. */
export function visibleFields(kind: ChannelKind, provider?: unknown): FieldSpec[] {
  const p = providerOf(provider);
  return CHANNEL_FIELDS[kind].filter((f) => f.providers === undefined || f.providers.includes(p));
}

/** True when the file needs the field (for SMS: with the chosen provider). */
export function isRequired(f: FieldSpec, provider?: unknown): boolean {
  if (typeof f.required === 'boolean') return f.required;
  return f.required?.includes(providerOf(provider)) ?? false;
}

/** SMS template parameters as typed: `title=title, level=severity` (Aliyun), `severity, title` (Tencent). */
export function paramsText(v: unknown): string {
  if (Array.isArray(v)) return v.map(String).join(', ');
  if (isRecord(v))
    return Object.entries(v)
      .map(([k, field]) => `${k}=${String(field)}`)
      .join(', ');
  return '';
}

/**
 * The typed parameters as the file takes them: a map for Aliyun (a name alone maps to the field of that
 * name), a list in order for Tencent; undefined when nothing was typed. Unknown fields are left to the server,
 * whose message names the allowed ones.
 */
export function parseParams(
  text: string,
  provider: SmsProvider,
): Record<string, string> | string[] | undefined {
  const items = text
    .split(/[,\n，]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) return undefined;
  if (provider !== 'aliyun') return items;
  return Object.fromEntries(
    items.map((item) => {
      const [name = '', field = name] = item.split(/\s*[=:]\s*/, 2);
      return [name, field];
    }),
  );
}

/** The form's first values: a stored channel's settings (its secrets empty), or the file's defaults. */
export function formValuesOf(kind: ChannelKind, config: ChannelConfig | null): ChannelFormValues {
  const c = config ?? {};
  const rate = isRecord(c.rate_limit) ? c.rate_limit : {};
  const out: ChannelFormValues = {};
  for (const f of CHANNEL_FIELDS[kind]) {
    const v = f.key === PER_MINUTE ? rate[PER_MINUTE] : c[f.key];
    switch (f.type) {
      case 'secret':
        out[f.key] = '';
        break;
      case 'text':
      case 'chat':
        out[f.key] = typeof v === 'string' || typeof v === 'number' ? String(v) : '';
        break;
      case 'list':
        out[f.key] = Array.isArray(v) ? v.map(String) : [];
        break;
      case 'number':
        out[f.key] = typeof v === 'number' ? v : null;
        break;
      case 'switch':
        out[f.key] = typeof v === 'boolean' ? v : f.default === true;
        break;
      case 'select':
        out[f.key] = typeof v === 'string' ? v : (f.default ?? f.options?.[0]);
        break;
      case 'params':
        out[f.key] = paramsText(v);
        break;
    }
  }
  return out;
}

/** The secret fields a stored channel has (shown as "set — leave empty to keep"). */
export function storedSecrets(kind: ChannelKind, config: ChannelConfig | null): string[] {
  if (config === null) return [];
  return CHANNEL_FIELDS[kind]
    .filter((f) => f.type === 'secret' && config[f.key] !== undefined && config[f.key] !== null)
    .map((f) => f.key);
}

const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

/** One field's value in the file, or undefined to leave the key out. */
function valueOf(f: FieldSpec, v: unknown, keep: readonly string[], provider: SmsProvider): unknown {
  switch (f.type) {
    case 'text':
      return text(v) || undefined;
    case 'secret':
      return text(v) || (keep.includes(f.key) ? MASK : undefined);
    case 'chat': {
      const s = text(v);
      return s === '' ? undefined : /^-?\d{1,15}$/.test(s) ? Number(s) : s;
    }
    case 'list': {
      const items = Array.isArray(v) ? v.map(text).filter((s) => s !== '') : [];
      return items.length === 0 ? undefined : items;
    }
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
    case 'switch':
    case 'select':
      return v === undefined || v === null || v === f.default ? undefined : v;
    case 'params':
      return parseParams(text(v), provider);
  }
}

/**
 * The channel's `config` for the server, from the form's values. `keep` lists the stored secrets to keep when
 * their field is left empty (sent as `<secret>`). Editing starts from `stored` (the channel's masked settings):
 * keys the form does not show (a webhook's `http_config`, a `timeout`) are sent back unchanged, secrets among
 * them as `<secret>`, so saving the form loses nothing it did not show.
 */
export function buildChannelConfig(
  kind: ChannelKind,
  values: ChannelFormValues,
  opts: { stored?: ChannelConfig | null; keep?: readonly string[] } = {},
): ChannelConfig {
  const fields = CHANNEL_FIELDS[kind];
  const out: ChannelConfig = {};
  for (const [k, v] of Object.entries(opts.stored ?? {}))
    if (!fields.some((f) => f.key === k) && k !== 'rate_limit') out[k] = v;
  const provider = providerOf(values.provider);
  const rate: Record<string, unknown> = isRecord(opts.stored?.rate_limit)
    ? { ...opts.stored.rate_limit }
    : {};
  delete rate[PER_MINUTE];
  for (const f of visibleFields(kind, provider)) {
    const v = valueOf(f, values[f.key], opts.keep ?? [], provider);
    if (v === undefined) continue;
    if (f.key === PER_MINUTE) rate[PER_MINUTE] = v;
    else out[f.key] = v;
  }
  if (Object.keys(rate).length > 0) out.rate_limit = rate;
  return out;
}

/** The form field a server error pointer (`/config/url`, `/config/to/0`) names, or null for none shown. */
export function fieldOfPointer(pointer: string, kind: ChannelKind, provider?: unknown): string | null {
  const [top, key, sub] = pointer.replace(/^\//, '').split('/');
  if (top !== 'config' || key === undefined) return null;
  const name = key === 'rate_limit' && (sub === undefined || sub === PER_MINUTE) ? PER_MINUTE : key;
  return visibleFields(kind, provider).some((f) => f.key === name) ? name : null;
}

/** The server's error details by form field, and how many name no field shown (to be shown above the form). */
export function placeDetails(
  details: readonly { path: string; message: string }[],
  kind: ChannelKind,
  provider?: unknown,
): { fields: { name: string; errors: string[] }[]; unplaced: number } {
  const byField = new Map<string, string[]>();
  let unplaced = 0;
  for (const d of details) {
    const name = fieldOfPointer(d.path, kind, provider);
    if (name === null) unplaced++;
    else byField.set(name, [...(byField.get(name) ?? []), d.message]);
  }
  return { fields: [...byField].map(([name, errors]) => ({ name, errors })), unplaced };
}
