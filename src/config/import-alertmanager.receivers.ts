// The receivers of an alertmanager.yml as Watchpost receivers: webhook, e-mail and WeChat configs
// with their global settings folded in, Slack, Telegram and PagerDuty configs with Alertmanager's
// keys (their Go templates left out: Watchpost writes the message), and every other integration
// reported as not mapped.

import type { JsonObject } from './checks.js';
import { SLACK_MESSAGE_KEYS } from './channels.schema.js';
import { isObject } from './checks.js';
import { formatPath, type ConfigPath } from './problems.js';
import {
  DEFAULT_WECHAT_API_URL,
  GO_TEMPLATE,
  MASKED_SECRET,
  OTHER_KINDS,
  PLACEHOLDER_SECRET,
  PLACEHOLDER_URL,
  fieldsOf,
  inherit,
  nonEmpty,
  note,
  notMapped,
  problem,
  secret,
  str,
  textField,
  unknownKeys,
  type Ctx,
  type Src,
} from './import-alertmanager.context.js';

// ---------------------------------------------------------------------------------------------
// Receivers

const HTTP_CONFIG_KEYS_KEPT = ['bearer_token', 'proxy_url', 'follow_redirects', 'enable_http2'];

/** Watchpost's `http_config` from Alertmanager's, reporting what it cannot use. */
function httpConfig(ctx: Ctx, h: Src | undefined, out: ConfigPath): JsonObject | undefined {
  if (h === undefined || !isObject(h.value)) return undefined;
  const at = h.at;
  const src = h.value;
  const res: JsonObject = {};
  for (const [k, v] of Object.entries(src)) {
    if (v === null || v === undefined) continue;
    const here: ConfigPath = [...at, k];
    if (HTTP_CONFIG_KEYS_KEPT.includes(k)) {
      res[k] = v;
    } else if (k === 'bearer_token_file') {
      const token = secret(ctx, fieldsOf(src, at), 'bearer_token', 'bearer_token_file', out);
      if (token !== undefined) res.bearer_token = token;
    } else if (k === 'authorization' && isObject(v)) {
      const type = str(v.type) ?? 'Bearer';
      if (type.toLowerCase() !== 'bearer') {
        notMapped(ctx, here, `authorization type ${type} is not supported: only Bearer`, out);
        continue;
      }
      const token = secret(ctx, fieldsOf(v, here), 'credentials', 'credentials_file', out);
      if (token !== undefined) {
        res.bearer_token = token;
        note(ctx, 'converted', here, 'converted to bearer_token');
      }
    } else if (k === 'basic_auth' && isObject(v)) {
      const f = fieldsOf(v, here);
      const username = str(v.username);
      if (username === undefined) {
        notMapped(
          ctx,
          [...here, 'username_file'],
          'username_file is not supported: put the user name in username',
          out,
        );
        continue;
      }
      const password = secret(ctx, f, 'password', 'password_file', out);
      res.basic_auth = { username, ...(password !== undefined ? { password } : {}) };
    } else if (k === 'tls_config' && isObject(v)) {
      for (const [tk, tv] of Object.entries(v)) {
        if (tk === 'insecure_skip_verify') res.tls_config = { insecure_skip_verify: tv };
        else if (tv !== null && tv !== '')
          notMapped(
            ctx,
            [...here, tk],
            'not supported yet: the system’s trusted CAs are used, no client certificate',
            out,
          );
      }
    } else {
      notMapped(ctx, here, 'not supported yet', out);
    }
  }
  return Object.keys(res).length > 0 ? res : undefined;
}

const WEBHOOK_KEYS = ['url', 'url_file', 'send_resolved', 'max_alerts', 'timeout', 'http_config'];

function webhookConfig(ctx: Ctx, w: JsonObject, at: ConfigPath, out: ConfigPath): JsonObject {
  unknownKeys(ctx, w, WEBHOOK_KEYS, at, out);
  const f = fieldsOf(w, at);
  if (f.http_config === undefined && isObject(ctx.global.http_config)) {
    f.http_config = { value: ctx.global.http_config, at: ['global', 'http_config'] };
    ctx.globalUse.set('http_config', [...(ctx.globalUse.get('http_config') ?? []), formatPath(out)]);
  }
  const url = secret(ctx, f, 'url', 'url_file', out, true);
  const res: JsonObject = { url: url === undefined || url === MASKED_SECRET ? PLACEHOLDER_URL : url };
  for (const k of ['send_resolved', 'max_alerts', 'timeout']) if (nonEmpty(w[k])) res[k] = w[k];
  const http = httpConfig(ctx, f.http_config, out);
  if (http) res.http_config = http;
  return res;
}

const EMAIL_KEYS = [
  'to',
  'from',
  'smarthost',
  'hello',
  'auth_username',
  'auth_password',
  'auth_password_file',
  'auth_secret',
  'auth_secret_file',
  'auth_identity',
  'require_tls',
  'tls_config',
  'headers',
  'html',
  'text',
  'send_resolved',
  'threading',
];

function emailConfig(ctx: Ctx, e: JsonObject, at: ConfigPath, out: ConfigPath): JsonObject {
  unknownKeys(ctx, e, EMAIL_KEYS, at, out);
  const f = fieldsOf(e, at);
  for (const [key, g] of [
    ['smarthost', 'smtp_smarthost'],
    ['from', 'smtp_from'],
    ['hello', 'smtp_hello'],
    ['auth_username', 'smtp_auth_username'],
    ['auth_secret', 'smtp_auth_secret'],
    ['auth_secret_file', 'smtp_auth_secret_file'],
    ['auth_identity', 'smtp_auth_identity'],
    ['require_tls', 'smtp_require_tls'],
    ['tls_config', 'smtp_tls_config'],
  ] as const)
    inherit(ctx, f, key, g, out);
  // The password and its file are taken from global together, and only when neither is set here.
  if (!nonEmpty(e.auth_password) && !nonEmpty(e.auth_password_file)) {
    inherit(ctx, f, 'auth_password', 'smtp_auth_password', out);
    inherit(ctx, f, 'auth_password_file', 'smtp_auth_password_file', out);
  }

  const res: JsonObject = {};
  for (const key of ['to', 'from', 'smarthost']) {
    const v = f[key];
    if (v === undefined || !nonEmpty(v.value)) continue;
    res[key] = v.value;
    if (typeof v.value === 'string' && GO_TEMPLATE.test(v.value))
      notMapped(ctx, v.at, 'Go templates are not supported: copied as written; put the address itself', out);
  }
  const user = f.auth_username;
  if (user !== undefined && nonEmpty(user.value)) res.auth_username = user.value;
  const password = secret(ctx, f, 'auth_password', 'auth_password_file', out);
  if (password !== undefined) res.auth_password = password;
  if (f.require_tls !== undefined && typeof f.require_tls.value === 'boolean')
    res.require_tls = f.require_tls.value;

  const hello = f.hello;
  if (hello !== undefined && nonEmpty(hello.value) && hello.value !== 'localhost')
    notMapped(ctx, hello.at, 'not supported yet: Watchpost greets the server with its own host name', out);
  for (const key of ['auth_secret', 'auth_secret_file'])
    if (f[key] !== undefined && nonEmpty(f[key].value))
      notMapped(ctx, f[key].at, 'CRAM-MD5 is not supported yet: use auth_username and auth_password', out);
  if (
    f.auth_identity !== undefined &&
    nonEmpty(f.auth_identity.value) &&
    f.auth_identity.value !== user?.value
  )
    notMapped(ctx, f.auth_identity.at, 'not supported yet: the user name is the PLAIN identity', out);
  if (
    f.tls_config !== undefined &&
    isObject(f.tls_config.value) &&
    Object.keys(f.tls_config.value).length > 0
  )
    notMapped(
      ctx,
      f.tls_config.at,
      'not supported yet: the system’s trusted CAs are used, no client certificate',
      out,
    );
  if (f.threading !== undefined && nonEmpty(f.threading.value))
    notMapped(ctx, f.threading.at, 'not supported yet', out);

  if (isObject(e.headers)) {
    const headers: JsonObject = {};
    for (const [name, v] of Object.entries(e.headers)) {
      const text = textField(ctx, { value: v, at: [...at, 'headers', name] }, out);
      if (text !== undefined) headers[name] = text;
    }
    if (Object.keys(headers).length > 0) res.headers = headers;
  }
  for (const key of ['html', 'text']) {
    const text = textField(ctx, f[key], out);
    if (text !== undefined) res[key] = text;
  }
  if (nonEmpty(e.send_resolved)) res.send_resolved = e.send_resolved;
  return res;
}

const WECHAT_KEYS = [
  'send_resolved',
  'http_config',
  'api_secret',
  'api_secret_file',
  'corp_id',
  'message',
  'message_type',
  'api_url',
  'to_user',
  'to_party',
  'to_tag',
  'agent_id',
];

function wechatConfig(ctx: Ctx, w: JsonObject, at: ConfigPath, out: ConfigPath): JsonObject {
  unknownKeys(ctx, w, WECHAT_KEYS, at, out);
  const f = fieldsOf(w, at);
  inherit(ctx, f, 'api_url', 'wechat_api_url', out);
  if (!nonEmpty(w.api_secret) && !nonEmpty(w.api_secret_file)) {
    inherit(ctx, f, 'api_secret', 'wechat_api_secret', out);
    inherit(ctx, f, 'api_secret_file', 'wechat_api_secret_file', out);
  }
  inherit(ctx, f, 'corp_id', 'wechat_api_corp_id', out);

  const res: JsonObject = {};
  const url = str(f.api_url?.value);
  if (url !== undefined && url !== DEFAULT_WECHAT_API_URL) {
    // Alertmanager adds the final slash itself.
    res.api_url = url.endsWith('/') ? url : `${url}/`;
  }
  if (f.corp_id !== undefined && nonEmpty(f.corp_id.value)) res.corp_id = f.corp_id.value;
  const apiSecret = secret(ctx, f, 'api_secret', 'api_secret_file', out, true);
  res.api_secret = apiSecret ?? PLACEHOLDER_SECRET;
  for (const key of ['agent_id', 'to_user', 'to_party', 'to_tag', 'message']) {
    const v = key === 'agent_id' && typeof w[key] === 'number' ? w[key] : textField(ctx, f[key], out);
    if (v !== undefined) res[key] = v;
  }
  for (const key of ['message_type', 'send_resolved']) if (nonEmpty(w[key])) res[key] = w[key];

  const h =
    f.http_config ??
    (isObject(ctx.global.http_config)
      ? { value: ctx.global.http_config, at: ['global', 'http_config'] }
      : undefined);
  if (h !== undefined && isObject(h.value)) {
    for (const [k, v] of Object.entries(h.value)) {
      if (v === null || k === 'follow_redirects' || k === 'enable_http2') continue;
      notMapped(ctx, [...h.at, k], 'http_config is not supported yet for wechat_configs', out);
    }
  }
  return res;
}

/** Reports the keys of `c` that carry Alertmanager's message templates or settings Watchpost fills itself. */
function leftOut(
  ctx: Ctx,
  c: JsonObject,
  keys: readonly string[],
  at: ConfigPath,
  out: ConfigPath,
  why: string,
): void {
  for (const k of keys) if (nonEmpty(c[k])) notMapped(ctx, [...at, k], why, out);
}

const MESSAGE_WHY =
  'Watchpost writes the message from its templates (the receiver’s `templates`, see docs/templates.md): left out';

function slackConfig(ctx: Ctx, c: JsonObject, at: ConfigPath, out: ConfigPath): JsonObject {
  unknownKeys(
    ctx,
    c,
    [
      'api_url',
      'api_url_file',
      'channel',
      'send_resolved',
      'http_config',
      'app_token',
      'app_url',
      ...SLACK_MESSAGE_KEYS,
    ],
    at,
    out,
  );
  const f = fieldsOf(c, at);
  if (!nonEmpty(c.api_url) && !nonEmpty(c.api_url_file)) {
    inherit(ctx, f, 'api_url', 'slack_api_url', out);
    inherit(ctx, f, 'api_url_file', 'slack_api_url_file', out);
  }
  const url = secret(ctx, f, 'api_url', 'api_url_file', out, true);
  const res: JsonObject = { api_url: url === undefined || url === MASKED_SECRET ? PLACEHOLDER_URL : url };
  const channel = textField(ctx, f.channel, out);
  if (channel !== undefined) res.channel = channel;
  if (nonEmpty(c.send_resolved)) res.send_resolved = c.send_resolved;
  leftOut(ctx, c, SLACK_MESSAGE_KEYS, at, out, MESSAGE_WHY);
  leftOut(
    ctx,
    c,
    ['http_config', 'app_token', 'app_url'],
    at,
    out,
    'not supported: Watchpost posts to incoming webhooks (api_url)',
  );
  return res;
}

function telegramConfig(ctx: Ctx, c: JsonObject, at: ConfigPath, out: ConfigPath): JsonObject {
  unknownKeys(
    ctx,
    c,
    [
      'api_url',
      'bot_token',
      'bot_token_file',
      'chat_id',
      'message_thread_id',
      'message',
      'disable_notifications',
      'parse_mode',
      'send_resolved',
      'http_config',
    ],
    at,
    out,
  );
  const f = fieldsOf(c, at);
  inherit(ctx, f, 'api_url', 'telegram_api_url', out);
  const res: JsonObject = {};
  const api = str(f.api_url?.value);
  if (api !== undefined && api !== 'https://api.telegram.org') res.api_url = api;
  const token = secret(ctx, f, 'bot_token', 'bot_token_file', out, true);
  res.bot_token = token ?? PLACEHOLDER_SECRET;
  if (typeof c.chat_id === 'number' || typeof c.chat_id === 'string') res.chat_id = c.chat_id;
  else problem(ctx, [...at, 'chat_id'], 'required: the chat to post to');
  for (const k of ['message_thread_id', 'disable_notifications', 'send_resolved'])
    if (nonEmpty(c[k])) res[k] = c[k];
  if (nonEmpty(c.parse_mode) && c.parse_mode !== 'HTML')
    note(
      ctx,
      'converted',
      [...at, 'parse_mode'],
      'Watchpost sends HTML it has escaped itself: parse_mode HTML',
      out,
    );
  leftOut(ctx, c, ['message'], at, out, MESSAGE_WHY);
  leftOut(ctx, c, ['http_config'], at, out, 'http_config is not supported for telegram_configs');
  return res;
}

const PAGERDUTY_FILLED = ['client', 'client_url', 'description', 'details', 'images', 'links', 'severity'];

function pagerdutyConfig(ctx: Ctx, c: JsonObject, at: ConfigPath, out: ConfigPath): JsonObject {
  unknownKeys(
    ctx,
    c,
    [
      'routing_key',
      'routing_key_file',
      'service_key',
      'service_key_file',
      'url',
      'source',
      'component',
      'group',
      'class',
      'send_resolved',
      'http_config',
      ...PAGERDUTY_FILLED,
    ],
    at,
    out,
  );
  const f = fieldsOf(c, at);
  inherit(ctx, f, 'url', 'pagerduty_url', out);
  const key = secret(ctx, f, 'routing_key', 'routing_key_file', out, true);
  const res: JsonObject = { routing_key: key ?? PLACEHOLDER_SECRET };
  if (key === undefined && (nonEmpty(c.service_key) || nonEmpty(c.service_key_file)))
    notMapped(
      ctx,
      [...at, 'service_key'],
      'Events API v1 is retired: create an Events API v2 integration and put its key in routing_key',
      out,
    );
  const url = str(f.url?.value);
  // Alertmanager's default is the v2 endpoint without the path for v1 keys; Watchpost always posts Events v2.
  if (url !== undefined && !/^https:\/\/events\.pagerduty\.com\/?(v2\/enqueue)?$/.test(url)) res.url = url;
  for (const k of ['source', 'component', 'group', 'class']) {
    const v = textField(ctx, f[k], out);
    if (v !== undefined) res[k] = v;
  }
  if (nonEmpty(c.send_resolved)) res.send_resolved = c.send_resolved;
  leftOut(
    ctx,
    c,
    PAGERDUTY_FILLED,
    at,
    out,
    'Watchpost fills it from the alerts (severity from P0–P3): left out',
  );
  leftOut(ctx, c, ['http_config'], at, out, 'http_config is not supported for pagerduty_configs');
  return res;
}

const CONFIG_KINDS = {
  webhook_configs: webhookConfig,
  email_configs: emailConfig,
  wechat_configs: wechatConfig,
  slack_configs: slackConfig,
  telegram_configs: telegramConfig,
  pagerduty_configs: pagerdutyConfig,
} as const;

export function receiver(ctx: Ctx, r: unknown, i: number): JsonObject {
  const at: ConfigPath = ['receivers', i];
  if (!isObject(r) || typeof r.name !== 'string' || r.name === '') {
    problem(ctx, isObject(r) ? [...at, 'name'] : at, 'every receiver needs a name');
    return {};
  }
  const res: JsonObject = { name: r.name };
  let channels = 0;
  for (const [key, convert] of Object.entries(CONFIG_KINDS)) {
    const list = r[key];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) {
      problem(ctx, [...at, key], 'must be a list');
      continue;
    }
    res[key] = list.map((c, j) => {
      if (!isObject(c)) {
        problem(ctx, [...at, key, j], 'must be a mapping');
        return {};
      }
      return convert(ctx, c, [...at, key, j], [...at, key, j]);
    });
    channels += list.length;
  }
  const dropped: string[] = [];
  for (const [key, list] of Object.entries(r)) {
    if (key === 'name' || key in CONFIG_KINDS || list === null) continue;
    if (OTHER_KINDS.includes(key)) {
      const n = Array.isArray(list) ? list.length : 1;
      dropped.push(key);
      notMapped(
        ctx,
        [...at, key],
        `${n} ${key.replace(/_configs$/, '')} integration${n === 1 ? '' : 's'} of receiver "${r.name}" not mapped yet: Watchpost does not deliver it`,
        at,
      );
    } else {
      notMapped(ctx, [...at, key], 'not an Alertmanager key Watchpost knows: left out', at);
    }
  }
  if (channels === 0 && dropped.length > 0) {
    notMapped(
      ctx,
      at,
      `receiver "${r.name}" is kept without channels so the routes naming it stay valid: alerts routed to it are recorded but not delivered`,
      at,
    );
  }
  return res;
}
