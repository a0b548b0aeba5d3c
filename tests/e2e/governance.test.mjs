// The browser test of governance: on a phone-sized screen a demo member opens
// their co-op's decisions, casts a secret ballot on the motion in voting,
// copies the receipt and checks it was counted, joins the discussion, ranks
// the candidates of the STV board election by tapping (and reorders by
// dragging) and casts that ballot too, reads a past result with its bar chart,
// then the constitution in plain sentences. A second test has the demo
// coordinator write a majority motion in A Cesta through the new-proposal
// page, give notice and find it open, with the roll linked. Runs the real `agora` (demo data
// in a fresh SQLite file, web/dist served by it) and Debian's Chromium
// through playwright-core, as flow.test.mjs does; screenshots go to
// $AGORA_ARTIFACTS/e2e/governance/.
//
// It relies on the demo's governance data (src/app/demo_governance.cc): in
// the co-op of member@demo.agora.coop a secret majority motion and a secret
// STV election in voting, and at least one counted past proposal.
//
// Env: as flow.test.mjs (AGORA_BUILD, AGORA_ARTIFACTS, AGORA_TMP,
// AGORA_E2E_BASE_URL, AGORA_E2E_HEADFUL, AGORA_CHROMIUM).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { COORDINATOR, MEMBER, PASSWORD, e2e } from './harness.mjs';

const h = e2e({ name: 'governance', clipboard: true });
const { step, screenshot, apiJson, login, logout, pageErrors } = h;
let page;
let context;
let baseUrl;

before(async () => {
  await h.setup();
  ({ page, context, baseUrl } = h);
});

after(() => h.teardown());


const COUNTED = new Set(['passed', 'rejected', 'no_quorum']);

// The demo's governance data as the API sees it, in the member's co-ops.
async function findGovernance(memberMe) {
  const orgIds = memberMe.memberships.filter((m) => m.status === 'active').map((m) => m.org.id);
  for (const orgId of orgIds) {
    const cur = await apiJson(`/api/v1/orgs/${orgId}/proposals?filter=current&limit=100`);
    assert.equal(cur.status, 200, `GET proposals of org ${orgId}: ${JSON.stringify(cur.body)}`);
    const past = await apiJson(`/api/v1/orgs/${orgId}/proposals?filter=past&limit=100`);
    assert.equal(past.status, 200, `GET past proposals of org ${orgId}: ${JSON.stringify(past.body)}`);
    const details = [];
    for (const s of cur.body.items.filter((p) => p.status === 'voting')) {
      const d = await apiJson(`/api/v1/proposals/${s.id}`);
      assert.equal(d.status, 200);
      details.push(d.body);
    }
    const motion = details.find((p) => p.method === 'majority' && p.rule.secret);
    const election = details.find((p) => p.kind === 'election' && p.ballot_kind === 'ranking');
    const counted = past.body.items.find((p) => COUNTED.has(p.status));
    if (motion || election || counted) return { orgId, motion, election, counted };
  }
  return {};
}

test('a member votes by secret ballot, checks the receipt, ranks an election and reads results, on a phone', { timeout: 240_000 }, async () => {
  let memberMe;
  let gov;

  await step('member logs in', async () => {
    await login(MEMBER, PASSWORD);
    await page.waitForURL('**/me');
    const r = await apiJson('/api/v1/me');
    assert.equal(r.status, 200);
    memberMe = r.body;
    gov = await findGovernance(memberMe);
  });
  assert.ok(gov.orgId, "the demo member's co-op has governance data (a proposal in voting or a counted one)");
  assert.ok(gov.motion, 'the demo has a secret majority motion in voting in the member\'s co-op');
  assert.ok(gov.election, 'the demo has a ranked (STV) election in voting in the member\'s co-op');
  assert.ok(gov.counted, 'the demo has a counted past proposal in the member\'s co-op');

  await step('open the co-op decisions', async () => {
    await page.goto(`${baseUrl}/orgs/${gov.orgId}`);
    await page.getByRole('heading', { name: 'Decisions' }).waitFor();
    await screenshot('coop-page-decisions-link');
    await page.getByRole('link', { name: 'Proposals and elections' }).click();
    await page.waitForURL(`**/orgs/${gov.orgId}/decisions`);
    await page.locator(`li.proposal-row[data-proposal-id="${gov.motion.id}"]`).waitFor();
    await page.locator(`li.proposal-row[data-proposal-id="${gov.election.id}"]`).waitFor();
    await screenshot('decisions-current');
  });

  let receipt = '';
  await step('open the secret motion and cast a ballot', async () => {
    await page.locator(`li.proposal-row[data-proposal-id="${gov.motion.id}"] a.proposal-link`).tap();
    await page.waitForURL(`**/proposals/${gov.motion.id}`);
    await page.getByRole('heading', { level: 1, name: gov.motion.title }).waitFor();
    const rule = await page.getByTestId('rule').textContent();
    assert.match(rule, /secret ballot/, 'the rule in words says the ballot is secret');
    const form = page.locator('form.ballot');
    await form.waitFor();
    const cast = form.getByRole('button', { name: 'Cast my vote' });
    assert.equal(await cast.isDisabled(), true, 'nothing chosen yet: the cast button waits');
    await form.getByText('For', { exact: true }).tap();
    assert.equal(await form.getByRole('radio', { name: 'For' }).isChecked(), true);
    await screenshot('motion-ballot');
    await cast.tap();
    await page.getByTestId('receipt').waitFor();
    receipt = (await page.getByTestId('receipt-code').textContent()).trim();
    assert.match(receipt, /^[A-Z0-9]{4}(-[A-Z0-9]{4})+$/, `a receipt code: ${receipt}`);
    await screenshot('receipt');
  });

  await step('copy the receipt', async () => {
    await page.getByRole('button', { name: 'Copy the code' }).tap();
    await page.getByText('Copied.', { exact: true }).waitFor();
    const clip = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(clip, receipt, 'the clipboard holds the receipt code');
  });

  await step('check the receipt is counted', async () => {
    const form = page.locator('form.receipt-check');
    assert.equal(await form.getByLabel('Receipt code').inputValue(), receipt, 'the check form is filled in');
    await form.getByRole('button', { name: 'Check' }).tap();
    const result = page.getByTestId('receipt-result');
    await result.getByText('Your ballot is counted.').waitFor();
    await result.getByText(/The ballot under this code: For/).waitFor();
    await screenshot('receipt-checked');
    // The server refuses a second ballot from the same voter.
    const again = await page.evaluate(async (id) => {
      const r = await fetch(`/api/v1/proposals/${id}/ballots`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ ballot: { choice: 1 } }),
      });
      return r.status;
    }, gov.motion.id);
    assert.equal(again, 409, 'a second ballot is refused');
    // Reloaded, the page says the member has voted and offers the receipt check.
    await page.reload();
    await page.getByTestId('vote-state').getByText('You have voted on this proposal.').waitFor();
    assert.equal(await page.locator('form.ballot').count(), 0, 'no ballot form after voting');
  });

  await step('add a comment to the discussion', async () => {
    const text = `Good idea: the course fills every spring (${Date.now()}).`;
    await page.getByLabel('Add a comment').fill(text);
    await page.getByRole('button', { name: 'Post comment' }).tap();
    await page.locator('ol.comment-list li.comment').getByText(text).waitFor();
    assert.equal(await page.getByLabel('Add a comment').inputValue(), '', 'the box is emptied after posting');
    await screenshot('comment');
  });

  await step('rank the election candidates by tapping, reorder, and cast', async () => {
    await page.goto(`${baseUrl}/proposals/${gov.election.id}`);
    await page.getByRole('heading', { level: 1, name: gov.election.title }).waitFor();
    const form = page.locator('form.ballot[data-ballot-kind="ranking"]');
    await form.waitFor();
    const names = gov.election.options;
    assert.ok(names.length >= 2, 'the election has at least two candidates');
    const ranked = form.locator('ol.ranked > li .rank-name');
    // An unranked candidate's button reads "Rank number n: <name>".
    const escape = (x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const unranked = (name) => form.locator('ul.unranked').getByRole('button', { name: new RegExp(`: ${escape(name)}$`) });
    // Tap the last candidate first, then the first: the ranking follows the taps.
    await unranked(names[names.length - 1]).tap();
    await unranked(names[0]).tap();
    assert.deepEqual(await ranked.allTextContents(), [names[names.length - 1], names[0]]);
    // The arrows reorder.
    await form.getByRole('button', { name: `Move ${names[0]} up` }).tap();
    assert.deepEqual(await ranked.allTextContents(), [names[0], names[names.length - 1]]);
    if (names.length >= 3) {
      await unranked(names[1]).tap();
      // Drag the third back to the top by its handle (pointer events, as a finger would).
      const handle = form.locator('ol.ranked > li').nth(2).locator('.drag-handle');
      const top = await form.locator('ol.ranked > li').first().boundingBox();
      const box = await handle.boundingBox();
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2, top.y + 2, { steps: 8 });
      await page.mouse.up();
      assert.deepEqual(await ranked.allTextContents(), [names[1], names[0], names[names.length - 1]], 'dragging moved the candidate to the top');
    }
    await screenshot('election-ranked');
    const expected = await ranked.allTextContents();
    await form.getByRole('button', { name: 'Cast my vote' }).tap();
    await page.getByTestId('receipt').waitFor();
    const code = (await page.getByTestId('receipt-code').textContent()).trim();
    const check = await apiJson(`/api/v1/proposals/${gov.election.id}/receipts/${code}`);
    assert.equal(check.status, 200);
    assert.equal(check.body.counted, true);
    assert.deepEqual(
      check.body.ballot.ranking.map((i) => names[i]),
      expected,
      'the counted ballot is the ranking on screen',
    );
    await screenshot('election-receipt');
  });

  await step('past results show the bar chart and the decision', async () => {
    await page.goto(`${baseUrl}/orgs/${gov.orgId}/decisions`);
    await page.getByRole('button', { name: 'Past' }).tap();
    const row = page.locator(`li.proposal-row[data-proposal-id="${gov.counted.id}"]`);
    await row.waitFor();
    await screenshot('decisions-past');
    await row.locator('a.proposal-link').tap();
    await page.waitForURL(`**/proposals/${gov.counted.id}`);
    const results = page.locator('section.results[data-final="true"]');
    await results.waitFor();
    const decision = results.getByTestId('decision');
    await decision.waitFor();
    assert.ok((await decision.textContent()).trim().length > 0, 'the decision says why');
    const bars = results.getByTestId('bars').first().locator('li');
    assert.ok((await bars.count()) >= 2, 'one bar per option');
    const widths = await results.getByTestId('bars').first().locator('.bar-fill').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
    assert.ok(widths.some((w) => w > 0), `the bars are drawn: ${widths}`);
    await screenshot('past-results');
  });

  await step('the constitution reads in plain sentences', async () => {
    await page.goto(`${baseUrl}/orgs/${gov.orgId}/constitution`);
    await page.getByRole('heading', { name: 'Who decides what' }).waitFor();
    const sentences = await page.locator('li.domain-rule').allTextContents();
    assert.ok(sentences.length > 0, 'at least one domain');
    assert.ok(sentences.every((s) => /voting open \d+ days?/.test(s)), `every rule names its voting window: ${sentences[0]}`);
    const link = page.getByRole('link', { name: 'Download the constitution (TOML)' });
    assert.equal(await link.getAttribute('href'), `/api/v1/orgs/${gov.orgId}/constitution.toml`);
    await screenshot('constitution');
  });

  assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
});

// A coordinator (of the federation above A Cesta, and a member there) writes a
// majority motion through the new-proposal page, gives notice on its page and
// sees it in notice, with the roll fixed and linked for coordinators.
test('a coordinator writes a motion, gives notice and sees it open, on a phone', { timeout: 60_000 }, async () => {
  let coop;
  const title = `Longer opening hours on Saturdays (${Date.now()})`;

  await step('coordinator logs in', async () => {
    await context.clearCookies();
    await login(COORDINATOR, PASSWORD);
    await page.waitForURL('**/me');
    const r = await apiJson('/api/v1/me');
    assert.equal(r.status, 200);
    coop = r.body.memberships.find((m) => m.status === 'active' && /A Cesta/.test(m.org.name))?.org;
    assert.ok(coop, 'the demo coordinator is a member of A Cesta');
  });

  await step('open the new-proposal page from the decisions', async () => {
    await page.goto(`${baseUrl}/orgs/${coop.id}/decisions`);
    await page.getByRole('link', { name: 'New proposal' }).tap();
    await page.waitForURL(`**/orgs/${coop.id}/proposals/new`);
    await page.getByRole('heading', { level: 1, name: 'New proposal' }).waitFor();
  });

  let proposalId = 0;
  await step('write a majority motion and save the draft', async () => {
    await page.getByLabel('What is it about?').selectOption({ label: 'Market policy' });
    const rule = page.getByTestId('who-decides');
    await rule.waitFor();
    assert.match(await rule.textContent(), /simple majority/, `the rule in words: ${await rule.textContent()}`);
    // A majority vote has fixed options: no options editor.
    assert.equal(await page.locator('fieldset.options-editor').count(), 0, 'no options for a majority motion');
    await page.getByLabel('Title', { exact: true }).fill(title);
    await page.getByLabel('Text of the proposal').fill('Open until 20:00 on Saturdays from next month.');
    await screenshot('new-proposal');
    await page.getByRole('button', { name: 'Save the draft' }).tap();
    await page.waitForURL(/\/proposals\/\d+$/);
    proposalId = Number(new URL(page.url()).pathname.split('/').pop());
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    await page.locator('article.proposal[data-status="draft"]').waitFor();
  });

  await step('give notice: the motion is open', async () => {
    await page.getByRole('button', { name: 'Give notice and open' }).tap();
    await page.locator('article.proposal[data-status="open"], article.proposal[data-status="voting"]').waitFor();
    await page.getByText('Notice was given.').waitFor();
    const r = await apiJson(`/api/v1/proposals/${proposalId}`);
    assert.equal(r.status, 200);
    assert.ok(['open', 'voting'].includes(r.body.status), `status after notice: ${r.body.status}`);
    assert.equal(r.body.method, 'majority');
    assert.equal(r.body.kind, 'motion');
    await screenshot('new-proposal-open');
  });

  await step('the roll is linked for coordinators', async () => {
    await page.getByRole('link', { name: 'The roll (who may vote)' }).tap();
    await page.waitForURL(`**/proposals/${proposalId}/roll`);
    await page.locator('table.roll-table tbody tr').first().waitFor();
    await screenshot('roll');
  });

  assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
});
