// Words and shapes of the solidarity market's pages: the JSON the market API
// answers (src/app/market.h describes every shape), the calls the pages make,
// labels for price parts, packaging, cycle and order states, and the money
// arithmetic of a cart (integer minor units in BigInt, never floating point).
import { api, get, post, put, type Page } from '../api';
import type { Translate } from '../i18n';
import type { MessageKey } from '../i18n/en';

// ---- shapes

export const PARTS = ['producer', 'transport', 'packing', 'margin', 'fund', 'tax'] as const;
export type Part = (typeof PARTS)[number];
export type Breakdown = Record<Part, number>;

// One colour per part of a price, readable on light and dark backgrounds.
export const PART_COLORS: Record<Part, string> = {
  producer: '#2e7d4f',
  transport: '#3f6fb5',
  packing: '#b07a1f',
  margin: '#8a4fa3',
  fund: '#c2504a',
  tax: '#6b7280',
};

export interface OrgName {
  org_id: number;
  name: string;
}

export interface Certification {
  id: number;
  name: string;
  certifier: string;
  reference: string;
  granted_on: string;
  expires_on: string | null;
  valid: boolean;
}

export interface Variant {
  id: number;
  product_id: number;
  name: string;
  unit_code: string;
  unit_label: string;
  net_milli: number;
  case_size: number;
  price: number;
  price_per_base: number | null;
  base_unit: string;
  breakdown: Breakdown;
  active: boolean;
}

export interface ProductSummary {
  id: number;
  producer: OrgName;
  name: string;
  category: string;
  territory: string;
  distance_km: number;
  packaging: string;
  currency: string;
  min_price: number;
  max_price: number;
  sealed: boolean;
  variants: Variant[];
}

export interface Facets {
  categories: { category: string; count: number }[];
  territories?: { territory: string; count: number }[];
}

export interface Label {
  description: string;
  territory: string;
  distance_km: number;
  packaging: string;
  story: string;
  territory_mark: string | null;
  certifications: Certification[];
}

export interface Offer {
  id: number;
  cycle_id: number;
  variant_id: number;
  product_id: number;
  producer: OrgName;
  product_name: string;
  variant_name: string;
  unit_code: string;
  unit_label: string;
  net_milli: number;
  case_size: number;
  max_units: number | null;
  price: number;
  breakdown: Breakdown;
  category: string;
  sealed: boolean;
  label?: Label;
}

export interface Shop {
  cycle: { id: number; name: string; state: string; closes_at: string; currency: string };
  items: Offer[];
  total: number;
  offset: number;
  limit: number;
  facets: Facets;
}

export interface Point {
  id: number;
  cycle_id: number;
  name: string;
  kind: 'pickup' | 'delivery' | string;
  address: string;
  fee: number;
}

export interface Fees {
  transport_bps: number;
  transport_per_unit: number;
  packing_bps: number;
  packing_per_unit: number;
  margin_bps: number;
  fund_bps: number;
  tax_bps: number;
  transport_org_id?: number | null;
  packing_org_id?: number | null;
}

export type CycleState = 'draft' | 'scheduled' | 'open' | 'closed' | 'settled' | 'cancelled' | string;

export interface Cycle {
  id: number;
  coordinator: OrgName;
  name: string;
  currency: string;
  opens_at: string;
  closes_at: string;
  state: CycleState;
  share_rule: string;
  fees: Fees;
  coops: OrgName[];
  points: Point[];
  counts: { offers: number; producers: number; orders: number };
  opened_at: string | null;
  closed_at: string | null;
  settled_at: string | null;
  batch_id: number | null;
  created_at: string;
}

export interface OrderLine {
  id: number;
  offer_id: number;
  product_name: string;
  variant_name: string;
  producer: OrgName;
  quantity: number;
  tolerance: number;
  price: number;
  amount: number;
  max_amount: number;
  allocated: number | null;
  final_amount: number | null;
}

export type OrderState = 'cart' | 'placed' | 'settled' | 'cancelled' | string;

export interface Order {
  id: number;
  cycle_id: number;
  org_id: number;
  person_id: number;
  state: OrderState;
  point_id: number | null;
  account_id: number | null;
  lines: OrderLine[];
  subtotal: number;
  fee: number;
  hold_amount: number;
  placed_at: string | null;
  total: number | null;
  hold_transfer_id: number | null;
  settle_transfer_id: number | null;
  created_at: string;
  updated_at: string;
  cycle?: { id: number; name: string; state: string; closes_at: string; currency?: string };
  person?: { id?: number; name?: string } | null;
  person_name?: string;
}

export interface PurchaseOrderLine {
  offer_id: number;
  product_name: string;
  variant_name: string;
  case_size: number;
  demand: number;
  tolerance: number;
  cases: number;
  units: number;
  confirmed_units: number | null;
  received_units: number | null;
  price: number;
  producer_part: number;
}

export interface PurchaseOrder {
  id: number;
  cycle_id: number;
  producer: OrgName;
  state: 'sent' | 'confirmed' | string;
  created_at: string;
  confirmed_at: string | null;
  note: string | null;
  lines: PurchaseOrderLine[];
  total_units: number;
  producer_amount: number;
}

export interface AllocationOffer {
  offer_id: number;
  product_name: string;
  variant_name: string;
  demand: number;
  tolerance: number;
  received: number;
  allocated: number;
  unallocated: number;
  short: boolean;
}

export interface AllocationPreview {
  offers: AllocationOffer[];
  orders_changed: number;
}

export interface Settlement {
  cycle: Cycle;
  orders: number;
  total: number;
  producers: { org_id: number; name: string; amount: number }[];
  fees: Breakdown;
  point_fees: number;
  transfers: number;
}

export interface LineInput {
  offer_id: number;
  quantity: number;
  tolerance: number;
}

export interface CycleInput {
  coordinator_org_id: number;
  name: string;
  currency?: string;
  opens_at: string;
  closes_at: string;
  share_rule?: string;
  fees?: Partial<Fees>;
  coop_ids?: number[];
}

export interface ShopQuery {
  q?: string;
  category?: string;
  producer?: number | string;
  sealed?: 'true' | 'false' | '';
  sort?: string;
  offset?: number;
  limit?: number;
}

// ---- calls

const M = '/market';

export const marketApi = {
  cycles: (query: { org_id?: number; state?: string; after?: number | null; limit?: number }) =>
    get<Page<Cycle>>(`${M}/cycles`, { limit: 50, ...query }),
  cycle: (id: number) => get<Cycle>(`${M}/cycles/${id}`),
  createCycle: (c: CycleInput) => post<Cycle>(`${M}/cycles`, c),
  updateCycle: (id: number, patch: Record<string, unknown>) => api<Cycle>('PATCH', `${M}/cycles/${id}`, patch),
  setOffers: (id: number, items: { variant_id: number; producer_price?: number; max_units?: number }[]) =>
    post<{ items: Offer[] }>(`${M}/cycles/${id}/offers`, { items }),
  removeOffer: (offerId: number) => api<unknown>('DELETE', `${M}/offers/${offerId}`),
  addPoint: (id: number, p: { name: string; kind: string; address: string; fee: number }) =>
    post<Point>(`${M}/cycles/${id}/points`, p),
  removePoint: (pointId: number) => api<unknown>('DELETE', `${M}/points/${pointId}`),
  transition: (id: number, action: 'publish' | 'open' | 'close' | 'cancel') => post<Cycle>(`${M}/cycles/${id}/${action}`),
  shop: (id: number, q: ShopQuery) => get<Shop>(`${M}/cycles/${id}/shop`, { limit: 20, ...q }),
  products: (q: { q?: string; producer?: number; offset?: number; limit?: number }) =>
    get<{ items: ProductSummary[]; total: number; offset: number; limit: number; facets: Facets }>(`${M}/products`, {
      limit: 50,
      ...q,
    }),
  myOrder: (cycleId: number) => get<Order>(`${M}/cycles/${cycleId}/order`),
  setOrder: (cycleId: number, body: { lines: LineInput[]; point_id?: number; replace?: boolean }) =>
    put<Order>(`${M}/cycles/${cycleId}/order`, body),
  checkout: (cycleId: number) => post<Order>(`${M}/cycles/${cycleId}/checkout`),
  order: (id: number) => get<Order>(`${M}/orders/${id}`),
  cancelOrder: (id: number) => post<Order>(`${M}/orders/${id}/cancel`),
  myOrders: (after?: number | null) => get<Page<Order>>(`${M}/my/orders`, { limit: 50, after }),
  cycleOrders: (id: number, after?: number | null) => get<Page<Order>>(`${M}/cycles/${id}/orders`, { limit: 100, after }),
  purchaseOrders: (id: number) => get<{ items: PurchaseOrder[] }>(`${M}/cycles/${id}/purchase-orders`),
  confirmPurchaseOrder: (poId: number, body: { lines?: { offer_id: number; units: number }[]; note?: string }) =>
    post<PurchaseOrder>(`${M}/purchase-orders/${poId}/confirm`, body),
  recordReceived: (id: number, body: { lines?: { offer_id: number; units: number }[]; all_as_confirmed?: boolean }) =>
    post<unknown>(`${M}/cycles/${id}/received`, body),
  allocation: (id: number) => get<AllocationPreview>(`${M}/cycles/${id}/allocation`),
  settle: (id: number) => post<Settlement>(`${M}/cycles/${id}/settle`),
};

// Links to the reports (downloads and printable pages, served by the API).
export const reportUrl = {
  picklist: (cycleId: number, format: 'csv' | 'html', pointId?: number) =>
    `/api/v1${M}/cycles/${cycleId}/reports/picklist?format=${format}${pointId ? `&point_id=${pointId}` : ''}`,
  orderPicklist: (orderId: number, format: 'csv' | 'html') => `/api/v1${M}/orders/${orderId}/picklist?format=${format}`,
  packing: (cycleId: number, producer: number, format: 'csv' | 'html') =>
    `/api/v1${M}/cycles/${cycleId}/reports/packing?producer=${producer}&format=${format}`,
  statement: (cycleId: number, producer: number, format: 'csv' | 'html') =>
    `/api/v1${M}/cycles/${cycleId}/reports/statement?producer=${producer}&format=${format}`,
};

// ---- labels

function lookup(t: Translate, prefix: string, value: string): string {
  const key = `${prefix}.${value}` as MessageKey;
  const s = t(key);
  return s === key ? value.replace(/_/g, ' ') : s;
}

export const partLabel = (t: Translate, p: string) => lookup(t, 'market.part', p);
export const packagingLabel = (t: Translate, p: string) => lookup(t, 'market.packaging', p);
export const cycleStateLabel = (t: Translate, s: string) => lookup(t, 'market.cycleState', s);
export const orderStateLabel = (t: Translate, s: string) => lookup(t, 'market.orderState', s);
export const shareRuleLabel = (t: Translate, s: string) => lookup(t, 'market.rule', s);
// "dairy/cheese" -> "dairy › cheese"
export const categoryLabel = (c: string) => c.split('/').join(' › ');

// A net quantity in thousandths of the base unit ("500 g", "1.5 kg", "6 pcs").
export function netLabel(netMilli: number, unitCode: string, unitLabel: string, locale: string): string {
  const n = BigInt(Math.trunc(netMilli));
  const whole = n / 1000n;
  const frac = n % 1000n;
  const text = frac === 0n ? whole.toString() : `${whole}.${frac.toString().padStart(3, '0').replace(/0+$/, '')}`;
  const num = new Intl.NumberFormat(locale, { maximumFractionDigits: 3 }).format(text as Intl.StringNumericLiteral);
  return `${num} ${unitLabel || unitCode}`;
}

// ---- cart arithmetic (exact)

export const times = (price: number, n: number): bigint => BigInt(Math.trunc(price)) * BigInt(Math.trunc(n));

// Parts of a breakdown with an amount, in the contract's order.
export function partsOf(b: Breakdown): { part: Part; amount: number }[] {
  return PARTS.map((p) => ({ part: p, amount: b?.[p] ?? 0 })).filter((x) => x.amount > 0);
}

// A whole number typed by a person (0..max), or null.
export function parseCount(s: string, max = 100_000): number | null {
  const v = s.trim();
  if (!/^\d{1,6}$/.test(v)) return null;
  const n = Number(v);
  return n <= max ? n : null;
}

// A percentage in basis points as typed ("2.5" -> 250), or null.
export function parseBps(s: string): number | null {
  const v = s.trim().replace(',', '.');
  if (v === '') return 0;
  const m = /^(\d{1,3})(?:\.(\d{0,2}))?$/.exec(v);
  if (!m) return null;
  const bps = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return bps <= 10_000 ? bps : null;
}

export function bpsText(bps: number, locale: string): string {
  const whole = Math.trunc(bps / 100);
  const frac = bps % 100;
  const text = frac === 0 ? `${whole}` : `${whole}.${String(frac).padStart(2, '0')}`;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(text as Intl.StringNumericLiteral)}%`;
}

// A date-time input's value ("2026-11-24T18:00", local time) <-> ISO UTC.
export function localInputToIso(v: string): string | null {
  if (!v) return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
export function isoToLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function formatWhen(iso: string | null | undefined, locale: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}
