// Channels added to a receiver in the UI, against the real, built server and a faithful DingTalk robot fake
// (which checks the 加签 signature): an admin adds a DingTalk channel to a receiver the file declares, sees it
// listed as added here with a masked target, sends a test message through it; edits it leaving the stored URL
// and secret empty (they are kept: the next test message is still signed right); a wrong URL is refused under
// the URL field; a viewer sees no Add / Edit / Remove; removing it takes it off the list.
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
import { writeFileSync } from 'node:fs';
import { startFakeDingtalk } from '../support/fakes/dingtalk.js';

const ADMIN = 'ops-admin';
const VIEWER = 'ops-viewer';
const PASSWORD = 'Watchpost-e2e-Passw0rd!';
const SECRET = 'SECc0ffee0123456789';
const TOKEN = 'robot-token-9f3e';

// `ops` is declared by name only: its channels are added in the UI. `shop` has a channel from the file.
const config = (dingUrl: string) => `
route:
  receiver: ops
receivers:
  - name: ops
    language: en
  - name: shop
    dingtalk_configs:
      - url: '${dingUrl}'
        secret: ${SECRET}
`;

test(
  'receiver channels: add in the UI, test, edit keeping secrets, field errors, viewer, orphaned by the file, remove',
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
    const { srv, admin, configFile } = await serveWithConfig(t, config(ding.url), {
      username: ADMIN,
      password: PASSWORD,
    });

    const { page, assertClean } = await isolatedContext(browser, t, srv.url, 'en');
    await signIn(page, srv.url, ADMIN, PASSWORD);
    await page.goto(`${srv.url}/receivers`);
    await page
      .getByTestId('receivers-file-hint')
      .getByText(/Channels can also be added here/)
      .waitFor();

    // The file's channel says where it comes from and has no Edit / Remove.
    const shopRow = page.locator(
      '[data-testid="receiver-card"][data-receiver="shop"] [data-testid="channel-row"]',
    );
    await shopRow.getByTestId('channel-source').getByText('From file').waitFor();
    assert.equal(await shopRow.getByTestId('channel-edit').count(), 0);
    assert.equal(await shopRow.getByTestId('channel-remove').count(), 0);

    // Add a DingTalk channel to `ops` from its card: the whole URL DingTalk shows, and the 加签 secret.
    const card = page.locator('[data-testid="receiver-card"][data-receiver="ops"]');
    // The dialog's form holds every field and the buttons; it is mounted while the dialog is open.
    const modal = page.getByTestId('channel-form');
    await clickUntil(card.getByTestId('channel-add'), modal);
    assert.equal(await modal.getAttribute('data-kind'), 'dingtalk', 'DingTalk is chosen first');
    await modal.getByTestId('channel-field-url').fill(ding.url);
    await modal.getByTestId('channel-field-secret').fill(SECRET);
    await modal.getByTestId('channel-submit').click();
    await modal.waitFor({ state: 'detached' });
    const row = card.locator('[data-testid="channel-row"][data-source="ui"]');
    await expectCount(row, 1);
    await row.getByTestId('channel-source').getByText('Added here').waitFor();
    const id = (await row.getAttribute('data-channel')) ?? '';
    assert.match(id, /^dingtalk\/u[0-9a-f]{8}$/);
    assert.match((await row.getByTestId('channel-target').textContent()) ?? '', /access_token=…9f3e, signed/);
    const html = await page.content();
    assert.ok(!html.includes(TOKEN) && !html.includes(SECRET), 'neither the token nor the secret is shown');

    // A test message through it reaches the robot, signed with the secret.
    await row.getByTestId('channel-test').click();
    const result = page.locator(`[data-testid="test-result"][data-channel="${id}"]`);
    await result.waitFor();
    assert.equal(await result.getAttribute('data-ok'), 'true', (await result.textContent()) ?? '');
    assert.equal(ding.messages.length, 1, 'the robot got the test message');

    // Edit on the receiver's page: the stored URL and secret are not in the form, only said to be set.
    await page.goto(`${srv.url}/receivers/ops`);
    const detailRow = page.locator(`[data-testid="channel-row"][data-channel="${id}"]`);
    await clickUntil(detailRow.getByTestId('channel-edit'), modal);
    const url = modal.getByTestId('channel-field-url');
    assert.equal(await url.inputValue(), '');
    assert.equal(await modal.getByTestId('channel-field-secret').inputValue(), '');
    await expectCount(modal.getByTestId('channel-secret-set'), 2);
    assert.ok(!(await modal.innerHTML()).includes('&lt;secret&gt;'), 'no <secret> in the form');
    const mobiles = modal.getByTestId('channel-field-at_mobiles').locator('input');
    await mobiles.fill('13800000000');
    await mobiles.press('Enter');
    await modal.getByTestId('channel-submit').click();
    await modal.waitFor({ state: 'detached' });
    await detailRow.getByText('Mentions: 13800000000').waitFor();

    // The secret was kept: the next test message is signed right and @mentions the number.
    await detailRow.getByTestId('channel-test').click();
    const again = page.locator(`[data-testid="test-result"][data-channel="${id}"]`);
    await again.waitFor();
    assert.equal(await again.getAttribute('data-ok'), 'true', (await again.textContent()) ?? '');
    assert.equal(ding.messages.length, 2, 'the robot got the second test message');
    assert.deepEqual(ding.messages[1]?.mentioned, ['13800000000']);

    // A wrong URL is refused, with the server's message under the URL field; nothing changes.
    await clickUntil(detailRow.getByTestId('channel-edit'), modal);
    await url.fill('not a url');
    await modal.getByTestId('channel-submit').click();
    const urlItem = modal.locator('.ant-form-item').filter({ has: page.getByTestId('channel-field-url') });
    await urlItem
      .locator('.ant-form-item-explain-error')
      .getByText(/must be an http\(s\) URL/)
      .waitFor();
    await modal.getByRole('button', { name: 'Cancel' }).click();
    await modal.waitFor({ state: 'detached' });
    const stored = (await (await admin.call('GET', '/api/v1/receiver-channels')).json()) as {
      channels: { config: Record<string, unknown> }[];
    };
    assert.deepEqual(stored.channels[0]?.config, {
      url: '<secret>',
      secret: '<secret>',
      at_mobiles: ['13800000000'],
    });

    // A viewer sees the channel but no Add, Edit or Remove.
    const made = await admin.call('POST', '/api/v1/users', {
      username: VIEWER,
      password: PASSWORD,
      role: 'viewer',
    });
    assert.equal(made.status, 201, await made.clone().text());
    const viewer = await isolatedContext(browser, t, srv.url, 'en');
    await signIn(viewer.page, srv.url, VIEWER, PASSWORD);
    for (const path of ['/receivers', '/receivers/ops']) {
      await viewer.page.goto(`${srv.url}${path}`);
      await viewer.page.locator(`[data-testid="channel-row"][data-channel="${id}"]`).waitFor();
      for (const button of ['channel-add', 'channel-edit', 'channel-remove'])
        assert.equal(await viewer.page.getByTestId(button).count(), 0, `${path}: no ${button}`);
    }
    viewer.assertClean();

    // The file stops declaring `ops`: the channel added to it is kept, unused, and the page says so.
    const withoutOps = config(ding.url)
      .replace('receiver: ops', 'receiver: shop')
      .replace('  - name: ops\n    language: en\n', '');
    writeFileSync(configFile, withoutOps);
    assert.equal((await admin.call('POST', '/-/reload')).status, 200);
    await page.goto(`${srv.url}/receivers`);
    await page.getByTestId('channels-orphan').locator(`[data-channel="${id}"]`).waitFor();
    await page
      .getByTestId('channels-orphan')
      .getByText('which the configuration file no longer declares')
      .waitFor();
    writeFileSync(configFile, config(ding.url));
    assert.equal((await admin.call('POST', '/-/reload')).status, 200);
    await page.goto(`${srv.url}/receivers/ops`);

    // Remove, after confirming: the channel is gone.
    await detailRow.getByTestId('channel-remove').click();
    await page.getByTestId('channel-remove-ok').click();
    await detailRow.waitFor({ state: 'detached' });
    await page.getByText(`Channel ${id} removed`).waitFor();
    const left = (await (await admin.call('GET', '/api/v1/receiver-channels')).json()) as {
      channels: unknown[];
    };
    assert.deepEqual(left.channels, []);
    assertClean();
  },
);
