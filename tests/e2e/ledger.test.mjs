// The browser test of the ledger pages: on a phone-sized screen the demo
// member opens "Money", sees their balances and the statement of an account
// with its running balance; the demo coordinator (of the region, so of the
// co-op A Cesta) opens A Cesta's treasury from the same page, sees its
// accounts and a payment request, requests a payment from the member through
// the form, previews the year-end closing with its chart of where the surplus
// goes, and commits it after confirming; last the member accepts and pays
// that request. Runs the real `agora` (demo data in a fresh SQLite file,
// web/dist served by it) and Debian's Chromium through playwright-core, as
// flow.test.mjs does; screenshots go to $AGORA_ARTIFACTS/e2e/ledger/.
//
// It uses the demo's ledger data for A Cesta when present (accounts,
// transfers, payment requests, a surplus); whatever is missing it creates
// through the API first (accounts, a deposit and a purchase, a payment
// request, a surplus to share out), so the story runs either way.
//
// Env: as flow.test.mjs (AGORA_BUILD, AGORA_ARTIFACTS, AGORA_TMP,
// AGORA_E2E_BASE_URL, AGORA_E2E_HEADFUL, AGORA_CHROMIUM).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { COORDINATOR, MEMBER, PASSWORD, e2e } from './harness.mjs';

const h = e2e({ name: 'ledger' });
const { step, screenshot, apiJson, login, logout, pageErrors, call, ok, ensureAccount } = h;
let page;
let baseUrl;

before(async () => {
  await h.setup();
  ({ page, baseUrl } = h);
});

after(() => h.teardown());

let seq = 0;
const key = (what) => `e2e-ledger-${what}-${Date.now()}-${++seq}`;

// As the coordinator: whatever the member's story needs that the demo does
// not have (their current account with movements, an open request to it, a
// surplus to close), through the API. Returns the ids it relies on.
async function seedAsCoordinator(orgId, memberPersonId) {
  const bank = await ensureAccount(orgId, 'external', 'bank');
  const operating = await ensureAccount(orgId, 'org', 'operating');
  const surplus = await ensureAccount(orgId, 'org', 'surplus');
  const current = await ensureAccount(orgId, 'member', 'current', memberPersonId);
  const st = await ok('GET', `/accounts/${current.id}/statement?limit=5`);
  if (st.items.length === 0) {
    await ok('POST', '/transfers', {
      key: key('deposit'),
      debit_account_id: bank.id,
      credit_account_id: current.id,
      amount: 5000,
      code: 'deposit',
      memo: 'Cash paid in at the shop',
    });
    await ok('POST', '/transfers', {
      key: key('purchase'),
      debit_account_id: current.id,
      credit_account_id: operating.id,
      amount: 1234,
      code: 'purchase',
      memo: 'Vegetable box',
    });
  }
  const open = await ok('GET', `/orgs/${orgId}/payment-requests?state=open&limit=50`);
  if (open.items.length === 0) {
    await ok('POST', '/payment-requests', {
      key: key('request'),
      payee_account_id: operating.id,
      payer_account_id: current.id,
      amount: 2500,
      code: 'invoice',
      memo: 'Olive oil order',
    });
  }
  const s = await ok('GET', `/accounts/${surplus.id}`);
  if (s.balance <= 0) {
    await ok('POST', '/transfers', {
      key: key('surplus'),
      debit_account_id: bank.id,
      credit_account_id: surplus.id,
      amount: 1_234_567,
      code: 'transfer',
      memo: 'Result of the year',
    });
  }
  return { operating, surplus, current };
}

test('a member reads balances and a statement; a coordinator runs the treasury and closes the year, on a phone', { timeout: 300_000 }, async () => {
  let memberMe;
  let cesta;

  await step('member logs in', async () => {
    await login(MEMBER, PASSWORD);
    await page.waitForURL('**/me');
    const r = await apiJson('/api/v1/me');
    assert.equal(r.status, 200);
    memberMe = r.body;
    const m = memberMe.memberships.find((x) => x.status === 'active' && /A Cesta/.test(x.org.name));
    assert.ok(m, 'the demo member is an active member of A Cesta');
    cesta = m.org;
  });

  // Whatever the demo's ledger lacks, the coordinator creates first.
  await step('coordinator prepares what the demo lacks', async () => {
    await logout();
    await login(COORDINATOR, PASSWORD);
    await page.waitForURL('**/me');
    await seedAsCoordinator(cesta.id, memberMe.person.id);
    await logout();
    await login(MEMBER, PASSWORD);
    await page.waitForURL('**/me');
  });

  let account;
  await step('member sees their balances', async () => {
    await page.getByRole('link', { name: 'Money', exact: true }).tap();
    await page.waitForURL('**/me/money');
    await page.getByRole('heading', { level: 1, name: 'My money' }).waitFor();
    const r = await apiJson('/api/v1/me/accounts');
    assert.equal(r.status, 200);
    const inCesta = r.body.items.filter((a) => a.org_id === cesta.id);
    assert.ok(inCesta.length > 0, 'the member has an account in A Cesta');
    account = inCesta.find((a) => a.kind === 'current') ?? inCesta[0];
    const card = page.locator(`li.account-card[data-account-id="${account.id}"]`);
    await card.waitFor();
    const shown = await card.getByTestId('balance').getAttribute('data-minor');
    assert.equal(Number(shown), account.balance, 'the card shows the account balance');
    const text = (await card.getByTestId('balance').textContent()).trim();
    assert.match(text, /\d/, `a formatted amount: ${text}`);
    await page.getByRole('heading', { level: 2, name: cesta.name }).waitFor();
    await screenshot('member-balances');
  });

  await step('member reads the statement with its running balance', async () => {
    await page.locator(`li.account-card[data-account-id="${account.id}"] a`).first().tap();
    await page.waitForURL(`**/accounts/${account.id}`);
    const st = await apiJson(`/api/v1/accounts/${account.id}/statement?limit=50`);
    assert.equal(st.status, 200);
    assert.ok(st.body.items.length > 0, 'the account has movements');
    const rows = page.locator('table.statement-lines tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), st.body.items.length, 'one row per statement line');
    const firstBalance = await rows.first().getByTestId('line-balance').getAttribute('data-minor');
    assert.equal(Number(firstBalance), st.body.items[0].balance, 'the newest line shows the balance after it');
    // Running balance: each posted line's balance less its amount is the next older line's balance.
    const lines = st.body.items;
    for (let i = 0; i + 1 < lines.length; i++) {
      const a = lines[i];
      const b = lines[i + 1];
      if (a.transfer.pending || b.transfer.pending || a.transfer.action !== 'create' || b.transfer.action !== 'create') continue;
      assert.equal(a.balance - a.amount, b.balance, `running balance between transfers ${a.transfer.id} and ${b.transfer.id}`);
    }
    const bal = await page.getByTestId('statement-balance').getAttribute('data-minor');
    assert.equal(Number(bal), st.body.account.balance);
    await screenshot('member-statement');
    if (st.body.next_before !== null) {
      await page.getByRole('button', { name: 'Older movements' }).tap();
      await page.waitForFunction((n) => document.querySelectorAll('table.statement-lines tbody tr').length > n, st.body.items.length);
      await screenshot('member-statement-older');
    }
  });

  await step('coordinator opens the treasury of A Cesta', async () => {
    await logout();
    await login(COORDINATOR, PASSWORD);
    await page.waitForURL('**/me');
    await page.getByRole('link', { name: 'Money', exact: true }).tap();
    await page.waitForURL('**/me/money');
    await page.getByRole('link', { name: `Treasury of ${cesta.name}` }).tap();
    await page.waitForURL(`**/orgs/${cesta.id}/treasury`);
    await page.getByRole('heading', { level: 1, name: `Treasury of ${cesta.name}` }).waitFor();
    await page.locator('[data-holder-group="org"] tr[data-kind="operating"]').first().waitFor();
    await page.locator('[data-holder-group="org"] tr[data-kind="surplus"]').first().waitFor();
    await screenshot('treasury-accounts');
  });

  await step('coordinator sees a payment request', async () => {
    const open = await apiJson(`/api/v1/orgs/${cesta.id}/payment-requests?state=open&limit=50`);
    assert.equal(open.status, 200);
    assert.ok(open.body.items.length > 0, 'A Cesta has an open payment request');
    const r = open.body.items[0];
    const card = page.locator(`li.payment-request[data-request-id="${r.id}"]`).first();
    await card.scrollIntoViewIfNeeded();
    await card.waitFor();
    assert.equal(await card.getAttribute('data-state'), 'open');
    await screenshot('treasury-requests');
  });

  let requested = null;
  await step('coordinator requests a payment from the member', async () => {
    await page.getByRole('button', { name: 'Request a payment' }).tap();
    const form = page.locator('form.new-request');
    await form.waitFor();
    await form.getByLabel('A member of this co-op').check();
    await form.getByLabel("Member's account").selectOption(String(account.id));
    await form.getByLabel(/^Amount/).fill('3,75');
    await form.getByLabel('What for').fill('Bread for the assembly');
    await screenshot('treasury-request-form');
    await form.getByRole('button', { name: 'Send the request' }).tap();
    await page.getByText('The request was sent.').waitFor();
    const open = await apiJson(`/api/v1/orgs/${cesta.id}/payment-requests?state=open&limit=200`);
    requested = open.body.items.find((x) => x.memo === 'Bread for the assembly');
    assert.ok(requested, 'the new request is listed');
    assert.equal(requested.amount, 375, 'the amount typed with a comma is 375 minor units');
    assert.equal(requested.payer_account_id, account.id);
    await page.locator(`[data-testid="requests-outgoing"] li.payment-request[data-request-id="${requested.id}"]`).waitFor();
    await screenshot('treasury-request-sent');
  });

  await step('coordinator previews the year-end closing and sees the chart', async () => {
    const closings = await apiJson(`/api/v1/orgs/${cesta.id}/closings`);
    assert.equal(closings.status, 200, `GET closings: ${JSON.stringify(closings.body)}`);
    // Listed closings name their year as period ("2026") with kind "year".
    const yearOf = (c) => c.year ?? (c.kind === 'year' ? Number(c.period) : null);
    const closed = new Set(closings.body.items.map(yearOf));
    const year = [0, 1, 2, 3, 4, 5].map((d) => new Date().getFullYear() - d).find((y) => !closed.has(y));
    const form = page.locator('form.closing-form');
    await form.scrollIntoViewIfNeeded();
    await form.getByLabel('Year').selectOption(String(year));
    await form.getByRole('button', { name: 'Preview' }).tap();
    const chart = page.getByTestId('closing-chart');
    await chart.waitFor();
    const preview = await apiJson(`/api/v1/orgs/${cesta.id}/closings/preview?year=${year}`);
    assert.equal(preview.status, 200);
    assert.ok(preview.body.surplus > 0, 'there is a surplus to share out');
    const parts = new Set(preview.body.parts.filter((p) => p.amount > 0).map((p) => p.part));
    assert.ok(parts.size > 0, 'the preview has parts');
    for (const p of parts) {
      await chart.locator(`svg [data-part="${p}"]`).waitFor();
      await chart.locator(`li[data-part="${p}"]`).waitFor();
    }
    assert.equal(
      await page.locator('table.closing-lines tbody tr').count(),
      Math.min(20, preview.body.lines.length),
      'the preview lists the lines',
    );
    const sum = preview.body.lines.reduce((s, l) => s + l.amount, 0);
    assert.equal(sum, preview.body.surplus, 'the lines add up to the surplus');
    await chart.scrollIntoViewIfNeeded();
    const shot = await screenshot('closing-preview');
    // The chart alone, beside the full page.
    await chart.screenshot({ path: shot.replace(/closing-preview\.png$/, 'closing-chart.png') });

    await page.getByRole('button', { name: `Close ${year}…` }).tap();
    const confirm = page.locator('.closing-confirm');
    await confirm.waitFor();
    await screenshot('closing-confirm');
    await confirm.getByRole('button', { name: 'Yes, close the year' }).tap();
    await page.getByTestId('closing-committed').waitFor();
    const after = await apiJson(`/api/v1/orgs/${cesta.id}/closings`);
    assert.ok(after.body.items.some((c) => yearOf(c) === year), `the ${year} closing is recorded`);
    await page.locator(`li[data-year="${year}"]`).waitFor();
    await screenshot('closing-committed');
  });

  await step('member accepts and pays the request', async () => {
    await logout();
    await login(MEMBER, PASSWORD);
    await page.waitForURL('**/me');
    await page.goto(`${baseUrl}/me/money`);
    const card = page.locator(`li.payment-request[data-request-id="${requested.id}"]`);
    await card.waitFor();
    await card.getByRole('button', { name: 'Accept' }).tap();
    await page.getByText('The request was accepted.').waitFor();
    const acc = await apiJson(`/api/v1/accounts/${account.id}`);
    if (acc.body.available >= requested.amount) {
      await page.locator(`li.payment-request[data-request-id="${requested.id}"]`).getByRole('button', { name: 'Pay now' }).tap();
      await page.getByText('Paid.', { exact: true }).waitFor();
      const r = await apiJson(`/api/v1/payment-requests/${requested.id}`);
      assert.equal(r.body.state, 'paid');
      assert.ok(r.body.paid_transfer_id, 'the paid request names its transfer');
      const balance = page.locator(`li.account-card[data-account-id="${account.id}"]`).getByTestId('balance');
      await page.waitForFunction(
        ({ id, want }) => document.querySelector(`li.account-card[data-account-id="${id}"] [data-testid="balance"]`)?.getAttribute('data-minor') === String(want),
        { id: account.id, want: acc.body.balance - requested.amount },
      );
      assert.equal(Number(await balance.getAttribute('data-minor')), acc.body.balance - requested.amount, 'the balance shows the payment');
    }
    await screenshot('member-paid');
  });

  assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
});
