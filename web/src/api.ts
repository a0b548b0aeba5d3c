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
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
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
export const put = <T>(path: string, body: unknown) => api<T>('PUT', path, body);

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

// ---- Governance (src/app/governance.h describes every shape below).

export type BallotKind = 'choice' | 'marks' | 'scores' | 'ranking';
export type ProposalStatus =
  | 'draft'
  | 'open'
  | 'voting'
  | 'closed'
  | 'passed'
  | 'rejected'
  | 'no_quorum'
  | 'withdrawn';

export interface ConstitutionBody {
  key: string;
  kind: string;
  name: string;
  weights: string;
  proxies: boolean;
  max_proxies_per_holder: number;
  seats: number;
  elected_by: string;
  electorate?: {
    classes?: string[];
    min_age?: number;
    min_yearly_spend_minor?: number;
    min_tenure_days?: number;
    candidate_min_tenure_days?: number;
  };
  chambers?: { class: string; seats: number }[];
}

export interface ConstitutionDomain {
  key: string;
  bodies: string[];
  joint_with?: string[];
  method: string;
  quorum: string;
  threshold: string;
  threshold_of: 'cast' | 'eligible' | string;
  threshold_strict: boolean;
  notice_days: number;
  voting_days: number;
  secret: boolean;
  results_hidden: boolean;
  seats?: number;
  two_stage?: {
    second_threshold: string;
    second_threshold_strict: boolean;
    min_gap_days: number;
    max_gap_days: number;
  } | null;
}

export interface Constitution {
  name: string;
  reserved?: string[];
  bodies: ConstitutionBody[];
  domains: ConstitutionDomain[];
}

export interface ConstitutionDoc {
  org_id: number;
  version: number;
  adopted_at?: string | null;
  adopted_by_proposal?: number | null;
  toml: string;
  constitution: Constitution;
}

export interface ProposalRule {
  quorum: string;
  threshold: string;
  threshold_of: string;
  threshold_strict: boolean;
  notice_days: number;
  voting_days: number;
  secret: boolean;
  results_hidden: boolean;
}

export interface BodyRef {
  key: string;
  name: string;
  kind: string;
}

export interface Candidate {
  id: number;
  person_id: number;
  name: string;
  chamber?: string;
  statement?: string;
}

export interface ProposalSummary {
  id: number;
  title: string;
  domain: string;
  body: BodyRef;
  kind: 'motion' | 'election';
  method: string;
  status: ProposalStatus;
  voting_opens_at: string | null;
  voting_closes_at: string | null;
}

export interface Proposal extends ProposalSummary {
  decision_id: number;
  org_id: number;
  text: string;
  ballot_kind: BallotKind;
  options: string[];
  seats: number;
  chamber?: string;
  elects_body?: string | null;
  score_max?: number;
  dots?: number;
  rule: ProposalRule;
  stage?: number;
  first_stage_id?: number | null;
  second_stage_id?: number | null;
  amends_id?: number | null;
  amendments?: number[];
  outcome_statement?: string | null;
  author?: { person_id: number; name: string };
  created_at?: string;
  opened_at?: string | null;
  closed_at?: string | null;
  turnout?: { eligible_count: number; eligible_weight: number; voters: number; voted_weight: number };
  candidates?: Candidate[];
  decision?: { id: number; status: string; subject?: string };
}

export interface Comment {
  id: number;
  person_id: number;
  name: string;
  text: string;
  created_at: string;
}

export type Ballot =
  | { choice: number; reason?: string }
  | { approve: number[] }
  | { scores: number[] }
  | { ranking: number[] };

export interface CastAnswer {
  proposal_id: number;
  secret: boolean;
  receipt?: string;
  ballot?: Ballot;
}

export interface MyVote {
  on_roll: boolean;
  weight: number;
  voted: boolean;
  can_vote_now: boolean;
  proxies_held?: { person_id: number; name: string; weight: number; voted: boolean }[];
}

export interface ReceiptCheck {
  counted: boolean;
  ballot: Ballot;
  final: boolean;
}

export interface StvRound {
  action: string;
  candidate: number | null;
  votes: string[];
  exhausted?: string;
  transfers?: unknown;
  keep_factors?: string[];
}

export interface Tally {
  method: string;
  options: string[];
  seats?: number;
  counts: number[];
  winners: number[];
  elected?: string[];
  ballots: number;
  blank: number;
  invalid: number;
  tie_breaks?: { stage: string; between: number[]; rule: string; chosen: number }[];
  for?: number;
  against?: number;
  abstain?: number;
  consent?: number;
  stand_aside?: number;
  object?: number;
  passed?: boolean;
  average?: string[];
  runoff?: { finalists: number[]; preferred: number[]; no_preference: number };
  rounds?: (IrvRound | StvRound)[];
  pairwise?: number[][];
  strongest_paths?: number[][];
  ranking?: number[];
  pairs?: { winner: number; loser: number; margin: number; locked: boolean }[];
  quota?: string;
}

export interface IrvRound {
  counts: number[];
  excluded: number | null;
  exhausted: number;
  transfers?: Record<string, number>;
}

export interface DecisionResult {
  outcome: 'passed' | 'rejected' | 'no_quorum' | string;
  quorum_met: boolean;
  eligible: number;
  turnout: number;
  quorum?: string;
  threshold?: unknown;
  reason: string;
}

export interface Results {
  proposal_id: number;
  final: boolean;
  tally: Tally;
  decision?: DecisionResult | null;
}

// The server names lists as the TOML does ("body", "domain", "chamber"); the
// page reads the plural names. Either form is accepted.
type LooseConstitution = Constitution & { body?: ConstitutionBody[]; domain?: ConstitutionDomain[] };
function normaliseConstitution(doc: ConstitutionDoc): ConstitutionDoc {
  const c = (doc.constitution ?? {}) as LooseConstitution;
  const bodies = (c.bodies ?? c.body ?? []).map((b) => {
    const loose = b as ConstitutionBody & { chamber?: { class: string; seats: number }[] };
    return { ...b, chambers: loose.chambers ?? loose.chamber ?? [] };
  });
  return { ...doc, constitution: { ...c, bodies, domains: c.domains ?? c.domain ?? [] } };
}

export const governance = {
  constitution: async (orgId: number) => normaliseConstitution(await get<ConstitutionDoc>(`/orgs/${orgId}/constitution`)),
  constitutionTomlUrl: (orgId: number) => `/api/v1/orgs/${orgId}/constitution.toml`,
  proposals: async (orgId: number, body: string, filter: 'current' | 'past', after?: number | null) =>
    asPage(
      await get<Page<ProposalSummary> | ProposalSummary[]>(`/orgs/${orgId}/proposals`, {
        body,
        filter,
        limit: 20,
        after,
      }),
    ),
  proposal: (id: number) => get<Proposal>(`/proposals/${id}`),
  open: (id: number) => post<Proposal>(`/proposals/${id}/open`),
  close: (id: number) => post<Proposal>(`/proposals/${id}/close`),
  withdraw: (id: number) => post<Proposal>(`/proposals/${id}/withdraw`),
  comments: async (id: number, after?: number | null) =>
    asPage(await get<Page<Comment> | Comment[]>(`/proposals/${id}/comments`, { limit: 100, after })),
  addComment: (id: number, text: string) => post<Comment>(`/proposals/${id}/comments`, { text }),
  stand: (id: number, statement: string) => post<Candidate>(`/proposals/${id}/candidates`, { statement }),
  cast: (id: number, ballot: Ballot, onBehalfOf?: number) =>
    post<CastAnswer>(`/proposals/${id}/ballots`, onBehalfOf ? { ballot, on_behalf_of: onBehalfOf } : { ballot }),
  myVote: (id: number) => get<MyVote>(`/proposals/${id}/my-vote`),
  results: (id: number) => get<Results>(`/proposals/${id}/results`),
  receipt: (id: number, code: string) =>
    get<ReceiptCheck>(`/proposals/${id}/receipts/${encodeURIComponent(code)}`),
};

// ---- Writing proposals, proxies, the roll and who voted (governance.h).

export interface WhoDecides {
  domain: string;
  org_id: number;
  reserved: boolean;
  bodies: BodyRef[];
  joint_with: string[];
  method: string;
  rule: ProposalRule;
  seats: number;
  two_stage: ConstitutionDomain['two_stage'];
}

export interface NewProposal {
  org_id: number;
  domain: string;
  title: string;
  text?: string;
  kind?: 'motion' | 'election';
  options?: string[];
  subject?: string;
  counterparty_org_id?: number;
  elects_body?: string;
  constitution_toml?: string;
}

export interface ProxyRow {
  id: number;
  org_id: number;
  body_key: string;
  proposal_id: number | null;
  holder?: { person_id: number; name: string };
  grantor?: { person_id: number; name: string };
  granted_at: string;
  revoked_at: string | null;
}

export interface MyProxies {
  given: ProxyRow[];
  held: ProxyRow[];
}

export interface RollRow {
  person_id: number;
  name: string;
  weight: number;
  represents?: unknown;
}

// Open ballots carry what was voted; secret ones only who voted and when.
export interface VoteRow {
  person_id: number;
  name: string;
  voted_at: string;
  cast_by?: number | null;
  weight?: number;
  ballot?: Ballot;
  reason?: string | null;
}

export const governanceWrite = {
  whoDecides: (orgId: number, domain: string) => get<WhoDecides>(`/orgs/${orgId}/who-decides`, { domain }),
  createProposal: (p: NewProposal) => post<Proposal>('/proposals', p),
  myProxies: () => get<MyProxies>('/me/proxies'),
  grantProxy: (orgId: number, bodyKey: string, holderPersonId: number, proposalId?: number) =>
    post<ProxyRow>(
      `/orgs/${orgId}/proxies`,
      proposalId
        ? { body_key: bodyKey, holder_person_id: holderPersonId, proposal_id: proposalId }
        : { body_key: bodyKey, holder_person_id: holderPersonId },
    ),
  revokeProxy: (id: number) => api<ProxyRow>('DELETE', `/proxies/${id}`),
  roll: async (proposalId: number, after?: number | null) =>
    asPage(await get<Page<RollRow> | RollRow[]>(`/proposals/${proposalId}/roll`, { limit: 50, after })),
  votes: async (proposalId: number, after?: number | null) =>
    asPage(await get<Page<VoteRow> | VoteRow[]>(`/proposals/${proposalId}/votes`, { limit: 50, after })),
};
