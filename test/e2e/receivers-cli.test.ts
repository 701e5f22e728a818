// `watchpost receivers list|test` as an operator runs them: the built binary against a faithful
// DingTalk fake, with a receiver from the configuration file.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/server.js';
import { startFakeDingtalk } from '../support/fakes/dingtalk.js';
import type { FakeDingtalk } from '../support/fakes/dingtalk.js';

const SECRET = 'SECfeedface0123456789';
const TOKEN = 'robot-token-9f8e';
let dir: string;
let ding: FakeDingtalk;
let file: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'watchpost-receivers-'));
  ding = await startFakeDingtalk({ clock: { now: () => Date.now() }, accessToken: TOKEN, secret: SECRET });
  file = join(dir, 'watchpost.yml');
  writeFileSync(
    file,
    [
      'route: { receiver: ops }',
      'receivers:',
      '  - name: ops',
      `    dingtalk_configs: [{ url: '${ding.url}', secret: ${SECRET} }]`,
      '  - name: wrong',
      `    dingtalk_configs: [{ url: '${ding.url}', secret: SECnotTheRightOne0000 }]`,
      '',
    ].join('\n'),
  );
});
after(async () => {
  await ding?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('receivers list shows each channel with its endpoint and limit, never its secrets', async () => {
  const r = await runCli(['receivers', 'list', '--config', file, '--data-dir', dir]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^ops {2}\(all channels, zh-CN\)$/m);
  assert.match(
    r.stdout,
    /dingtalk\/0 +http:\/\/127\.0\.0\.1:\d+\/robot\/send access_token=…9f8e, signed {2}\[20\/min\]/,
  );
  assert.ok(!r.stdout.includes(TOKEN) && !r.stdout.includes(SECRET));
});

test('receivers test sends a message now and says what the robot answered; a wrong secret exits 9 with its code', async () => {
  const ok = await runCli(['receivers', 'test', 'ops', '--config', file, '--data-dir', dir]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /^dingtalk\/0: ok/m);
  assert.equal(ding.messages.length, 1);
  assert.match(ding.messages[0]?.title ?? '', /OrderSyncStalled|订单同步停滞/);

  const bad = await runCli(['receivers', 'test', 'wrong', '--config', file, '--data-dir', dir]);
  assert.equal(bad.code, 9);
  assert.match(bad.stdout, /^dingtalk\/0: FAILED code 310000 — .*sign/m);

  const unknown = await runCli(['receivers', 'test', 'nobody', '--config', file, '--data-dir', dir]);
  assert.equal(unknown.code, 3);
  assert.match(unknown.stderr, /no receiver "nobody" in the configuration; it has ops, wrong/);
});
