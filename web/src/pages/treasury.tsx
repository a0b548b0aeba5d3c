// A co-op's treasury, for its coordinators, treasurers and auditors: every
// account (the org's own, funds, reserves, external money, members) with its
// balance; payment requests it sends and receives (accept, reject, pay,
// cancel) and a form to request a payment; and the year-end closing: pick the
// year, preview each part and member line with a hand-drawn SVG donut of
// where the surplus goes, then commit after an explicit confirmation.
import { useEffect, useState } from 'preact/hooks';
import { endpoints, post, type Org } from '../api';
import { useI18n, type Translate } from '../i18n';
import { Breadcrumbs, ErrorBox, Loading, Notice, PageHeading, useAsync, usePageTitle, Swatch } from '../ui';
import { Amount, WIDE, useDigits } from './money';
import {
  HOLDERS,
  MAX_SAFE_MINOR,
  codeLabel,
  dispositionLabel,
  formatAmount,
  formatDay,
  holderLabel,
  kindLabel,
  ledgerApi,
  newKey,
  parseAmount,
  partLabel,
  percentOf,
  closingTotal,
  closingYear,
  requestStateLabel,
  type Closing,
  type LedgerAccount,
  type PaymentRequest,
} from './money_words';

type Digits = (code: string) => number;

function accountLabel(t: Translate, a: LedgerAccount): string {
  const name = a.name || kindLabel(t, a.kind);
  return a.person_id !== null ? `${name} · ${t('treasury.person', { id: a.person_id })}` : name;
}

// ---- accounts

function AccountRows({ items, digits }: { items: LedgerAccount[]; digits: Digits }) {
  const { t } = useI18n();
  return (
    <div class="table-scroll">
      <table class="rows treasury-accounts">
        <thead>
          <tr>
            <th scope="col">{t('treasury.account')}</th>
            <th scope="col" class="num">
              {t('money.balance')}
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((a) => (
            <tr key={a.id} data-account-id={a.id} data-holder={a.holder} data-kind={a.kind}>
              <td>
                <div style={WIDE}>
                  <a href={`/accounts/${a.id}`}>{accountLabel(t, a)}</a>
                  <br />
                  <span class="small muted">
                    {kindLabel(t, a.kind)} · {t('treasury.no', { id: a.id })}
                    {a.closed ? ` · ${t('money.closed')}` : ''}
                  </span>
                </div>
              </td>
              <td class="num" data-label={t('money.balance')}>
                <span>
                  <Amount minor={a.balance} currency={a.currency} digits={digits(a.currency)} />
                  {a.available !== a.balance && (
                    <>
                      <br />
                      <span class="small muted">
                        {t('money.available')}: <Amount minor={a.available} currency={a.currency} digits={digits(a.currency)} />
                      </span>
                    </>
                  )}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Accounts({
  items,
  next,
  onMore,
  digits,
}: {
  items: LedgerAccount[];
  next: number | null;
  onMore: () => void;
  digits: Digits;
}) {
  const { t } = useI18n();
  const known = new Set<string>(HOLDERS);
  const holders = [...HOLDERS, ...new Set(items.map((a) => a.holder).filter((h) => !known.has(h)))];
  return (
    <section aria-labelledby="treasury-accounts" class="treasury-accounts-section">
      <h2 id="treasury-accounts">{t('treasury.accounts')}</h2>
      {items.length === 0 && <p class="muted">{t('treasury.noAccounts')}</p>}
      {holders.map((h) => {
        const group = items.filter((a) => a.holder === h);
        if (group.length === 0) return null;
        const title = holderLabel(t, h);
        if (h === 'member') {
          return (
            <details key={h} class="card" data-holder-group={h}>
              <summary>
                <strong>{title}</strong> <span class="muted">({group.length})</span>
              </summary>
              <AccountRows items={group} digits={digits} />
            </details>
          );
        }
        return (
          <section key={h} data-holder-group={h}>
            <h3>{title}</h3>
            <AccountRows items={group} digits={digits} />
          </section>
        );
      })}
      {next !== null && (
        <button type="button" class="btn" onClick={onMore}>
          {t('common.more')}
        </button>
      )}
    </section>
  );
}

// ---- payment requests

// A side of a request held by the co-op itself (not one of its members).
const ours = (p: PaymentRequest['payer'], orgId: number) => p.org_id === orgId && p.person_id === null;

function RequestCard({
  r,
  orgId,
  digits,
  onChanged,
}: {
  r: PaymentRequest;
  orgId: number;
  digits: Digits;
  onChanged: (msg: string) => void;
}) {
  const { t, errorText, formatLocale } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [payKey] = useState(() => newKey('pay'));
  const weOwe = ours(r.payer, orgId);
  const weAreOwed = ours(r.payee, orgId);
  const act = async (action: 'accept' | 'reject' | 'pay' | 'cancel') => {
    setBusy(true);
    setError(null);
    try {
      const body = action === 'pay' ? { key: payKey } : action === 'reject' ? (reason.trim() ? { reason: reason.trim() } : {}) : {};
      await post(`/payment-requests/${r.id}/${action}`, body);
      onChanged(t(`money.req.done.${action}` as 'money.req.done.pay'));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <li class="card payment-request" data-request-id={r.id} data-state={r.state}>
      <div class="membership-head">
        <strong>
          {weOwe
            ? t('treasury.req.from', { name: r.payee.name })
            : weAreOwed
              ? t('treasury.req.to', { name: r.payer.name })
              : t('treasury.req.between', { payer: r.payer.name, payee: r.payee.name })}
        </strong>
        <span class={`badge badge-req-${r.state}`}>{requestStateLabel(t, r.state)}</span>
      </div>
      <p class="lead" style={{ margin: '0.25rem 0' }}>
        <Amount minor={r.amount} currency={r.currency} digits={digits(r.currency)} testid="request-amount" />
      </p>
      <p class="small muted">
        {codeLabel(t, r.code)}
        {r.memo ? ` · ${r.memo}` : ''} · {formatDay(r.created_at, formatLocale)}
        {r.due_at ? ` · ${t('money.req.due', { when: formatDay(r.due_at, formatLocale) })}` : ''}
      </p>
      <p class="small muted">
        {t('treasury.req.accounts', { payer: r.payer_account_id, payee: r.payee_account_id })}
      </p>
      {r.reason && <p class="small">{t('treasury.req.reason', { reason: r.reason })}</p>}
      {error !== null && (
        <div class="alert alert-error" role="alert">
          <p>{errorText(error)}</p>
        </div>
      )}
      {rejecting ? (
        <div class="form">
          <label for={`reason-${r.id}`}>{t('treasury.req.reasonLabel')}</label>
          <input id={`reason-${r.id}`} maxLength={2000} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
          <div class="actions">
            <button type="button" class="btn btn-small btn-danger" disabled={busy} onClick={() => act('reject')}>
              {t('treasury.req.confirmReject')}
            </button>
            <button type="button" class="btn btn-small btn-ghost" onClick={() => setRejecting(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      ) : (
        <div class="actions">
          {weOwe && r.state === 'open' && (
            <>
              <button type="button" class="btn btn-small btn-primary" disabled={busy} onClick={() => act('accept')}>
                {t('money.req.accept')}
              </button>
              <button type="button" class="btn btn-small btn-danger-ghost" disabled={busy} onClick={() => setRejecting(true)}>
                {t('money.req.reject')}
              </button>
            </>
          )}
          {weOwe && r.state === 'accepted' && (
            <button type="button" class="btn btn-small btn-primary" disabled={busy} onClick={() => act('pay')}>
              {t('money.req.pay')}
            </button>
          )}
          {weAreOwed && (r.state === 'open' || r.state === 'accepted') && (
            <button type="button" class="btn btn-small btn-ghost" disabled={busy} onClick={() => act('cancel')}>
              {t('money.req.cancel')}
            </button>
          )}
        </div>
      )}
    </li>
  );
}

function NewRequestForm({
  accounts,
  digits,
  onCreated,
}: {
  accounts: LedgerAccount[];
  digits: Digits;
  onCreated: (msg: string) => void;
}) {
  const { t, errorText } = useI18n();
  const own = accounts.filter((a) => a.holder !== 'member' && a.holder !== 'external' && !a.closed);
  const [payee, setPayee] = useState<number>(0);
  const [from, setFrom] = useState<'member' | 'other'>('member');
  const [memberAccount, setMemberAccount] = useState<number>(0);
  const [otherAccount, setOtherAccount] = useState('');
  const [amount, setAmount] = useState('');
  const [memo, setMemo] = useState('');
  const [due, setDue] = useState('');
  const [key, setKey] = useState(() => newKey('req'));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [invalid, setInvalid] = useState('');

  const payeeAccount = own.find((a) => a.id === payee) ?? own.find((a) => a.kind === 'operating') ?? own[0];
  const currency = payeeAccount?.currency ?? '';
  const members = accounts.filter((a) => a.holder === 'member' && !a.closed && a.currency === currency);
  if (!payeeAccount) return <p class="muted">{t('treasury.req.noOwnAccount')}</p>;

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setInvalid('');
    const minor = parseAmount(amount, digits(currency));
    if (minor === null || minor <= 0n || minor > MAX_SAFE_MINOR) {
      setInvalid('amount');
      return;
    }
    const payer = from === 'member' ? memberAccount || members[0]?.id || 0 : Number(otherAccount);
    if (!Number.isSafeInteger(payer) || payer <= 0) {
      setInvalid('payer');
      return;
    }
    setBusy(true);
    try {
      const body: Record<string, unknown> = {
        key,
        payee_account_id: payeeAccount.id,
        payer_account_id: payer,
        amount: Number(minor),
        code: 'invoice',
        memo: memo.trim(),
      };
      if (due) body.due_at = `${due}T23:59:59Z`;
      await post('/payment-requests', body);
      setKey(newKey('req'));
      setAmount('');
      setMemo('');
      setDue('');
      onCreated(t('treasury.req.created'));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card form new-request" onSubmit={submit} noValidate>
      <h3>{t('treasury.req.new')}</h3>
      <div class="field">
        <label for="req-payee">{t('treasury.req.payee')}</label>
        <select id="req-payee" value={payeeAccount.id} onChange={(e) => setPayee(Number(e.currentTarget.value))}>
          {own.map((a) => (
            <option key={a.id} value={a.id}>
              {accountLabel(t, a)} ({a.currency})
            </option>
          ))}
        </select>
      </div>
      <fieldset class="field plain-fieldset">
        <legend>{t('treasury.req.payer')}</legend>
        <div class="choices">
          <label class="choice">
            <input type="radio" name="req-from" checked={from === 'member'} onChange={() => setFrom('member')} /> {t('treasury.req.fromMember')}
          </label>
          <label class="choice">
            <input type="radio" name="req-from" checked={from === 'other'} onChange={() => setFrom('other')} /> {t('treasury.req.fromOther')}
          </label>
        </div>
      </fieldset>
      {from === 'member' ? (
        <div class="field">
          <label for="req-member">{t('treasury.req.memberAccount')}</label>
          {members.length === 0 ? (
            <p class="muted small">{t('treasury.req.noMembers')}</p>
          ) : (
            <select
              id="req-member"
              value={memberAccount || members[0].id}
              aria-invalid={invalid === 'payer' ? 'true' : undefined}
              onChange={(e) => setMemberAccount(Number(e.currentTarget.value))}
            >
              {members.map((a) => (
                <option key={a.id} value={a.id}>
                  {accountLabel(t, a)} · {t('treasury.no', { id: a.id })}
                </option>
              ))}
            </select>
          )}
        </div>
      ) : (
        <div class="field">
          <label for="req-other">{t('treasury.req.otherAccount')}</label>
          <input
            id="req-other"
            inputMode="numeric"
            value={otherAccount}
            aria-invalid={invalid === 'payer' ? 'true' : undefined}
            onInput={(e) => setOtherAccount(e.currentTarget.value.trim())}
          />
          <p class="hint">{t('treasury.req.otherHint')}</p>
        </div>
      )}
      {invalid === 'payer' && <p class="alert alert-error">{t('treasury.req.badPayer')}</p>}
      <div class="field">
        <label for="req-amount">{t('treasury.req.amount', { currency })}</label>
        <input
          id="req-amount"
          inputMode="decimal"
          autocomplete="off"
          value={amount}
          aria-invalid={invalid === 'amount' ? 'true' : undefined}
          aria-describedby="req-amount-hint"
          onInput={(e) => setAmount(e.currentTarget.value)}
        />
        <p class="hint" id="req-amount-hint">
          {t('treasury.req.amountHint', { digits: digits(currency) })}
        </p>
      </div>
      {invalid === 'amount' && <p class="alert alert-error">{t('treasury.req.badAmount')}</p>}
      <div class="field">
        <label for="req-memo">{t('treasury.req.memo')}</label>
        <input id="req-memo" maxLength={200} value={memo} onInput={(e) => setMemo(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="req-due">{t('treasury.req.dueLabel')}</label>
        <input id="req-due" type="date" value={due} onInput={(e) => setDue(e.currentTarget.value)} />
      </div>
      {error !== null && (
        <div class="alert alert-error" role="alert">
          <p>{errorText(error)}</p>
        </div>
      )}
      <button type="submit" class="btn btn-primary" disabled={busy}>
        {t('treasury.req.send')}
      </button>
    </form>
  );
}

function Requests({ orgId, accounts, digits }: { orgId: number; accounts: LedgerAccount[]; digits: Digits }) {
  const { t } = useI18n();
  const [state, setState] = useState<'open' | 'accepted' | ''>('open');
  const [tick, setTick] = useState(0);
  const [extra, setExtra] = useState<{ items: PaymentRequest[]; next: number | null } | null>(null);
  const [moreError, setMoreError] = useState<unknown>(null);
  const [done, setDone] = useState('');
  const [showForm, setShowForm] = useState(false);
  const list = useAsync(() => {
    setExtra(null);
    return ledgerApi.orgRequests(orgId, state);
  }, [orgId, state, tick]);
  const items = [...(list.data?.items ?? []), ...(extra?.items ?? [])];
  const next = extra ? extra.next : (list.data?.next_after ?? null);
  const incoming = items.filter((r) => ours(r.payer, orgId));
  const outgoing = items.filter((r) => ours(r.payee, orgId));
  const between = items.filter((r) => !ours(r.payer, orgId) && !ours(r.payee, orgId));
  const changed = (msg: string) => {
    setDone(msg);
    setTick((x) => x + 1);
  };
  const group = (title: string, id: string, rs: PaymentRequest[]) => (
    <section aria-labelledby={id} data-testid={id}>
      <h3 id={id}>
        {title} <span class="muted">({rs.length})</span>
      </h3>
      {rs.length === 0 ? (
        <p class="muted small">{t('treasury.req.none')}</p>
      ) : (
        <ul class="memberships">
          {rs.map((r) => (
            <RequestCard key={r.id} r={r} orgId={orgId} digits={digits} onChanged={changed} />
          ))}
        </ul>
      )}
    </section>
  );
  return (
    <section aria-labelledby="treasury-requests" class="treasury-requests">
      <h2 id="treasury-requests">{t('treasury.requests')}</h2>
      {done && <Notice>{done}</Notice>}
      <div class="toolbar">
        <div role="group" aria-label={t('treasury.req.show')} class="segmented">
          {(['open', 'accepted', ''] as const).map((s) => (
            <button key={s || 'all'} type="button" class="btn btn-small" aria-pressed={state === s} onClick={() => setState(s)}>
              {s ? requestStateLabel(t, s) : t('treasury.req.all')}
            </button>
          ))}
        </div>
      </div>
      {list.loading && !list.data && <Loading />}
      {list.error !== undefined && <ErrorBox error={list.error} onRetry={list.reload} />}
      {list.data && (
        <>
          {group(t('treasury.req.incoming'), 'requests-incoming', incoming)}
          {group(t('treasury.req.outgoing'), 'requests-outgoing', outgoing)}
          {between.length > 0 && group(t('treasury.req.betweenMembers'), 'requests-between', between)}
        </>
      )}
      {moreError !== null && <ErrorBox error={moreError} />}
      {next !== null && (
        <button
          type="button"
          class="btn"
          onClick={async () => {
            setMoreError(null);
            try {
              const more = await ledgerApi.orgRequests(orgId, state, next);
              setExtra((x) => ({ items: [...(x?.items ?? []), ...more.items], next: more.next_after }));
            } catch (e) {
              setMoreError(e);
            }
          }}
        >
          {t('common.more')}
        </button>
      )}
      <p>
        <button type="button" class="btn" aria-expanded={showForm} onClick={() => setShowForm((v) => !v)}>
          {t('treasury.req.new')}
        </button>
      </p>
      {showForm && (
        <NewRequestForm
          accounts={accounts}
          digits={digits}
          onCreated={(msg) => {
            setShowForm(false);
            changed(msg);
          }}
        />
      )}
    </section>
  );
}

// ---- the closing

const PART_COLORS: Record<string, string> = {
  legal_reserve: '#1d5c4b',
  indivisible_reserve: '#4f8f7a',
  education: '#c2410c',
  federation_levy: '#7a4b00',
  interest: '#2f5d8a',
  refund: '#8a3f7a',
};
const FALLBACK_COLORS = ['#555d59', '#a3241b', '#17584a', '#3b6e2a'];

interface Slice {
  part: string;
  amount: number;
  color: string;
}

// The parts of a closing summed by part (a part may have several accounts).
function slicesOf(c: Closing): Slice[] {
  const sums = new Map<string, bigint>();
  for (const p of c.parts) sums.set(p.part, (sums.get(p.part) ?? 0n) + BigInt(p.amount));
  let extra = 0;
  return [...sums]
    .filter(([, v]) => v > 0n)
    .map(([part, v]) => ({
      part,
      amount: Number(v),
      color: PART_COLORS[part] ?? FALLBACK_COLORS[extra++ % FALLBACK_COLORS.length],
    }));
}

// A point on a circle of radius r around (50, 50), `turn` in [0, 1] from 12 o'clock.
function at(turn: number, r: number): [number, number] {
  const a = 2 * Math.PI * turn - Math.PI / 2;
  return [50 + r * Math.cos(a), 50 + r * Math.sin(a)];
}

// One ring segment from turn a to turn b (display geometry only; the amounts
// beside the chart are the exact figures).
function ringPath(a: number, b: number, outer: number, inner: number): string {
  const large = b - a > 0.5 ? 1 : 0;
  const [x1, y1] = at(a, outer);
  const [x2, y2] = at(b, outer);
  const [x3, y3] = at(b, inner);
  const [x4, y4] = at(a, inner);
  const f = (n: number) => n.toFixed(3);
  return `M${f(x1)} ${f(y1)}A${outer} ${outer} 0 ${large} 1 ${f(x2)} ${f(y2)}L${f(x3)} ${f(y3)}A${inner} ${inner} 0 ${large} 0 ${f(x4)} ${f(y4)}Z`;
}

export function SurplusChart({ closing, digits }: { closing: Closing; digits: number }) {
  const { t, formatLocale } = useI18n();
  const slices = slicesOf(closing);
  const total = slices.reduce((s, x) => s + BigInt(x.amount), 0n);
  const whole = total > 0n ? total : 1n;
  let cursor = 0n;
  const fmt = (v: number | bigint) => formatAmount(v, closing.currency, digits, formatLocale);
  return (
    <figure class="card surplus-chart" data-testid="closing-chart" style={{ margin: '0 0 1rem' }}>
      <figcaption>
        <strong>{t('closing.chartTitle')}</strong>
      </figcaption>
      <svg
        viewBox="0 0 100 100"
        role="img"
        aria-labelledby="closing-chart-desc"
        style={{ display: 'block', width: '100%', maxWidth: '16rem', margin: '0.5rem auto' }}
      >
        <desc id="closing-chart-desc">
          {slices.map((s) => `${partLabel(t, s.part)}: ${fmt(s.amount)} (${percentOf(s.amount, whole, formatLocale)})`).join('; ')}
        </desc>
        {slices.length === 0 && <circle cx="50" cy="50" r="36" fill="none" stroke="var(--line)" stroke-width="20" />}
        {slices.length === 1 && (
          <circle cx="50" cy="50" r="36" fill="none" stroke={slices[0].color} stroke-width="20" data-part={slices[0].part}>
            <title>{partLabel(t, slices[0].part)}</title>
          </circle>
        )}
        {slices.length > 1 &&
          slices.map((s) => {
            // Turns from exact integer ratios, scaled to a float only for drawing.
            const a = Number((cursor * 1_000_000n) / whole) / 1_000_000;
            cursor += BigInt(s.amount);
            const b = Number((cursor * 1_000_000n) / whole) / 1_000_000;
            return (
              <path key={s.part} d={ringPath(a, b, 46, 26)} fill={s.color} stroke="var(--surface)" stroke-width="0.6" data-part={s.part}>
                <title>
                  {partLabel(t, s.part)}: {fmt(s.amount)}
                </title>
              </path>
            );
          })}
        <text x="50" y="48" text-anchor="middle" font-size="6" fill="currentColor">
          {t('closing.surplus')}
        </text>
        <text x="50" y="57" text-anchor="middle" font-size="7" font-weight="700" fill="currentColor">
          {fmt(closing.surplus)}
        </text>
      </svg>
      <ul class="chart-legend">
        {slices.map((s) => (
          <li key={s.part} data-part={s.part} style={{ display: 'flex', gap: '0.5rem', alignItems: 'baseline', padding: '0.2rem 0' }}>
            <Swatch color={s.color} size={12} />
            <span style={{ flex: '1 1 auto' }}>
              {partLabel(t, s.part)} <span class="muted small">{percentOf(s.amount, whole, formatLocale)}</span>
            </span>
            <span class="num" style={{ whiteSpace: 'nowrap', textAlign: 'right', fontVariantNumeric: 'tabular-nums' }}>
              {fmt(s.amount)}
            </span>
          </li>
        ))}
      </ul>
    </figure>
  );
}

const LINES_STEP = 20;

function ClosingLines({ c, digits }: { c: Closing; digits: number }) {
  const { t, formatLocale } = useI18n();
  const [shown, setShown] = useState(LINES_STEP);
  const fmt = (v: number) => formatAmount(v, c.currency, digits, formatLocale);
  const lines = c.lines.slice(0, shown);
  return (
    <>
      <h3>{t('closing.lines', { n: c.lines.length.toLocaleString(formatLocale) })}</h3>
      <div class="table-scroll">
        <table class="rows closing-lines">
          <thead>
            <tr>
              <th scope="col">{t('closing.who')}</th>
              <th scope="col" class="num">
                {t('closing.basis')}
              </th>
              <th scope="col" class="num">
                {t('statement.amount')}
              </th>
            </tr>
          </thead>
          <tbody>
            {lines.map((l, i) => (
              <tr key={i} data-part={l.part} data-person-id={l.person_id ?? undefined}>
                <td>
                  <div style={WIDE}>
                    {l.name ?? (l.person_id !== null ? t('treasury.person', { id: l.person_id }) : partLabel(t, l.part))}
                    <br />
                    <span class="small muted">
                      {partLabel(t, l.part)}
                      {l.disposition ? ` · ${dispositionLabel(t, l.disposition)}` : ''}
                    </span>
                  </div>
                </td>
                <td class="num small" data-label={t('closing.basis')}>
                  <span>
                    {l.person_id === null
                      ? '—'
                      : l.part === 'refund' && c.rules.basis === 'hours'
                        ? t('closing.hours', { n: formatAmount(l.basis, '', 3, formatLocale).trim() })
                        : fmt(l.basis)}
                  </span>
                </td>
                <td class="num" data-label={t('statement.amount')}>
                  <span>{fmt(l.amount)}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {shown < c.lines.length && (
        <button type="button" class="btn" onClick={() => setShown((n) => n + LINES_STEP)}>
          {t('closing.moreLines', { n: Math.min(LINES_STEP, c.lines.length - shown) })}
        </button>
      )}
    </>
  );
}

function ClosingView({ c, digits }: { c: Closing; digits: number }) {
  const { t, formatLocale } = useI18n();
  const fmt = (v: number) => formatAmount(v, c.currency, digits, formatLocale);
  return (
    <div class="closing-preview" data-year={c.year}>
      <dl class="facts card" data-testid="closing-totals">
        <div>
          <dt>{t('closing.surplus')}</dt>
          <dd data-testid="closing-surplus">{fmt(c.surplus)}</dd>
        </div>
        <div>
          <dt>{t('closing.reservesTotal')}</dt>
          <dd>{fmt(c.reserves_total)}</dd>
        </div>
        <div>
          <dt>{t('closing.interestTotal')}</dt>
          <dd>{fmt(c.interest_total)}</dd>
        </div>
        <div>
          <dt>{t('closing.membersTotal')}</dt>
          <dd>{fmt(c.members_total)}</dd>
        </div>
      </dl>
      <SurplusChart closing={c} digits={digits} />
      <h3>{t('closing.parts')}</h3>
      <div class="table-scroll">
        <table class="rows closing-parts">
          <thead>
            <tr>
              <th scope="col">{t('closing.part')}</th>
              <th scope="col" class="num">
                {t('statement.amount')}
              </th>
            </tr>
          </thead>
          <tbody>
            {c.parts.map((p, i) => (
              <tr key={i} data-part={p.part}>
                <td>
                  <div style={WIDE}>
                    {partLabel(t, p.part)}
                    <br />
                    <span class="small muted">
                      {holderLabel(t, p.account.holder)} · {kindLabel(t, p.account.kind)}
                      {p.account.org_id !== c.org_id ? ` · ${t('closing.otherOrg', { id: p.account.org_id })}` : ''}
                    </span>
                  </div>
                </td>
                <td class="num" data-label={t('statement.amount')}>
                  <span>{fmt(p.amount)}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ClosingLines c={c} digits={digits} />
    </div>
  );
}

function ClosingSection({ orgId, digits, onCommitted }: { orgId: number; digits: Digits; onCommitted: () => void }) {
  const { t, errorText, formatLocale } = useI18n();
  const thisYear = new Date().getFullYear();
  const years = Array.from({ length: 6 }, (_, i) => thisYear - i);
  const past = useAsync(() => ledgerApi.closings(orgId), [orgId]);
  const yearClosings = (past.data?.items ?? []).filter((c) => closingYear(c) !== null);
  const closedYears = new Set(yearClosings.map((c) => closingYear(c)));
  const [year, setYear] = useState(thisYear);
  const [surplusText, setSurplusText] = useState('');
  const [preview, setPreview] = useState<Closing | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [invalid, setInvalid] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [committed, setCommitted] = useState<Closing | null>(null);

  useEffect(() => {
    setPreview(null);
    setConfirming(false);
    setError(null);
  }, [year, surplusText]);

  // The digits of the org's currency: the preview's, else of any known closing, else 2.
  const cur = preview?.currency ?? past.data?.items[0]?.currency ?? '';
  const surplusOf = (): bigint | null | undefined => {
    if (!surplusText.trim()) return null;
    const v = parseAmount(surplusText, cur ? digits(cur) : 2);
    return v === null || v > MAX_SAFE_MINOR ? undefined : v;
  };

  const runPreview = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setInvalid(false);
    setCommitted(null);
    const s = surplusOf();
    if (s === undefined) {
      setInvalid(true);
      return;
    }
    setBusy(true);
    try {
      setPreview(await ledgerApi.previewClosing(orgId, year, s));
    } catch (err) {
      setPreview(null);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const commit = async () => {
    if (!preview) return;
    setBusy(true);
    setError(null);
    try {
      const body = surplusText.trim() ? { year, surplus: preview.surplus } : { year };
      const c = await post<Closing>(`/orgs/${orgId}/closings`, body);
      setCommitted(c);
      setPreview(null);
      setConfirming(false);
      past.reload();
      onCommitted();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="treasury-closing" class="treasury-closing">
      <h2 id="treasury-closing">{t('closing.title')}</h2>
      <p class="muted small">{t('closing.lead')}</p>
      <form class="card form closing-form" onSubmit={runPreview} noValidate>
        <div class="field">
          <label for="closing-year">{t('closing.year')}</label>
          <select id="closing-year" value={year} onChange={(e) => setYear(Number(e.currentTarget.value))}>
            {years.map((y) => (
              <option key={y} value={y}>
                {closedYears.has(y) ? t('closing.yearClosed', { year: y }) : String(y)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="closing-surplus">{t('closing.surplusLabel')}</label>
          <input
            id="closing-surplus"
            inputMode="decimal"
            autocomplete="off"
            value={surplusText}
            aria-invalid={invalid ? 'true' : undefined}
            aria-describedby="closing-surplus-hint"
            onInput={(e) => setSurplusText(e.currentTarget.value)}
          />
          <p class="hint" id="closing-surplus-hint">
            {t('closing.surplusHint')}
          </p>
        </div>
        {invalid && <p class="alert alert-error">{t('treasury.req.badAmount')}</p>}
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {t('closing.preview')}
        </button>
      </form>
      {error !== null && (
        <div class="alert alert-error" role="alert">
          <p>{errorText(error, { duplicate: t('closing.alreadyClosed', { year }) })}</p>
        </div>
      )}
      {committed && (
        <Notice>
          <p data-testid="closing-committed">
            {t('closing.committed', { year: committed.year, amount: formatAmount(committed.surplus, committed.currency, digits(committed.currency), formatLocale) })}
          </p>
        </Notice>
      )}
      {preview && (
        <>
          <h3>{t('closing.previewOf', { year: preview.year })}</h3>
          <ClosingView c={preview} digits={digits(preview.currency)} />
          {closedYears.has(preview.year) ? (
            <p class="alert alert-info">{t('closing.alreadyClosed', { year: preview.year })}</p>
          ) : confirming ? (
            <div class="alert alert-info closing-confirm" role="alertdialog" aria-labelledby="closing-confirm-text">
              <p id="closing-confirm-text">
                {t('closing.confirmText', {
                  year: preview.year,
                  amount: formatAmount(preview.surplus, preview.currency, digits(preview.currency), formatLocale),
                  n: preview.lines.length.toLocaleString(formatLocale),
                })}
              </p>
              <div class="actions">
                <button type="button" class="btn btn-danger" disabled={busy} onClick={commit}>
                  {t('closing.confirm')}
                </button>
                <button type="button" class="btn btn-ghost" disabled={busy} onClick={() => setConfirming(false)}>
                  {t('common.cancel')}
                </button>
              </div>
            </div>
          ) : (
            <p>
              <button type="button" class="btn btn-primary" disabled={busy || preview.surplus <= 0} onClick={() => setConfirming(true)}>
                {t('closing.commit', { year: preview.year })}
              </button>
            </p>
          )}
        </>
      )}
      <h3>{t('closing.past')}</h3>
      {past.error !== undefined && <ErrorBox error={past.error} onRetry={past.reload} />}
      {past.data && yearClosings.length === 0 && <p class="muted small">{t('closing.nonePast')}</p>}
      {yearClosings.length > 0 && (
        <ul class="link-list card">
          {yearClosings.map((c) => (
            <li key={c.id} data-closing-id={c.id} data-year={closingYear(c)}>
              <strong>{closingYear(c)}</strong> · {formatAmount(closingTotal(c), c.currency, digits(c.currency), formatLocale)}
              {c.created_at ? <span class="muted small"> · {formatDay(c.created_at, formatLocale)}</span> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

// ---- the page

export function TreasuryPage({ id }: { id: string }) {
  const orgId = Number(id);
  const { t } = useI18n();
  const digits = useDigits();
  const org = useAsync<Org>(() => endpoints.org(orgId), [orgId]);
  const [tick, setTick] = useState(0);
  const [extra, setExtra] = useState<{ items: LedgerAccount[]; next: number | null } | null>(null);
  const [moreError, setMoreError] = useState<unknown>(null);
  const accounts = useAsync(() => {
    setExtra(null);
    return ledgerApi.orgAccounts(orgId);
  }, [orgId, tick]);
  usePageTitle(org.data ? t('treasury.title', { name: org.data.name }) : undefined);

  if (org.loading && !org.data) return <Loading />;
  if (org.error !== undefined || !org.data) return <ErrorBox error={org.error} onRetry={org.reload} />;
  const o = org.data;
  const items = [...(accounts.data?.items ?? []), ...(extra?.items ?? [])];
  const next = extra ? extra.next : (accounts.data?.next_after ?? null);

  return (
    <article class="treasury" data-org-id={o.id}>
      <Breadcrumbs path={o.path} current={{ id: o.id, name: o.name }} />
      <PageHeading>{t('treasury.title', { name: o.name })}</PageHeading>
      <nav aria-label={t('treasury.sections')} class="small">
        <a href="#treasury-accounts">{t('treasury.accounts')}</a> · <a href="#treasury-requests">{t('treasury.requests')}</a> ·{' '}
        <a href="#treasury-closing">{t('closing.title')}</a>
      </nav>
      {accounts.loading && !accounts.data && <Loading />}
      {accounts.error !== undefined && <ErrorBox error={accounts.error} onRetry={accounts.reload} />}
      {accounts.data && (
        <>
          <Accounts
            items={items}
            next={next}
            digits={digits}
            onMore={async () => {
              if (next === null) return;
              setMoreError(null);
              try {
                const more = await ledgerApi.orgAccounts(orgId, next);
                setExtra((x) => ({ items: [...(x?.items ?? []), ...more.items], next: more.next_after }));
              } catch (e) {
                setMoreError(e);
              }
            }}
          />
          {moreError !== null && <ErrorBox error={moreError} />}
          <Requests orgId={orgId} accounts={items} digits={digits} />
        </>
      )}
      <ClosingSection orgId={orgId} digits={digits} onCommitted={() => setTick((x) => x + 1)} />
    </article>
  );
}
