// Launches Debian's Chromium (not a Playwright-downloaded build) for the browser tests.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.js';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/**
 * Starts headless Chromium and closes it when the test ends. Without Chromium the test is skipped and
 * null returned, unless WATCHPOST_REQUIRE_BROWSER=1 (CI), where a missing browser fails the test instead.
 */
export async function launchBrowser(t: TestContext): Promise<Browser | null> {
  if (!existsSync(CHROMIUM_PATH)) {
    const message = `Chromium not installed at ${CHROMIUM_PATH}: apt-get install chromium`;
    if (process.env.WATCHPOST_REQUIRE_BROWSER === '1') throw new Error(message);
    t.skip(message);
    return null;
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS, headless: true });
  t.after(() => browser.close());
  return browser;
}

/**
 * A browser context that may only talk to the server under test: any other request is aborted and
 * reported, and uncaught page errors are collected. Call the returned check at the end of the test.
 */
export async function isolatedContext(
  browser: Browser,
  t: TestContext,
  serverUrl: string,
  locale: string,
): Promise<{ context: BrowserContext; page: Page; assertClean: () => void }> {
  // Reduced motion: the UI then opens dialogs without animation, so no click lands on one still moving.
  const context = await browser.newContext({ locale, timezoneId: 'Asia/Shanghai', reducedMotion: 'reduce' });
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

/** Signs in through the login page and waits for the frame. */
export async function signIn(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(`${url}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-menu').waitFor();
}

/** Waits until exactly `n` elements match. */
export async function expectCount(locator: Locator, n: number): Promise<void> {
  if (n > 0) await locator.nth(n - 1).waitFor();
  await locator.nth(n).waitFor({ state: 'detached' });
}

/** A signed-in API session for arranging what a browser test needs: `call` sends its cookie and CSRF token. */
export async function apiLogin(url: string, username: string, password: string) {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const call = async (method: string, path: string, body?: unknown) =>
    fetch(`${url}${path}`, {
      method,
      headers: {
        cookie,
        'x-csrf-token': csrfToken,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? null : JSON.stringify(body),
    });
  return { call };
}

/**
 * Completes a fresh server's setup with its one-time token (the first admin), then signs that admin
 * in over the API: what every browser test arranges first.
 */
export async function setupAndLogin(
  srv: { url: string; setupToken: string | null; output(): string },
  username: string,
  password: string,
) {
  assert.ok(srv.setupToken, `a fresh server prints a setup token; it printed:\n${srv.output()}`);
  const setup = await fetch(`${srv.url}/api/v1/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: srv.setupToken, username, password }),
  });
  assert.equal(setup.status, 201, await setup.text());
  return apiLogin(srv.url, username, password);
}

/**
 * Clicks `button` until `then` reaches `state` (3 tries, 5 s each). On a loaded machine a click that
 * lands while an antd dialog is still animating open has been lost; people click again, so does this.
 */
export async function clickUntil(
  button: Locator,
  then: Locator,
  state: 'visible' | 'detached' = 'visible',
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await button.click();
    try {
      await then.waitFor({ state, timeout: 5_000 });
      return;
    } catch (e) {
      if (attempt === 3) throw e;
    }
  }
}

/**
 * The built server with `yaml` as its configuration file (in a temporary folder), its first admin
 * set up and logged in through the API; everything is stopped and removed after `t`.
 */
export async function serveWithConfig(
  t: TestContext,
  yaml: string,
  admin: { username: string; password: string },
) {
  const dir = mkdtempSync(join(tmpdir(), 'watchpost-browser-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const configFile = join(dir, 'watchpost.yaml');
  writeFileSync(configFile, yaml);
  const srv = await startServer({ args: ['--config', configFile] });
  t.after(() => srv.stop());
  return { srv, configFile, admin: await setupAndLogin(srv, admin.username, admin.password) };
}
