// The one door to the Agora HTTP API (/api/v1). Every call goes through `api()`,
// which sends the session cookie (same-origin), decodes JSON and turns
// application/problem+json bodies into an ApiError carrying the stable `code`.
// Types mirror the shared API contract; fields the contract leaves open are optional.

export type OrgKind =
  | 'federation'
  | 'consumer'
  | 'worker'
  | 'producer'
  | 'multi_stakeholder'
  | 'secondary'
  | 'informal';

export interface Account {
  id: number;
  email: string;
  person_id: number;
  admin: boolean;
}

export interface Person {
  id: number;
  given_name: string;
  family_name: string;
  email: string;
  locale?: string | null;
}

export interface OrgRef {
  id: number;
  name: string;
  kind?: OrgKind;
}

export interface MembershipSummary {
  id: number;
  org: OrgRef;
  status: MembershipStatus;
  class?: { code: string; name: string } | null;
  member_number?: number | string | null;
  shares?: number | null;
}

export type MembershipStatus = 'applied' | 'active' | 'left' | 'expelled' | 'rejected' | string;

export interface RoleGrant {
  org_id: number;
  org_name: string;
  role: string;
}

export interface Me {
  account: Account;
  person: Person;
  memberships: MembershipSummary[];
  roles: RoleGrant[];
}

export interface MemberClass {
  id: number;
  code: string;
  name: string;
  share_price_minor: number;
  min_shares: number;
}

export interface Org {
  id: number;
  parent_id: number | null;
  kind: OrgKind;
  name: string;
  slug: string;
  territory: string;
  admission: 'coordinator' | 'automatic';
  currency: string;
  classes: MemberClass[];
  path: OrgRef[];
  counts: { children: number; members: number };
}

// A row in a list of orgs (federation roots, children). The contract only fixes id,
// name and kind; anything else the server adds is used when present.
export interface OrgSummary {
  id: number;
  name: string;
  kind: OrgKind;
  territory?: string;
  counts?: { children?: number; members?: number };
  children_count?: number;
}

export interface TreeNode {
  id: number;
  name: string;
  kind: OrgKind;
  children?: TreeNode[];
}

export interface Page<T> {
  items: T[];
  next_after: number | null;
}

// One row of a member list or admissions queue. The contract describes these only
// loosely (coordinators see contact details, members see names and numbers), so
// the front end reads whichever of these fields are present.
export interface MemberRow {
  id: number;
  status?: MembershipStatus;
  member_number?: number | string | null;
  shares?: number | null;
  requested_shares?: number | null;
  paid_minor?: number | null;
  currency?: string;
  class?: { code?: string; name?: string } | string | null;
  person?: { id?: number; given_name?: string; family_name?: string; email?: string | null; phone?: string | null } | null;
  member_org?: { id?: number; name?: string } | null;
  given_name?: string;
  family_name?: string;
  name?: string;
  email?: string | null;
  phone?: string | null;
  message?: string | null;
  applied_at?: string;
  created_at?: string;
}

export interface Membership {
  id: number;
  status: MembershipStatus;
  [key: string]: unknown;
}

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  code?: string;
  detail?: string;
  field?: string | null;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | null;
  readonly detail: string;

  constructor(status: number, problem: Problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.code = problem.code ?? (status === 0 ? 'network' : 'internal');
    this.field = problem.field ?? null;
    this.detail = problem.detail ?? problem.title ?? '';
  }
}

type Query = Record<string, string | number | null | undefined>;

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

export async function api<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  query?: Query,
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const init: RequestInit = { method, headers, credentials: 'same-origin' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res: Response;
  try {
    res = await fetch(withQuery(`/api/v1${path}`, query), init);
  } catch {
    throw new ApiError(0, { code: 'network' });
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!res.ok) {
    const problem = (data && typeof data === 'object' ? data : {}) as Problem;
    throw new ApiError(res.status, problem);
  }
  return data as T;
}

// Lists come as {items, next_after}; tolerate a bare array too.
export function asPage<T>(data: Page<T> | T[]): Page<T> {
  return Array.isArray(data) ? { items: data, next_after: null } : data;
}

export const get = <T>(path: string, query?: Query) => api<T>('GET', path, undefined, query);
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});

export const endpoints = {
  me: () => get<Me>('/me'),
  login: (email: string, password: string) =>
    post<{ token: string; account: Account }>('/auth/login', { email, password }),
  logout: () => api<void>('POST', '/auth/logout'),
  register: (r: { given_name: string; family_name: string; email: string; password: string; locale?: string }) =>
    post<{ token: string; account: Account }>('/auth/register', r),
  federations: async () => asPage(await get<Page<OrgSummary> | OrgSummary[]>('/federations', { limit: 200 })),
  org: (id: number) => get<Org>(`/orgs/${id}`),
  children: async (id: number, after?: number | null) =>
    asPage(await get<Page<OrgSummary> | OrgSummary[]>(`/orgs/${id}/children`, { limit: 200, after })),
  members: async (id: number, status: string, after?: number | null, limit = 50) =>
    asPage(await get<Page<MemberRow> | MemberRow[]>(`/orgs/${id}/members`, { status, after, limit })),
  applications: async (id: number, after?: number | null) =>
    asPage(await get<Page<MemberRow> | MemberRow[]>(`/orgs/${id}/applications`, { after, limit: 50 })),
  apply: (orgId: number, cls: string, shares: number, message?: string) =>
    post<Membership>(`/orgs/${orgId}/applications`, message ? { class: cls, shares, message } : { class: cls, shares }),
  admit: (membershipId: number) => post<Membership>(`/memberships/${membershipId}/admit`),
  reject: (membershipId: number, reason: string) =>
    post<Membership>(`/memberships/${membershipId}/reject`, { reason }),
};
