// A stand-in for `agora serve`, in memory, implementing only the routes the web
// front end calls, as the shared API contract describes them. It exists so the
// front end and this browser test can be developed and tried before or apart
// from the real server; the e2e stage (scripts/test.d/60-e2e.sh) never uses it.
//
//   node tests/e2e/mock_server.mjs [--port 8080] [--web web/dist]
//   AGORA_E2E_BASE_URL=http://127.0.0.1:8080 node --test tests/e2e/flow.test.mjs
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const port = Number(arg('--port', '8080'));
const webDir = resolve(arg('--web', 'web/dist'));

const orgs = [];
const persons = [];
const accounts = [];
const memberships = [];
const roles = [];
const sessions = new Map();
let nextId = 1;

function addOrg(parent_id, kind, name, territory) {
  const o = {
    id: nextId++,
    parent_id,
    kind,
    name,
    slug: name.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
    territory,
    admission: 'coordinator',
    currency: 'EUR',
    classes:
      kind === 'federation'
        ? []
        : [
            { id: nextId++, code: 'user', name: 'User member', share_price_minor: 5000, min_shares: 1 },
            { id: nextId++, code: 'supporter', name: 'Supporter', share_price_minor: 12050, min_shares: 2 },
          ],
  };
  orgs.push(o);
  return o;
}
function addPerson(given_name, family_name, email, admin = false) {
  const p = { id: nextId++, given_name, family_name, email, phone: null, locale: 'en' };
  persons.push(p);
  accounts.push({ id: nextId++, email, person_id: p.id, admin, password: 'agora-demo' });
  return p;
}

const nation = addOrg(null, 'federation', 'Federación Ibérica de Cooperativas', 'Iberia');
const regions = ['Galicia', 'Asturias', 'Norte de Portugal'].map((r) =>
  addOrg(nation.id, 'federation', `Federación de ${r}`, r),
);
for (const r of regions) {
  for (const town of ['Vigo', 'Lugo', 'Ourense', 'Ferrol']) addOrg(r.id, 'consumer', `Consumo ${town} ${r.territory}`, town);
  addOrg(r.id, 'worker', `Panadería Obrera ${r.territory}`, r.territory);
}
const firstCoop = orgs.find((o) => o.parent_id === regions[0].id);
const member = addPerson('Lucía', 'Fernández Pereira', 'member@demo.agora.coop');
const coordinator = addPerson('Xosé', 'Castro Iglesias', 'coordinator@demo.agora.coop');
addPerson('Ana', 'Admin', 'admin@demo.agora.coop', true);
roles.push({ id: nextId++, person_id: coordinator.id, org_id: regions[0].id, role: 'coordinator' });
let memberNumbers = 100;
function addMembership(org, person, cls, shares, status) {
  const m = {
    id: nextId++,
    org_id: org.id,
    person_id: person.id,
    class_code: cls,
    shares,
    status,
    member_number: status === 'active' ? ++memberNumbers : null,
    message: null,
  };
  memberships.push(m);
  return m;
}
addMembership(firstCoop, member, 'user', 1, 'active');
for (let i = 0; i < 120; i++) addMembership(firstCoop, addPerson(`Persona${i}`, `Apellido${i}`, `p${i}@demo.agora.coop`), 'user', 1 + (i % 3), 'active');

const send = (res, status, body, headers = {}) => {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(body === undefined ? '' : JSON.stringify(body));
};
const problem = (res, status, code, detail, field = null) => {
  res.writeHead(status, { 'Content-Type': 'application/problem+json' });
  res.end(JSON.stringify({ type: 'about:blank', title: code, status, code, detail, field }));
};
const orgById = (id) => orgs.find((o) => o.id === id);
const summary = (o) => ({
  id: o.id,
  name: o.name,
  kind: o.kind,
  territory: o.territory,
  counts: { children: orgs.filter((c) => c.parent_id === o.id).length },
});
const ancestors = (o) => {
  const out = [];
  for (let p = orgById(o.parent_id); p; p = orgById(p.parent_id)) out.unshift({ id: p.id, name: p.name });
  return out;
};
const page = (items, q) => {
  const limit = Math.min(200, Math.max(1, Number(q.get('limit') || 50)));
  const after = Number(q.get('after') || 0);
  const rest = items.filter((x) => x.id > after);
  const slice = rest.slice(0, limit);
  return { items: slice, next_after: rest.length > limit ? slice[slice.length - 1].id : null };
};
const isCoordinator = (person, org) => {
  const ids = new Set([org.id, ...ancestors(org).map((a) => a.id)]);
  return roles.some((r) => r.person_id === person.id && ids.has(r.org_id) && r.role === 'coordinator');
};
const membershipView = (m) => {
  const o = orgById(m.org_id);
  const cls = o.classes.find((c) => c.code === m.class_code);
  return {
    id: m.id,
    org: { id: o.id, name: o.name, kind: o.kind },
    status: m.status,
    class: { code: cls.code, name: cls.name },
    member_number: m.member_number,
    shares: m.shares,
  };
};
const memberRow = (m, withContact) => {
  const p = persons.find((x) => x.id === m.person_id);
  const o = orgById(m.org_id);
  const cls = o.classes.find((c) => c.code === m.class_code);
  return {
    id: m.id,
    status: m.status,
    member_number: m.member_number,
    shares: m.shares,
    class: { code: cls.code, name: cls.name },
    person: withContact
      ? { id: p.id, given_name: p.given_name, family_name: p.family_name, email: p.email, phone: p.phone }
      : { id: p.id, given_name: p.given_name, family_name: p.family_name },
    message: m.message,
  };
};

async function body(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const s = Buffer.concat(chunks).toString();
  return s ? JSON.parse(s) : {};
}

async function api(req, res, url) {
  const path = url.pathname.slice('/api/v1'.length);
  const cookie = /(?:^|;\s*)agora_session=([^;]+)/.exec(req.headers.cookie || '')?.[1];
  const account = sessions.get(cookie);
  const person = account && persons.find((p) => p.id === account.person_id);
  const m = (re) => re.exec(`${req.method} ${path}`);
  let r;
  if ((r = m(/^GET \/health$/))) return send(res, 200, { status: 'ok', db: 'mock', schema_version: 0 });
  if ((r = m(/^POST \/auth\/login$/))) {
    const b = await body(req);
    const a = accounts.find((x) => x.email === b.email && x.password === b.password);
    if (!a) return problem(res, 401, 'bad_credentials', 'Wrong email or password');
    const token = randomBytes(16).toString('hex');
    sessions.set(token, a);
    return send(res, 200, { token, account: { id: a.id, email: a.email, person_id: a.person_id, admin: a.admin } }, {
      'Set-Cookie': `agora_session=${token}; HttpOnly; SameSite=Strict; Path=/`,
    });
  }
  if ((r = m(/^POST \/auth\/register$/))) {
    const b = await body(req);
    if (accounts.some((a) => a.email === b.email)) return problem(res, 409, 'duplicate', 'email taken', '/email');
    const p = addPerson(b.given_name, b.family_name, b.email);
    const a = accounts.find((x) => x.person_id === p.id);
    a.password = b.password;
    const token = randomBytes(16).toString('hex');
    sessions.set(token, a);
    return send(res, 201, { token, account: { id: a.id, email: a.email, person_id: a.person_id, admin: false } }, {
      'Set-Cookie': `agora_session=${token}; HttpOnly; SameSite=Strict; Path=/`,
    });
  }
  if ((r = m(/^POST \/auth\/logout$/))) {
    sessions.delete(cookie);
    res.writeHead(204, { 'Set-Cookie': 'agora_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0' });
    return res.end();
  }
  if ((r = m(/^GET \/federations$/)))
    return send(res, 200, page(orgs.filter((o) => o.parent_id === null).map(summary), url.searchParams));
  if ((r = m(/^GET \/orgs\/(\d+)$/))) {
    const o = orgById(Number(r[1]));
    if (!o) return problem(res, 404, 'not_found', 'no such org');
    return send(res, 200, {
      ...o,
      path: ancestors(o),
      counts: {
        children: orgs.filter((c) => c.parent_id === o.id).length,
        members: memberships.filter((x) => x.org_id === o.id && x.status === 'active').length,
      },
    });
  }
  if ((r = m(/^GET \/orgs\/(\d+)\/children$/)))
    return send(res, 200, page(orgs.filter((c) => c.parent_id === Number(r[1])).map(summary), url.searchParams));
  if (!person) return problem(res, 401, 'unauthenticated', 'log in');
  if ((r = m(/^GET \/me$/)))
    return send(res, 200, {
      account: { id: account.id, email: account.email, person_id: account.person_id, admin: account.admin },
      person,
      memberships: memberships.filter((x) => x.person_id === person.id).map(membershipView),
      roles: roles
        .filter((x) => x.person_id === person.id)
        .map((x) => ({ org_id: x.org_id, org_name: orgById(x.org_id).name, role: x.role })),
    });
  if ((r = m(/^GET \/orgs\/(\d+)\/members$/))) {
    const o = orgById(Number(r[1]));
    const coord = isCoordinator(person, o);
    const status = url.searchParams.get('status') || 'active';
    const rows = memberships.filter((x) => x.org_id === o.id && x.status === status).map((x) => memberRow(x, coord));
    return send(res, 200, page(rows, url.searchParams));
  }
  if ((r = m(/^GET \/orgs\/(\d+)\/applications$/))) {
    const o = orgById(Number(r[1]));
    if (!isCoordinator(person, o)) return problem(res, 403, 'forbidden', 'coordinators only');
    const rows = memberships.filter((x) => x.org_id === o.id && x.status === 'applied').map((x) => memberRow(x, true));
    return send(res, 200, page(rows, url.searchParams));
  }
  if ((r = m(/^POST \/orgs\/(\d+)\/applications$/))) {
    const o = orgById(Number(r[1]));
    const b = await body(req);
    if (!o.classes.some((c) => c.code === b.class)) return problem(res, 422, 'invalid_value', 'no such class', '/class');
    if (memberships.some((x) => x.org_id === o.id && x.person_id === person.id && ['applied', 'active'].includes(x.status)))
      return problem(res, 409, 'duplicate', 'already a member');
    const ms = addMembership(o, person, b.class, b.shares, 'applied');
    ms.message = b.message ?? null;
    return send(res, 201, { id: ms.id, status: ms.status });
  }
  if ((r = m(/^POST \/memberships\/(\d+)\/(admit|reject)$/))) {
    const ms = memberships.find((x) => x.id === Number(r[1]));
    if (!ms) return problem(res, 404, 'not_found', 'no such membership');
    if (!isCoordinator(person, orgById(ms.org_id))) return problem(res, 403, 'forbidden', 'coordinators only');
    if (ms.status !== 'applied') return problem(res, 409, 'invalid_state', 'not applied');
    if (r[2] === 'admit') {
      ms.status = 'active';
      ms.member_number = ++memberNumbers;
    } else ms.status = 'rejected';
    return send(res, 200, { id: ms.id, status: ms.status });
  }
  return problem(res, 404, 'not_found', `no route ${req.method} ${path}`);
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.map': 'application/json' };

createServer(async (req, res) => {
  const url = new URL(req.url, 'http://x');
  try {
    if (url.pathname.startsWith('/api/v1/')) return await api(req, res, url);
    const rel = normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, '');
    for (const f of [join(webDir, rel), join(webDir, 'index.html')]) {
      try {
        const data = await readFile(f);
        res.writeHead(200, { 'Content-Type': TYPES[extname(f)] || 'application/octet-stream' });
        return res.end(data);
      } catch {
        // Not a file: fall back to index.html (SPA).
      }
    }
    problem(res, 404, 'not_found', 'no web build');
  } catch (e) {
    problem(res, 500, 'internal', String(e));
  }
}).listen(port, '127.0.0.1', () => console.log(`mock agora on http://127.0.0.1:${port}`));
