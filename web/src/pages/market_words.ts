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

// ---- group buying and fair-price contracts (the market's second part)

// A volume price tier of an offer: from min_units ordered in the whole
// cycle (a hub's, with its local cycles' demand) the price is `price`.
export interface Tier {
  min_units: number;
  producer_price: number;
  price: number;
  breakdown: Breakdown;
}

// The offer fields group buying adds (list_price: the price while ordering,
// once a tier lowered it at close; tier_min_units: the tier reached).
export interface TieredOffer extends Offer {
  list_price?: number | null;
  tier_min_units?: number | null;
  tiers?: Tier[];
}

export interface CycleRef {
  id: number;
  name: string;
  state: CycleState;
  closes_at: string;
  coordinator: OrgName;
  orders?: number;
}

// The cycle fields group buying adds: its hub (a local cycle) or the local
// cycles feeding it (a hub).
export interface HubCycle extends Cycle {
  hub?: CycleRef | null;
  linked?: CycleRef[];
}

export interface DemandLine {
  offer_id: number;
  product_name: string;
  variant_name: string;
  case_size: number;
  demand: number;
  tolerance: number;
  cases: number;
  units: number;
  tier_min_units: number | null;
  // The offer's price now and the price the tier reached would set at close.
  price?: number;
  tier_price?: number | null;
  next_tier: { min_units: number; producer_price: number; price: number; units_short: number } | null;
}

export interface GroupDemand {
  cycle_id: number;
  offers: DemandLine[];
}

// Order fields group buying adds: the price while ordering and the saving
// (per line and in total) once a tier applied.
export interface SavingLine extends OrderLine {
  list_price?: number | null;
  saving?: number | null;
}

export type ContractState = 'proposed' | 'active' | 'ended' | 'withdrawn' | 'declined' | string;

export interface ContractLine {
  variant_id: number;
  product_id: number;
  product_name: string;
  variant_name: string;
  floor_price: number;
  committed_units: number;
  delivered_units: number;
  remaining_units: number;
}

export interface ContractBalance {
  advanced: number;
  repaid: number;
  outstanding: number;
  floor_paid: number;
  delivered_units: number;
  delivered_amount: number;
}

export interface Contract {
  id: number;
  buyer: OrgName;
  producer: OrgName;
  name: string;
  currency: string;
  starts_on: string;
  ends_on: string;
  account_id: number;
  repay_bps: number;
  state: ContractState;
  terms: string;
  lines: ContractLine[];
  balance: ContractBalance;
  created_at: string;
  accepted_at: string | null;
  ended_at: string | null;
}

export type EntryKind = 'advance' | 'repayment' | 'floor' | 'delivery' | string;

export interface ContractEntry {
  id: number;
  kind: EntryKind;
  cycle_id: number | null;
  variant_id: number | null;
  units: number;
  amount: number;
  transfer_id: number | null;
  memo: string;
  created_at: string;
}

export interface ContractInput {
  buyer_org_id: number;
  producer_org_id: number;
  name: string;
  starts_on: string;
  ends_on: string;
  account_id: number;
  repay_bps?: number;
  terms?: string;
  lines: { variant_id: number; floor_price: number; committed_units?: number }[];
}

export const hubApi = {
  demand: (cycleId: number) => get<GroupDemand>(`${M}/cycles/${cycleId}/demand`),
  setTiers: (
    cycleId: number,
    items: { variant_id: number; producer_price?: number; max_units?: number; tiers: { min_units: number; producer_price: number }[] }[],
  ) => post<{ items: TieredOffer[] }>(`${M}/cycles/${cycleId}/offers`, { items }),
};

export const contractApi = {
  list: (q: { org_id: number; state?: string; after?: number | null; limit?: number }) =>
    get<Page<Contract>>(`${M}/contracts`, { limit: 50, ...q }),
  get: (id: number) => get<Contract>(`${M}/contracts/${id}`),
  propose: (c: ContractInput) => post<Contract>(`${M}/contracts`, c),
  act: (id: number, action: 'accept' | 'decline' | 'withdraw' | 'end') => post<Contract>(`${M}/contracts/${id}/${action}`),
  advance: (id: number, body: { key: string; amount: number; memo?: string }) => post<Contract>(`${M}/contracts/${id}/advances`, body),
  entries: (id: number, after?: number | null) => get<Page<ContractEntry>>(`${M}/contracts/${id}/entries`, { limit: 100, after }),
};

// The tier an amount of units reaches (the last with min_units <= units).
export function tierFor(tiers: Tier[] | undefined, units: number): Tier | null {
  let out: Tier | null = null;
  for (const t of tiers ?? []) if (t.min_units <= units) out = t;
  return out;
}

// The saving of one order line in minor units: the server's, else
// (list_price - price) × the units charged.
export function lineSaving(l: SavingLine): bigint {
  if (l.saving !== undefined && l.saving !== null) return BigInt(Math.trunc(l.saving));
  if (l.list_price === undefined || l.list_price === null || l.list_price <= l.price) return 0n;
  return times(l.list_price - l.price, l.allocated ?? l.quantity);
}

// The words of these pages, in the interface's three languages (the shared
// catalogs in i18n/ hold the rest of the market's words).
const MW_EN = {
  tiers: 'Volume prices',
  tierFrom: 'from {n} units: {price}',
  tierReached: 'reached',
  tierListNow: 'List price {list}, now {price}',
  youSaveUnit: 'You save {amount} a unit',
  regionDemand: 'Ordered across the region: {n} units',
  cycleDemand: 'Ordered in this cycle: {n} units',
  unitsToNext: '{n} more units to reach the next price ({price})',
  topTier: 'The best price is reached.',
  tierPriceNow: 'With the tier reached, the price at close: {price}',
  groupTitle: 'Group buying',
  localOf: 'Part of the regional cycle {name}, coordinated by {coordinator}: its members order together so cases fill and volume prices apply.',
  hubOf: 'This regional cycle gathers the orders of {n} local cycles.',
  groupHint: 'Prices fall for everyone once the orders of the whole region reach a volume tier.',
  saving: 'Saving',
  savingTotal: 'Your saving',
  savingLine: 'saved {amount}',
  listPrice: 'List price',
  price: 'Price',
  hubCycle: 'Regional hub cycle',
  hubNone: 'None: this cycle has its own offers',
  hubHint: 'A local cycle sells the hub’s offers at the hub’s prices (no fees of its own) and closes no later than the hub; the hub closes, receives and settles for all.',
  hubLink: 'Hub: {name}',
  linkedTitle: 'Local cycles feeding this hub',
  linkedNone: 'No local cycle feeds this hub yet.',
  ordersN: '{n} orders',
  localOffers: 'This local cycle sells the offers of its hub; set offers and tiers on the hub’s page.',
  localSettle: 'Receiving, sharing out and settlement happen at the hub.',
  editTiers: 'Volume tiers',
  tierMin: 'From units',
  tierPrice: 'Producer price ({currency})',
  addTier: 'Add a tier',
  saveTiers: 'Save tiers',
  tiersSaved: 'Tiers saved.',
  removeTier: 'Remove tier {n}',
  badTiers: 'Tiers need rising units (at least 2) and falling producer prices below the offer’s.',
  demandTitle: 'Demand across the region',
  demandEmpty: 'No orders yet.',
  otherDemand: 'Other offers ordered, without tiers ({n})',
  product: 'Product',
  demand: 'Ordered',
  cases: 'Cases',
  units: 'Units',
  nextTier: 'Next tier',
  tierNow: 'Tier now',
  short: '{n} short',
  // contracts
  contracts: 'Fair-price contracts',
  contractsOf: 'Fair-price contracts of {name}',
  contractsIntro: 'A contract guarantees a producer a minimum price (the floor, topped up when a cycle’s price is lower), a volume the buyer commits to take, and advances repaid by deductions from deliveries.',
  asBuyer: 'As buyer',
  asProducer: 'As producer',
  noContracts: 'No contracts yet.',
  state: 'State',
  'state.proposed': 'proposed',
  'state.active': 'active',
  'state.ended': 'ended',
  'state.withdrawn': 'withdrawn',
  'state.declined': 'declined',
  buyer: 'Buyer',
  producer: 'Producer',
  term: 'Term',
  termText: '{from} to {to}',
  repay: 'Repaid from deliveries',
  repayText: '{pct} of each delivery while advances are outstanding',
  account: 'Paid from account',
  terms: 'Terms',
  lines: 'Products covered',
  floor: 'Floor',
  committed: 'Committed',
  delivered: 'Delivered',
  remaining: 'Remaining',
  progress: '{d} of {c} units delivered',
  noCommitment: 'no commitment',
  balance: 'Running balance',
  advanced: 'Advanced',
  repaid: 'Repaid',
  outstanding: 'Outstanding',
  floorPaid: 'Floor top-ups',
  deliveredAmount: 'Deliveries at cycle prices',
  entries: 'Entries',
  noEntries: 'No entries yet.',
  when: 'When',
  kind: 'Kind',
  amount: 'Amount',
  memo: 'Note',
  cycle: 'Cycle',
  'kind.advance': 'advance',
  'kind.repayment': 'repayment',
  'kind.floor': 'floor top-up',
  'kind.delivery': 'delivery',
  accept: 'Accept',
  decline: 'Decline',
  withdraw: 'Withdraw',
  end: 'End the contract',
  endConfirm: 'End this contract now? Deliveries after today are no longer covered.',
  yes: 'Yes',
  'did.accept': 'The contract is active.',
  'did.decline': 'The contract was declined.',
  'did.withdraw': 'The proposal was withdrawn.',
  'did.end': 'The contract ended.',
  payAdvance: 'Pay an advance',
  advanceAmount: 'Amount ({currency})',
  advanceMemo: 'Note (optional)',
  advancePay: 'Pay the advance',
  advancePaid: 'Advance paid.',
  badAmount: 'Give an amount above zero.',
  propose: 'Propose a contract',
  proposeHint: 'The producer’s coordinator accepts or declines it.',
  name: 'Name',
  startsOn: 'Starts on',
  endsOn: 'Ends on',
  repayPct: 'Share of each delivery kept to repay advances (%)',
  chooseProducer: 'Choose a producer',
  findProducts: 'Load the producer’s products',
  cover: 'Cover {name}',
  floorPrice: 'Floor per unit ({currency})',
  commitUnits: 'Units committed',
  proposeGo: 'Propose',
  proposed: 'Contract proposed.',
  badContract: 'Give a name, a term (end after start), an account and at least one product with a floor.',
  noAccounts: 'This organisation has no account in a currency to pay from.',
  open: 'Open',
  pendingYou: 'Waiting for the producer to accept.',
} as const;

export type MwKey = keyof typeof MW_EN;
type MwCatalog = Record<MwKey, string>;

const MW_ES: MwCatalog = {
  tiers: 'Precios por volumen',
  tierFrom: 'desde {n} unidades: {price}',
  tierReached: 'alcanzado',
  tierListNow: 'Precio de lista {list}, ahora {price}',
  youSaveUnit: 'Ahorra {amount} por unidad',
  regionDemand: 'Pedido en toda la región: {n} unidades',
  cycleDemand: 'Pedido en este ciclo: {n} unidades',
  unitsToNext: 'Faltan {n} unidades para el siguiente precio ({price})',
  topTier: 'Se alcanzó el mejor precio.',
  tierPriceNow: 'Con el tramo alcanzado, el precio al cierre: {price}',
  groupTitle: 'Compra conjunta',
  localOf: 'Parte del ciclo regional {name}, coordinado por {coordinator}: sus socias piden juntas para llenar cajas y lograr precios por volumen.',
  hubOf: 'Este ciclo regional reúne los pedidos de {n} ciclos locales.',
  groupHint: 'Los precios bajan para todas cuando los pedidos de toda la región alcanzan un tramo de volumen.',
  saving: 'Ahorro',
  savingTotal: 'Su ahorro',
  savingLine: 'ahorró {amount}',
  listPrice: 'Precio de lista',
  price: 'Precio',
  hubCycle: 'Ciclo regional (hub)',
  hubNone: 'Ninguno: este ciclo tiene ofertas propias',
  hubHint: 'Un ciclo local vende las ofertas del hub a sus precios (sin tarifas propias) y cierra no después del hub; el hub cierra, recibe y liquida por todos.',
  hubLink: 'Hub: {name}',
  linkedTitle: 'Ciclos locales que alimentan este hub',
  linkedNone: 'Aún no hay ciclos locales en este hub.',
  ordersN: '{n} pedidos',
  localOffers: 'Este ciclo local vende las ofertas de su hub; las ofertas y tramos se definen en la página del hub.',
  localSettle: 'La recepción, el reparto y la liquidación se hacen en el hub.',
  editTiers: 'Tramos de volumen',
  tierMin: 'Desde unidades',
  tierPrice: 'Precio al productor ({currency})',
  addTier: 'Añadir tramo',
  saveTiers: 'Guardar tramos',
  tiersSaved: 'Tramos guardados.',
  removeTier: 'Quitar tramo {n}',
  badTiers: 'Los tramos necesitan unidades crecientes (al menos 2) y precios al productor decrecientes por debajo del de la oferta.',
  demandTitle: 'Demanda en la región',
  demandEmpty: 'Aún no hay pedidos.',
  otherDemand: 'Otras ofertas pedidas, sin tramos ({n})',
  product: 'Producto',
  demand: 'Pedido',
  cases: 'Cajas',
  units: 'Unidades',
  nextTier: 'Siguiente tramo',
  tierNow: 'Tramo actual',
  short: 'faltan {n}',
  contracts: 'Contratos de precio justo',
  contractsOf: 'Contratos de precio justo de {name}',
  contractsIntro: 'Un contrato garantiza a un productor un precio mínimo (el suelo, que se completa si el precio del ciclo es menor), un volumen que el comprador se compromete a tomar y anticipos que se devuelven con descuentos sobre las entregas.',
  asBuyer: 'Como compradora',
  asProducer: 'Como productora',
  noContracts: 'Aún no hay contratos.',
  state: 'Estado',
  'state.proposed': 'propuesto',
  'state.active': 'activo',
  'state.ended': 'terminado',
  'state.withdrawn': 'retirado',
  'state.declined': 'rechazado',
  buyer: 'Compradora',
  producer: 'Productora',
  term: 'Plazo',
  termText: 'del {from} al {to}',
  repay: 'Devolución con entregas',
  repayText: '{pct} de cada entrega mientras haya anticipos pendientes',
  account: 'Se paga desde la cuenta',
  terms: 'Condiciones',
  lines: 'Productos cubiertos',
  floor: 'Suelo',
  committed: 'Comprometido',
  delivered: 'Entregado',
  remaining: 'Pendiente',
  progress: '{d} de {c} unidades entregadas',
  noCommitment: 'sin compromiso',
  balance: 'Saldo del contrato',
  advanced: 'Anticipado',
  repaid: 'Devuelto',
  outstanding: 'Pendiente',
  floorPaid: 'Complementos de suelo',
  deliveredAmount: 'Entregas a precio de ciclo',
  entries: 'Movimientos',
  noEntries: 'Aún no hay movimientos.',
  when: 'Cuándo',
  kind: 'Tipo',
  amount: 'Importe',
  memo: 'Nota',
  cycle: 'Ciclo',
  'kind.advance': 'anticipo',
  'kind.repayment': 'devolución',
  'kind.floor': 'complemento de suelo',
  'kind.delivery': 'entrega',
  accept: 'Aceptar',
  decline: 'Rechazar',
  withdraw: 'Retirar',
  end: 'Terminar el contrato',
  endConfirm: '¿Terminar este contrato ahora? Las entregas posteriores ya no quedan cubiertas.',
  yes: 'Sí',
  'did.accept': 'El contrato está activo.',
  'did.decline': 'El contrato fue rechazado.',
  'did.withdraw': 'La propuesta fue retirada.',
  'did.end': 'El contrato terminó.',
  payAdvance: 'Pagar un anticipo',
  advanceAmount: 'Importe ({currency})',
  advanceMemo: 'Nota (opcional)',
  advancePay: 'Pagar el anticipo',
  advancePaid: 'Anticipo pagado.',
  badAmount: 'Indique un importe mayor que cero.',
  propose: 'Proponer un contrato',
  proposeHint: 'La coordinación de la productora lo acepta o lo rechaza.',
  name: 'Nombre',
  startsOn: 'Empieza el',
  endsOn: 'Termina el',
  repayPct: 'Parte de cada entrega retenida para devolver anticipos (%)',
  chooseProducer: 'Elija una productora',
  findProducts: 'Cargar los productos de la productora',
  cover: 'Cubrir {name}',
  floorPrice: 'Suelo por unidad ({currency})',
  commitUnits: 'Unidades comprometidas',
  proposeGo: 'Proponer',
  proposed: 'Contrato propuesto.',
  badContract: 'Indique un nombre, un plazo (fin después del inicio), una cuenta y al menos un producto con suelo.',
  noAccounts: 'Esta organización no tiene cuenta desde la que pagar.',
  open: 'Abrir',
  pendingYou: 'Esperando a que la productora acepte.',
};

const MW_PT: MwCatalog = {
  tiers: 'Preços por volume',
  tierFrom: 'a partir de {n} unidades: {price}',
  tierReached: 'atingido',
  tierListNow: 'Preço de tabela {list}, agora {price}',
  youSaveUnit: 'Poupa {amount} por unidade',
  regionDemand: 'Encomendado em toda a região: {n} unidades',
  cycleDemand: 'Encomendado neste ciclo: {n} unidades',
  unitsToNext: 'Faltam {n} unidades para o preço seguinte ({price})',
  topTier: 'O melhor preço foi atingido.',
  tierPriceNow: 'Com o escalão atingido, o preço no fecho: {price}',
  groupTitle: 'Compra conjunta',
  localOf: 'Parte do ciclo regional {name}, coordenado por {coordinator}: os seus membros encomendam juntos para encher caixas e obter preços por volume.',
  hubOf: 'Este ciclo regional junta as encomendas de {n} ciclos locais.',
  groupHint: 'Os preços descem para todos quando as encomendas de toda a região atingem um escalão de volume.',
  saving: 'Poupança',
  savingTotal: 'A sua poupança',
  savingLine: 'poupou {amount}',
  listPrice: 'Preço de tabela',
  price: 'Preço',
  hubCycle: 'Ciclo regional (hub)',
  hubNone: 'Nenhum: este ciclo tem ofertas próprias',
  hubHint: 'Um ciclo local vende as ofertas do hub aos preços do hub (sem taxas próprias) e fecha antes ou com o hub; o hub fecha, recebe e liquida por todos.',
  hubLink: 'Hub: {name}',
  linkedTitle: 'Ciclos locais que alimentam este hub',
  linkedNone: 'Ainda nenhum ciclo local alimenta este hub.',
  ordersN: '{n} encomendas',
  localOffers: 'Este ciclo local vende as ofertas do seu hub; as ofertas e escalões definem-se na página do hub.',
  localSettle: 'A receção, a repartição e a liquidação fazem-se no hub.',
  editTiers: 'Escalões de volume',
  tierMin: 'A partir de unidades',
  tierPrice: 'Preço ao produtor ({currency})',
  addTier: 'Acrescentar escalão',
  saveTiers: 'Guardar escalões',
  tiersSaved: 'Escalões guardados.',
  removeTier: 'Retirar escalão {n}',
  badTiers: 'Os escalões precisam de unidades crescentes (pelo menos 2) e preços ao produtor decrescentes abaixo do da oferta.',
  demandTitle: 'Procura na região',
  demandEmpty: 'Ainda não há encomendas.',
  otherDemand: 'Outras ofertas encomendadas, sem escalões ({n})',
  product: 'Produto',
  demand: 'Encomendado',
  cases: 'Caixas',
  units: 'Unidades',
  nextTier: 'Escalão seguinte',
  tierNow: 'Escalão atual',
  short: 'faltam {n}',
  contracts: 'Contratos de preço justo',
  contractsOf: 'Contratos de preço justo de {name}',
  contractsIntro: 'Um contrato garante a um produtor um preço mínimo (o piso, completado quando o preço do ciclo é menor), um volume que o comprador se compromete a levar e adiantamentos reembolsados por deduções nas entregas.',
  asBuyer: 'Como compradora',
  asProducer: 'Como produtora',
  noContracts: 'Ainda não há contratos.',
  state: 'Estado',
  'state.proposed': 'proposto',
  'state.active': 'ativo',
  'state.ended': 'terminado',
  'state.withdrawn': 'retirado',
  'state.declined': 'recusado',
  buyer: 'Compradora',
  producer: 'Produtora',
  term: 'Prazo',
  termText: 'de {from} a {to}',
  repay: 'Reembolso com entregas',
  repayText: '{pct} de cada entrega enquanto houver adiantamentos por reembolsar',
  account: 'Pago pela conta',
  terms: 'Condições',
  lines: 'Produtos cobertos',
  floor: 'Piso',
  committed: 'Comprometido',
  delivered: 'Entregue',
  remaining: 'Em falta',
  progress: '{d} de {c} unidades entregues',
  noCommitment: 'sem compromisso',
  balance: 'Saldo do contrato',
  advanced: 'Adiantado',
  repaid: 'Reembolsado',
  outstanding: 'Por reembolsar',
  floorPaid: 'Complementos de piso',
  deliveredAmount: 'Entregas a preço de ciclo',
  entries: 'Movimentos',
  noEntries: 'Ainda não há movimentos.',
  when: 'Quando',
  kind: 'Tipo',
  amount: 'Montante',
  memo: 'Nota',
  cycle: 'Ciclo',
  'kind.advance': 'adiantamento',
  'kind.repayment': 'reembolso',
  'kind.floor': 'complemento de piso',
  'kind.delivery': 'entrega',
  accept: 'Aceitar',
  decline: 'Recusar',
  withdraw: 'Retirar',
  end: 'Terminar o contrato',
  endConfirm: 'Terminar este contrato agora? As entregas posteriores deixam de estar cobertas.',
  yes: 'Sim',
  'did.accept': 'O contrato está ativo.',
  'did.decline': 'O contrato foi recusado.',
  'did.withdraw': 'A proposta foi retirada.',
  'did.end': 'O contrato terminou.',
  payAdvance: 'Pagar um adiantamento',
  advanceAmount: 'Montante ({currency})',
  advanceMemo: 'Nota (opcional)',
  advancePay: 'Pagar o adiantamento',
  advancePaid: 'Adiantamento pago.',
  badAmount: 'Indique um montante acima de zero.',
  propose: 'Propor um contrato',
  proposeHint: 'A coordenação da produtora aceita-o ou recusa-o.',
  name: 'Nome',
  startsOn: 'Começa a',
  endsOn: 'Termina a',
  repayPct: 'Parte de cada entrega retida para reembolsar adiantamentos (%)',
  chooseProducer: 'Escolha uma produtora',
  findProducts: 'Carregar os produtos da produtora',
  cover: 'Cobrir {name}',
  floorPrice: 'Piso por unidade ({currency})',
  commitUnits: 'Unidades comprometidas',
  proposeGo: 'Propor',
  proposed: 'Contrato proposto.',
  badContract: 'Indique um nome, um prazo (fim depois do início), uma conta e pelo menos um produto com piso.',
  noAccounts: 'Esta organização não tem conta pela qual pagar.',
  open: 'Abrir',
  pendingYou: 'À espera de que a produtora aceite.',
};

const MW: Record<string, MwCatalog> = { en: MW_EN, es: MW_ES, pt: MW_PT };

export type MwTranslate = (key: MwKey, vars?: Record<string, string | number>) => string;

// A translator for these words in the given interface language.
export function mwFor(locale: string): MwTranslate {
  const cat = MW[locale] ?? MW_EN;
  return (key, vars) => {
    let s: string = cat[key] ?? MW_EN[key] ?? key;
    if (vars) for (const [k, v] of Object.entries(vars)) s = s.split(`{${k}}`).join(String(v));
    return s;
  };
}
