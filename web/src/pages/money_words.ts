// Words and numbers of the ledger pages: amounts held as integer minor units
// of a currency with its own `minor_units` (official or community currency),
// shown and read as exact decimal strings (BigInt, never binary floating
// point); labels for account holders and kinds, transfer purposes, payment
// request states and closing parts; idempotency keys for the POSTs that move
// money.
import { get, type Page } from '../api';
import type { Translate } from '../i18n';
import type { MessageKey } from '../i18n/en';

// ---- shapes (src/app/ledger.h describes every one)

export interface Currency {
  code: string;
  name: string;
  kind: 'official' | 'community' | string;
  minor_units: number;
  issuer_org_id: number | null;
  mutual_credit: boolean;
  default_lower_limit: number | null;
  default_upper_limit: number | null;
}

export type Holder = 'member' | 'org' | 'fund' | 'reserve' | 'external';

export interface LedgerAccount {
  id: number;
  org_id: number;
  currency: string;
  holder: Holder | string;
  person_id: number | null;
  kind: string;
  name: string;
  lower_limit: number | null;
  upper_limit: number | null;
  debits_must_not_exceed_credits: boolean;
  credits_must_not_exceed_debits: boolean;
  debits_posted: number;
  credits_posted: number;
  debits_pending: number;
  credits_pending: number;
  balance: number;
  available: number;
  closed: boolean;
  created_at: string;
  org?: { id: number; name: string };
}

export interface Transfer {
  id: number;
  key: string;
  action: 'create' | 'post' | 'void' | 'expire' | string;
  pending: boolean;
  state: 'posted' | 'pending' | 'voided' | 'expired' | string;
  debit_account_id: number;
  credit_account_id: number;
  amount: number;
  currency: string;
  code: string;
  memo: string;
  pending_id: number | null;
  reverses_id: number | null;
  batch_id: number | null;
  payment_request_id: number | null;
  timeout_at: string | null;
  debit_balance: number;
  credit_balance: number;
  created_at: string;
}

export interface StatementLine {
  transfer: Transfer;
  side: 'debit' | 'credit';
  amount: number;
  balance: number;
}

export interface Statement {
  account: LedgerAccount;
  items: StatementLine[];
  next_before: number | null;
}

export interface Party {
  org_id: number;
  person_id: number | null;
  name: string;
}

export type RequestState = 'open' | 'accepted' | 'rejected' | 'cancelled' | 'paid' | string;

export interface PaymentRequest {
  id: number;
  key: string;
  payee_account_id: number;
  payer_account_id: number;
  payee: Party;
  payer: Party;
  amount: number;
  currency: string;
  code: string;
  memo: string;
  due_at: string | null;
  state: RequestState;
  reason: string | null;
  created_at: string;
  responded_at: string | null;
  paid_transfer_id: number | null;
}

export interface ClosingPart {
  part: string;
  amount: number;
  account: { holder: string; kind: string; org_id: number };
}

export interface ClosingLine {
  part: string;
  person_id: number | null;
  name: string | null;
  basis: number;
  amount: number;
  disposition: string;
}

// A closing's preview, or the committed closing (the preview plus id and
// batch_id). The list of committed closings carries {id, org_id, kind
// ("year" | "bonus"), period ("2026" | "2026-03"), currency, total, rules,
// batch_id, created_at} instead of year and surplus.
export interface ClosingSummary {
  id: number;
  org_id: number;
  kind?: 'year' | 'bonus' | string;
  period?: string;
  year?: number;
  currency: string;
  total?: number;
  surplus?: number;
  batch_id?: number | null;
  created_at?: string;
}

export const closingYear = (c: ClosingSummary): number | null =>
  c.year ?? (c.kind === undefined || c.kind === 'year' ? Number(c.period) || null : null);
export const closingTotal = (c: ClosingSummary): number => c.surplus ?? c.total ?? 0;

export interface Closing {
  id?: number;
  batch_id?: number | null;
  org_id: number;
  year: number;
  currency: string;
  surplus: number;
  rules: Record<string, unknown>;
  interest_total: number;
  reserves_total: number;
  members_total: number;
  parts: ClosingPart[];
  lines: ClosingLine[];
  created_at?: string;
}

// ---- the API calls of the ledger pages

let currencies: Promise<Map<string, Currency>> | null = null;

// Every currency by code, read once per page load (the list is public and small).
export function currencyMap(): Promise<Map<string, Currency>> {
  if (!currencies) {
    currencies = get<{ items: Currency[] }>('/currencies').then(
      (r) => new Map((r.items ?? []).map((c) => [c.code, c])),
      (e) => {
        currencies = null;
        throw e;
      },
    );
  }
  return currencies;
}

export const ledgerApi = {
  myAccounts: () => get<{ items: LedgerAccount[] }>('/me/accounts'),
  account: (id: number) => get<LedgerAccount>(`/accounts/${id}`),
  statement: (id: number, before?: number | null, limit = 50) =>
    get<Statement>(`/accounts/${id}/statement`, { limit, before: before ?? undefined }),
  orgAccounts: (orgId: number, after?: number | null) =>
    get<Page<LedgerAccount>>(`/orgs/${orgId}/accounts`, { limit: 200, after }),
  orgRequests: (orgId: number, state: string, after?: number | null) =>
    get<Page<PaymentRequest>>(`/orgs/${orgId}/payment-requests`, { state, limit: 50, after }),
  myRequests: (state: string, after?: number | null) =>
    get<Page<PaymentRequest>>('/me/payment-requests', { state, limit: 50, after }),
  closings: (orgId: number) => get<{ items: ClosingSummary[] }>(`/orgs/${orgId}/closings`),
  previewClosing: (orgId: number, year: number, surplus?: bigint | null) =>
    get<Closing>(`/orgs/${orgId}/closings/preview`, {
      year,
      surplus: surplus !== null && surplus !== undefined ? surplus.toString() : undefined,
    }),
};

// A fresh idempotency key ([A-Za-z0-9._:-], 1..64): the same key is sent
// again when a request is retried, so a lost answer never moves money twice.
export function newKey(prefix = 'web'): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return `${prefix}:${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

// ---- amounts

// An API integer (a JSON number, exact up to 2^53) or a BigInt as a BigInt.
export function big(v: number | bigint | string | null | undefined): bigint {
  if (v === null || v === undefined) return 0n;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'string') return BigInt(v);
  return BigInt(Math.trunc(v));
}

// 12345 minor units with 2 minor digits -> "123.45" (exact for any size).
export function decimalString(minor: number | bigint, digits: number): string {
  const v = big(minor);
  const neg = v < 0n;
  const abs = (neg ? -v : v).toString();
  if (digits <= 0) return `${neg ? '-' : ''}${abs}`;
  const s = abs.padStart(digits + 1, '0');
  return `${neg ? '-' : ''}${s.slice(0, -digits)}.${s.slice(-digits)}`;
}

const isoCache = new Map<string, boolean>();
function isIsoCurrency(code: string): boolean {
  let ok = isoCache.get(code);
  if (ok === undefined) {
    ok = false;
    if (/^[A-Z]{3}$/.test(code)) {
      try {
        new Intl.NumberFormat('en', { style: 'currency', currency: code });
        ok = true;
      } catch {
        ok = false;
      }
    }
    isoCache.set(code, ok);
  }
  return ok;
}

// An amount for people to read, in the locale's grouping and decimal mark.
// Official currencies get their symbol; community ones their code after the
// number. `sign` adds a + to positive amounts (statement lines).
export function formatAmount(
  minor: number | bigint,
  currency: string,
  digits: number,
  locale: string,
  sign = false,
): string {
  const text = decimalString(minor, digits);
  const opts: Intl.NumberFormatOptions = {
    minimumFractionDigits: Math.max(0, digits),
    maximumFractionDigits: Math.max(0, digits),
    signDisplay: sign ? 'exceptZero' : 'auto',
  };
  try {
    if (isIsoCurrency(currency)) {
      return new Intl.NumberFormat(locale, { ...opts, style: 'currency', currency }).format(
        text as Intl.StringNumericLiteral,
      );
    }
    return `${new Intl.NumberFormat(locale, opts).format(text as Intl.StringNumericLiteral)} ${currency}`;
  } catch {
    return `${sign && !text.startsWith('-') && text !== '0' ? '+' : ''}${text} ${currency}`;
  }
}

// What a person typed ("12,50", "1 234.5", "7") -> minor units, or null when
// it is not a plain non-negative amount with at most `digits` decimals.
export function parseAmount(input: string, digits: number): bigint | null {
  const s = input.trim().replace(/[\s\u00a0\u202f']/g, '');
  if (!s) return null;
  const m = /^(\d+)(?:[.,](\d*))?$/.exec(s);
  if (!m) return null;
  const whole = m[1];
  const frac = m[2] ?? '';
  if (frac.length > digits) return null;
  const v = BigInt(whole) * 10n ** BigInt(digits) + (frac ? BigInt(frac.padEnd(digits, '0')) : 0n);
  return v;
}

// The largest amount a JSON number carries exactly.
export const MAX_SAFE_MINOR = BigInt(Number.MAX_SAFE_INTEGER);

// An exact share of a whole, for display ("12.5%"), from integers.
export function percentOf(part: number | bigint, whole: number | bigint, locale: string): string {
  const w = big(whole);
  if (w <= 0n) return '';
  const tenths = (big(part) * 1000n + w / 2n) / w; // rounded to 0.1 %
  const text = decimalString(tenths, 1);
  return `${new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(
    text as Intl.StringNumericLiteral,
  )}%`;
}

// ---- labels

function lookup(t: Translate, prefix: string, value: string): string {
  const key = `${prefix}.${value}` as MessageKey;
  const s = t(key);
  return s === key ? value.replace(/_/g, ' ') : s;
}

export const holderLabel = (t: Translate, h: string) => lookup(t, 'ledger.holder', h);
export const kindLabel = (t: Translate, k: string) => lookup(t, 'ledger.kind', k);
// Closing transfers are coded "closing_<part>" (e.g. closing_legal_reserve).
export const codeLabel = (t: Translate, c: string) =>
  c.startsWith('closing_') ? `${t('ledger.code.closing')}: ${lookup(t, 'ledger.part', c.slice(8))}` : lookup(t, 'ledger.code', c);
export const requestStateLabel = (t: Translate, s: string) => lookup(t, 'ledger.reqState', s);
export const partLabel = (t: Translate, p: string) => lookup(t, 'ledger.part', p);
// A line's disposition: a word ("cash", "share_capital") or the receiving
// account as "holder/kind" ("member/current", "reserve/legal").
export const dispositionLabel = (t: Translate, d: string) => {
  const slash = d.indexOf('/');
  return slash >= 0 ? `→ ${lookup(t, 'ledger.kind', d.slice(slash + 1))}` : lookup(t, 'ledger.disposition', d);
};

// The order holders are shown in on the treasury page.
export const HOLDERS: Holder[] = ['org', 'fund', 'reserve', 'external', 'member'];

export function formatDay(iso: string | null | undefined, locale: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(d);
}
