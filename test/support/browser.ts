// Launches Debian's Chromium (not a Playwright-downloaded build) for the browser tests.
import { existsSync } from 'node:fs';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

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

/** Signs in through the login page and waits for the frame. */
export async function signIn(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(`${url}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-menu').waitFor();
}
