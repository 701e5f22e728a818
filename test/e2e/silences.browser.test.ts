// The Silences page against the real, built server: creating a silence from the page with its preview,
// the list by state with counts and a matcher filter in the URL, the detail page (muted alerts, audit
// trail), editing in place and by replacement (Alertmanager's semantics), expiring, recreating, a
// viewer's read-only view, and the zh-CN page titles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import {
  expectCount,
  isolatedContext,
  launchBrowser,
  signIn,
  setupAndLogin,
  clickUntil,
} from '../support/browser.js';
import { startServer, type StartedServer } from '../support/server.js';

const ADMIN = 'ops-admin';
const PASSWORD = 'Watchpost-e2e-Passw0rd!';
const VIEWER = 'shop-viewer';
const VIEWER_PASSWORD = 'Viewer-e2e-Passw0rd!';

const ALERTS = [
  {
    labels: { alertname: 'OmsDatabaseDown', service: 'oms', instance: 'oms-db-1:5432', severity: 'critical' },
    annotations: { summary: 'OMS database unreachable' },
  },
  {
    labels: { alertname: 'MarketplaceApiErrors', service: 'erp', platform: 'shopee', severity: 'warning' },
    annotations: { summary: 'Shopee API error ratio above 5 % for 5 min' },
  },
];

const query = (page: Page): URLSearchParams => new URL(page.url()).searchParams;
const pathOf = (page: Page): string => new URL(page.url()).pathname;

/** A fresh server with an admin, a viewer, and the alerts above firing. */
async function arrange(srv: StartedServer) {
  const admin = await setupAndLogin(srv, ADMIN, PASSWORD);
  const viewer = await admin.call('POST', '/api/v1/users', {
    username: VIEWER,
    password: VIEWER_PASSWORD,
    role: 'viewer',
  });
  assert.equal(viewer.status, 201, await viewer.clone().text());
  const sent = await admin.call('POST', '/api/v2/alerts', ALERTS);
  assert.equal(sent.status, 200, await sent.text());
  return admin;
}

test(
  'silences page: create with preview, list and filter, detail, edit, replace, expire, recreate, viewer',
  { timeout: 240_000 },
  async (t) => {
    const browser = await launchBrowser(t);
    if (browser === null) return;
    const srv = await startServer({});
    t.after(() => srv.stop());
    const admin = await arrange(srv);

    const { page, assertClean } = await isolatedContext(browser, t, srv.url, 'en');
    await signIn(page, srv.url, ADMIN, PASSWORD);

    // The menu leads to the page; nothing is silenced yet.
    await page.getByTestId('nav-silences').click();
    assert.equal(pathOf(page), '/silences');
    await page.getByTestId('silences-count-active').getByText('0').first().waitFor();
    await page.getByTestId('silences-table').getByText('No silences here.').waitFor();

    // New silence from the page: the preview follows the matchers as they are typed.
    await page.getByTestId('silence-new').click();
    const form = page.getByTestId('silence-form');
    await form.waitFor();
    await page.getByTestId('silence-matcher-name-0').fill('service');
    await page.getByTestId('silence-matcher-value-0').fill('oms');
    await page.getByTestId('silence-preview-count').getByText('Matching firing alerts: 1').waitFor();
    await page.getByTestId('silence-preview-alert').getByText('OmsDatabaseDown').waitFor();
    await page.getByTestId('silence-matcher-value-0').fill('nothing-fires-here');
    await page.getByTestId('silence-preview-count').getByText('Matching firing alerts: 0').waitFor();
    await page.getByTestId('silence-matcher-value-0').fill('oms');
    await page.getByTestId('silence-preview-count').getByText('Matching firing alerts: 1').waitFor();
    await page.getByTestId('silence-comment').fill('OMS database failover, ticket OPS-1234');
    await page.getByTestId('silence-reason').fill('OPS-1234');
    await page.getByTestId('silence-submit').click();
    await page.getByTestId('silence-success').waitFor();
    const id = ((await page.getByTestId('silence-id').textContent()) ?? '').trim();
    assert.match(id, /^[0-9a-f-]{36}$/, 'the new silence id is shown');
    await page.getByTestId('silence-done').click();
    await form.waitFor({ state: 'detached' });

    // Listed as active, with its matcher, creator, comment and the one alert it mutes.
    const rows = page.getByTestId('silence-row');
    await expectCount(rows, 1);
    await page.getByTestId('silences-count-active').getByText('1').first().waitFor();
    const row = rows.first();
    await row.getByText('service="oms"').waitFor();
    await row.getByText(ADMIN).waitFor();
    await row.getByText('OMS database failover, ticket OPS-1234').waitFor();
    await row.getByTestId('silence-alert-count').getByText('1').waitFor();

    // The matcher filter lives in the URL; a silence lacking that matcher is not listed.
    await page.getByTestId('silences-filter').fill('service="erp"');
    await page.getByTestId('silences-filter').press('Enter');
    await expectCount(rows, 0);
    assert.equal(query(page).get('filter'), 'service="erp"');
    await page.reload();
    await expectCount(rows, 0);
    assert.equal(await page.getByTestId('silences-filter').inputValue(), 'service="erp"');
    await page.getByTestId('silences-filter').fill('service="oms"');
    await page.getByTestId('silences-filter').press('Enter');
    await expectCount(rows, 1);

    // The detail page: everything about it, the alert it mutes, and the audit trail.
    await rows.first().getByTestId('silence-link').click();
    await page.getByTestId('silence-details').waitFor();
    assert.equal(pathOf(page), `/silences/${id}`);
    assert.equal((await page.getByTestId('silence-detail-id').textContent())?.trim(), id);
    await page.getByTestId('silence-details').getByText('OPS-1234', { exact: true }).waitFor();
    await page.getByTestId('page-title').getByTestId('silence-state').getByText('Active').waitFor();
    await page.getByTestId('silence-alerts').getByText('OmsDatabaseDown').waitFor();
    assert.equal(await page.getByTestId('silence-alerts').getByText('MarketplaceApiErrors').count(), 0);
    const alertsHref = await page.getByTestId('silence-alerts-link').getAttribute('href');
    assert.equal(new URL(alertsHref ?? '', srv.url).searchParams.get('matchers'), '{service="oms"}');
    await expectCount(page.getByTestId('silence-audit-entry'), 1);
    await page.getByTestId('silence-audit').getByText('Created').waitFor();

    // Editing the comment keeps the silence (same id): changed in place.
    await page.getByTestId('silence-edit').click();
    await page.getByTestId('silence-edit-note').waitFor();
    await page.getByTestId('silence-comment').fill('OMS failover, extended');
    await page.getByTestId('silence-submit').click();
    await page.getByTestId('silence-success').getByText('Silence updated').waitFor();
    assert.equal((await page.getByTestId('silence-id').textContent())?.trim(), id);
    await page.getByTestId('silence-done').click();
    await page.getByTestId('silence-detail-comment').getByText('OMS failover, extended').waitFor();
    await expectCount(page.getByTestId('silence-audit-entry'), 2);

    // Changing its matchers replaces it, as Alertmanager does: the old one expires, the new id is shown.
    await page.getByTestId('silence-edit').click();
    await clickUntil(page.getByTestId('silence-matcher-add'), page.getByTestId('silence-matcher-name-1'));
    await page.getByTestId('silence-matcher-name-1').fill('alertname');
    await page.getByTestId('silence-matcher-value-1').fill('OmsDatabaseDown');
    await page.getByTestId('silence-preview-count').getByText('Matching firing alerts: 1').waitFor();
    await page.getByTestId('silence-submit').click();
    await page.getByTestId('silence-replaced').getByText(id).waitFor();
    const newId = ((await page.getByTestId('silence-id').textContent()) ?? '').trim();
    assert.notEqual(newId, id);
    await page.getByTestId('silence-view').click();
    await page.getByTestId('silence-detail-id').getByText(newId).waitFor();
    assert.equal(pathOf(page), `/silences/${newId}`);
    const old = (await (await admin.call('GET', `/api/v2/silence/${id}`)).json()) as {
      status: { state: string };
    };
    assert.equal(old.status.state, 'expired');

    // Expiring it asks first; the page then shows it expired and muting nothing.
    await page.getByTestId('silence-expire').click();
    await page.getByTestId('silence-expire-ok').click();
    await page.getByTestId('page-title').getByTestId('silence-state').getByText('Expired').waitFor();
    await page.getByTestId('silence-alerts').getByText('It has expired: it mutes nothing.').waitFor();
    assert.equal(await page.getByTestId('silence-expire').count(), 0);

    // Both are in the Expired tab; one can be recreated with the same matchers and comment.
    await page.getByTestId('silence-back').click();
    await page.getByTestId('silences-count-active').getByText('0').first().waitFor();
    await page.getByTestId('silences-tab-expired').click();
    assert.equal(query(page).get('state'), 'expired');
    await expectCount(rows, 2);
    await rows.filter({ hasText: 'alertname="OmsDatabaseDown"' }).getByTestId('silence-recreate').click();
    await expectCount(page.getByTestId('silence-matcher'), 2);
    assert.equal(await page.getByTestId('silence-comment').inputValue(), 'OMS failover, extended');
    await page.getByTestId('silence-submit').click();
    await page.getByTestId('silence-success').waitFor();
    await page.getByTestId('silence-done').click();
    // A new active silence shows its tab.
    await page.getByTestId('silences-count-active').getByText('1').first().waitFor();
    assert.equal(query(page).get('state'), null);
    await expectCount(rows, 1);
    assertClean();

    // A viewer sees the silences and their details, without any button that changes them.
    const asViewer = await isolatedContext(browser, t, srv.url, 'en');
    await signIn(asViewer.page, srv.url, VIEWER, VIEWER_PASSWORD);
    await asViewer.page.goto(`${srv.url}/silences?state=expired`);
    await expectCount(asViewer.page.getByTestId('silence-row'), 2);
    assert.equal(await asViewer.page.getByTestId('silence-new').count(), 0);
    assert.equal(await asViewer.page.getByTestId('silence-recreate').count(), 0);
    await asViewer.page.goto(`${srv.url}/silences/${newId}`);
    await asViewer.page.getByTestId('silence-details').waitFor();
    assert.equal(await asViewer.page.getByTestId('silence-edit').count(), 0);
    assert.equal(await asViewer.page.getByTestId('silence-expire').count(), 0);
    assert.equal(await asViewer.page.getByTestId('silence-recreate').count(), 0);
    // The audit log is for administrators: a viewer's page does not ask for it.
    assert.equal(await asViewer.page.getByTestId('silence-audit').count(), 0);
    await asViewer.page.goto(`${srv.url}/silences/00000000-0000-4000-8000-000000000000`);
    await asViewer.page.getByTestId('silence-not-found').waitFor();
    asViewer.assertClean();

    // In Chinese: the menu and page titles use the glossary's words.
    const zh = await isolatedContext(browser, t, srv.url, 'zh-CN');
    await signIn(zh.page, srv.url, ADMIN, PASSWORD);
    await zh.page.goto(`${srv.url}/silences`);
    await zh.page.getByTestId('page-title').getByText('静默', { exact: true }).waitFor();
    await zh.page.getByTestId('nav-silences').getByText('静默', { exact: true }).waitFor();
    await zh.page.getByTestId('silences-tab-active').getByText('生效中').waitFor();
    await zh.page.getByTestId('silences-tab-expired').getByText('已失效').waitFor();
    await zh.page.goto(`${srv.url}/silences/${newId}`);
    await zh.page.getByTestId('page-title').getByText('静默').waitFor();
    await zh.page.getByTestId('nav-maintenance').click();
    await zh.page.getByTestId('page-title').getByText('维护窗口', { exact: true }).waitFor();
    zh.assertClean();
  },
);
