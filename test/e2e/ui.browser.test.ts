// The web UI against the real, built server: first-start setup, sign-in, navigation, languages, API tokens.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { startServer } from '../support/server.js';

const USERNAME = 'ops-admin';
const DISPLAY_NAME = '值班负责人';
const PASSWORD = 'Watchpost-e2e-Passw0rd!';

/** Menu label and page heading of every section, in zh-CN (the glossary's words). */
const SECTIONS_ZH: Record<string, string> = {
  overview: '概览',
  alerts: '告警',
  incidents: '事件',
  checks: '检查',
  rules: '告警规则',
  silences: '静默与维护',
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

/**
 * A browser context that may only talk to the server under test: any other request is aborted and reported,
 * and uncaught page errors are collected. Call the returned check at the end of the test.
 */
async function isolatedContext(
  browser: Browser,
  t: TestContext,
  serverUrl: string,
  locale: string,
): Promise<{ context: BrowserContext; page: Page; assertClean: () => void }> {
  const context = await browser.newContext({ locale, timezoneId: 'Asia/Shanghai' });
  t.after(() => context.close());
  const origin = new URL(serverUrl).origin;
  const foreign: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) return route.continue();
    foreign.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return {
    context,
    page,
    assertClean: () => {
      assert.deepEqual(foreign, [], 'the UI must not call anything but its own server');
      assert.deepEqual(errors, [], 'no uncaught errors in the page');
    },
  };
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
    await page.getByTestId('token-name').fill('e2e order-sync heartbeat');
    await page.getByTestId('token-create-submit').click();
    const plaintextInput = page.getByTestId('token-plaintext');
    await plaintextInput.waitFor();
    const plaintext = await plaintextInput.inputValue();
    assert.ok(plaintext.length >= 16, `token plaintext looks too short: ${JSON.stringify(plaintext)}`);
    await page.getByTestId('token-done').click();
    await plaintextInput.waitFor({ state: 'detached' });
    await page.getByTestId('token-table').getByText('e2e order-sync heartbeat').waitFor();
    assert.ok(!(await page.content()).includes(plaintext), 'the plaintext is gone once the dialog closes');
    // What was shown is the real token: with the default `read` scope it can list the services.
    const withToken = await fetch(`${srv.url}/api/v1/services`, {
      headers: { authorization: `Bearer ${plaintext}` },
    });
    assert.equal(withToken.status, 200, await withToken.text());

    // Logging out returns to the login page, and the frame is closed until the next sign-in.
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
