// The maintenance calendar against the real, built server: a window declared in the configuration file
// shown read-only, a weekly window created through the form and seen in the list and the calendar, the
// server's validation errors shown under the field they concern, and deleting a window.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectCount, isolatedContext, launchBrowser, signIn, serveWithConfig } from '../support/browser.js';

const ADMIN = 'ops-admin';
const PASSWORD = 'Watchpost-e2e-Passw0rd!';

const CONFIG = `
maintenance_windows:
  - name: Nightly ERP backup
    matchers: ['service="erp"']
    time_zone: Asia/Shanghai
    mode: expected
    comment: Declared in the file
    weekly:
      days: [mon, tue, wed, thu, fri, sat, sun]
      start: "01:00"
      end: "02:00"
`;

interface WindowJson {
  id: string;
  name: string;
  source: string;
  timeZone: string;
  mode: string;
  schedule: { kind: string; days?: string[]; start?: string; end?: string };
}

test(
  'maintenance page: declared window read-only, weekly window through the form, calendar, field errors, delete',
  { timeout: 240_000 },
  async (t) => {
    const browser = await launchBrowser(t);
    if (browser === null) return;
    const { srv, admin } = await serveWithConfig(t, CONFIG, { username: ADMIN, password: PASSWORD });
    const listWindows = async () => {
      const res = await admin.call('GET', '/api/v1/maintenance');
      assert.equal(res.status, 200, await res.clone().text());
      return ((await res.json()) as { items: WindowJson[] }).items;
    };
    const [declared] = await listWindows();
    assert.equal(declared?.source, 'config', 'the file declares one window');

    const { page, assertClean } = await isolatedContext(browser, t, srv.url, 'en');
    await signIn(page, srv.url, ADMIN, PASSWORD);
    await page.getByTestId('nav-maintenance').click();
    await page.getByTestId('page-title').getByText('Maintenance', { exact: true }).waitFor();

    // The declared window: marked as managed by the file, without edit or delete.
    const rows = page.getByTestId('window-row');
    await expectCount(rows, 1);
    const fileRow = page.locator('[data-testid="window-row"][data-name="Nightly ERP backup"]');
    await fileRow.getByTestId('managed-tag').waitFor();
    await fileRow.getByText('Mon, Tue, Wed, Thu, Fri, Sat, Sun 01:00–02:00').waitFor();
    await fileRow.getByText('Expected').waitFor();
    assert.equal(await fileRow.getByTestId('window-edit').count(), 0);
    assert.equal(await fileRow.getByTestId('window-delete').count(), 0);
    // Every day of the month grid shows its nightly opening.
    const calendar = page.getByTestId('maintenance-calendar');
    await calendar
      .locator(`[data-testid="calendar-occurrence"][data-window="${declared.id}"]`)
      .first()
      .waitFor();
    assert.ok(
      (await calendar.locator(`[data-testid="calendar-occurrence"][data-window="${declared.id}"]`).count()) >=
        28,
      'a daily window shows on (nearly) every day of the month grid',
    );

    // A weekly window through the form: Tuesdays and Thursdays, 22:00 to 06:00 the next morning.
    await page.getByTestId('window-new').click();
    await page.getByTestId('window-form').waitFor();
    assert.equal(await page.getByTestId('window-time-zone').textContent(), 'Asia/Shanghai');
    await page.getByTestId('window-name').fill('OMS weekly deploy');
    await page.getByTestId('window-matcher-name-0').fill('service');
    await page.getByTestId('window-matcher-value-0').fill('oms');
    await page.getByTestId('window-day-tue').click();
    await page.getByTestId('window-day-thu').click();
    await page.getByTestId('window-start').fill('22:00');
    await page.getByTestId('window-end').fill('06:00');
    await page.getByTestId('window-mode-expected').click();
    await page
      .getByTestId('window-mode-help')
      .getByText(/reports and incident statistics/)
      .waitFor();
    await page.getByTestId('window-comment').fill('Deploy train, release manager on call');
    await page.getByTestId('window-submit').click();
    await page.getByTestId('window-form').waitFor({ state: 'detached' });

    await expectCount(rows, 2);
    const created = (await listWindows()).find((w) => w.name === 'OMS weekly deploy');
    assert.deepEqual(
      created && {
        ...created.schedule,
        timeZone: created.timeZone,
        mode: created.mode,
        source: created.source,
      },
      {
        kind: 'weekly',
        days: ['tue', 'thu'],
        start: '22:00',
        end: '06:00',
        timeZone: 'Asia/Shanghai',
        mode: 'expected',
        source: 'api',
      },
    );
    const newRow = page.locator('[data-testid="window-row"][data-name="OMS weekly deploy"]');
    await newRow.getByText('Tue, Thu 22:00–06:00').waitFor();
    assert.equal(await newRow.getByTestId('managed-tag').count(), 0);

    // The week view: each opening on its evening, and its continuation the next morning.
    const mine = calendar.locator(`[data-testid="calendar-occurrence"][data-window="${created?.id}"]`);
    await mine.first().waitFor();
    await page.getByTestId('calendar-view-week').click();
    await calendar.getByTestId('calendar-week').waitFor();
    await expectCount(mine, 4);
    assert.deepEqual((await mine.allTextContents()).sort(), [
      '22:00 OMS weekly deploy',
      '22:00 OMS weekly deploy',
      '… OMS weekly deploy',
      '… OMS weekly deploy',
    ]);
    await page.getByTestId('calendar-next').click();
    await expectCount(mine, 4);

    // The server's refusal lands under the field it names: an hour of 25 in a cron expression.
    await newRow.getByTestId('window-edit').click();
    await page.getByTestId('window-kind-cron').click();
    await page.getByTestId('window-cron').fill('0 25 * * *');
    await page.getByTestId('window-duration').fill('2h');
    await page.getByTestId('window-submit').click();
    const cronItem = page.locator('.ant-form-item').filter({ has: page.getByTestId('window-cron') });
    await cronItem.locator('.ant-form-item-explain-error').getByText(/cron/).waitFor();
    assert.equal(await page.getByTestId('window-error').count(), 0, 'every detail found its field');
    await page.getByTestId('window-modal').getByRole('button', { name: 'Cancel' }).click();
    await page.getByTestId('window-form').waitFor({ state: 'detached' });

    // Deleting asks first; the window leaves the list and the calendar.
    await newRow.getByTestId('window-delete').click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: 'Delete' }).click();
    await expectCount(rows, 1);
    await expectCount(mine, 0);
    assert.deepEqual(
      (await listWindows()).map((w) => w.name),
      ['Nightly ERP backup'],
    );
    assertClean();

    // In Chinese: the schedule reads with Chinese day names, and the file's window is marked as such.
    const zh = await isolatedContext(browser, t, srv.url, 'zh-CN');
    await signIn(zh.page, srv.url, ADMIN, PASSWORD);
    await zh.page.goto(`${srv.url}/maintenance`);
    await zh.page.getByTestId('page-title').getByText('维护窗口', { exact: true }).waitFor();
    const zhRow = zh.page.locator('[data-testid="window-row"][data-name="Nightly ERP backup"]');
    await zhRow.getByText('由配置文件管理').waitFor();
    await zhRow.getByText('周一、周二、周三、周四、周五、周六、周日 01:00–02:00').waitFor();
    await zhRow.getByText('预期').waitFor();
    zh.assertClean();
  },
);
