// The web UI against the real, built server: first-start setup, sign-in, navigation, languages, API tokens,
// and the Settings screens that change users, teams and services.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { isolatedContext, launchBrowser, signIn, clickUntil } from '../support/browser.js';
import { startServer } from '../support/server.js';

const USERNAME = 'ops-admin';
const DISPLAY_NAME = '值班负责人';
const PASSWORD = 'Watchpost-e2e-Passw0rd!';
const VIEWER = 'shop-viewer';
const VIEWER_PASSWORD = 'Viewer-e2e-Passw0rd!';
const NEW_VIEWER_PASSWORD = 'Viewer-e2e-Changed-Passw0rd!';
const RUNBOOK = 'https://wiki.example.com/sop/oms-api';

/** Menu label and page heading of every section, in zh-CN (the glossary's words). */
const SECTIONS_ZH: Record<string, string> = {
  overview: '概览',
  alerts: '告警',
  incidents: '事件',
  checks: '检查',
  rules: '告警规则',
  silences: '静默',
  maintenance: '维护窗口',
  oncall: '值班',
  deploys: '发布',
  reports: '报表',
  settings: '设置',
};

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Waits until the element's whole text is `text`. */
async function expectText(locator: Locator, text: string): Promise<void> {
  await locator.filter({ hasText: new RegExp(`^\\s*${escapeRe(text)}\\s*$`) }).waitFor();
}

function pathOf(page: Page): string {
  return new URL(page.url()).pathname;
}

/** Opens an antd Select and clicks the option whose text contains `text`; waits until the list has closed. */
async function choose(page: Page, select: Locator, text: string): Promise<void> {
  await select.click();
  const list = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
  await list.locator('.ant-select-item-option').filter({ hasText: text }).first().click();
  await list.waitFor({ state: 'hidden' });
}

/** The table row that mentions `text` (a name, which is unique in these tables). */
function rowOf(page: Page, table: string, text: string): Locator {
  return page.getByTestId(table).locator('tbody tr').filter({ hasText: text });
}

/** Confirms the open Popconfirm with its button named `ok`. */
async function confirmPopup(page: Page, ok: string): Promise<void> {
  const popup = page.locator('.ant-popconfirm:not(.ant-popover-hidden)');
  await popup.getByRole('button', { name: ok }).click();
  await popup.waitFor({ state: 'hidden' });
}

test('zh-CN and en translation files have the same keys', () => {
  const keys = (file: string): string[] => {
    const walk = (v: unknown, prefix: string): string[] =>
      typeof v === 'object' && v !== null
        ? Object.entries(v).flatMap(([k, child]) => walk(child, prefix ? `${prefix}.${k}` : k))
        : [prefix];
    const url = new URL(`../../web/src/i18n/${file}`, import.meta.url);
    return walk(JSON.parse(readFileSync(url, 'utf8')), '').sort();
  };
  assert.deepEqual(keys('zh-CN.json'), keys('en.json'));
});

test(
  'first start: setup, sign in, every section, language switch, API token, logout',
  { timeout: 180_000 },
  async (t) => {
    const browser = await launchBrowser(t);
    if (browser === null) return;
    const srv = await startServer({});
    t.after(() => srv.stop());
    assert.ok(srv.setupToken, `a fresh server prints a setup token; it printed:\n${srv.output()}`);
    const { page, assertClean } = await isolatedContext(browser, t, srv.url, 'zh-CN');

    // A fresh install sends every visitor to the setup page.
    await page.goto(`${srv.url}/overview`);
    await page.getByTestId('setup-form').waitFor();
    assert.equal(pathOf(page), '/setup');
    await expectText(page.getByTestId('page-title'), '创建第一个管理员');

    await page.getByTestId('setup-token').fill(srv.setupToken);
    await page.getByTestId('setup-username').fill(USERNAME);
    await page.getByTestId('setup-display-name').fill(DISPLAY_NAME);
    await page.getByTestId('setup-password').fill(PASSWORD);
    await page.getByTestId('setup-confirm').fill(PASSWORD);
    await page.getByTestId('setup-submit').click();

    // Success leads to the login page with the new name filled in.
    await page.getByTestId('setup-done').waitFor();
    assert.equal(pathOf(page), '/login');
    assert.equal(await page.getByTestId('login-username').inputValue(), USERNAME);
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();

    await expectText(page.getByTestId('header-user'), DISPLAY_NAME);
    assert.equal(pathOf(page), '/overview');

    for (const [section, label] of Object.entries(SECTIONS_ZH)) {
      await page.getByTestId(`nav-${section}`).click();
      await expectText(page.getByTestId('page-title'), label);
      assert.ok(pathOf(page).startsWith(`/${section}`), `${section}: at ${pathOf(page)}`);
      await expectText(page.getByTestId(`nav-${section}`), label);
    }

    // The language switch changes the labels, and the choice survives a reload.
    await page.getByTestId('language-en').click();
    await expectText(page.getByTestId('nav-overview'), 'Overview');
    await expectText(page.getByTestId('page-title'), 'Settings');
    await page.reload();
    await expectText(page.getByTestId('nav-overview'), 'Overview');
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    await page.getByTestId('language-zh-CN').click();
    await expectText(page.getByTestId('nav-overview'), '概览');

    // An unknown route shows the 404 page inside the frame.
    await page.goto(`${srv.url}/no-such-page`);
    await expectText(page.getByTestId('page-title'), '页面不存在');
    await page.getByTestId('nav-overview').waitFor();

    // An API token's plaintext is shown exactly once.
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-tab-tokens').click();
    assert.equal(pathOf(page), '/settings/tokens');
    await page.getByTestId('token-create').click();
    // The browser asks for reduced motion (test/support/browser.ts): the dialog appears without
    // animating. antd still puts its zoom class on the dialog for a frame or two (it measures where the
    // click was; the dialog is transparent meanwhile), so what is checked is what shows: from the
    // click until the dialog is fully opaque, no animation runs on it, at any frame.
    // (Run in the page, as text: this project's TypeScript has no DOM types.)
    const animations = await page.waitForFunction(`(() => {
      const seen = (window.__dialogAnimations ??= []);
      const modal = [...document.querySelectorAll('.ant-modal')].find((m) =>
        m.querySelector('[data-testid="token-name"]'));
      if (!modal || modal.offsetParent === null) return null;
      const style = getComputedStyle(modal);
      if (style.animationName !== 'none') seen.push(style.animationName);
      return style.opacity === '1' ? seen : null;
    })()`);
    assert.deepEqual(await animations.jsonValue(), [], 'the dialog opens without animating');
    await page.getByTestId('token-name').fill('e2e order-sync heartbeat');
    await page.getByTestId('token-create-submit').click();
    const plaintextInput = page.getByTestId('token-plaintext');
    await plaintextInput.waitFor();
    const plaintext = await plaintextInput.inputValue();
    assert.ok(plaintext.length >= 16, `token plaintext looks too short: ${JSON.stringify(plaintext)}`);
    await clickUntil(page.getByTestId('token-done'), plaintextInput, 'detached');
    await page.getByTestId('token-table').getByText('e2e order-sync heartbeat').waitFor();
    assert.ok(!(await page.content()).includes(plaintext), 'the plaintext is gone once the dialog closes');
    // What was shown is the real token: with the default `read` scope it can list the services.
    const withToken = await fetch(`${srv.url}/api/v1/services`, {
      headers: { authorization: `Bearer ${plaintext}` },
    });
    assert.equal(withToken.status, 200, await withToken.text());

    // Logging out (in the user menu) returns to the login page, and the frame is closed until the next sign-in.
    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
    await page.getByTestId('login-form').waitFor();
    assert.equal(pathOf(page), '/login');
    await page.goto(`${srv.url}/settings/tokens`);
    await page.getByTestId('login-form').waitFor();
    assert.equal(pathOf(page), '/login');

    assertClean();
  },
);

test(
  'the login page speaks the browser locale: en-US in English, zh-CN in Chinese',
  { timeout: 120_000 },
  async (t) => {
    const browser = await launchBrowser(t);
    if (browser === null) return;
    const srv = await startServer({});
    t.after(() => srv.stop());
    assert.ok(srv.setupToken, 'a fresh server prints a setup token');
    const res = await fetch(`${srv.url}/api/v1/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: srv.setupToken, username: USERNAME, password: PASSWORD }),
    });
    assert.equal(res.status, 201, await res.text());

    const expected = [
      { locale: 'en-US', title: 'Sign in', username: 'Username', lang: 'en' },
      { locale: 'zh-CN', title: '登录', username: '用户名', lang: 'zh-CN' },
    ];
    for (const e of expected) {
      const { page, assertClean } = await isolatedContext(browser, t, srv.url, e.locale);
      await page.goto(srv.url);
      await page.getByTestId('login-form').waitFor();
      await expectText(page.getByTestId('page-title'), e.title);
      await page.getByText(e.username, { exact: true }).waitFor();
      assert.equal(await page.locator('html').getAttribute('lang'), e.lang, e.locale);
      assertClean();
    }
  },
);

test(
  'settings: admin adds a viewer, a team with members and a service; the viewer only reads',
  { timeout: 180_000 },
  async (t) => {
    const browser = await launchBrowser(t);
    if (browser === null) return;
    const srv = await startServer({});
    t.after(() => srv.stop());
    assert.ok(srv.setupToken, 'a fresh server prints a setup token');
    const res = await fetch(`${srv.url}/api/v1/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: srv.setupToken, username: USERNAME, password: PASSWORD }),
    });
    assert.equal(res.status, 201, await res.text());

    // The administrator works in Chinese.
    const admin = await isolatedContext(browser, t, srv.url, 'zh-CN');
    const page = admin.page;
    await signIn(page, srv.url, USERNAME, PASSWORD);

    // A user with the role viewer.
    await page.goto(`${srv.url}/settings/users`);
    await page.getByTestId('user-add').click();
    await page.getByTestId('user-add-username').fill(VIEWER);
    await page.getByTestId('user-add-display-name').fill('店铺运营');
    await page.getByTestId('user-add-password').fill(VIEWER_PASSWORD);
    await choose(page, page.getByTestId('user-add-role'), '查看者');
    await page.getByTestId('user-add-submit').click();
    await rowOf(page, 'user-table', VIEWER).getByText('查看者').waitFor();

    // The only administrator cannot delete themselves: the refusal is shown, not swallowed.
    await page.getByTestId(`user-delete-${USERNAME}`).click();
    await confirmPopup(page, '删除');
    await expectText(
      page.getByTestId('users-action-error').locator('.ant-alert-title'),
      '不能删除自己的账号，请让另一位管理员操作。',
    );

    // A team, and its members chosen from the users with a role each.
    await page.getByTestId('settings-tab-teams').click();
    await page.getByTestId('team-add').click();
    await page.getByTestId('team-name').fill('order-sync');
    await page.getByTestId('team-description').fill('订单同步');
    await page.getByTestId('team-submit').click();
    await rowOf(page, 'team-table', 'order-sync').getByText('暂无成员').waitFor();
    await page.getByTestId('team-members-order-sync').click();
    await clickUntil(page.getByTestId('team-member-add'), page.getByTestId('team-member-user-0'));
    await choose(page, page.getByTestId('team-member-user-0'), VIEWER);
    await page.getByTestId('team-member-add').click();
    await choose(page, page.getByTestId('team-member-user-1'), USERNAME);
    await choose(page, page.getByTestId('team-member-role-1'), '管理员');
    await page.getByTestId('team-members-submit').click();
    const teamRow = rowOf(page, 'team-table', 'order-sync');
    await teamRow.getByText(`${VIEWER} · 查看者`).waitFor();
    await teamRow.getByText(`${USERNAME} · 管理员`).waitFor();

    // A service with team, tier, runbook and labels.
    await page.getByTestId('settings-tab-services').click();
    await page.getByTestId('service-add').click();
    await page.getByTestId('service-name').fill('oms-api');
    await page.getByTestId('service-description').fill('订单管理系统 API');
    await choose(page, page.getByTestId('service-team'), 'order-sync');
    await choose(page, page.getByTestId('service-tier'), 'P1');
    await page.getByTestId('service-runbook').fill(RUNBOOK);
    await page.getByTestId('service-label-add').click();
    await page.getByTestId('service-label-key-0').fill('env');
    await page.getByTestId('service-label-value-0').fill('prod');
    await page.getByTestId('service-label-add').click();
    await page.getByTestId('service-label-key-1').fill('region');
    await page.getByTestId('service-label-value-1').fill('cn-east');
    await page.getByTestId('service-submit').click();
    const serviceRow = rowOf(page, 'service-table', 'oms-api');
    await serviceRow.getByText('order-sync').waitFor();
    await serviceRow.getByText('P1', { exact: true }).waitFor();
    await serviceRow.getByText('env=prod').waitFor();
    await serviceRow.getByText('region=cn-east').waitFor();
    assert.equal(await page.getByTestId('service-runbook-oms-api').getAttribute('href'), RUNBOOK);

    // The server's per-field answer lands under its field: the name is taken.
    await page.getByTestId('service-add').click();
    await page.getByTestId('service-name').fill('oms-api');
    // Clicked again if the click is lost while the dialog opens (seen in CI under load).
    await clickUntil(
      page.getByTestId('service-submit'),
      page
        .getByTestId('service-form')
        .locator('.ant-form-item')
        .filter({ has: page.getByTestId('service-name') })
        .locator('.ant-form-item-explain-error', { hasText: 'already taken' }),
    );
    await page.getByRole('dialog').getByRole('button', { name: '取消' }).click();
    await page.getByTestId('service-form').waitFor({ state: 'detached' });

    // Editing keeps what is not changed.
    await page.getByTestId('service-edit-oms-api').click();
    assert.equal(await page.getByTestId('service-label-value-1').inputValue(), 'cn-east');
    await choose(page, page.getByTestId('service-tier'), 'P0');
    await page.getByTestId('service-submit').click();
    await serviceRow.getByText('P0', { exact: true }).waitFor();
    await serviceRow.getByText('order-sync').waitFor();
    await serviceRow.getByText('env=prod').waitFor();
    admin.assertClean();

    // The viewer, in English, sees the catalogue but nothing to change it with.
    const viewer = await isolatedContext(browser, t, srv.url, 'en-US');
    const vpage = viewer.page;
    await signIn(vpage, srv.url, VIEWER, VIEWER_PASSWORD);
    await vpage.goto(`${srv.url}/settings/services`);
    await rowOf(vpage, 'service-table', 'oms-api').getByText('P0', { exact: true }).waitFor();
    assert.equal(await vpage.getByTestId('service-add').count(), 0, 'no create button for a viewer');
    assert.equal(await vpage.locator('[data-testid^="service-edit-"]').count(), 0, 'no edit buttons');
    assert.equal(await vpage.locator('[data-testid^="service-delete-"]').count(), 0, 'no delete buttons');
    await vpage.getByTestId('settings-tab-users').click();
    await rowOf(vpage, 'user-table', VIEWER).waitFor();
    assert.equal(await vpage.getByTestId('user-add').count(), 0, 'no add-user button for a viewer');
    assert.equal(await vpage.locator('[data-testid^="user-edit-"]').count(), 0, 'no user edit buttons');

    // Every user changes their own name and password under "My account"; a new password ends the session.
    await vpage.getByTestId('user-menu').click();
    await vpage.getByTestId('menu-account').click();
    await vpage.getByTestId('account-display-name').fill('Shop operations');
    await vpage.getByTestId('account-password').fill(NEW_VIEWER_PASSWORD);
    await vpage.getByTestId('account-confirm').fill(NEW_VIEWER_PASSWORD);
    await vpage.getByTestId('account-submit').click();
    await vpage.getByTestId('password-changed').waitFor();
    assert.equal(pathOf(vpage), '/login');
    assert.equal(await vpage.getByTestId('login-username').inputValue(), VIEWER);
    await vpage.getByTestId('login-password').fill(NEW_VIEWER_PASSWORD);
    await vpage.getByTestId('login-submit').click();
    await expectText(vpage.getByTestId('header-user'), 'Shop operations');
    viewer.assertClean();
  },
);
