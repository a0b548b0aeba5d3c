// Words and shapes of the participatory budgeting pages: the JSON the
// budgeting API answers (src/app/budgeting.h describes every shape), the
// calls the pages make, labels for phases, methods and ballots, and the
// money arithmetic of a ballot and of a result (integer minor units in
// BigInt, never floating point; a float only to draw a bar).
import { api, get, post, type Page } from '../api';
import type { Translate } from '../i18n';
import type { MessageKey } from '../i18n/en';
import { big } from './money_words';

// ---- shapes

export type Phase = 'submission' | 'voting' | 'counting' | 'tallied' | 'paid' | 'cancelled' | string;

export interface MyBallot {
  voted: boolean;
  items: { project_id: number; points: number }[];
}

export interface BudgetRound {
  id: number;
  org: { id: number; name: string };
  fund: { account_id: number; kind: string; balance: number };
  currency: string;
  title: string;
  description: string;
  budget: number;
  method: 'equal-shares' | 'greedy' | string;
  completion: 'add1' | 'none' | string;
  ballot: 'approval' | 'points' | string;
  utility: 'cost' | 'approval' | 'points' | string;
  max_approvals: number;
  points_total: number;
  max_cost: number;
  submission_closes_at: string;
  voting_closes_at: string;
  state: string;
  phase: Phase;
  projects_count: number;
  voters: number;
  decision_id: number | null;
  tallied_at: string | null;
  paid_at: string | null;
  my_ballot: MyBallot | null;
  can: { submit: boolean; vote: boolean; manage: boolean };
  created_at: string;
  updated_at: string;
}

export type ProjectState = 'submitted' | 'withdrawn' | 'ineligible' | 'funded' | 'unfunded' | string;

export interface BudgetProject {
  id: number;
  round_id: number;
  title: string;
  description: string;
  cost: number;
  payee: { org_id: number; name: string };
  proposer: { person_id: number; name: string } | null;
  state: ProjectState;
  reason: string | null;
  transfer_id: number | null;
  created_at: string;
}

// Voters who paid the same share of a funded project (share: minor units as
// decimal text, rounded toward zero).
export interface PaidBy {
  share: string;
  voters: number;
}

export interface FundedProject {
  project_id: number;
  title: string;
  cost: number;
  supporters: number;
  votes: number;
  paid_by: PaidBy[];
  order: number;
}

export interface UnfundedProject {
  project_id: number;
  title: string;
  cost: number;
  supporters: number;
  votes: number;
  reason: string;
  code: string;
}

export interface BudgetResult {
  round_id: number;
  method: string;
  completion: string;
  utility: string;
  budget: number;
  spent: number;
  voters: number;
  funded: FundedProject[];
  unfunded: UnfundedProject[];
  decision: { subject: string; domain: string };
  decision_id: number | null;
  paid: { project_id: number; transfer_id: number }[];
}

export interface RoundInput {
  fund_kind: string;
  currency?: string;
  title: string;
  description?: string;
  budget: number;
  method?: string;
  completion?: string;
  ballot?: string;
  utility?: string;
  max_approvals?: number;
  points_total?: number;
  max_cost?: number;
  submission_closes_at: string;
  voting_closes_at: string;
}

export interface ProjectInput {
  title: string;
  description?: string;
  cost: number;
  payee_org_id?: number;
}

export interface BallotItem {
  project_id: number;
  points?: number;
}

// ---- limits (src/app/budgeting.h)

export const MAX_TITLE = 200;
export const MAX_TEXT = 5000;
export const MAX_REASON = 500;
export const MAX_PROJECTS = 500;
export const MAX_POINTS_TOTAL = 1_000_000;
export const MAX_BUDGET = 1_000_000_000_000_000n;
export const FUND_KINDS = ['investment', 'solidarity', 'education', 'mutual'] as const;
export const DECISION_DOMAIN = 'fund.budget';

// ---- calls

const PAGE = 200;

export const budgetApi = {
  rounds: (orgId: number, after?: number | null) =>
    get<Page<BudgetRound>>(`/orgs/${orgId}/budget-rounds`, { limit: 20, after }),
  openRound: (orgId: number, input: RoundInput) => post<BudgetRound>(`/orgs/${orgId}/budget-rounds`, input),
  round: (id: number) => get<BudgetRound>(`/budget-rounds/${id}`),
  cancel: (id: number) => post<BudgetRound>(`/budget-rounds/${id}/cancel`),
  startVoting: (id: number) => post<BudgetRound>(`/budget-rounds/${id}/start-voting`),
  // Every live project of a round (at most MAX_PROJECTS, so a few pages).
  projects: async (id: number): Promise<BudgetProject[]> => {
    const out: BudgetProject[] = [];
    let after: number | null = null;
    for (let pages = 0; pages < Math.ceil(MAX_PROJECTS / PAGE) + 1; pages++) {
      const page: Page<BudgetProject> = await get<Page<BudgetProject>>(`/budget-rounds/${id}/projects`, {
        limit: PAGE,
        after,
      });
      out.push(...page.items);
      if (page.next_after === null || page.next_after === undefined) break;
      after = page.next_after;
    }
    return out;
  },
  submitProject: (id: number, input: ProjectInput) => post<BudgetProject>(`/budget-rounds/${id}/projects`, input),
  withdrawProject: (projectId: number) => post<BudgetProject>(`/budget-projects/${projectId}/withdraw`),
  markIneligible: (projectId: number, reason: string) =>
    post<BudgetProject>(`/budget-projects/${projectId}/ineligible`, { reason }),
  castBallot: (id: number, items: BallotItem[]) => api<BudgetRound>('PUT', `/budget-rounds/${id}/ballot`, { items }),
  tally: (id: number) => post<BudgetResult>(`/budget-rounds/${id}/tally`),
  result: (id: number) => get<BudgetResult>(`/budget-rounds/${id}/result`),
  payout: (id: number, decisionId: number) => post<BudgetResult>(`/budget-rounds/${id}/payout`, { decision_id: decisionId }),
};

// ---- labels

function lookup(t: Translate, prefix: string, value: string): string {
  const key = `${prefix}.${value}` as MessageKey;
  const s = t(key);
  return s === key ? value.replace(/[_-]/g, ' ') : s;
}

export const phaseLabel = (t: Translate, p: string) => lookup(t, 'budget.phase', p);
export const methodLabel = (t: Translate, m: string) => lookup(t, 'budget.method', m);
export const ballotLabel = (t: Translate, b: string) => lookup(t, 'budget.ballot', b);
export const utilityLabel = (t: Translate, u: string) => lookup(t, 'budget.utility', u);
export const completionLabel = (t: Translate, c: string) => lookup(t, 'budget.completion', c);
export const projectStateLabel = (t: Translate, s: string) => lookup(t, 'budget.pstate', s);

// The subject a round's decision is proposed on.
export const decisionSubject = (roundId: number) => `budget_round:${roundId}`;

// ---- arithmetic (exact)

// A share as the API writes it (decimal text of minor units, rounded toward
// zero) as a BigInt; any fractional digits are dropped, as the API's rounding does.
export function shareMinor(share: string | number): bigint {
  if (typeof share === 'number') return big(share);
  const m = /^\s*(-?\d+)/.exec(share);
  return m ? BigInt(m[1]) : 0n;
}

// Shares are drawn in millionths of a minor unit, so that a project's
// groups add up to its cost on the chart.
export const SHARE_SCALE = 1_000_000n;

// A share as the API writes it, in millionths of a minor unit (finer digits dropped).
export function shareScaled(share: string | number): bigint {
  if (typeof share === 'number') return big(share) * SHARE_SCALE;
  const m = /^\s*(\d+)(?:\.(\d*))?\s*$/.exec(share);
  if (!m) return 0n;
  const frac = (m[2] ?? '').slice(0, 6).padEnd(6, '0');
  return BigInt(m[1]) * SHARE_SCALE + BigInt(frac);
}

// What one group of voters paid in all (share × voters), in millionths of a minor unit.
export const groupTotal = (g: PaidBy): bigint => shareScaled(g.share) * big(g.voters);

// The cost of the projects chosen on an approval ballot.
export function costOf(projects: BudgetProject[], chosen: Set<number>): bigint {
  let sum = 0n;
  for (const p of projects) if (chosen.has(p.id)) sum += big(p.cost);
  return sum;
}

// A whole number of points typed by a person (0..max), or null.
export function parsePoints(s: string, max: number): number | null {
  const v = s.trim();
  if (v === '') return 0;
  if (!/^\d{1,7}$/.test(v)) return null;
  const n = Number(v);
  return n <= max ? n : null;
}

// A fraction of a whole as a number in [0, 1], from exact integers (for drawing only).
export function fraction(part: bigint, whole: bigint): number {
  if (whole <= 0n) return 0;
  const p = part < 0n ? 0n : part > whole ? whole : part;
  return Number((p * 1_000_000n) / whole) / 1_000_000;
}

// One count with its noun, singular or plural, and other values:
// `${base}.one` / `${base}.other` with {n} and `vars`.
export function plural(t: Translate, base: string, n: number, locale: string, vars: Record<string, string | number> = {}): string {
  const form = new Intl.PluralRules(locale).select(n) === 'one' ? 'one' : 'other';
  return t(`${base}.${form}` as MessageKey, { ...vars, n: n.toLocaleString(locale) });
}
