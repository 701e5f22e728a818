// The receivers pages against the real, built server and a faithful DingTalk robot fake: the channel with its
// masked target and health, a test message through it (the robot gets it, the page says what it answered),
// the delivery log, the template editor's live preview with a broken then fixed template and its YAML, an
// alert's deliveries in the alert drawer, a viewer without test buttons, and the page in Chinese.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  clickUntil,
  expectCount,
  isolatedContext,
  launchBrowser,
  signIn,
  serveWithConfig,
} from '../support/browser.js';
import { startFakeDingtalk } from '../support/fakes/dingtalk.js';

const ADMIN = 'ops-admin';
const VIEWER = 'ops-viewer';
const PASSWORD = 'Watchpost-e2e-Passw0rd!';
const SECRET = 'SECdeadbeef0123456789';
const TOKEN = 'robot-token-a1b2';

const config = (dingUrl: string) => `
route:
  receiver: ops
  group_by: [alertname, store]
  group_wait: 0s
  group_interval: 1m
receivers:
  - name: ops
    language: en
    templates:
      title: '{{ status }} · {{ alerts | size }} alerts'
    dingtalk_configs:
      - url: '${dingUrl}'
        secret: ${SECRET}
`;

test(
  'receivers: masked channel, test message, delivery log, template preview, alert deliveries, viewer, zh-CN',
  { timeout: 240_000 },
  async (t) => {
    const browser = await launchBrowser(t);
    if (browser === null) return;
    const ding = await startFakeDingtalk({
      clock: { now: () => Date.now() },
      accessToken: TOKEN,
      secret: SECRET,
    });
    t.after(() => ding.close());
    const { srv, admin } = await serveWithConfig(t, config(ding.url), {
      username: ADMIN,
      password: PASSWORD,
    });

    const { page, assertClean } = await isolatedContext(browser, t, srv.url, 'en');
    await signIn(page, srv.url, ADMIN, PASSWORD);
    await page.getByTestId('nav-receivers').click();
    await page.getByTestId('page-title').getByText('Receivers', { exact: true }).waitFor();
    await page.getByTestId('receivers-file-hint').waitFor();

    // The channel: its kind, id and target with only the token's last 4 characters; no secret on the page.
    const card = page.locator('[data-testid="receiver-card"][data-receiver="ops"]');
    await card.getByTestId('receiver-policy').getByText('All channels at once').waitFor();
    const row = card.locator('[data-testid="channel-row"][data-channel="dingtalk/0"]');
    await row.getByTestId('channel-kind').getByText('DingTalk').waitFor();
    const target = (await row.getByTestId('channel-target').textContent()) ?? '';
    assert.match(target, /access_token=…a1b2, signed/);
    await row.getByTestId('channel-health').getByText('Delivering').waitFor();
    await row.getByText('20/min').waitFor();
    const html = await page.content();
    assert.ok(!html.includes(TOKEN) && !html.includes(SECRET), 'neither the token nor the secret is shown');

    // A test message through the channel: the robot gets it, the page says it was delivered (errcode 0).
    await row.getByTestId('channel-test').click();
    const result = page.locator('[data-testid="test-result"][data-channel="dingtalk/0"]');
    await result.waitFor();
    assert.equal(await result.getAttribute('data-ok'), 'true', (await result.textContent()) ?? '');
    await result.getByText('Delivered').waitFor();
    assert.equal(ding.messages.length, 1, 'the robot got the test message');
    // The channel's last 24 hours count it once the list is asked again.
    await row.getByTestId('channel-last24h').getByText('1 ok').waitFor();

    // The delivery log tab lists the attempt, marked as a test.
    await page.getByTestId('receivers-tab-deliveries').click();
    const logRow = page.locator('[data-testid="delivery-row"][data-channel="dingtalk/0"]');
    await expectCount(logRow, 1);
    await logRow.getByTestId('delivery-test').waitFor();
    assert.equal(await logRow.getAttribute('data-ok'), 'true');
    await page.getByTestId('deliveries-outcome-failed').click();
    await expectCount(logRow, 0);
    await page.getByTestId('deliveries-outcome-ok').click();
    await expectCount(logRow, 1);

    // The templates tab: the receiver's own title template, rendered against the sample notification.
    await page.getByTestId('receivers-tab-receivers').click();
    await card.getByTestId('receiver-link').click();
    await page.getByTestId('receiver-name').getByText('ops', { exact: true }).waitFor();
    await page.getByTestId('receiver-tab-templates').click();
    const title = page.getByTestId('template-title');
    assert.equal(await title.inputValue(), '{{ status }} · {{ alerts | size }} alerts');
    const previewTitle = page.getByTestId('preview-title');
    await previewTitle.getByText('firing · 3 alerts', { exact: true }).waitFor();
    await page.getByTestId('template-resolved').click();
    await previewTitle.getByText('resolved · 3 alerts', { exact: true }).waitFor();
    // The default Markdown follows the language switch.
    await page
      .getByTestId('preview-markdown')
      .getByText(/Severity/)
      .waitFor();
    await page.getByTestId('template-language-zh-CN').click();
    await page.getByTestId('preview-markdown').getByText(/级别/).waitFor();

    // A broken template is named with the Liquid error, under its field and in the preview; fixing it clears it.
    const markdown = page.getByTestId('template-markdown');
    await markdown.fill('{% for a in alerts %}{{ a.labels.store }');
    const problem = page.locator('[data-testid="template-problem"][data-template="markdown"]');
    await problem.waitFor();
    const markdownItem = page.locator('.ant-form-item').filter({ has: markdown });
    await markdownItem.locator('.ant-form-item-explain-error').waitFor();
    await markdown.fill('{% for a in alerts %}\n- {{ a.labels.store }}\n{% endfor %}');
    await problem.waitFor({ state: 'detached' });
    const rendered = page.getByTestId('preview-markdown');
    await rendered.getByText(/^- \S+\s+- \S+\s+- \S+$/).waitFor();
    assert.deepEqual(
      ((await rendered.textContent()) ?? '')
        .split(/\s+/)
        .filter((w) => w !== '-')
        .sort(),
      ['MY-1', 'SG-2', 'TH-3'],
    );
    await title.fill('Orders: {{ alerts | size }} alerts');
    await previewTitle.getByText('Orders: 3 alerts', { exact: true }).waitFor();
    await page.getByTestId('templates-changed').waitFor();

    // Saving is not here yet: the YAML for the configuration file says what was typed.
    await clickUntil(page.getByTestId('templates-copy-yaml'), page.getByTestId('templates-yaml'));
    const yaml = (await page.getByTestId('templates-yaml').textContent()) ?? '';
    assert.match(yaml, /^receivers:\n {2}- name: ops\n {4}templates:\n/);
    assert.match(yaml, / {6}title: 'Orders: \{\{ alerts \| size \}\} alerts'\n/);
    assert.match(yaml, / {6}markdown: \|-\n {8}\{% for a in alerts %\}\n {8}- \{\{ a\.labels\.store \}\}\n/);
    await clickUntil(page.getByTestId('yaml-close'), page.getByTestId('templates-yaml'), 'detached');

    // An alert's notification reaches the robot; the alert drawer lists the delivery.
    const fired = await admin.call('POST', '/api/v2/alerts', [
      { labels: { alertname: 'OrderSyncStalled', store: 'MY-1', severity: 'P1' } },
    ]);
    assert.equal(fired.status, 200, await fired.text());
    const fp = ((await (await admin.call('GET', '/api/v2/alerts')).json()) as { fingerprint: string }[])[0]
      ?.fingerprint;
    assert.ok(fp, 'the alert fires');
    // The server flushes the group on its own timer (group_wait 0s): wait for the attempt, 20 s at most.
    for (let i = 0; ; i++) {
      const log = await admin.call('GET', `/api/v1/deliveries?fingerprint=${fp}`);
      if (((await log.json()) as { deliveries: unknown[] }).deliveries.length > 0) break;
      assert.ok(i < 200, 'the alert was delivered within 20 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(ding.messages.length, 2, 'the robot got the alert');
    await page.goto(`${srv.url}/alerts`);
    await page.getByTestId('alert-row').filter({ hasText: 'OrderSyncStalled' }).click();
    const delivery = page.getByTestId('alert-drawer').getByTestId('alert-delivery');
    await expectCount(delivery, 1);
    assert.equal(await delivery.getAttribute('data-ok'), 'true');
    await delivery.getByText('dingtalk/0').waitFor();
    assertClean();

    // A viewer sees the receivers but cannot send test messages.
    const made = await admin.call('POST', '/api/v1/users', {
      username: VIEWER,
      password: PASSWORD,
      role: 'viewer',
    });
    assert.equal(made.status, 201, await made.clone().text());
    const viewer = await isolatedContext(browser, t, srv.url, 'en');
    await signIn(viewer.page, srv.url, VIEWER, PASSWORD);
    await viewer.page.goto(`${srv.url}/receivers`);
    await viewer.page.locator('[data-testid="channel-row"][data-channel="dingtalk/0"]').waitFor();
    assert.equal(await viewer.page.getByTestId('channel-test').count(), 0);
    assert.equal(await viewer.page.getByTestId('receiver-test').count(), 0);
    viewer.assertClean();

    // In Chinese: the menu and the title say 接收组, the channel's health 投递正常, the log tab 投递记录.
    const zh = await isolatedContext(browser, t, srv.url, 'zh-CN');
    await signIn(zh.page, srv.url, ADMIN, PASSWORD);
    await zh.page.goto(`${srv.url}/receivers`);
    await zh.page.getByTestId('page-title').getByText('接收组', { exact: true }).waitFor();
    await zh.page.getByTestId('nav-receivers').getByText('接收组', { exact: true }).waitFor();
    await zh.page.getByTestId('channel-health').getByText('投递正常').waitFor();
    await zh.page.getByTestId('receivers-tab-deliveries').getByText('投递记录').waitFor();
    zh.assertClean();
  },
);
