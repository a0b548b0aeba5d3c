// What the browser tests share: start the real `agora` on a fresh SQLite
// file loaded with the demo (web/dist served by it), drive Debian's Chromium
// through playwright-core on a phone-sized touch screen, name each step of
// the story and keep a screenshot of it (and of any failing step) under
// $AGORA_ARTIFACTS/e2e/<name>/.
//
// Env: AGORA_BUILD (dir holding the agora binary, default <repo>/build),
// AGORA_ARTIFACTS (default tests/e2e/artifacts), AGORA_TMP (scratch),
// AGORA_E2E_BASE_URL (use an already running server instead of starting one),
// AGORA_E2E_HEADFUL=1 (watch it under a display).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const build = resolve(process.env.AGORA_BUILD || join(root, 'build'));
const webDist = join(root, 'web', 'dist');

export const MEMBER = 'member@demo.agora.coop';
export const COORDINATOR = 'coordinator@demo.agora.coop';
export const PASSWORD = 'agora-demo';
const STEP_TIMEOUT_MS = 15_000;

// One browser test file's server, browser and artifacts. `name` is its
// artifacts folder ('' for e2e/ itself); `clipboard` grants the page
// clipboard access (the receipt's copy button).
export function e2e({ name = '', clipboard = false } = {}) {
  const artifacts = join(
    process.env.AGORA_ARTIFACTS ? join(resolve(process.env.AGORA_ARTIFACTS), 'e2e') : join(here, 'artifacts'),
    name,
  );
  const scratch = mkdtempSync(join(process.env.AGORA_TMP || tmpdir(), `agora-e2e-${name || 'flow'}-`));
  mkdirSync(artifacts, { recursive: true });

  let server = null; // child process of `agora serve`
  let baseUrl = process.env.AGORA_E2E_BASE_URL || '';
  let context = null;
  let page = null;
  let shot = 0;
  const pageErrors = [];

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

  // The demo into `file`. Under `make test` (AGORA_TMP set, fresh per run)
  // the first test file loads it into a template there and every file
  // starts from a copy of it, so the run loads the demo once; otherwise
  // each file loads its own.
  async function loadDemo(agora, file) {
    const shared = process.env.AGORA_TMP ? join(process.env.AGORA_TMP, 'e2e-demo.db') : '';
    if (shared && existsSync(shared)) {
      copyFileSync(shared, file);
      return;
    }
    await run(agora, ['demo', '--db', `sqlite:${file}`], { log: 'demo.log', timeoutMs: 300_000 });
    // Closed cleanly, the database is one file (no -wal left); a copy made
    // under another name and renamed into place is never seen half written.
    if (shared && !existsSync(`${file}-wal`)) {
      const part = `${shared}.${process.pid}`;
      copyFileSync(file, part);
      renameSync(part, shared);
    }
  }

  async function startServer() {
    const agora = join(build, 'agora');
    assert.ok(existsSync(agora), `no agora binary at ${agora} (set AGORA_BUILD)`);
    assert.ok(existsSync(join(webDist, 'index.html')), `no ${webDist}/index.html: run npm run build in web/`);
    const file = join(scratch, 'e2e.db');
    await loadDemo(agora, file);
    const db = `sqlite:${file}`;
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

  // Any API call from inside the page (with its session cookie), under
  // /api/v1: {status, body} (the body parsed when it is JSON, else its text).
  async function call(method, path, body) {
    return page.evaluate(
      async ({ method, path, body }) => {
        const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
        if (body !== undefined) {
          init.headers['Content-Type'] = 'application/json';
          init.body = JSON.stringify(body);
        }
        const r = await fetch(`/api/v1${path}`, init);
        const text = await r.text();
        let json = null;
        try {
          json = text ? JSON.parse(text) : null;
        } catch {
          json = text;
        }
        return { status: r.status, body: json };
      },
      { method, path, body },
    );
  }

  // call() that must answer one of `want`; returns the body.
  async function ok(method, path, body, want = [200, 201]) {
    const r = await call(method, path, body);
    assert.ok(want.includes(r.status), `${method} ${path}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  // The ledger account of (holder, kind[, person]) in the org, opened when missing.
  async function ensureAccount(orgId, holder, kind, personId) {
    const find = async () => {
      const list = await ok('GET', `/orgs/${orgId}/accounts?limit=200`);
      return list.items.find(
        (a) => a.holder === holder && a.kind === kind && (personId === undefined || a.person_id === personId),
      );
    };
    const have = await find();
    if (have) return have;
    const body = { holder, kind };
    if (personId !== undefined) body.person_id = personId;
    const r = await call('POST', `/orgs/${orgId}/accounts`, body);
    if (r.status === 201) return r.body;
    const again = await find();
    assert.ok(again, `open ${holder}/${kind} in org ${orgId}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
    return again;
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

  async function setup() {
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
    if (clipboard) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => pageErrors.push(String(e)));
  }

  async function teardown() {
    try {
      if (context) await context.close();
    } finally {
      await stopServer();
      rmSync(scratch, { recursive: true, force: true });
    }
  }

  return {
    setup,
    teardown,
    step,
    screenshot,
    apiJson,
    call,
    ok,
    ensureAccount,
    login,
    logout,
    pageErrors,
    get page() {
      return page;
    },
    get context() {
      return context;
    },
    get baseUrl() {
      return baseUrl;
    },
  };
}
