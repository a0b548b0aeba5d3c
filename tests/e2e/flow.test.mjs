// The browser test: a demo member walks the federation tree on a phone-sized
// screen, applies to join a co-op, a coordinator admits them, and the member's
// own page then shows the active membership. Runs the real `agora` (demo data
// in a fresh SQLite file, web/dist served by it) and Debian's Chromium through
// playwright-core; keeps a screenshot of every step in $AGORA_ARTIFACTS/e2e/.
//
// Env: AGORA_BUILD (dir holding the agora binary, default <repo>/build),
// AGORA_ARTIFACTS (default tests/e2e/artifacts), AGORA_TMP (scratch),
// AGORA_E2E_BASE_URL (use an already running server instead of starting one),
// AGORA_E2E_HEADFUL=1 (watch it under a display).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { COORDINATOR, MEMBER, PASSWORD, e2e } from './harness.mjs';

const PERSON_KINDS = new Set(['consumer', 'worker', 'producer', 'multi_stakeholder', 'informal']);

const h = e2e({ name: '', clipboard: false });
const { step, screenshot, apiJson, login, logout, pageErrors } = h;
let page;
let context;
let baseUrl;

before(async () => {
  await h.setup();
  ({ page, context, baseUrl } = h);
});

after(() => h.teardown());

test('a member applies to a co-op and a coordinator admits them, on a phone', { timeout: 180_000 }, async () => {
  let memberMe;
  let target; // { id, name } of the co-op applied to

  await step('wrong password shows the error', async () => {
    await login(MEMBER, 'not-the-password');
    await page.getByRole('alert').getByText('Wrong email or password.').waitFor();
    await screenshot('login-error');
  });

  await step('member logs in', async () => {
    await login(MEMBER, PASSWORD);
    await page.waitForURL('**/me');
    await page.getByRole('heading', { name: 'My memberships' }).waitFor();
    const r = await apiJson('/api/v1/me');
    assert.equal(r.status, 200);
    memberMe = r.body;
    assert.ok(
      memberMe.memberships.some((m) => m.status === 'active'),
      'the demo member has an active membership',
    );
    await screenshot('member-own-page');
  });

  await step('walk the tree to a co-op of the first region', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Federations' }).click();
    const tree = page.locator('ul.tree');
    await tree.waitFor();
    const rootNode = tree.locator(':scope > li.tree-node').first();
    const rootToggle = rootNode.locator(':scope > .tree-row > button.tree-toggle');
    if ((await rootToggle.getAttribute('aria-expanded')) !== 'true') await rootToggle.click();
    const region = rootNode.locator(':scope > div > ul.tree-list > li.tree-node').first();
    await region.waitFor();
    const regionToggle = region.locator(':scope > .tree-row > button.tree-toggle');
    if ((await regionToggle.getAttribute('aria-expanded')) !== 'true') await regionToggle.click();
    const coops = region.locator(':scope > div > ul.tree-list > li.tree-node');
    await coops.first().waitFor();

    const mine = new Set(memberMe.memberships.map((m) => m.org.id));
    const candidates = await coops.evaluateAll((els) =>
      els.map((el) => ({
        id: Number(el.dataset.orgId),
        kind: el.dataset.kind,
        name: el.querySelector('.tree-name')?.textContent ?? '',
      })),
    );
    target =
      candidates.find((c) => c.kind === 'consumer' && !mine.has(c.id)) ??
      candidates.find((c) => PERSON_KINDS.has(c.kind) && !mine.has(c.id));
    assert.ok(target, `no co-op in the first region that the member does not belong to: ${JSON.stringify(candidates)}`);
    await screenshot('tree-first-region');
    await region.locator(`li.tree-node[data-org-id="${target.id}"] > .tree-row a.tree-link`).click();
    await page.waitForURL(`**/orgs/${target.id}`);
    await page.getByRole('heading', { level: 1, name: target.name }).waitFor();
    await page.getByRole('heading', { name: 'Member classes' }).waitFor();
    await screenshot('coop-page');
  });

  await step('apply to join', async () => {
    const form = page.locator('form#apply');
    await form.waitFor();
    const select = form.getByLabel('Member class');
    const firstClass = await select.locator('option').first().getAttribute('value');
    await select.selectOption(firstClass);
    const shares = form.getByLabel('Number of shares');
    const min = Number(await shares.getAttribute('min'));
    await shares.fill(String(min + 1));
    await form.getByText('Share capital to subscribe:').waitFor();
    await screenshot('apply-form');
    await form.getByRole('button', { name: 'Send application' }).click();
    await page.getByText(/Your application has been sent|You are now a member/).waitFor();
    await page.getByTestId('my-status').waitFor();
    const r = await apiJson('/api/v1/me');
    const m = r.body.memberships.find((x) => x.org.id === target.id);
    assert.ok(m, 'the new membership is listed on /api/v1/me');
    assert.equal(m.status, 'applied', 'the demo co-op admits by coordinator, so the application waits');
    target.membershipId = m.id;
    await screenshot('applied');
  });

  await step('member logs out', async () => {
    await logout();
    await screenshot('logged-out');
  });

  await step('coordinator admits the applicant', async () => {
    await login(COORDINATOR, PASSWORD);
    await page.waitForURL('**/me');
    await page.goto(`${baseUrl}/orgs/${target.id}`);
    await page.getByRole('heading', { level: 1, name: target.name }).waitFor();
    await page.getByRole('link', { name: 'Admissions' }).click();
    await page.waitForURL(`**/orgs/${target.id}/admissions`);
    const card = page.locator(`li.application[data-membership-id="${target.membershipId}"]`);
    await card.waitFor();
    await screenshot('admissions-queue');
    await card.getByRole('button', { name: 'Admit' }).click();
    await page.getByText(/was admitted\./).waitFor();
    await card.waitFor({ state: 'detached' });
    await screenshot('admitted');

    // The member list, paged: the first page is full of the co-op's active members.
    await page.getByRole('navigation', { name: 'You are here' }).getByRole('link', { name: target.name }).click();
    await page.getByRole('link', { name: 'Member list' }).click();
    await page.waitForURL(`**/orgs/${target.id}/members`);
    const rows = page.locator('table.rows tbody tr');
    await rows.first().waitFor();
    assert.ok((await rows.count()) > 0, 'the member list shows active members');
    await screenshot('member-list');
    await logout();
  });

  await step('member sees the active membership', async () => {
    await login(MEMBER, PASSWORD);
    await page.waitForURL('**/me');
    const card = page.locator(`li.membership[data-org-id="${target.id}"]`);
    await card.waitFor();
    assert.equal(await card.getAttribute('data-status'), 'active');
    await card.getByText('Active').waitFor();
    const number = (await card.getByTestId('member-number').textContent()).trim();
    assert.notEqual(number, '—', 'an admitted member has a member number');
    await screenshot('member-active');
  });

  await step('switch the language to Spanish', async () => {
    await page.getByLabel('Language').selectOption('es');
    await page.getByRole('heading', { name: 'Mis cooperativas' }).waitFor();
    await page.getByRole('button', { name: 'Salir' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'es');
    await page.reload();
    // The choice is remembered.
    await page.getByLabel('Idioma').waitFor();
    await page.getByRole('heading', { name: 'Mis cooperativas' }).waitFor();
    await screenshot('member-active-es');
  });

  assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
});
