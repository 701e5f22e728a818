// The alert drawer's full story against the real, built server: an inhibited alert names the alert that
// inhibits it (a click opens that one) and shows its episodes; an alert in an `expected` maintenance
// window is tagged expected in the table and in the drawer; a flapping alert says how often it changed;
// a firing alert's group is acknowledged from the drawer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectCount, isolatedContext, launchBrowser, signIn, serveWithConfig } from '../support/browser.js';

const ADMIN = 'ops-admin';
const PASSWORD = 'Watchpost-e2e-Passw0rd!';
const MIN = 60_000;

const CONFIG = `
route:
  receiver: ops
  group_by: [alertname, service]
receivers:
  - name: ops
inhibit_rules:
  - source_matchers: ['alertname="DatabaseDown"']
    target_matchers: ['severity=~"P2|P3"']
    equal: [service]
`;

const DB = { alertname: 'DatabaseDown', service: 'oms', severity: 'P0', instance: 'oms-db-1' };
const API = { alertname: 'OrderApiErrors', service: 'oms', severity: 'P2' };
const BATCH = { alertname: 'SettlementLate', service: 'erp-batch', severity: 'P3' };
const FLAPPY = { alertname: 'CarrierCallbackDown', service: 'logistics', severity: 'P1' };

test(
  'alert drawer: inhibiting alert named and opened, episodes timeline, expected and flapping tags',
  { timeout: 180_000 },
  async (t) => {
    const browser = await launchBrowser(t);
    if (browser === null) return;
    const { srv, admin } = await serveWithConfig(t, CONFIG, { username: ADMIN, password: PASSWORD });
    const at = (ms: number) => new Date(ms).toISOString();
    const post = async (alerts: unknown[]) => {
      const res = await admin.call('POST', '/api/v2/alerts', alerts);
      assert.equal(res.status, 200, await res.text());
    };

    const now = Date.now();
    const window = await admin.call('POST', '/api/v1/maintenance', {
      name: 'Settlement rerun',
      matchers: [{ name: 'service', value: 'erp-batch', isRegex: false, isEqual: true }],
      schedule: { kind: 'once', startsAt: at(now - MIN), endsAt: at(now + 60 * MIN) },
      timeZone: 'Asia/Shanghai',
      mode: 'expected',
      comment: 'rerunning last night’s settlement',
    });
    assert.equal(window.status, 201, await window.text());
    // OrderApiErrors fired once 40 minutes ago for 10 minutes, and again now.
    await post([{ labels: API, startsAt: at(now - 40 * MIN), endsAt: at(now - 30 * MIN) }]);
    // CarrierCallbackDown flipped three times in the last hour before firing now: 7 changes.
    for (const ago of [50, 40, 30])
      await post([{ labels: FLAPPY, startsAt: at(now - ago * MIN), endsAt: at(now - (ago - 5) * MIN) }]);
    await post([DB, API, BATCH, FLAPPY].map((labels) => ({ labels })));

    const { page, assertClean } = await isolatedContext(browser, t, srv.url, 'en');
    await signIn(page, srv.url, ADMIN, PASSWORD);
    await page.goto(`${srv.url}/alerts`);
    const rows = page.getByTestId('alert-row');
    await expectCount(rows, 4);

    // The table tags the alert its expected window covers, and only that one.
    await rows.filter({ hasText: 'SettlementLate' }).getByTestId('alert-expected-tag').waitFor();
    assert.equal(await page.getByTestId('alert-expected-tag').count(), 1);

    // The inhibited alert names its source by its labels, and shows both of its episodes.
    await rows.filter({ hasText: 'OrderApiErrors' }).click();
    const drawer = page.getByTestId('alert-drawer-body');
    const inhibitor = drawer.getByTestId('alert-inhibitor');
    await inhibitor.waitFor();
    assert.equal(await inhibitor.textContent(), 'DatabaseDown on oms / oms-db-1');
    const episodes = drawer.getByTestId('alert-history').getByTestId('alert-episode');
    await expectCount(episodes, 2);
    assert.equal(await episodes.first().getAttribute('data-state'), 'firing');
    assert.equal(await episodes.nth(1).getAttribute('data-state'), 'resolved');
    assert.equal(await drawer.getByTestId('alert-expected').count(), 0);

    // A click on the source opens it.
    await inhibitor.click();
    await page.getByTestId('alert-drawer-title').getByText('DatabaseDown').waitFor();
    await drawer.getByTestId('alert-mutes-none').waitFor();
    // "I am on it" from the drawer: the group shows who acknowledged it, and the button goes.
    await drawer.getByTestId('group-acknowledge').click();
    await drawer.getByTestId('group-acknowledged').getByText(`Acknowledged by ${ADMIN}`).waitFor();
    await expectCount(drawer.getByTestId('group-acknowledge'), 0);
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });

    // The alert in the expected window: tagged, with the window and its mode under "What mutes it".
    await rows.filter({ hasText: 'SettlementLate' }).click();
    await drawer.getByTestId('alert-expected').getByText('Expected (maintenance)').waitFor();
    const maint = drawer.getByTestId('alert-maintenance');
    await maint.getByText('Settlement rerun').waitFor();
    await maint.getByText('Expected').waitFor();
    assert.equal(await maint.getByRole('link').getAttribute('href'), '/maintenance');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });

    // The flapping alert says so, with its count of changes in the route's window.
    await rows.filter({ hasText: 'CarrierCallbackDown' }).click();
    await drawer.getByTestId('alert-flapping').getByText('7 changes in the last 1h').waitFor();
    await expectCount(drawer.getByTestId('alert-episode'), 4);
    assertClean();
  },
);
