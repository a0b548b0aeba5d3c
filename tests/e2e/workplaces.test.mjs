// The browser test of workplaces, leases and funds, on a phone-sized touch
// screen against the real `agora` (demo data in a fresh SQLite file, web/dist
// served by it) and Debian's Chromium through playwright-core, as
// market.test.mjs does; screenshots go to $AGORA_ARTIFACTS/e2e/workplaces/.
//
// The story, on the demo's workplaces (src/app/demo_workplaces.cc): A Cesta's
// bakery workplace, owned with the Federación Galega, is leased to the worker
// co-op Panadería O Forno de Sar on an indexed rent with solidarity steps;
// its last months' invoices are unpaid. (1) The demo coordinator (of the
// region, so of A Cesta) opens A Cesta's workplaces from the co-op page, sees
// the asset's stakes as a bar and the lease as lessor with its arrears, opens
// the asset (stakes, the buy-out's installments, its history) and the lease,
// whose schedule chart and table show the rent split and the solidarity
// contribution month by month. (2) A worker who joins O Forno de Sar opens
// the lease from the worker co-op's workplaces and sees its own side first:
// what it owes next and its arrears. (3) A Cesta's funds page shows the
// investment fund's inflows from rent by month and by code.
//
// Env: as flow.test.mjs (AGORA_BUILD, AGORA_ARTIFACTS, AGORA_TMP,
// AGORA_E2E_BASE_URL, AGORA_E2E_HEADFUL, AGORA_CHROMIUM).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { COORDINATOR, PASSWORD, e2e } from './harness.mjs';

const h = e2e({ name: 'workplaces' });
const { step, screenshot, login, logout, pageErrors, call, ok } = h;
let page;
let baseUrl;

before(async () => {
  await h.setup();
  ({ page, baseUrl } = h);
});

after(() => h.teardown());

const tag = `e2e${Date.now().toString(36)}`;
const WORKER_EMAIL = `baker.${tag}@example.org`;
const WORKER_PASSWORD = 'forno-de-sar-2026';

test('workplaces, a lease from both sides and a fund, on a phone', { timeout: 300_000 }, async () => {
  let asset; // the bakery workplace
  let lease; // its indexed lease to the worker co-op
  let cestaId;
  let fornoId;

  await step('the coordinator finds the demo bakery', async () => {
    await login(COORDINATOR, PASSWORD);
    await page.waitForURL('**/me');
    const all = await ok('GET', '/assets?limit=100');
    asset = all.items.find(
      (a) => a.stakes.length >= 2 && a.stakes.some((s) => /A Cesta/.test(s.name)) && a.leases.some((l) => l.rent_kind === 'indexed'),
    );
    assert.ok(asset, `the demo has an asset of A Cesta with a co-owner and an indexed lease: ${JSON.stringify(all.items.map((a) => a.name))}`);
    cestaId = asset.stakes.find((s) => /A Cesta/.test(s.name)).org_id;
    const summary = asset.leases.find((l) => l.rent_kind === 'indexed');
    lease = await ok('GET', `/leases/${summary.id}`);
    fornoId = lease.lessee.org_id;
    assert.equal(lease.lessor.org_id, cestaId, 'A Cesta lets the bakery');
    assert.ok(lease.arrears.count > 0, 'the demo leaves the bakery lease in arrears');
    assert.ok(lease.steps.length >= 2, 'the lease has solidarity steps');
  });

  await step('the coordinator opens A Cesta\'s workplaces from the co-op page', async () => {
    await page.goto(`${baseUrl}/orgs/${cestaId}`);
    await page.getByTestId('workplaces-link').tap();
    await page.waitForURL(`**/orgs/${cestaId}/workplaces`);
    const card = page.locator(`li.asset-card[data-asset-id="${asset.id}"]`);
    await card.waitFor();
    const stakes = card.getByTestId('stakes');
    await stakes.getByRole('img').waitFor();
    const bps = await stakes.locator('li[data-bps]').evaluateAll((els) => els.map((e) => Number(e.dataset.bps)));
    assert.equal(bps.reduce((s, v) => s + v, 0), 10000, 'the stakes shown add up to the whole asset');
    for (const s of asset.stakes) await stakes.locator(`li[data-org-id="${s.org_id}"]`).getByText(s.name, { exact: true }).waitFor();
    const mine = page.getByTestId('leases-lessor').locator(`li.lease-card[data-lease-id="${lease.id}"]`);
    await mine.waitFor();
    assert.equal(Number(await mine.getAttribute('data-arrears')), lease.arrears.count);
    await mine.getByTestId('lease-arrears').waitFor();
    await screenshot('cesta-workplaces');
  });

  await step('the asset shows its stakes, the buy-out and its history', async () => {
    await page.locator(`li.asset-card[data-asset-id="${asset.id}"] a[href="/assets/${asset.id}"]`).tap();
    await page.waitForURL(`**/assets/${asset.id}`);
    await page.getByRole('heading', { level: 1, name: asset.name }).waitFor();
    await page.getByRole('heading', { name: 'Ownership' }).waitFor();
    await page.getByTestId('reserved').first().waitFor();
    if (asset.buyouts.length > 0) {
      const b = page.locator(`li.buyout[data-buyout-id="${asset.buyouts[0].id}"]`);
      await b.waitFor();
      await b.locator('summary', { hasText: 'Installments' }).tap();
      const rows = b.locator('ol.buyout-schedule > li');
      assert.equal(await rows.count(), asset.buyouts[0].schedule.length, 'every installment is listed');
    }
    await page.getByTestId('events').locator('li[data-kind="created"]').waitFor();
    await screenshot('asset');
  });

  await step('the lease shows the schedule chart and its table', async () => {
    await page.getByTestId('asset-leases').locator(`a[href="/leases/${lease.id}"]`).tap();
    await page.waitForURL(`**/leases/${lease.id}`);
    const chart = page.getByTestId('schedule-chart');
    await chart.waitFor();
    assert.ok((await chart.locator('rect[data-part="surplus"]').count()) > 0, 'the chart draws the surplus');
    assert.ok((await chart.locator('rect[data-part="solidarity"]').count()) > 0, 'the chart draws the solidarity contribution');
    await page.locator('summary', { hasText: 'The schedule as a table' }).tap();
    const rows = page.getByTestId('schedule-table').locator('tbody tr[data-period]:not([data-period="total"])');
    assert.ok((await rows.count()) >= 1, 'the table lists the months');
    await page.getByTestId('arrears').waitFor();
    assert.equal(Number(await page.getByTestId('arrears').getAttribute('data-count')), lease.arrears.count);
    const overdue = page.getByTestId('invoices').locator('li[data-overdue="true"]');
    assert.equal(await overdue.count(), lease.arrears.count, 'each invoice in arrears is marked overdue');
    await screenshot('lease-lessor');
  });

  await step('A Cesta\'s funds show the rent flowing into the investment fund', async () => {
    await page.goto(`${baseUrl}/orgs/${cestaId}`);
    await page.getByTestId('funds-link').tap();
    await page.waitForURL(`**/orgs/${cestaId}/funds`);
    const fund = page.locator('section[data-fund="investment"]');
    await fund.waitFor();
    await fund.getByTestId('fund-chart-investment').locator('rect[data-dir="in"]').first().waitFor();
    const rent = fund.getByTestId('fund-codes-investment').locator('tr[data-code="rent"][data-dir="in"]');
    await rent.waitFor();
    assert.ok(Number(await rent.getAttribute('data-minor')) > 0, 'rent surpluses flowed in');
    await screenshot('funds');
    await logout();
  });

  let membershipId;
  await step('a baker joins the worker co-op', async () => {
    await page.goto(`${baseUrl}/register`);
    const r = await call('POST', '/auth/register', {
      given_name: 'Antía',
      family_name: `Forneira ${tag}`,
      email: WORKER_EMAIL,
      password: WORKER_PASSWORD,
    });
    assert.ok([200, 201].includes(r.status), `register: HTTP ${r.status} ${JSON.stringify(r.body)}`);
    const forno = await ok('GET', `/orgs/${fornoId}`);
    const cls = forno.classes.find((c) => c.code === 'worker') ?? forno.classes[0];
    assert.ok(cls, 'the worker co-op has a member class');
    const m = await ok('POST', `/orgs/${fornoId}/applications`, { class: cls.code, shares: Math.max(1, cls.min_shares) });
    membershipId = m.id;
    if (m.status !== 'active') {
      await call('POST', '/auth/logout');
      await login(COORDINATOR, PASSWORD);
      await page.waitForURL('**/me');
      await ok('POST', `/memberships/${membershipId}/admit`);
      await logout();
    } else {
      await call('POST', '/auth/logout');
    }
  });

  await step('the worker co-op\'s member sees its side first, with the arrears', async () => {
    await login(WORKER_EMAIL, WORKER_PASSWORD);
    await page.waitForURL('**/me');
    await page.goto(`${baseUrl}/orgs/${fornoId}/workplaces`);
    const theirs = page.getByTestId('leases-lessee').locator(`li.lease-card[data-lease-id="${lease.id}"]`);
    await theirs.waitFor();
    await theirs.getByTestId('lease-arrears').waitFor();
    await screenshot('forno-workplaces');
    await theirs.locator(`a[href="/leases/${lease.id}"]`).tap();
    await page.waitForURL(`**/leases/${lease.id}`);
    const side = page.getByTestId('lessee-side');
    await side.waitFor();
    assert.equal(await page.locator('article.lease').getAttribute('data-side'), 'lessee');
    await side.getByTestId('owed-next').waitFor();
    const arrears = side.getByTestId('arrears');
    await arrears.waitFor();
    assert.equal(Number(await arrears.getAttribute('data-count')), lease.arrears.count);
    assert.equal(Number(await arrears.getAttribute('data-minor')), lease.arrears.amount);
    // The lessee's box comes before the terms and the schedule.
    const order = await page.evaluate(() => {
      const a = document.querySelector('[data-testid="lessee-side"]');
      const b = document.querySelector('[data-testid="lease-terms"]');
      return a && b ? a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING : 0;
    });
    assert.ok(order, 'what the worker co-op owes leads the page');
    await page.getByTestId('schedule-chart').waitFor();
    await screenshot('lease-lessee');
  });

  assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
});
