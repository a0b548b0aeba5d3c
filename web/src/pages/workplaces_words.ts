// Shapes and calls of the workplaces, leases and funds pages: the JSON the
// API answers (src/app/workplaces.h describes every shape), the calls the
// pages make, and small helpers for basis points, months and labels. Amounts
// are integers in minor units; shares are basis points (10000 = 100 %).
import { asPage, get, type Page } from '../api';
import type { Translate } from '../i18n';
import type { MessageKey } from '../i18n/en';

// ---- shapes

export interface OrgName {
  org_id: number;
  name: string;
}

export interface Stake {
  org_id: number;
  name: string;
  share_bps: number;
}

export interface Reserved {
  matter: string;
  domain: string;
  federation: { org_id: number; name: string } | null;
}

export interface LeaseSummary {
  id: number;
  lessor: OrgName;
  lessee: OrgName;
  starts_on: string;
  ends_on: string;
  rent_kind: string;
  rent_monthly: number;
  state: string;
}

export interface Installment {
  n: number;
  due_on: string;
  share_bps: number;
  amount: number;
  transfer_id: number | null;
  done_at: string | null;
}

export interface Buyout {
  id: number;
  asset_id: number;
  seller: OrgName;
  buyer: OrgName;
  share_bps: number;
  price_total: number;
  currency: string;
  installments: number;
  period_months: number;
  starts_on: string;
  state: string;
  decision_id: number | null;
  done: number;
  paid: number;
  overdue: number;
  schedule: Installment[];
}

export interface Asset {
  id: number;
  kind: string;
  name: string;
  description: string;
  address: string;
  territory: string;
  floor_area_m2: number;
  valuation: number;
  currency: string;
  valued_on: string | null;
  use_text: string;
  statutes: string;
  status: string;
  stakes: Stake[];
  leases: LeaseSummary[];
  buyouts: Buyout[];
  reserved: Reserved[];
  created_at: string;
  updated_at: string;
}

export interface AssetEvent {
  id: number;
  kind: string;
  detail: string;
  from_org_id: number | null;
  to_org_id: number | null;
  share_bps: number | null;
  amount: number | null;
  transfer_id: number | null;
  owner_decision_id: number | null;
  federation_decision_id: number | null;
  created_at: string;
}

export interface Arrears {
  count: number;
  amount: number;
  oldest_due_on: string | null;
}

export interface Lease {
  id: number;
  asset: { id: number; name: string; floor_area_m2: number };
  lessor: OrgName;
  lessee: OrgName;
  currency: string;
  starts_on: string;
  ends_on: string;
  renewal: string;
  renew_months: number;
  rent_kind: string;
  rent_monthly: number;
  index_bps: number;
  debt_service: number;
  maintenance: number;
  floor_area_m2: number;
  solidarity: OrgName | null;
  due_day: number;
  state: string;
  steps: { from_on: string; rate_per_m2: number }[];
  decision_id: number | null;
  end_decision_id: number | null;
  invoiced_through: string | null;
  arrears: Arrears;
  created_at: string;
  ended_at: string | null;
}

export interface ScheduleMonth {
  period: string;
  rent: number;
  debt_service: number;
  maintenance: number;
  surplus: number;
  rate_per_m2: number;
  solidarity: number;
  total: number;
}

export interface Schedule {
  items: ScheduleMonth[];
  totals: { rent: number; debt_service: number; maintenance: number; surplus: number; solidarity: number; total: number };
}

export interface Invoice {
  lease_id: number;
  period: string;
  kind: string;
  amount: number;
  due_on: string;
  request_id: number;
  state: string;
  overdue: boolean;
}

export interface Invoices extends Page<Invoice> {
  arrears: Arrears;
}

export interface Flow {
  period: string;
  code: string;
  amount: number;
}

export interface FundFlows {
  account_id: number | null;
  org_id: number;
  kind: string;
  currency: string;
  from: string;
  to: string;
  balance: number;
  inflows: Flow[];
  outflows: Flow[];
  totals: { in: number; out: number };
  by_code: { in: Record<string, number>; out: Record<string, number> };
}

export interface Decision {
  id: number;
  org_id: number;
  domain: string;
  subject: string;
  counterparty_org_id: number | null;
  status: string;
  decided_at: string | null;
  proposals: { id: number; org_id: number; body_key: string; stage: number; status: string }[];
}

// The fund kinds the API knows (workplaces.h fund_flows).
export const FUND_KINDS = ['investment', 'solidarity', 'education', 'mutual'] as const;

// The parts of a month's rent, in the order they are stacked, with one
// colour each (readable on light and dark backgrounds).
export const RENT_PARTS = ['debt_service', 'maintenance', 'surplus'] as const;
export type RentPart = (typeof RENT_PARTS)[number];
export const RENT_COLORS: Record<RentPart | 'solidarity', string> = {
  debt_service: '#3f6fb5',
  maintenance: '#b07a1f',
  surplus: '#2e7d4f',
  solidarity: '#c2504a',
};
// Colours of flow codes on the funds chart, in turn.
export const FLOW_COLORS = ['#2e7d4f', '#3f6fb5', '#b07a1f', '#8a4fa3', '#c2504a', '#6b7280', '#1f8a8a', '#a35d2e'];

// ---- calls

const LIST_LIMIT = 100;

export const wpApi = {
  assets: async (orgId: number, after?: number | null) =>
    asPage(await get<Page<Asset>>('/assets', { org_id: orgId, limit: LIST_LIMIT, after })),
  asset: (id: number) => get<Asset>(`/assets/${id}`),
  events: async (id: number, after?: number | null) =>
    asPage(await get<Page<AssetEvent>>(`/assets/${id}/events`, { limit: LIST_LIMIT, after })),
  leases: async (orgId: number, after?: number | null) =>
    asPage(await get<Page<Lease>>('/leases', { org_id: orgId, limit: LIST_LIMIT, after })),
  lease: (id: number) => get<Lease>(`/leases/${id}`),
  schedule: (id: number, from: string | null, months: number) =>
    get<Schedule>(`/leases/${id}/schedule`, { from, months }),
  invoices: (id: number, after?: number | null) =>
    get<Invoices>(`/leases/${id}/invoices`, { limit: LIST_LIMIT, after }),
  flows: (orgId: number, kind: string, from?: string | null, to?: string | null) =>
    get<FundFlows>(`/orgs/${orgId}/funds/${encodeURIComponent(kind)}/flows`, { from, to }),
  decision: (id: number) => get<Decision>(`/decisions/${id}`),
};

// ---- helpers

// 5100 basis points -> "51%", 1275 -> "12.75%", in the locale's digits.
export function formatBps(bps: number, locale: string): string {
  const whole = Math.trunc(bps / 100);
  const frac = Math.abs(bps % 100);
  const text = frac === 0 ? String(whole) : `${whole}.${String(frac).padStart(2, '0').replace(/0$/, '')}`;
  const decimals = frac === 0 ? 0 : frac % 10 === 0 ? 1 : 2;
  return `${new Intl.NumberFormat(locale, { minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(
    text as Intl.StringNumericLiteral,
  )}%`;
}

// "2026-03" -> "Mar 2026" (or "mar 2026"); unparsable periods as they are.
export function formatPeriod(period: string, locale: string, short = false): string {
  const m = /^(\d{4})-(\d{2})$/.exec(period);
  if (!m) return period;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1));
  return new Intl.DateTimeFormat(locale, { month: 'short', year: short ? '2-digit' : 'numeric', timeZone: 'UTC' }).format(d);
}

// A "YYYY-MM-DD" day for people, read as a calendar day (no time zone shift).
export function formatDate(day: string | null | undefined, locale: string): string {
  if (!day) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(day);
  if (!m) return day;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(d);
}

// The current month as "YYYY-MM" (UTC, as the server counts).
export function thisPeriod(now = new Date()): string {
  return `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
}

// "YYYY-MM" moved by n months.
export function addMonths(period: string, n: number): string {
  const [y, m] = period.split('-').map(Number);
  const i = y * 12 + (m - 1) + n;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}

// Months from a to b ("YYYY-MM" or "YYYY-MM-DD"), b - a.
export function monthsBetween(a: string, b: string): number {
  const [ya, ma] = a.split('-').map(Number);
  const [yb, mb] = b.split('-').map(Number);
  return (yb - ya) * 12 + (mb - ma);
}

function lookup(t: Translate, prefix: string, value: string): string {
  const key = `${prefix}.${value}` as MessageKey;
  const s = t(key);
  return s === key ? value.replace(/_/g, ' ') : s;
}

export const assetKindLabel = (t: Translate, k: string) => lookup(t, 'wp.assetKind', k);
export const assetStatusLabel = (t: Translate, s: string) => lookup(t, 'wp.assetStatus', s);
export const matterLabel = (t: Translate, m: string) => lookup(t, 'wp.matter', m);
export const eventLabel = (t: Translate, k: string) => lookup(t, 'wp.event', k);
export const leaseStateLabel = (t: Translate, s: string) => lookup(t, 'wp.leaseState', s);
export const rentKindLabel = (t: Translate, k: string) => lookup(t, 'wp.rentKind', k);
export const partLabel = (t: Translate, p: string) => lookup(t, 'wp.part', p);
export const buyoutStateLabel = (t: Translate, s: string) => lookup(t, 'wp.buyoutState', s);
export const fundLabel = (t: Translate, k: string) => lookup(t, 'wp.fund', k);
export const invoiceStateLabel = (t: Translate, s: string) => lookup(t, 'ledger.reqState', s);

// A lease's months [starts_on, ends_on) for people: "Aug 2025 – Jul 2035"
// (ends_on is the first month no longer covered).
export function leaseSpan(startsOn: string, endsOn: string, locale: string): string {
  const first = startsOn.slice(0, 7);
  const last = addMonths(endsOn.slice(0, 7), -1);
  return `${formatPeriod(first, locale)} – ${formatPeriod(last < first ? first : last, locale)}`;
}
