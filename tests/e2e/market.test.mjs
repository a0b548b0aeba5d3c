// The browser test of the solidarity market, on a phone-sized touch screen
// against the real `agora` (demo data in a fresh SQLite file, web/dist served
// by it) and Debian's Chromium through playwright-core, as ledger.test.mjs
// does; screenshots go to $AGORA_ARTIFACTS/e2e/market/.
//
// The story: the demo coordinator (of the region, so of the consumer co-op
// A Cesta and of the region's producers) gives two producers a story and a
// product each through the API, then in the browser creates an order cycle
// for A Cesta from the co-op's market page, offers the products from the
// catalog, adds a pick-up point, publishes and opens it. (1) The demo member
// searches the shopfront, reads a product's honest label and the chart of
// where the money goes, adds 4 with a tolerance of 2 (a case holds 6),
// sees checkout refused while far too much honey is in the cart, removes it,
// checks out (the hold) and finds the order among their orders. (2) The coordinator closes the cycle, confirms the purchase order
// on the producer's page, records that only 3 of the 6 tomatoes arrived (the
// line is marked short), previews the sharing (the short line shows), settles
// after confirming; the member's order then shows 3 received and the final
// amount for 3. A second, short scenario reads the demo's group buying (a
// member in a local cycle sees an offer's volume tiers and the region's
// running demand, and the saving a tier gave on their settled order) and a
// fair-price contract's running balance.
//
// Env: as flow.test.mjs (AGORA_BUILD, AGORA_ARTIFACTS, AGORA_TMP,
// AGORA_E2E_BASE_URL, AGORA_E2E_HEADFUL, AGORA_CHROMIUM).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { COORDINATOR, MEMBER, PASSWORD, e2e } from './harness.mjs';

const h = e2e({ name: 'market' });
const { step, screenshot, apiJson, login, logout, pageErrors, call, ok, ensureAccount } = h;
let page;
let baseUrl;

before(async () => {
  await h.setup();
  ({ page, baseUrl } = h);
});

after(() => h.teardown());

const tag = `e2e${Date.now().toString(36)}`;
const TOMATOES = `Tomates de colgar ${tag}`;
const HONEY = `Mel de castiñeiro ${tag}`;
const CYCLE = `Pedido de outono ${tag}`;
const POINT = 'Local da Cesta, Rúa do Vilar';

// The member's money in A Cesta: enough for the hold (deposited by the coordinator when short).
async function fund(orgId, personId, atLeast) {
  const current = await ensureAccount(orgId, 'member', 'current', personId);
  const acc = await ok('GET', `/accounts/${current.id}`);
  if (acc.available < atLeast) {
    const bank = await ensureAccount(orgId, 'external', 'bank');
    await ok('POST', '/transfers', {
      key: `${tag}-deposit`,
      debit_account_id: bank.id,
      credit_account_id: current.id,
      amount: atLeast - acc.available + 1000,
      code: 'deposit',
      memo: 'Cash paid in for the market',
    });
  }
}

test('a member orders on a phone; a coordinator settles a cycle with a short delivery', { timeout: 600_000 }, async () => {
  let memberMe;
  let cesta;
  let producers;

  await step('member logs in and the coordinator prepares the catalog', async () => {
    await login(MEMBER, PASSWORD);
    await page.waitForURL('**/me');
    memberMe = (await apiJson('/api/v1/me')).body;
    const m = memberMe.memberships.find((x) => x.status === 'active' && /A Cesta/.test(x.org.name));
    assert.ok(m, 'the demo member is an active member of A Cesta');
    cesta = await ok('GET', `/orgs/${m.org.id}`);
    await logout();
    await login(COORDINATOR, PASSWORD);
    await page.waitForURL('**/me');
    const region = cesta.path[cesta.path.length - 1];
    const kids = await ok('GET', `/orgs/${region.id}/children?limit=200`);
    producers = (kids.items ?? kids).filter((o) => o.kind === 'producer');
    assert.ok(producers.length >= 2, 'the region has two producers');
    await ok('PUT', `/market/producers/${producers[0].id}`, {
      story: 'Eight families growing vegetables on the banks of the Ulla since 1987, without chemical fertilisers.',
      territory_mark: 'Horta do Ulla',
    });
    const tomatoes = await ok('POST', '/market/products', {
      producer_org_id: producers[0].id,
      name: TOMATOES,
      description: 'Hanging tomatoes that keep through the winter.',
      category: 'vegetables/tomatoes',
      distance_km: 42,
      packaging: 'returnable',
      variants: [
        {
          name: 'Box',
          unit_code: 'KGM',
          net_milli: 1000,
          case_size: 6,
          price: 350,
          breakdown: { producer: 350, transport: 0, packing: 0, margin: 0, fund: 0, tax: 0 },
        },
      ],
    });
    await ok('POST', `/market/products/${tomatoes.id}/certifications`, {
      name: 'EU organic',
      certifier: 'CRAEGA',
      reference: 'GAL-2025-0117',
      granted_on: '2025-01-15',
    });
    await ok('POST', '/market/products', {
      producer_org_id: producers[1].id,
      name: HONEY,
      description: 'Dark chestnut honey.',
      category: 'pantry/honey',
      distance_km: 120,
      packaging: 'recyclable',
      variants: [
        {
          name: 'Jar',
          unit_code: 'H87',
          net_milli: 500,
          case_size: 1,
          price: 900,
          breakdown: { producer: 900, transport: 0, packing: 0, margin: 0, fund: 0, tax: 0 },
        },
      ],
    });
  });

  let cycleId;
  await step('coordinator creates the cycle from the co-op page', async () => {
    await page.goto(`${baseUrl}/orgs/${cesta.id}`);
    await page.getByTestId('market-link').tap();
    await page.waitForURL(`**/orgs/${cesta.id}/market`);
    const form = page.locator('form[aria-labelledby="new-cycle"]');
    await form.getByLabel('Name').fill(CYCLE);
    await form.getByLabel('Proportional').check();
    await form.getByLabel('Co-op margin (%)').fill('10');
    await form.getByLabel('Solidarity fund (%)').fill('2');
    await form.getByLabel(/^Transport per unit/).fill('0.20');
    await screenshot('new-cycle-form');
    await form.getByRole('button', { name: 'Create the cycle' }).tap();
    await page.waitForURL(/\/market\/cycles\/\d+\/manage$/);
    cycleId = Number(/cycles\/(\d+)\/manage/.exec(page.url())[1]);
    await page.getByRole('heading', { level: 1, name: CYCLE }).waitFor();
  });

  await step('coordinator offers the products and adds a point', async () => {
    const offers = page.getByTestId('offers-setup');
    await offers.getByLabel('Add offers from the catalog').fill(tag);
    await offers.getByRole('button', { name: 'Search' }).tap();
    await offers.getByTestId('catalog-results').locator('li').nth(1).waitFor();
    await offers.getByRole('button', { name: 'Offer all of these' }).tap();
    await offers.getByText('Offers added: 2.').waitFor();
    await offers.locator('li[data-offer-id]').nth(1).waitFor();
    const points = page.getByTestId('points-setup');
    await points.getByLabel('Name').fill(POINT);
    await points.getByLabel('Address').fill('Rúa do Vilar 12, Santiago');
    await points.getByLabel(/^Fee/).fill('0.50');
    await points.getByRole('button', { name: 'Add the point' }).tap();
    await points.getByText(POINT).waitFor();
    await screenshot('cycle-setup');
    await page.getByRole('button', { name: 'Publish' }).tap();
    await page.getByText('The cycle is published.').waitFor();
    await page.getByRole('button', { name: 'Open now' }).tap();
    await page.getByText('The cycle is open for orders.').waitFor();
    const c = await ok('GET', `/market/cycles/${cycleId}`);
    assert.equal(c.state, 'open');
    assert.equal(c.counts.offers, 2);
  });

  let price;
  let hold;
  await step('member finds the cycle and searches the shopfront on a phone', async () => {
    const shop = await ok('GET', `/market/cycles/${cycleId}/shop?q=${encodeURIComponent('Tomates de colgar')}`);
    const offer = shop.items.find((o) => o.product_name === TOMATOES);
    assert.ok(offer, 'the tomatoes are on offer');
    price = offer.price;
    // 350 producer + 10 % margin + 2 % fund + 0.20 transport per unit.
    assert.equal(price, 350 + 35 + 7 + 20, 'the offer price is the producer part plus every fee');
    hold = 6 * price + 50;
    await fund(cesta.id, memberMe.person.id, hold);
    await logout();
    await login(MEMBER, PASSWORD);
    await page.waitForURL('**/me');
    await page.getByRole('link', { name: 'Market', exact: true }).tap();
    await page.waitForURL('**/market');
    await page.locator(`li.cycle-card[data-cycle-id="${cycleId}"] a`).tap();
    await page.waitForURL(`**/market/cycles/${cycleId}`);
    await page.getByRole('heading', { level: 1, name: CYCLE }).waitFor();
    await page.getByLabel('Search products').fill('tomates de colgar');
    await page.getByRole('button', { name: 'Search', exact: true }).tap();
    await page.locator(`li[data-testid="offer"]`).filter({ hasText: TOMATOES }).waitFor();
    await page.waitForFunction(() => document.querySelectorAll('li[data-testid="offer"]').length === 1);
  });

  await step('member reads the label and where the money goes', async () => {
    const card = page.locator('li[data-testid="offer"]').filter({ hasText: TOMATOES });
    await card.getByTestId('producer').filter({ hasText: producers[0].name }).waitFor();
    assert.match(await card.getByTestId('distance').textContent(), /42\s*km/);
    assert.equal((await card.getByTestId('packaging').textContent()).trim(), 'Returnable');
    await card.getByText(/EU organic \(CRAEGA\)/).waitFor();
    await card.getByText('About the product and its producer').tap();
    await card.getByTestId('story').filter({ hasText: 'banks of the Ulla' }).waitFor();
    const chart = card.getByTestId('breakdown');
    for (const part of ['producer', 'transport', 'margin', 'fund']) {
      await chart.locator(`svg rect[data-part="${part}"]`).waitFor();
      await chart.locator(`li[data-part="${part}"]`).waitFor();
    }
    assert.match(await chart.locator('li[data-part="producer"]').textContent(), /Producer.*3\.50/);
    assert.equal(Number(await card.getByTestId('price').getAttribute('data-minor')), price);
    await card.scrollIntoViewIfNeeded();
    const shot = await screenshot('shop-label');
    await card.screenshot({ path: shot.replace(/shop-label\.png$/, 'offer-card.png') });
  });

  let orderId;
  await step('member adds 4 with a tolerance of 2 and checks out', async () => {
    const card = page.locator('li[data-testid="offer"]').filter({ hasText: TOMATOES });
    await card.getByLabel('Quantity').fill('4');
    await card.getByLabel('Tolerance').fill('2');
    await card.getByText(/Tolerance is how many extra units/).waitFor();
    await card.getByRole('button', { name: 'Add to cart' }).tap();
    await page.getByText('Your cart was updated.').waitFor();
    const cart = page.getByTestId('cart');
    await cart.locator(`li[data-testid="cart-line"]`).filter({ hasText: TOMATOES }).waitFor();
    assert.equal(Number(await cart.getByTestId('subtotal').getAttribute('data-minor')), 4 * price);
    // The only point is chosen for the member already; choose it otherwise.
    const point = cart.getByLabel(new RegExp(POINT));
    if (!(await point.isChecked())) await point.click();
    await page.waitForFunction(() => document.querySelector('[data-testid="cart"] input[name="point"]')?.checked);
    await page.waitForFunction(() => !document.querySelector('[data-testid="cart"] button.btn-primary')?.disabled);
    await cart.scrollIntoViewIfNeeded();
    await screenshot('cart');

    // Far more honey than anyone's account holds: checkout is refused with
    // the amounts named, and nothing is held.
    await page.getByLabel('Search products').fill('castiñeiro');
    await page.getByRole('button', { name: 'Search', exact: true }).tap();
    const honey = page.locator('li[data-testid="offer"]').filter({ hasText: HONEY });
    await honey.waitFor();
    await honey.getByLabel('Quantity').fill('99999');
    assert.equal(await honey.getByLabel('Tolerance').count(), 0, 'no tolerance where a case holds one unit');
    await honey.getByRole('button', { name: 'Add to cart' }).tap();
    await cart.locator('li[data-testid="cart-line"]').filter({ hasText: HONEY }).waitFor();
    await cart.getByRole('button', { name: 'Place the order' }).tap();
    const refused = cart.getByTestId('market-error');
    await refused.getByText('There is not enough money available in your account for this order.').waitFor();
    assert.ok((await refused.textContent()).length > 70, 'the server names the amounts needed and available');
    await screenshot('not-enough-money');
    await cart.locator('li[data-testid="cart-line"]').filter({ hasText: HONEY }).getByRole('button', { name: 'Remove' }).tap();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="cart"] li[data-testid="cart-line"]').length === 1);
    assert.equal((await ok('GET', `/market/cycles/${cycleId}/order`)).state, 'cart', 'the refused checkout left a cart');

    await cart.getByRole('button', { name: 'Place the order' }).tap();
    await page.getByText('Your order is placed and the amount is held on your account.').waitFor();
    await page.locator('[data-testid="cart"][data-state="placed"]').waitFor();
    assert.equal(Number(await cart.getByTestId('hold-amount').getAttribute('data-minor')), hold, 'the hold covers quantity + tolerance and the point fee');
    orderId = Number(await cart.getAttribute('data-order-id'));
    await screenshot('order-placed');
  });

  await step('member sees the order among their orders', async () => {
    await page.goto(`${baseUrl}/me`);
    await page.getByRole('link', { name: 'My orders' }).tap();
    await page.waitForURL('**/me/orders');
    const row = page.locator(`li[data-testid="my-order"][data-order-id="${orderId}"]`);
    await row.waitFor();
    assert.equal(await row.getAttribute('data-state'), 'placed');
    await row.getByRole('link', { name: CYCLE }).tap();
    await page.waitForURL(`**/market/orders/${orderId}`);
    await page.locator('tr[data-testid="order-line"]').filter({ hasText: TOMATOES }).waitFor();
    await screenshot('my-order');
  });

  await step('coordinator closes the cycle', async () => {
    await logout();
    await login(COORDINATOR, PASSWORD);
    await page.waitForURL('**/me');
    await page.goto(`${baseUrl}/market/cycles/${cycleId}/manage`);
    await page.getByRole('button', { name: 'Close now' }).tap();
    await page.getByRole('button', { name: 'Yes, close it' }).tap();
    await page.getByText('The cycle is closed; purchase orders were sent.').waitFor();
    await page.locator(`li.purchase-order[data-producer-id="${producers[0].id}"]`).waitFor();
    const pos = await ok('GET', `/market/cycles/${cycleId}/purchase-orders`);
    const po = pos.items.find((p) => p.producer.org_id === producers[0].id);
    assert.ok(po, 'a purchase order went to the tomato producer');
    assert.equal(po.lines[0].units, 6, 'one whole case of 6 (4 ordered + 2 tolerance)');
    await screenshot('purchase-orders');
  });

  await step('the producer confirms its purchase order', async () => {
    await page.goto(`${baseUrl}/orgs/${producers[0].id}`);
    await page.getByTestId('producer-link').tap();
    await page.waitForURL(`**/orgs/${producers[0].id}/producer`);
    const po = page.locator('li.purchase-order[data-state="sent"]').filter({ hasText: TOMATOES });
    await po.waitFor();
    await po.getByRole('link', { name: 'printable' }).first().waitFor();
    await po.getByRole('button', { name: 'Confirm' }).tap();
    await page.getByText('The purchase order is confirmed.').waitFor();
    await page.locator('li.purchase-order[data-state="confirmed"]').filter({ hasText: TOMATOES }).waitFor();
    await screenshot('producer-confirmed');
  });

  await step('coordinator records a short delivery and previews the sharing', async () => {
    await page.goto(`${baseUrl}/market/cycles/${cycleId}/manage`);
    const recv = page.getByTestId('receiving');
    const line = recv.locator('li[data-testid="receive-line"]').filter({ hasText: TOMATOES });
    await line.waitFor();
    await line.getByRole('textbox').fill('3');
    await recv.locator('li[data-testid="receive-line"][data-short="true"]').filter({ hasText: TOMATOES }).waitFor();
    await line.getByText('3 short').waitFor();
    await recv.getByRole('button', { name: 'Record what arrived' }).tap();
    await recv.getByText('What arrived was recorded.').waitFor();
    await screenshot('receiving-short');
    const alloc = page.getByTestId('allocation');
    await alloc.getByRole('button', { name: 'Preview the sharing' }).tap();
    const short = alloc.locator('tr[data-testid="alloc-line"][data-short="true"]').filter({ hasText: TOMATOES });
    await short.waitFor();
    await alloc.getByTestId('orders-changed').filter({ hasText: 'asked for: 1.' }).waitFor();
    await alloc.scrollIntoViewIfNeeded();
    await screenshot('allocation-preview');
  });

  await step('coordinator settles after confirming', async () => {
    const settle = page.getByTestId('settle');
    await settle.getByRole('button', { name: 'Settle the cycle…' }).tap();
    await settle.getByRole('alertdialog').waitFor();
    await screenshot('settle-confirm');
    await settle.getByRole('button', { name: 'Yes, settle' }).tap();
    await page.getByTestId('settled').waitFor();
    const c = await ok('GET', `/market/cycles/${cycleId}`);
    assert.equal(c.state, 'settled');
    assert.ok(c.batch_id, 'the settlement is one ledger batch');
    await screenshot('settled');
    await page.getByTestId('reports').getByRole('link', { name: 'CSV' }).first().waitFor();
  });

  await step("member's order shows what was allocated", async () => {
    await logout();
    await login(MEMBER, PASSWORD);
    await page.waitForURL('**/me');
    await page.goto(`${baseUrl}/me/orders`);
    await page.locator(`li[data-testid="my-order"][data-order-id="${orderId}"] a`).tap();
    await page.waitForURL(`**/market/orders/${orderId}`);
    const line = page.locator('tr[data-testid="order-line"]').filter({ hasText: TOMATOES });
    await line.waitFor();
    assert.equal((await line.getByTestId('allocated').textContent()).trim(), '3');
    assert.equal(await line.getAttribute('data-short'), 'true');
    assert.equal(Number(await line.getByTestId('final-amount').getAttribute('data-minor')), 3 * price);
    const order = await ok('GET', `/market/orders/${orderId}`);
    assert.equal(order.total, 3 * price + 50, 'the member pays for 3 and the point fee');
    assert.equal(Number(await page.getByTestId('order-total').getAttribute('data-minor')), order.total);
    await page.getByText('The delivery was shared out').waitFor();
    await screenshot('member-allocated');
  });

  assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
});

// Group buying and a fair-price contract, from the demo: the member of A
// Cesta opens the local cycle that feeds the Federación Galega's hub and
// sees an offer's volume tiers and the region's running demand; the
// coordinator (of the region, so of Hortas do Ulla) opens the producer's
// contracts and reads the contract's running balance: the advance, the
// repayment kept back from the settled cycle's delivery and the floor top-up.
test('a member sees tiers and group demand; the producer reads its contract balance', { timeout: 300_000 }, async () => {
  await step('member opens the regional local cycle and sees tiers and demand', async () => {
    await page.goto(`${baseUrl}/`);
    if ((await apiJson('/api/v1/me')).status === 200) await logout();
    await login(MEMBER, PASSWORD);
    await page.waitForURL('**/me');
    const cycles = await ok('GET', '/market/cycles?limit=50');
    const local = cycles.items.find((c) => c.state === 'open' && c.hub);
    assert.ok(local, 'the member may order in a local cycle feeding a hub');
    const demand = await ok('GET', `/market/cycles/${local.id}/demand`);
    const tiered = demand.offers.find((d) => d.demand > 0 && d.next_tier);
    assert.ok(tiered, 'an offer with demand still has a next tier');
    await page.goto(`${baseUrl}/market`);
    await page.locator(`li.cycle-card[data-cycle-id="${local.id}"] a`).tap();
    await page.waitForURL(`**/market/cycles/${local.id}`);
    await page.getByTestId('group-banner').getByText(local.hub.name, { exact: false }).waitFor();
    await page.getByLabel('Search products').fill(tiered.product_name);
    await page.getByRole('button', { name: 'Search', exact: true }).tap();
    const card = page.locator(`li[data-testid="offer"][data-offer-id="${tiered.offer_id}"]`);
    await card.waitFor();
    assert.ok((await card.getByTestId('tier').count()) >= 1, 'the offer lists its volume tiers');
    await card.getByTestId('tier').first().getByText(/^from \d+ units: /).waitFor();
    const note = card.getByTestId('group-demand');
    await note.getByText(`Ordered across the region: ${tiered.demand} units`).waitFor();
    assert.equal(Number(await note.getByTestId('units-to-next').getAttribute('data-short')), tiered.next_tier.units_short);
    await note.getByText(/more units to reach the next price/).waitFor();
    await card.scrollIntoViewIfNeeded();
    await screenshot('group-demand');
  });

  await step("member's settled order shows the tier's saving", async () => {
    // The demo's settled cycle (the first scenario settled another, without tiers).
    const mine = await ok('GET', '/market/my/orders?limit=50');
    let order = null;
    for (const o of mine.items.filter((x) => x.state === 'settled')) {
      const full = await ok('GET', `/market/orders/${o.id}`);
      if (full.saving > 0) order = full;
    }
    assert.ok(order, 'a volume tier applied to the demo member\'s settled order');
    const settled = order;
    await page.goto(`${baseUrl}/market/orders/${settled.id}`);
    await page.getByTestId('order-saving').waitFor();
    assert.equal(Number(await page.getByTestId('order-saving').getAttribute('data-minor')), order.saving);
    const saved = order.lines.find((l) => l.saving > 0);
    const row = page.locator(`tr[data-testid="order-line"][data-offer-id="${saved.offer_id}"]`);
    assert.equal(Number(await row.getByTestId('line-list-price').getAttribute('data-minor')), saved.list_price);
    assert.equal(Number(await row.getByTestId('line-saving').getAttribute('data-minor')), saved.saving);
    await screenshot('order-saving');
  });

  await step("the producer's contract page shows the running balance", async () => {
    await logout();
    await login(COORDINATOR, PASSWORD);
    await page.waitForURL('**/me');
    const products = await ok('GET', `/market/products?q=${encodeURIComponent('Grelos')}&limit=20`);
    const grelos = products.items.find((p) => p.name === 'Grelos');
    assert.ok(grelos, 'the demo catalog has grelos');
    const producerId = grelos.producer.org_id;
    await page.goto(`${baseUrl}/orgs/${producerId}/contracts`);
    const row = page.locator('li[data-testid="contract"]').first();
    await row.waitFor();
    await row.locator('a').first().tap();
    await page.waitForURL(/\/market\/contracts\/\d+$/);
    const id = Number(/contracts\/(\d+)$/.exec(page.url())[1]);
    const c = await ok('GET', `/market/contracts/${id}`);
    assert.equal(c.state, 'active');
    assert.equal(c.producer.org_id, producerId);
    const bal = page.getByTestId('contract-balance');
    await bal.waitFor();
    assert.equal(Number(await bal.getByTestId('bal-advanced').getAttribute('data-minor')), c.balance.advanced);
    assert.ok(c.balance.advanced > 0, 'an advance was paid');
    assert.ok(c.balance.repaid > 0, 'a delivery repaid part of it');
    assert.ok(c.balance.floor_paid > 0, 'a floor top-up was paid');
    assert.equal(Number(await bal.getByTestId('bal-outstanding').getAttribute('data-minor')), c.balance.advanced - c.balance.repaid);
    assert.equal(Number(await bal.getByTestId('bal-floor').getAttribute('data-minor')), c.balance.floor_paid);
    const entries = page.getByTestId('contract-entries');
    for (const kind of ['advance', 'repayment', 'floor', 'delivery']) {
      await entries.locator(`tr[data-kind="${kind}"]`).first().waitFor();
    }
    await page.getByTestId('contract-line').first().getByTestId('delivered-bar').waitFor();
    await screenshot('contract-balance');
  });

  assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
});
