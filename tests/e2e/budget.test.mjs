// The browser test of participatory budgeting, on a phone-sized touch screen
// against the real `agora` (demo data in a fresh SQLite file, web/dist served
// by it) and Debian's Chromium through playwright-core, as market.test.mjs
// does; screenshots go to $AGORA_ARTIFACTS/e2e/budget/.
//
// The story: the demo coordinator (of the region, so of A Cesta) opens a
// round of A Cesta's investment fund from the co-op's budgeting page and
// submits a project through the API. (1) The demo member submits a project
// in the browser and sees it listed. (2) The coordinator starts the vote
// early from the round's page. (3) The member chooses both projects on an
// approval ballot, sees the running cost against the budget, saves it, and
// finds it saved after a reload. (4) The member reads the results of a
// counted round of A Cesta (the demo's paid one): the chart of funded projects with one bar per
// project split into the groups of voters who paid, the same figures as a
// table, and what was paid (or, before payment, the decision needed).
//
// Env: as flow.test.mjs (AGORA_BUILD, AGORA_ARTIFACTS, AGORA_TMP,
// AGORA_E2E_BASE_URL, AGORA_E2E_HEADFUL, AGORA_CHROMIUM).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { COORDINATOR, MEMBER, PASSWORD, e2e } from './harness.mjs';

const h = e2e({ name: 'budget' });
const { step, screenshot, login, logout, pageErrors, call, ok } = h;
let page;
let baseUrl;

before(async () => {
  await h.setup();
  ({ page, baseUrl } = h);
});

after(() => h.teardown());

// Every account of an org with `holder` and `kind`, through the pages of the list.
async function findAccount(orgId, holder, kind) {
  let after = null;
  for (let i = 0; i < 20; i++) {
    const list = await ok('GET', `/orgs/${orgId}/accounts?limit=200${after ? `&after=${after}` : ''}`);
    const hit = list.items.find((a) => a.holder === holder && a.kind === kind);
    if (hit) return hit;
    if (list.next_after === null || list.next_after === undefined) return null;
    after = list.next_after;
  }
  return null;
}

// The co-op's investment fund holds at least `atLeast` (paid in from its bank when short).
async function fundAtLeast(orgId, atLeast, key) {
  let fund = await findAccount(orgId, 'fund', 'investment');
  if (!fund) fund = await ok('POST', `/orgs/${orgId}/accounts`, { holder: 'fund', kind: 'investment' });
  if (fund.balance >= atLeast) return fund;
  let bank = await findAccount(orgId, 'external', 'bank');
  if (!bank) bank = await ok('POST', `/orgs/${orgId}/accounts`, { holder: 'external', kind: 'bank' });
  await ok('POST', '/transfers', {
    key,
    debit_account_id: bank.id,
    credit_account_id: fund.id,
    amount: atLeast - fund.balance,
    code: 'deposit',
    memo: 'Paid into the investment fund for a budgeting round',
  });
  return fund;
}

const tag = `e2e${Date.now().toString(36)}`;
const ROUND = `Orzamento do barrio ${tag}`;
const MINE = `Aparcabicis na praza ${tag}`;
const THEIRS = `Horta escolar ${tag}`;

test('a member submits a project and votes; the results show who paid', { timeout: 600_000 }, async () => {
  let cesta;
  let roundId;

  await step('member logs in; the coordinator opens a round from the budgeting page', async () => {
    await login(MEMBER, PASSWORD);
    await page.waitForURL('**/me');
    const me = (await call('GET', '/me')).body;
    const m = me.memberships.find((x) => x.status === 'active' && /A Cesta/.test(x.org.name));
    assert.ok(m, 'the demo member is an active member of A Cesta');
    cesta = await ok('GET', `/orgs/${m.org.id}`);
    await logout();
    await login(COORDINATOR, PASSWORD);
    await page.waitForURL('**/me');
    await fundAtLeast(cesta.id, 50000, `${tag}-fund`);

    await page.goto(`${baseUrl}/orgs/${cesta.id}/budget`);
    await page.getByRole('heading', { level: 1, name: /Participatory budgeting/ }).waitFor();
    await page.getByRole('button', { name: 'Open a round' }).tap();
    const form = page.getByTestId('open-round-form');
    await form.getByLabel('Title').fill(ROUND);
    await form.getByLabel(/^Budget/).fill('500');
    await form.getByLabel('Most projects a voter may choose').fill('2');
    await screenshot('open-round-form');
    await form.getByRole('button', { name: 'Open the round' }).tap();
    await page.waitForURL(/\/budget-rounds\/\d+$/);
    roundId = Number(/budget-rounds\/(\d+)$/.exec(page.url())[1]);
    await page.getByRole('heading', { level: 1, name: ROUND }).waitFor();
    assert.equal(await page.getByTestId('phase').first().getAttribute('data-phase'), 'submission');
    const r = await ok('GET', `/budget-rounds/${roundId}`);
    assert.equal(r.budget, 50000);
    assert.equal(r.max_approvals, 2);
    assert.equal(r.ballot, 'approval');
    await ok('POST', `/budget-rounds/${roundId}/projects`, {
      title: THEIRS,
      description: 'Raised beds and a water tank for the school garden.',
      cost: 15000,
    });
  });

  await step('member submits a project', async () => {
    await logout();
    await login(MEMBER, PASSWORD);
    await page.waitForURL('**/me');
    await page.goto(`${baseUrl}/budget-rounds/${roundId}`);
    const form = page.getByTestId('submit-project-form');
    await form.waitFor();
    await form.getByLabel('Project').fill(MINE);
    await form.getByLabel('Description (optional)').fill('Twenty covered bike racks in the square by the market.');
    await form.getByLabel(/^Cost/).fill('120');
    await form.getByRole('button', { name: 'Submit the project' }).tap();
    await form.getByText(`“${MINE}” is submitted.`).waitFor();
    const list = page.getByTestId('projects');
    await list.getByText(MINE).waitFor();
    await list.getByText(THEIRS).waitFor();
    await screenshot('project-submitted');
    const projects = await ok('GET', `/budget-rounds/${roundId}/projects`);
    const mine = projects.items.find((p) => p.title === MINE);
    assert.ok(mine, 'the project is stored');
    assert.equal(mine.cost, 12000);
    assert.equal(mine.payee.org_id, cesta.id);
  });

  await step('coordinator starts the vote early', async () => {
    await logout();
    await login(COORDINATOR, PASSWORD);
    await page.waitForURL('**/me');
    await page.goto(`${baseUrl}/budget-rounds/${roundId}`);
    await page.getByRole('button', { name: 'Start voting now…' }).tap();
    await page.getByRole('button', { name: 'Yes, start voting' }).tap();
    await page.locator('article[data-phase="voting"]').waitFor();
  });

  await step('member votes on an approval ballot', async () => {
    await logout();
    await login(MEMBER, PASSWORD);
    await page.waitForURL('**/me');
    await page.goto(`${baseUrl}/budget-rounds/${roundId}`);
    const ballot = page.getByTestId('budget-ballot');
    await ballot.waitFor();
    await ballot.getByText('Choose up to 2 projects you support').waitFor();
    await ballot.getByRole('checkbox', { name: new RegExp(MINE) }).check();
    await ballot.getByRole('checkbox', { name: new RegExp(THEIRS) }).check();
    const total = ballot.getByTestId('running-total');
    assert.equal(await total.getAttribute('data-minor'), '27000');
    await total.getByText(/Chosen: 2/).waitFor();
    await screenshot('ballot');
    await ballot.getByRole('button', { name: 'Save my ballot' }).tap();
    await ballot.getByText('Your ballot is saved.').waitFor();
    await ballot.getByTestId('saved-ballot').getByText(new RegExp(MINE)).waitFor();
    const r = await ok('GET', `/budget-rounds/${roundId}`);
    assert.equal(r.my_ballot.voted, true);
    assert.equal(r.my_ballot.items.length, 2);
    await page.reload();
    const again = page.getByTestId('budget-ballot');
    await again.waitFor();
    assert.equal(await again.getByRole('checkbox', { name: new RegExp(MINE) }).isChecked(), true);
    assert.equal(await again.getByRole('checkbox', { name: new RegExp(THEIRS) }).isChecked(), true);
  });

  await step('member reads a counted round: the funded projects and who paid', async () => {
    // The demo's spring round: counted, its result passed and paid out.
    const rounds = await ok('GET', `/orgs/${cesta.id}/budget-rounds?limit=50`);
    const counted = rounds.items.find((r) => r.phase === 'paid');
    assert.ok(counted, 'the demo has a paid round of A Cesta');
    const result = await ok('GET', `/budget-rounds/${counted.id}/result`);
    assert.ok(result.funded.length > 0, 'the counted round funded a project');

    await page.goto(`${baseUrl}/orgs/${cesta.id}/budget`);
    await page.locator(`li[data-round-id="${counted.id}"] a`).tap();
    await page.waitForURL(`**/budget-rounds/${counted.id}`);
    const chart = page.getByTestId('funded-chart');
    await chart.waitFor();
    const bars = chart.getByTestId('funded-bar');
    assert.equal(await bars.count(), result.funded.length);
    const first = [...result.funded].sort((a, b) => a.order - b.order)[0];
    const bar = chart.locator(`li[data-project-id="${first.project_id}"]`);
    await bar.getByText(first.title).waitFor();
    assert.equal(await bar.locator('rect[data-voters]').count(), first.paid_by.length);
    if (first.paid_by.length > 0) {
      const g = first.paid_by[0];
      assert.equal(await bar.locator('rect[data-voters]').first().getAttribute('data-voters'), String(g.voters));
      await bar.locator('.chart-legend').getByText(g.voters === 1 ? /1 voter paid/ : new RegExp(`${g.voters} voters paid .* each`)).first().waitFor();
    }
    await screenshot('funded-chart');
    const table = page.getByTestId('funded-table');
    await table.locator('summary').tap();
    assert.equal(await table.locator('tbody tr').count(), result.funded.length);
    await table.locator(`tr[data-project-id="${first.project_id}"]`).waitFor();
    assert.ok(result.unfunded.length > 0, 'the paid round left projects unfunded');
    await page.getByTestId('unfunded').locator(`li[data-project-id="${result.unfunded[0].project_id}"]`).waitFor();
    assert.ok(result.paid.length > 0, 'the paid round lists its transfers');
    const paid = page.getByTestId('paid');
    await paid.waitFor();
    assert.equal(await paid.locator('tbody tr').count(), result.paid.length);
    await screenshot('results');
  });

  assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
});
