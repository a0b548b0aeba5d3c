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
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const build = resolve(process.env.AGORA_BUILD || join(root, 'build'));
const artifacts = process.env.AGORA_ARTIFACTS
  ? join(resolve(process.env.AGORA_ARTIFACTS), 'e2e')
  : join(here, 'artifacts');
const webDist = join(root, 'web', 'dist');
const scratch = mkdtempSync(join(process.env.AGORA_TMP || tmpdir(), 'agora-e2e-'));

const MEMBER = 'member@demo.agora.coop';
const COORDINATOR = 'coordinator@demo.agora.coop';
const PASSWORD = 'agora-demo';
const PERSON_KINDS = new Set(['consumer', 'worker', 'producer', 'multi_stakeholder', 'informal']);
const STEP_TIMEOUT_MS = 15_000;

// Chromium as Debian ships it; the networking flags keep it from calling hosts
// this machine cannot reach (see /work/shared/ENVIRONMENT.md).
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

let server = null; // child process of `agora serve`
let baseUrl = process.env.AGORA_E2E_BASE_URL || '';
let context = null;
let page = null;
let shot = 0;
const pageErrors = [];

mkdirSync(artifacts, { recursive: true });

function run(cmd, args, opts = {}) {
  return new Promise((res, rej) => {
    const log = createWriteStream(join(artifacts, opts.log || 'command.log'), { flags: 'a' });
    log.write(`$ ${cmd} ${args.join(' ')}\n`);
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } });
    p.stdout.pipe(log, { end: false });
    p.stderr.pipe(log, { end: false });
    const timer = setTimeout(() => p.kill('SIGKILL'), opts.timeoutMs || 600_000);
    p.on('error', rej);
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      log.end();
      code === 0 ? res() : rej(new Error(`${cmd} ${args[0]} exited with ${code ?? signal}; see ${log.path}`));
    });
  });
}

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

// Why the server process is no longer running, or '' while it runs.
function serverGone(child) {
  if (child.exitCode !== null) return `exited with status ${child.exitCode}`;
  if (child.signalCode !== null) return `was killed by ${child.signalCode}`;
  return '';
}

async function waitHealthy(url, child, deadlineMs) {
  const until = Date.now() + deadlineMs;
  let last = '';
  while (Date.now() < until) {
    if (child && serverGone(child)) throw new Error(`agora serve ${serverGone(child)}; see ${join(artifacts, 'server.log')}`);
    try {
      const r = await fetch(`${url}/api/v1/health`);
      if (r.ok) return;
      last = `HTTP ${r.status}`;
    } catch (e) {
      last = String(e.cause?.code || e.message);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server at ${url} not healthy after ${deadlineMs} ms (${last})`);
}

async function startServer() {
  const agora = join(build, 'agora');
  assert.ok(existsSync(agora), `no agora binary at ${agora} (set AGORA_BUILD)`);
  assert.ok(existsSync(join(webDist, 'index.html')), `no ${webDist}/index.html: run npm run build in web/`);
  const db = `sqlite:${join(scratch, 'e2e.db')}`;
  await run(agora, ['demo', '--db', db], { log: 'demo.log', timeoutMs: 300_000 });
  const port = await freePort();
  const log = createWriteStream(join(artifacts, 'server.log'));
  server = spawn(agora, ['serve', '--db', db, '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, AGORA_WEB_DIR: webDist, AGORA_PORT: String(port) },
    // Its own process group, so the kill at the end reaches anything it starts.
    detached: true,
  });
  server.stdout.pipe(log);
  server.stderr.pipe(log);
  baseUrl = `http://127.0.0.1:${port}`;
  await waitHealthy(baseUrl, server, 30_000);
}

function stopServer() {
  if (!server || serverGone(server)) return Promise.resolve();
  return new Promise((res) => {
    const done = setTimeout(() => {
      try {
        process.kill(-server.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
      res();
    }, 5_000);
    server.once('exit', () => {
      clearTimeout(done);
      res();
    });
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {
      clearTimeout(done);
      res();
    }
  });
}

// Whatever happens to the test runner, the server must not outlive it.
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    try {
      if (server && !serverGone(server)) process.kill(-server.pid, 'SIGKILL');
    } finally {
      process.exit(130);
    }
  });
}
process.on('exit', () => {
  if (server && !serverGone(server)) {
    try {
      process.kill(-server.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

async function screenshot(name) {
  shot += 1;
  const file = join(artifacts, `${String(shot).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

// One named step of the story; a failing step leaves a screenshot behind.
async function step(name, fn) {
  try {
    await fn();
  } catch (e) {
    try {
      await screenshot(`FAILED-${name}`);
    } catch {
      // The page may be gone; the error below still says what broke.
    }
    const gone = server ? serverGone(server) : '';
    const why = gone ? `\n  (agora serve ${gone}; see ${join(artifacts, 'server.log')})` : '';
    throw new Error(`step "${name}": ${e.message}${why}`, { cause: e });
  }
}

async function apiJson(path) {
  // Asked from inside the page, so it carries the page's session cookie.
  return page.evaluate(async (p) => {
    const r = await fetch(p, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    return { status: r.status, body: r.status === 204 ? null : await r.json() };
  }, path);
}

async function login(email, password) {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

async function logout() {
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL('**/login');
  const me = await apiJson('/api/v1/me');
  assert.equal(me.status, 401, 'after logout /api/v1/me must answer 401');
}

before(async () => {
  if (!baseUrl) await startServer();
  context = await chromium.launchPersistentContext(mkdtempSync(join(scratch, 'chromium-')), {
    executablePath: process.env.AGORA_CHROMIUM || '/usr/bin/chromium',
    headless: process.env.AGORA_E2E_HEADFUL !== '1',
    args: CHROMIUM_ARGS,
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'en-GB',
    colorScheme: 'light',
  });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => pageErrors.push(String(e)));
});

after(async () => {
  try {
    if (context) await context.close();
  } finally {
    await stopServer();
    rmSync(scratch, { recursive: true, force: true });
  }
});

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
