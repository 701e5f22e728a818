// The channel dialog's pure helpers (web/src/pages/receivers/channel-form-model.ts): what a user types in each
// kind's form becomes a `config` that the server's own check of the file's `<kind>_configs` accepts; editing
// keeps stored secrets left empty (as the server's keepSecrets reads `<secret>`) and the keys the form does not
// show; the server's error pointers land under their fields; every field has its texts in both languages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildUiChannel, keepSecrets, masked } from '../../src/notify/ui-channels.js';
import en from '../../web/src/i18n/en.json' with { type: 'json' };
import zhCN from '../../web/src/i18n/zh-CN.json' with { type: 'json' };
import {
  CHANNEL_FIELDS,
  CHANNEL_KINDS,
  MASK,
  SMS_PROVIDERS,
  type ChannelKind,
} from '../../web/src/pages/receivers/channel-fields.js';
import {
  buildChannelConfig,
  fieldOfPointer,
  formValuesOf,
  isRequired,
  parseParams,
  placeDetails,
  storedSecrets,
  visibleFields,
  type ChannelFormValues,
} from '../../web/src/pages/receivers/channel-form-model.js';

const DING_URL = 'https://oapi.dingtalk.com/robot/send?access_token=tok1234';

/** What a user fills in for each kind (SMS: Aliyun), over the form's defaults. */
const TYPED: Record<ChannelKind, ChannelFormValues> = {
  dingtalk: { url: DING_URL, secret: 'SECabc', at_mobiles: ['13800000000'], per_minute: 10 },
  wecom: { key: 'k-1', mentioned_list: ['@all'], msg_type: 'text' },
  feishu: { url: 'https://open.feishu.cn/open-apis/bot/v2/hook/t1', secret: 's', at_all: true },
  sms: {
    provider: 'aliyun',
    to: ['13800000000'],
    access_key_id: 'LTAI1',
    access_key_secret: 'ak-secret',
    sign_name: '店铺监控',
    template_code: 'SMS_1',
    template_params: 'title, level=severity',
  },
  email: {
    to: 'a@example.com, b@example.com',
    from: 'wp@example.com',
    smarthost: 'smtp.example.com:587',
    auth_username: 'wp',
    auth_password: 'pw',
    require_tls: false,
  },
  webhook: { url: 'http://hook.example/x', signing_secret: '0123456789abcdef', max_alerts: 5 },
  slack: { api_url: 'https://hooks.slack.com/services/T/B/C', channel: '#ops', send_resolved: true },
  telegram: { bot_token: '1:x', chat_id: '-100123', message_thread_id: 7 },
  pagerduty: { routing_key: '0123456789abcdef0123456789abcdef', source: 'watchpost' },
};

const typed = (kind: ChannelKind): ChannelFormValues => ({ ...formValuesOf(kind, null), ...TYPED[kind] });

const accepted = (kind: ChannelKind, config: Record<string, unknown>) => {
  const r = buildUiChannel(kind, config, 'zh-CN');
  assert.deepEqual(r.problems, [], `${kind}: ${JSON.stringify(config)}`);
};

test('what a user types in each kind of form is a channel the configuration file accepts', () => {
  for (const kind of CHANNEL_KINDS) accepted(kind, buildChannelConfig(kind, typed(kind)));
});

test('the config is written as the file takes it: snake_case, defaults and empty fields left out', () => {
  assert.deepEqual(buildChannelConfig('dingtalk', typed('dingtalk')), {
    url: DING_URL,
    secret: 'SECabc',
    at_mobiles: ['13800000000'],
    rate_limit: { per_minute: 10 },
  });
  assert.deepEqual(buildChannelConfig('sms', typed('sms')), {
    provider: 'aliyun',
    to: ['13800000000'],
    access_key_id: 'LTAI1',
    access_key_secret: 'ak-secret',
    sign_name: '店铺监控',
    template_code: 'SMS_1',
    template_params: { title: 'title', level: 'severity' },
  });
  // A numeric chat id is a number in the file; a channel name stays text.
  assert.equal(buildChannelConfig('telegram', typed('telegram')).chat_id, -100123);
  assert.equal(buildChannelConfig('telegram', { ...typed('telegram'), chat_id: '@ops' }).chat_id, '@ops');
  // Switches at their default are left out; one turned away from it is written.
  assert.deepEqual(buildChannelConfig('slack', typed('slack')), {
    api_url: 'https://hooks.slack.com/services/T/B/C',
    channel: '#ops',
    send_resolved: true,
  });
});

test('SMS: each provider needs its own keys, and the other providers’ keys are never sent', () => {
  const keys = (p: string) =>
    visibleFields('sms', p)
      .filter((f) => isRequired(f, p))
      .map((f) => f.key);
  assert.deepEqual(keys('aliyun'), [
    'provider',
    'to',
    'access_key_id',
    'access_key_secret',
    'sign_name',
    'template_code',
  ]);
  assert.deepEqual(keys('tencent'), [
    'provider',
    'to',
    'secret_id',
    'secret_key',
    'sms_sdk_app_id',
    'sign_name',
    'template_id',
  ]);
  assert.deepEqual(keys('twilio'), ['provider', 'to', 'account_sid', 'auth_token']);
  const tencent = buildChannelConfig('sms', {
    ...typed('sms'),
    provider: 'tencent',
    secret_id: 'AKID',
    secret_key: 'sk',
    sms_sdk_app_id: '1400',
    template_id: '123',
    template_params: 'severity, title',
  });
  assert.equal(tencent.access_key_id, undefined, 'the Aliyun key typed before switching is not sent');
  assert.deepEqual(tencent.template_params, ['severity', 'title']);
  accepted('sms', tencent);
  accepted(
    'sms',
    buildChannelConfig('sms', {
      ...formValuesOf('sms', null),
      provider: 'twilio',
      to: ['+15550001111'],
      account_sid: 'AC1',
      auth_token: 't',
      from: '+15550002222',
    }),
  );
  assert.deepEqual(parseParams(' title ，level: severity\n', 'aliyun'), {
    title: 'title',
    level: 'severity',
  });
  assert.equal(parseParams('  ', 'tencent'), undefined);
});

test('editing: the form never holds <secret>; a stored secret left empty is kept, a typed one replaces it', () => {
  for (const kind of CHANNEL_KINDS) {
    const stored = masked(kind, buildChannelConfig(kind, typed(kind)));
    const values = formValuesOf(kind, stored);
    assert.ok(!JSON.stringify(values).includes(MASK), `${kind}: no <secret> in the form`);
    // Saving the untouched form changes nothing on the server.
    const plain = buildChannelConfig(kind, typed(kind));
    const sent = buildChannelConfig(kind, values, { stored, keep: storedSecrets(kind, stored) });
    assert.deepEqual(keepSecrets(kind, sent, plain), plain, kind);
  }
  const stored = masked('dingtalk', buildChannelConfig('dingtalk', typed('dingtalk')));
  assert.deepEqual(storedSecrets('dingtalk', stored), ['url', 'secret']);
  const values = { ...formValuesOf('dingtalk', stored), secret: 'SECnew', at_all: true };
  assert.deepEqual(buildChannelConfig('dingtalk', values, { stored, keep: ['url', 'secret'] }), {
    url: MASK,
    secret: 'SECnew',
    at_mobiles: ['13800000000'],
    at_all: true,
    rate_limit: { per_minute: 10 },
  });
  // A secret the user removed (no longer kept) is left out.
  const removed = buildChannelConfig('dingtalk', formValuesOf('dingtalk', stored), { stored, keep: ['url'] });
  assert.equal(removed.secret, undefined);
  // Clearing an optional field removes it.
  const cleared = buildChannelConfig(
    'dingtalk',
    { ...formValuesOf('dingtalk', stored), at_mobiles: [], per_minute: null },
    { stored, keep: ['url', 'secret'] },
  );
  assert.deepEqual(cleared, { url: MASK, secret: MASK });
});

test('editing keeps the settings the form does not show, secrets among them still masked', () => {
  const stored = {
    url: MASK,
    http_config: MASK,
    timeout: '5s',
    send_resolved: false,
    max_alerts: 3,
  };
  const values = { ...formValuesOf('webhook', stored), max_alerts: null };
  assert.deepEqual(
    buildChannelConfig('webhook', values, { stored, keep: storedSecrets('webhook', stored) }),
    {
      url: MASK,
      http_config: MASK,
      timeout: '5s',
      send_resolved: false,
    },
  );
  const rate = { url: MASK, rate_limit: { per_second: 1, per_minute: 20 } };
  const next = buildChannelConfig(
    'dingtalk',
    { ...formValuesOf('dingtalk', rate), per_minute: null },
    { stored: rate, keep: ['url'] },
  );
  assert.deepEqual(next.rate_limit, { per_second: 1 });
});

test('the server’s error pointers land under their fields; others are left for the top of the form', () => {
  assert.equal(fieldOfPointer('/config/url', 'dingtalk'), 'url');
  assert.equal(fieldOfPointer('/config/to/0', 'sms'), 'to');
  assert.equal(fieldOfPointer('/config/rate_limit/per_minute', 'feishu'), 'per_minute');
  assert.equal(fieldOfPointer('/config/secret_key', 'sms', 'tencent'), 'secret_key');
  assert.equal(fieldOfPointer('/config/secret_key', 'sms', 'aliyun'), null, 'not shown for Aliyun');
  assert.equal(fieldOfPointer('/config/timeout', 'webhook'), null);
  assert.equal(fieldOfPointer('/config', 'dingtalk'), null);
  assert.equal(fieldOfPointer('/kind', 'dingtalk'), null);
  assert.deepEqual(
    placeDetails(
      [
        { path: '/config/url', message: 'must be an http(s) URL' },
        { path: '/config', message: 'no access token' },
        { path: '/config/url', message: 'second' },
      ],
      'dingtalk',
    ),
    { fields: [{ name: 'url', errors: ['must be an http(s) URL', 'second'] }], unplaced: 1 },
  );
});

test('every field of every kind, and every provider, has its label in both languages', () => {
  type Texts = Record<string, { label?: string }>;
  for (const [lang, json] of [
    ['en', en],
    ['zh-CN', zhCN],
  ] as const) {
    const kinds = json.channelForm.kinds as unknown as Record<string, Texts>;
    const common = json.channelForm.common as Texts;
    for (const kind of CHANNEL_KINDS)
      for (const f of CHANNEL_FIELDS[kind]) {
        const label = kinds[kind]?.[f.key]?.label ?? common[f.key]?.label;
        assert.ok(label, `${lang}: channelForm.kinds.${kind}.${f.key}.label`);
      }
    for (const p of SMS_PROVIDERS) assert.ok(json.channelForm.providers[p], `${lang}: provider ${p}`);
  }
});
