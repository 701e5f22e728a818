// Launches Debian's Chromium (not a Playwright-downloaded build) for the browser tests.
import { existsSync } from 'node:fs';
import type { TestContext } from 'node:test';
import { chromium, type Browser } from 'playwright-core';

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
