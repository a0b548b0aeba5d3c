// The ledger's crash test: a steady write load against a real `agora serve`
// while the server is killed with SIGKILL at random moments and restarted on
// the same database. What the server acknowledged (2xx) must survive every
// crash exactly; a request in flight at a kill must be applied whole or not
// at all (a linked batch all or none, a post together with its pending hold's
// state); balances must equal the sums of their transfers; and the database
// must pass `agora ledger check` and `agora verify` while the server is down.
//
// Usage: node crash.mjs --engine sqlite|postgres --db URL --agora PATH
//          [--kills 6] [--clients 16] [--seed N] [--artifacts DIR]
// The database must be empty: the driver loads the demo federation into it,
// signs in as the demo coordinator, and opens one external bank account and
// ~50 member current accounts in one consumer co-op. Exits non-zero naming
// what broke; the server's log and a record of every request sent are kept
// in --artifacts.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: opt } = parseArgs({
  options: {
    engine: { type: 'string' },
    db: { type: 'string' },
    agora: { type: 'string' },
    kills: { type: 'string', default: '6' },
    clients: { type: 'string', default: '16' },
    seed: { type: 'string', default: process.env.AGORA_CRASH_SEED || '' },
    artifacts: { type: 'string', default: '' },
  },
});
for (const k of ['engine', 'db', 'agora']) {
  if (!opt[k]) {
    console.error(`crash: --${k} is required`);
    process.exit(2);
  }
}
const ENGINE = opt.engine;
const DB = opt.db;
const AGORA = opt.agora;
const KILLS = Number(opt.kills);
const CLIENTS = Number(opt.clients);
const MEMBERS = 50;
const KILL_DELAY_MS = [300, 1500];
const REQUEST_TIMEOUT_MS = 45_000;
const ARTIFACTS = opt.artifacts || join(process.env.AGORA_TMP || '/tmp', `agora-crash-${ENGINE}`);
mkdirSync(ARTIFACTS, { recursive: true });
const SERVER_LOG = join(ARTIFACTS, 'server.log');
const serverLog = createWriteStream(SERVER_LOG, { flags: 'w' });

// ---- randomness: seeded, so a failing run's choices can be replayed
// (timing, and so the kill points, still differ).
const SEED = opt.seed ? Number(opt.seed) >>> 0 : (Math.random() * 2 ** 32) >>> 0;
let rngState = SEED;
function rand() {
  // mulberry32
  rngState = (rngState + 0x6d2b79f5) >>> 0;
  let t = rngState;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const randInt = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1)); // inclusive
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const PREFIX = `crash${ENGINE[0]}${SEED.toString(36)}`; // keys: [A-Za-z0-9._:-], <= 64

// ---- failures

class Broken extends Error {}
const problems = [];
function problem(msg) {
  problems.push(msg);
}
function throwIfProblems(when) {
  if (problems.length === 0) return;
  const shown = problems.slice(0, 25).map((p) => `  - ${p}`).join('\n');
  const more = problems.length > 25 ? `\n  (${problems.length - 25} more)` : '';
  throw new Broken(`${when}: ${problems.length} problem(s)\n${shown}${more}`);
}

// ---- child processes

function run(args, { timeoutMs = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn(AGORA, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('error', reject);
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? signal, out, err });
    });
  });
}

let server = null; // { child, base, gen, killed, exited }
let generation = 0;
let serverDown = true; // set before a kill: errors after it are expected

function startServer() {
  generation += 1;
  serverLog.write(`\n---- start ${generation}\n`);
  const child = spawn(
    AGORA,
    ['serve', '--db', DB, '--host', '127.0.0.1', '--port', '0', '--log-level', 'warning', '--log-format', 'json'],
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  const s = { child, base: '', gen: generation, killed: false, exited: null, agent: new http.Agent({ keepAlive: true, maxSockets: 64 }) };
  server = s;
  child.stderr.on('data', (d) => serverLog.write(d));
  child.on('exit', (code, signal) => {
    s.exited = code ?? signal;
    if (!s.killed) problem(`agora serve (start ${s.gen}) exited by itself with ${s.exited}; see ${SERVER_LOG}`);
  });
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Broken(`agora serve printed no "serving" line in 30 s; see ${SERVER_LOG}`)), 30_000);
    child.stdout.on('data', (d) => {
      serverLog.write(d);
      if (s.base) return;
      buf += d;
      const m = /agora: serving (http:\/\/\S+)/.exec(buf);
      if (m) {
        clearTimeout(timer);
        s.base = m[1].replace(/\/$/, '');
        resolve(s);
      }
    });
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Broken(`agora serve exited with ${s.exited} before serving; see ${SERVER_LOG}`));
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  }).then(async (s2) => {
    const r = await exchange('GET', '/api/v1/health', undefined, false);
    if (r.status !== 200) throw new Broken(`health check after start ${s2.gen}: HTTP ${r.status}`);
    serverDown = false;
    return s2;
  });
}

function waitExit(s) {
  if (s.exited !== null) return Promise.resolve();
  return new Promise((r) => s.child.once('exit', r));
}

async function killServer(signal) {
  const s = server;
  serverDown = true;
  s.killed = true;
  try {
    process.kill(s.child.pid, signal);
  } catch {
    // Already gone: its exit handler has said so.
  }
  const t = setTimeout(() => {
    try {
      process.kill(s.child.pid, 'SIGKILL');
    } catch {
      // Gone.
    }
  }, 15_000);
  await waitExit(s);
  clearTimeout(t);
  s.agent.destroy();
}

// The server must not outlive the driver, whatever happens.
function killAtExit() {
  if (server && server.exited === null) {
    try {
      process.kill(server.child.pid, 'SIGKILL');
    } catch {
      // Gone.
    }
  }
}
process.on('exit', killAtExit);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    killAtExit();
    process.exit(130);
  });
}

// ---- HTTP

let token = '';

// One HTTP exchange on the current server's own keep-alive agent (a fresh one
// per start, so no socket of a killed server is ever reused). Resolves with
// {status, text} once the status line has arrived (bodyError set if the body
// was then cut short); rejects when no status line arrived.
function exchange(method, path, body, auth = true) {
  const s = server;
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const headers = { 'content-type': 'application/json' };
    if (auth) headers.authorization = `Bearer ${token}`;
    if (data !== undefined) headers['content-length'] = Buffer.byteLength(data);
    const req = http.request(`${s.base}${path}`, { method, headers, agent: s.agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode, text }));
      res.on('error', (e) => resolve({ status: res.statusCode, text, bodyError: e.code || e.message }));
      res.on('aborted', () => resolve({ status: res.statusCode, text, bodyError: 'aborted' }));
    });
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no answer in ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(data);
  });
}
const parse = (text) => {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
};

async function api(method, path, body) {
  const r = await exchange(method, path, body);
  return { status: r.status, body: parse(r.text), text: r.text };
}
async function apiOk(method, path, body, want = [200, 201]) {
  const r = await api(method, path, body);
  if (!want.includes(r.status)) throw new Broken(`${method} ${path}: HTTP ${r.status} ${r.text.slice(0, 400)}`);
  return r.body;
}

// Runs fn over xs with at most `width` at once.
async function pool(xs, width, fn) {
  let i = 0;
  const worker = async () => {
    while (i < xs.length) {
      const x = xs[i++];
      await fn(x);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, xs.length) }, worker));
}

// ---- the record of every write sent
//
// op: { n, kind, path, body, items: [{ key, expect, id }], status:
//       'inflight'|'acked'|'refused'|'unknown', gen (the server start it
//       was sent to), present (unknown ones, once checked), checked, hold (a
//       post/void: its pending op) }
// expect: { action, debit, credit, amount (null: not known in advance),
//           pending, memo, pending_id, pending_amount }
const ops = [];
const byKey = new Map(); // key -> { op, item }
const inflight = new Set(); // promises of requests on the wire
let keySeq = 0;
const newKey = (tag) => `${PREFIX}-${tag}${(keySeq += 1)}`;
const counts = { acked: 0, ackedTransfers: 0, refused: 0, unknown: 0, unknownApplied: 0, replays: 0, sent: 0 };

function newOp(kind, path, body, items) {
  const op = { n: ops.length, kind, path, body, items, status: 'new', gen: 0, present: null, checked: false };
  ops.push(op);
  for (const item of items) byKey.set(item.key, { op, item });
  return op;
}

// Sends one recorded write and settles its status. Returns the response body
// when acknowledged, else null.
async function send(op) {
  op.status = 'inflight';
  op.gen = server.gen;
  counts.sent += 1;
  const p = (async () => {
    let res;
    try {
      res = await exchange('POST', op.path, op.body);
    } catch (e) {
      op.status = 'unknown';
      op.error = String(e.code || e.message);
      counts.unknown += 1;
      // Only a kill may cut a request short.
      if (!serverDown) problem(`op ${op.n} (${op.kind}) failed while the server was up: ${op.error}`);
      return null;
    }
    // The status line arrived, so the outcome is known even if the body was cut.
    const text = res.text;
    const json = parse(text);
    op.http = res.status;
    if (res.status === 201) {
      op.status = 'acked';
      counts.acked += 1;
      counts.ackedTransfers += op.items.length;
      const got = json && (Array.isArray(json.items) ? json.items : [json]);
      if (got && got.length === op.items.length) got.forEach((t, i) => (op.items[i].id = t.id));
      return json;
    }
    if (res.status === 422 && json && json.code === 'rule_violation') {
      op.status = 'refused';
      op.code = json.code;
      counts.refused += 1;
      return null;
    }
    // Anything else is a bug in the server or in this driver; the outcome is
    // treated as unknown so that the checks still run.
    op.status = 'unknown';
    op.error = `HTTP ${res.status}`;
    counts.unknown += 1;
    problem(`op ${op.n} (${op.kind} ${op.path} ${JSON.stringify(op.body).slice(0, 200)}): HTTP ${res.status} ${text.slice(0, 300)}`);
    return null;
  })();
  inflight.add(p);
  try {
    return await p;
  } finally {
    inflight.delete(p);
  }
}

// ---- the load

let gateOpen = false;
let stopping = false;
let gateWaiters = [];
function openGate() {
  gateOpen = true;
  for (const w of gateWaiters.splice(0)) w();
}
function closeGate() {
  gateOpen = false;
}
async function passGate() {
  while (!gateOpen && !stopping) await new Promise((r) => gateWaiters.push(r));
  return !stopping;
}

let bank = 0; // the external bank account's id
let members = []; // member current account ids

// Amounts in cents: mostly small, sometimes large enough to overspend.
function amount() {
  const r = rand();
  if (r < 0.6) return randInt(100, 5_000);
  if (r < 0.9) return randInt(5_000, 40_000);
  return randInt(40_000, 200_000);
}
function twoMembers() {
  const a = pick(members);
  let b = pick(members);
  while (b === a) b = pick(members);
  return [a, b];
}
function createItem(tag, debit, credit, amt, pending = false) {
  const key = newKey(tag);
  const memo = `crash ${tag}`;
  const body = { key, debit_account_id: debit, credit_account_id: credit, amount: amt, memo };
  if (pending) body.pending = true;
  return {
    body,
    item: { key, expect: { action: 'create', debit, credit, amount: amt, pending, memo }, id: null },
  };
}

async function oneOp() {
  const r = rand();
  if (r < 0.42) {
    const [a, b] = twoMembers();
    const { body, item } = createItem('s', a, b, amount());
    await send(newOp('single', '/api/v1/transfers', body, [item]));
  } else if (r < 0.5) {
    const { body, item } = createItem('d', bank, pick(members), randInt(1_000, 60_000));
    await send(newOp('deposit', '/api/v1/transfers', body, [item]));
  } else if (r < 0.54) {
    const { body, item } = createItem('w', pick(members), bank, amount());
    await send(newOp('withdraw', '/api/v1/transfers', body, [item]));
  } else if (r < 0.78) {
    const n = randInt(2, 3);
    const parts = [];
    for (let i = 0; i < n; i += 1) {
      const [a, b] = twoMembers();
      parts.push(createItem('b', a, b, amount()));
    }
    const body = { transfers: parts.map((p) => p.body) };
    await send(newOp('batch', '/api/v1/transfers/batch', body, parts.map((p) => p.item)));
  } else {
    const [a, b] = twoMembers();
    const amt = amount();
    const { body, item } = createItem('p', a, b, amt, true);
    const hold = newOp('pending', '/api/v1/transfers', body, [item]);
    const res = await send(hold);
    if (!res || hold.status !== 'acked') return;
    const pendingId = res.id;
    if (!(await passGate())) return; // the post may come after a restart: holds must survive it
    const key = newKey('x');
    const memo = 'crash settle';
    const voiding = rand() < 0.15;
    let postAmount = amt;
    const sbody = { key, memo };
    if (!voiding && amt > 1 && rand() < 0.3) {
      postAmount = randInt(1, amt - 1);
      sbody.amount = postAmount;
    }
    const expect = {
      action: voiding ? 'void' : 'post',
      debit: a,
      credit: b,
      amount: voiding ? null : postAmount,
      pending: false,
      memo,
      pending_id: pendingId,
      pending_amount: amt,
    };
    const settle = newOp(voiding ? 'void' : 'post', `/api/v1/transfers/${pendingId}/${voiding ? 'void' : 'post'}`, sbody, [
      { key, expect, id: null },
    ]);
    settle.hold = hold;
    await send(settle);
    if (settle.status === 'refused') {
      problem(`op ${settle.n}: ${settle.kind} of own pending transfer ${pendingId} was refused (${settle.code})`);
    }
  }
}

async function client() {
  while (await passGate()) {
    await oneOp();
  }
}

async function drain(what) {
  const until = Date.now() + 25_000;
  while (inflight.size > 0) {
    if (Date.now() > until) throw new Broken(`${inflight.size} request(s) still in flight 25 s after ${what}`);
    await Promise.race([Promise.allSettled([...inflight]), sleep(1000)]);
  }
}

// ---- setup

async function setup() {
  const demo = await run(['demo', '--db', DB], { timeoutMs: 300_000 });
  if (demo.code !== 0) throw new Broken(`agora demo exited with ${demo.code}: ${demo.err.slice(0, 2000)}`);
  await startServer();
  const login = await exchange('POST', '/api/v1/auth/login', { email: 'coordinator@demo.agora.coop', password: 'agora-demo' }, false);
  if (login.status !== 200) throw new Broken(`coordinator login: HTTP ${login.status} ${login.text.slice(0, 400)}`);
  token = parse(login.text).token;

  // A consumer co-op the coordinator coordinates (through its federation) and belongs to.
  const me = await apiOk('GET', '/api/v1/me');
  const coop = me.memberships.find((m) => m.org.kind === 'consumer' && m.status === 'active');
  if (!coop) throw new Broken('the demo coordinator belongs to no consumer co-op');
  const org = coop.org.id;

  const persons = [];
  let after = 0;
  while (persons.length < MEMBERS) {
    const page = await apiOk('GET', `/api/v1/orgs/${org}/members?status=active&limit=100${after ? `&after=${after}` : ''}`);
    for (const m of page.items) if (m.person && persons.length < MEMBERS) persons.push(m.person.id);
    if (!page.next_after) break;
    after = page.next_after;
  }
  if (persons.length < MEMBERS) throw new Broken(`org ${org} has only ${persons.length} active person members`);

  // Reuse accounts the demo may already hold; open the rest.
  const existing = [];
  after = 0;
  for (;;) {
    const page = await apiOk('GET', `/api/v1/orgs/${org}/accounts?limit=100${after ? `&after=${after}` : ''}`);
    existing.push(...page.items);
    if (!page.next_after) break;
    after = page.next_after;
  }
  const find = (f) => existing.find((a) => a.currency === 'EUR' && f(a));
  const bankAcc =
    find((a) => a.holder === 'external' && a.kind === 'bank') ||
    (await apiOk('POST', `/api/v1/orgs/${org}/accounts`, { holder: 'external', kind: 'bank', currency: 'EUR' }));
  bank = bankAcc.id;
  members = new Array(persons.length);
  await pool([...persons.keys()], 16, async (i) => {
    const pid = persons[i];
    const acc =
      find((a) => a.holder === 'member' && a.person_id === pid && a.kind === 'current') ||
      (await apiOk('POST', `/api/v1/orgs/${org}/accounts`, { holder: 'member', person_id: pid, kind: 'current', currency: 'EUR' }));
    if (!acc.debits_must_not_exceed_credits && acc.lower_limit === null) {
      throw new Broken(`member account ${acc.id} has no lower bound: overspending could not be refused`);
    }
    members[i] = acc.id;
  });

  // What the accounts held before this run (the demo might have moved some).
  await pool([bank, ...members], 16, async (id) => {
    const { account: a, lines } = await statementLines(id);
    baseline.set(id, { dp: a.debits_posted, cp: a.credits_posted, dpend: a.debits_pending, cpend: a.credits_pending, lines: lines.length });
  });

  // Opening deposits: one linked batch from the bank.
  const parts = members.map((m) => createItem('o', bank, m, randInt(20_000, 150_000)));
  const open = newOp('open', '/api/v1/transfers/batch', { transfers: parts.map((p) => p.body) }, parts.map((p) => p.item));
  await send(open);
  if (open.status !== 'acked') throw new Broken(`opening deposits: ${open.error || open.http}`);
  throwIfProblems('setup');
  return org;
}

// ---- checks

const baseline = new Map(); // account id -> totals and statement length before the run

async function statementLines(id) {
  const lines = [];
  let before = 0;
  for (;;) {
    const page = await apiOk('GET', `/api/v1/accounts/${id}/statement?limit=200${before ? `&before=${before}` : ''}`);
    lines.push(...page.items);
    if (page.next_before === null || page.next_before === undefined || page.items.length === 0) return { account: page.account, lines };
    before = page.next_before;
  }
}

function isPresent(op) {
  if (op.status === 'acked') return true;
  if (op.status === 'unknown') return op.present === true;
  return false;
}

function compareTransfer(where, item, t) {
  const e = item.expect;
  const bad = [];
  if (t.key !== item.key) bad.push(`key ${t.key}`);
  if (t.action !== e.action) bad.push(`action ${t.action} != ${e.action}`);
  if (t.debit_account_id !== e.debit) bad.push(`debit ${t.debit_account_id} != ${e.debit}`);
  if (t.credit_account_id !== e.credit) bad.push(`credit ${t.credit_account_id} != ${e.credit}`);
  if (e.amount !== null && t.amount !== e.amount) bad.push(`amount ${t.amount} != ${e.amount}`);
  if (Boolean(t.pending) !== e.pending) bad.push(`pending ${t.pending} != ${e.pending}`);
  if (t.memo !== e.memo) bad.push(`memo ${JSON.stringify(t.memo)}`);
  if (e.pending_id && t.pending_id !== e.pending_id) bad.push(`pending_id ${t.pending_id} != ${e.pending_id}`);
  if (item.id !== null && t.id !== item.id) bad.push(`id ${t.id} != acknowledged ${item.id}`);
  if (bad.length) problem(`${where} ${item.key}: ${bad.join(', ')}`);
}

async function getByKey(key) {
  const r = await api('GET', `/api/v1/transfers?key=${encodeURIComponent(key)}`);
  if (r.status === 200) return r.body;
  if (r.status === 404) return null;
  throw new Broken(`GET /transfers?key=${key}: HTTP ${r.status} ${r.text.slice(0, 300)}`);
}

// Checks one op against the ledger: acknowledged ones present exactly,
// refused ones absent, unknown ones whole or absent (then decided).
async function checkOp(op) {
  const found = [];
  for (const item of op.items) found.push(await getByKey(item.key));
  const n = found.filter(Boolean).length;
  const keys = (stored) => op.items.filter((_, i) => Boolean(found[i]) === stored).map((it) => it.key).join(' ');
  const what = `op ${op.n} (${op.kind}, ${op.status}${op.error ? `: ${op.error}` : ''})`;
  if (op.status === 'acked') {
    if (n !== op.items.length) {
      const lost = op.items.length - n;
      problem(`${what}: acknowledged but ${lost} of ${op.items.length} transfer(s) missing after a crash: ${keys(false)}`);
    }
  } else if (op.status === 'refused') {
    if (n !== 0) problem(`${what}: refused with ${op.code} but ${n} transfer(s) stored`);
  } else if (op.status === 'unknown') {
    if (n !== 0 && n !== op.items.length) {
      problem(`${what}: half applied, ${n} of ${op.items.length} transfers stored: ${keys(true)}`);
    }
    const present = n === op.items.length;
    if (op.present === null && present) counts.unknownApplied += 1;
    if (op.present !== null && op.present !== present) {
      problem(`${what}: was ${op.present ? 'stored' : 'absent'} at an earlier check, now ${present ? 'stored' : 'absent'}`);
    }
    op.present = present;
  }
  found.forEach((t, i) => {
    if (!t) return;
    const item = op.items[i];
    compareTransfer(what, item, t);
    if (item.id === null) item.id = t.id;
    if (op.items.length > 1 && t.batch_id !== found[0]?.id) {
      problem(`${what}: ${item.key} has batch_id ${t.batch_id}, the batch's first transfer is ${found[0]?.id}`);
    }
    if (op.items.length === 1 && t.batch_id !== null) problem(`${what}: single transfer ${item.key} has batch_id ${t.batch_id}`);
  });
  // A post or void and its hold's state move together.
  if ((op.kind === 'post' || op.kind === 'void') && op.status !== 'refused') {
    const hold = await apiOk('GET', `/api/v1/transfers/${op.items[0].expect.pending_id}`);
    const want = n ? (op.kind === 'post' ? 'posted' : 'voided') : 'pending';
    if (hold.state !== want) {
      const it = n ? 'stored' : 'absent';
      problem(`${what}: ${op.kind} ${it} but its pending transfer ${hold.id} is ${hold.state}, expected ${want}`);
    }
  }
  op.checked = true;
}

// A write replayed with its key returns the stored transfers, and stores nothing new.
async function replay(op) {
  const r = await api('POST', op.path, op.body);
  counts.replays += 1;
  if (r.status !== 201) {
    problem(`replay of op ${op.n} (${op.kind}, ${op.status}): HTTP ${r.status} ${r.text.slice(0, 300)}`);
    return;
  }
  const got = Array.isArray(r.body.items) ? r.body.items : [r.body];
  got.forEach((t, i) => {
    const { key, id } = op.items[i];
    if (t.id !== id) problem(`replay of op ${op.n} (${op.kind}): ${key} came back as id ${t.id}, stored as ${id}`);
  });
}

// What each account's four totals and statement length must be, from the
// record: baseline plus every transfer known to be stored.
function expectedTotals() {
  const tot = new Map();
  for (const [id, b] of baseline) tot.set(id, { ...b });
  for (const op of ops) {
    if (!isPresent(op)) continue;
    for (const { expect: e } of op.items) {
      const d = tot.get(e.debit);
      const c = tot.get(e.credit);
      d.lines += 1;
      c.lines += 1;
      if (e.action === 'create' && !e.pending) {
        d.dp += e.amount;
        c.cp += e.amount;
      } else if (e.action === 'create') {
        d.dpend += e.amount;
        c.cpend += e.amount;
      } else {
        d.dpend -= e.pending_amount;
        c.cpend -= e.pending_amount;
        if (e.action === 'post') {
          d.dp += e.amount;
          c.cp += e.amount;
        }
      }
    }
  }
  return tot;
}

const moves = (t) => (t.action === 'create' && !t.pending) || t.action === 'post';

async function checkBalances() {
  const want = expectedTotals();
  await pool([bank, ...members], 8, async (id) => {
    const acc = await apiOk('GET', `/api/v1/accounts/${id}`);
    const { lines } = await statementLines(id);
    const w = want.get(id);
    const got = {
      dp: acc.debits_posted,
      cp: acc.credits_posted,
      dpend: acc.debits_pending,
      cpend: acc.credits_pending,
      lines: lines.length,
    };
    for (const k of Object.keys(got)) {
      if (got[k] !== w[k]) problem(`account ${id}: ${k} is ${got[k]}, the acknowledged and applied transfers make it ${w[k]}`);
    }
    if (acc.balance !== acc.credits_posted - acc.debits_posted) {
      problem(`account ${id}: balance ${acc.balance} != credits_posted - debits_posted`);
    }
    // The statement, oldest first: each line's running balance, and the sum.
    let bal = 0;
    let dpend = 0;
    let cpend = 0;
    let prevId = 0;
    for (const line of [...lines].reverse()) {
      const t = line.transfer;
      if (t.id <= prevId) problem(`account ${id}: statement not in id order at transfer ${t.id}`);
      prevId = t.id;
      const sign = line.side === 'credit' ? 1 : -1;
      if ((line.side === 'credit' ? t.credit_account_id : t.debit_account_id) !== id) {
        problem(`account ${id}: statement line of transfer ${t.id} is on the wrong side`);
      }
      if (moves(t)) {
        bal += sign * t.amount;
        if (line.amount !== sign * t.amount) {
          problem(`account ${id}: statement line of transfer ${t.id} says ${line.amount}, it moves ${sign * t.amount}`);
        }
      }
      if (t.action === 'create' && t.pending && t.state === 'pending') {
        if (sign < 0) dpend += t.amount;
        else cpend += t.amount;
      }
      if (line.balance !== bal) {
        problem(`account ${id}: statement balance after transfer ${t.id} is ${line.balance}, its transfers sum to ${bal}`);
      }
    }
    if (bal !== acc.balance) problem(`account ${id}: balance ${acc.balance}, its statement sums to ${bal}`);
    if (dpend !== acc.debits_pending || cpend !== acc.credits_pending) {
      problem(`account ${id}: pending ${acc.debits_pending}/${acc.credits_pending}, its open holds sum to ${dpend}/${cpend}`);
    }
    if (acc.balance < 0 && id !== bank) problem(`member account ${id} is overdrawn: ${acc.balance}`);
  });
}


async function verifyAll(when, { full = false } = {}) {
  const todo = ops.filter((op) => full || !op.checked);
  await pool(todo, 16, checkOp);
  throwIfProblems(`${when}: transfers`);
  // Idempotency across restarts: every unknown op that was applied, and a
  // sample of acknowledged ones, replayed with the same key and body.
  const again = todo.filter((op) => op.status === 'unknown' && op.present);
  const acked = todo.filter((op) => op.status === 'acked');
  for (let i = 0; i < 8 && acked.length; i += 1) again.push(pick(acked));
  await pool(again, 8, replay);
  throwIfProblems(`${when}: replays`);
  await checkBalances();
  throwIfProblems(`${when}: balances`);
}

async function checkOffline(when) {
  const check = await run(['ledger', 'check', '--db', DB]);
  if (check.code !== 0) problem(`${when}: agora ledger check exited with ${check.code}: ${(check.out + check.err).slice(0, 1500)}`);
  const verify = await run(['verify', '--db', DB]);
  if (verify.code !== 0) problem(`${when}: agora verify exited with ${verify.code}: ${(verify.out + verify.err).slice(0, 1500)}`);
  throwIfProblems(when);
}

// RFC 4180 rows of a CSV text.
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

// The whole ledger as `agora ledger export` writes it: every transfer this
// run stored is one the record knows as stored, with the same id and amount,
// and nothing else carries this run's keys.
async function checkExport() {
  const file = join(ARTIFACTS, 'ledger.csv');
  const r = await run(['ledger', 'export', '--db', DB, '--out', file]);
  if (r.code !== 0) throw new Broken(`agora ledger export exited with ${r.code}: ${r.err.slice(0, 1000)}`);
  const [header, ...rows] = parseCsv(readFileSync(file, 'utf8'));
  const col = Object.fromEntries(header.map((h, i) => [h, i]));
  for (const h of ['id', 'key', 'amount', 'debit_account_id', 'credit_account_id']) {
    if (!(h in col)) throw new Broken(`ledger export has no ${h} column: ${header.join(',')}`);
  }
  let mine = 0;
  for (const row of rows) {
    const key = row[col.key];
    if (!key.startsWith(`${PREFIX}-`)) continue;
    mine += 1;
    const k = byKey.get(key);
    if (!k || !isPresent(k.op)) {
      problem(`export: transfer ${row[col.id]} with key ${key} is stored, but the record says ${k ? k.op.status : 'never sent'}`);
      continue;
    }
    if (Number(row[col.id]) !== k.item.id) problem(`export: ${key} has id ${row[col.id]}, expected ${k.item.id}`);
    if (k.item.expect.amount !== null && Number(row[col.amount]) !== k.item.expect.amount) {
      problem(`export: ${key} has amount ${row[col.amount]}, expected ${k.item.expect.amount}`);
    }
  }
  const stored = ops.filter(isPresent).reduce((s, op) => s + op.items.length, 0);
  if (mine !== stored) problem(`export: ${mine} transfers carry this run's keys, the record holds ${stored}`);
  throwIfProblems('ledger export');
}

// ---- the run

async function main() {
  const t0 = Date.now();
  const secs = (from) => ((Date.now() - from) / 1000).toFixed(1);
  console.log(`crash: ${ENGINE}: seed ${SEED}, ${KILLS} kills, ${CLIENTS} clients; artifacts in ${ARTIFACTS}`);
  await setup();
  console.log(`crash: ${ENGINE}: demo loaded and ${members.length + 1} accounts opened in ${secs(t0)}s`);
  const clients = Array.from({ length: CLIENTS }, () => client());
  for (let k = 1; k <= KILLS; k += 1) {
    openGate();
    const sent = counts.sent;
    const delay = randInt(...KILL_DELAY_MS);
    await sleep(delay);
    closeGate();
    const cut = inflight.size;
    const t1 = Date.now();
    await killServer('SIGKILL');
    await drain(`kill ${k}`);
    throwIfProblems(`kill ${k} (${cut} requests in flight)`);
    await checkOffline(`after kill ${k}, server down`);
    const t2 = Date.now();
    await startServer();
    const t3 = Date.now();
    await verifyAll(`after restart ${k}`);
    console.log(
      `crash: ${ENGINE}: kill ${k} after ${delay} ms (${counts.sent - sent} requests sent, ${cut} in flight): ` +
        `checks offline ${((t2 - t1) / 1000).toFixed(1)}s, restart ${((t3 - t2) / 1000).toFixed(1)}s, verified ${secs(t3)}s`,
    );
  }
  // A last stretch of load without a crash, then a graceful stop.
  openGate();
  await sleep(randInt(...KILL_DELAY_MS));
  stopping = true;
  openGate();
  await Promise.all(clients);
  await drain('the end of the load');
  const t4 = Date.now();
  await verifyAll('at the end', { full: true });
  // A run that exercised neither refusals nor cut requests proved nothing.
  if (counts.refused === 0) problem('no transfer was refused: overspending was never tried');
  if (counts.unknown === 0) problem('no request was in flight at a kill');
  throwIfProblems('at the end');
  await killServer('SIGTERM');
  if (server.exited !== 0) problem(`agora serve exited with ${server.exited} after SIGTERM`);
  await checkOffline('at the end, server stopped');
  await checkExport();
  writeFileSync(join(ARTIFACTS, 'record.json'), JSON.stringify(ops.map(({ hold, ...op }) => op)));
  console.log(
    `crash: ${ENGINE}: ${KILLS} kills, ${counts.ackedTransfers} acknowledged transfers (${counts.acked} requests), ` +
      `${counts.refused} refused, ${counts.unknown} unknown-outcome requests (${counts.unknownApplied} applied), ` +
      `${counts.replays} idempotent replays: verified (final check ${secs(t4)}s, ${secs(t0)}s in all)`,
  );
}

main().then(
  () => process.exit(0),
  (e) => {
    killAtExit();
    try {
      writeFileSync(join(ARTIFACTS, 'record.json'), JSON.stringify(ops.map(({ hold, ...op }) => op)));
    } catch {
      // The failure below is what matters.
    }
    const msg = e instanceof Broken ? e.message : e.stack || String(e);
    console.error(`crash: ${ENGINE}: FAILED (seed ${SEED}): ${msg}\n  server log: ${SERVER_LOG}`);
    process.exit(1);
  },
);
