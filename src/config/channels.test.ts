// Receivers with Watchpost's channel kinds, as users write them in the config file.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateConfigText } from './load.js';
import type { ReceiverConfig } from './model.js';

const lines = (...l: string[]): string => `${l.join('\n')}\n`;

const receiversOf = (...l: string[]): ReceiverConfig[] => {
  const r = validateConfigText(lines('route: { receiver: ops }', 'receivers:', ...l), 'watchpost.yml');
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.config.receivers;
};

const problemsOf = (...l: string[]) => {
  const r = validateConfigText(lines('route: { receiver: ops }', 'receivers:', ...l), 'watchpost.yml');
  return r.ok ? [] : r.problems.map((p) => ({ path: p.path, message: p.message }));
};

test('every channel kind pastes in, in the order of its keys, with ids kind/index', () => {
  const [ops] = receiversOf(
    '  - name: ops',
    '    policy: fallback',
    '    fallback_after: 3',
    '    language: en',
    '    dingtalk_configs:',
    '      - url: https://oapi.dingtalk.com/robot/send?access_token=abc',
    '        secret: SECxyz',
    '        at_mobiles: ["13800000000"]',
    '        rate_limit: { per_minute: 10 }',
    '    sms_configs:',
    '      - provider: aliyun',
    '        to: ["13800000000"]',
    '        access_key_id: id',
    '        access_key_secret: s',
    '        sign_name: 店铺监控',
    '        template_code: SMS_1',
    '        template_params: { title: title }',
    '    webhook_configs: [{ url: "http://hook.example/x", signing_secret: "0123456789abcdef" }]',
    '    wecom_configs: [{ key: k1, mentioned_list: ["@all", "zhangsan"] }]',
    '    feishu_configs: [{ url: "https://open.feishu.cn/open-apis/bot/v2/hook/t1" }]',
    '    slack_configs: [{ api_url: "https://hooks.slack.com/services/T/B/C", channel: "#ops" }]',
    '    telegram_configs: [{ bot_token: "1:x", chat_id: -100123 }]',
    '    pagerduty_configs: [{ routing_key: "0123456789abcdef0123456789abcdef" }]',
    '    email_configs: [{ to: "a@example.com, b@example.com", from: wp@example.com, smarthost: "smtp.example.com:465" }]',
  );
  assert.ok(ops);
  assert.deepEqual(
    ops.channels.map((c) => c.id),
    [
      'dingtalk/0',
      'sms/0',
      'webhook/0',
      'wecom/0',
      'feishu/0',
      'slack/0',
      'telegram/0',
      'pagerduty/0',
      'email/0',
    ],
  );
  assert.deepEqual([ops.policy, ops.fallbackAfter, ops.language], ['fallback', 3, 'en']);
  const [ding, sms, hook, wecom, , slack, telegram, pd, email] = ops.channels;
  assert.deepEqual(ding?.mentions, { mobiles: ['13800000000'], userIds: [], all: false });
  assert.deepEqual(ding?.rateLimit, { perSecond: null, perMinute: 10 });
  assert.equal(ding?.kind === 'dingtalk' && ding.config.secret, 'SECxyz');
  assert.equal(sms?.kind === 'sms' && sms.config.provider, 'aliyun');
  assert.equal(sms?.sendResolved, false, 'SMS for a resolved alert is noise unless asked for');
  assert.equal(hook?.kind === 'webhook' && hook.config.signingSecret, '0123456789abcdef');
  assert.deepEqual(wecom?.mentions, { mobiles: [], userIds: ['zhangsan'], all: true });
  assert.equal(slack?.sendResolved, false, "Alertmanager's default for slack_configs");
  assert.equal(telegram?.kind === 'telegram' && telegram.config.chatId, -100123);
  assert.equal(pd?.kind === 'pagerduty' && pd.config.url, 'https://events.pagerduty.com/v2/enqueue');
  assert.deepEqual(email?.kind === 'email' && [email.config.secure, email.config.to], [
    true,
    ['a@example.com', 'b@example.com'],
  ]);
});

test('a robot without its credential, and SMS without what its provider needs, are named with the fix', () => {
  assert.deepEqual(
    problemsOf(
      '  - name: ops',
      '    dingtalk_configs: [{ url: "https://oapi.dingtalk.com/robot/send" }]',
      '    wecom_configs: [{ msg_type: text }]',
      '    feishu_configs: [{ secret: s }]',
      '    sms_configs:',
      '      - { provider: tencent, to: ["+8613800000000"], secret_id: a, access_key_id: b, template_params: { x: title } }',
      '      - { provider: twilio, to: ["+15550001111"], account_sid: AC1, auth_token: t }',
    ),
    [
      {
        path: 'receivers[0].dingtalk_configs[0]',
        message: 'no access token: give the robot’s whole webhook URL as url, or access_token',
      },
      {
        path: 'receivers[0].wecom_configs[0]',
        message: 'no key: give the robot’s whole webhook URL as url, or key',
      },
      {
        path: 'receivers[0].feishu_configs[0]',
        message: 'no hook token: give the bot’s whole webhook URL as url, or token',
      },
      { path: 'receivers[0].sms_configs[0].secret_key', message: 'required for provider tencent' },
      { path: 'receivers[0].sms_configs[0].sms_sdk_app_id', message: 'required for provider tencent' },
      { path: 'receivers[0].sms_configs[0].sign_name', message: 'required for provider tencent' },
      { path: 'receivers[0].sms_configs[0].template_id', message: 'required for provider tencent' },
      { path: 'receivers[0].sms_configs[0].access_key_id', message: 'not a setting of provider tencent' },
      {
        path: 'receivers[0].sms_configs[0].template_params',
        message: 'Tencent templates number their variables: list fields in order, e.g. [severity, title]',
      },
      {
        path: 'receivers[0].sms_configs[1]',
        message: 'provider twilio needs from (a Twilio number) or messaging_service_sid',
      },
    ],
  );
});

test('a typo in a channel key is an error with a suggestion, and unknown policies are refused', () => {
  const problems = problemsOf(
    '  - name: ops',
    '    policy: failover',
    '    dingtalk_configs: [{ url: "https://oapi.dingtalk.com/robot/send?access_token=a", at_mobile: ["1"] }]',
  );
  assert.deepEqual(
    problems.map((p) => p.path),
    ['receivers[0].policy', 'receivers[0].dingtalk_configs[0].at_mobile'],
  );
  assert.match(problems[0]?.message ?? '', /all, fallback/);
  assert.match(problems[1]?.message ?? '', /did you mean "at_mobiles"/);
});
