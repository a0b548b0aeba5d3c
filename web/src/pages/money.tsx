// A member's money: their accounts in every co-op and currency with balances
// (GET /me/accounts), payment requests addressed to them (accept, reject,
// pay), links to the treasury of co-ops they look after; and one account's
// statement, newest first with the running balance, paged by "Older".
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { endpoints, post, type Org } from '../api';
import { useI18n } from '../i18n';
import { rolesOver, useSession } from '../session';
import { ErrorBox, Loading, Notice, PageHeading, useAsync, usePageTitle } from '../ui';
import {
  codeLabel,
  currencyMap,
  formatAmount,
  formatDay,
  kindLabel,
  ledgerApi,
  newKey,
  requestStateLabel,
  type Currency,
  type LedgerAccount,
  type PaymentRequest,
  type StatementLine,
} from './money_words';

const TREASURY_ROLES = new Set(['coordinator', 'treasurer', 'auditor']);

// A table cell's content that spans the whole card when tables become cards on a phone.
export const WIDE = { gridColumn: '1 / -1' };

// The minor digits of each currency, 2 until the list has arrived.
export function useDigits(): (code: string) => number {
  const cur = useAsync(() => currencyMap(), []);
  return (code: string) => (cur.data as Map<string, Currency> | undefined)?.get(code)?.minor_units ?? 2;
}

export function Amount({
  minor,
  currency,
  digits,
  sign = false,
  testid,
}: {
  minor: number;
  currency: string;
  digits: number;
  sign?: boolean;
  testid?: string;
}) {
  const { formatLocale } = useI18n();
  return (
    <span class={`amount${minor < 0 ? ' negative' : ''}`} data-testid={testid} data-minor={minor}>
      {formatAmount(minor, currency, digits, formatLocale, sign)}
    </span>
  );
}

function AccountCard({ a, digits }: { a: LedgerAccount; digits: number }) {
  const { t } = useI18n();
  const held = a.balance !== a.available;
  return (
    <li class="card account-card" data-account-id={a.id} data-currency={a.currency}>
      <div class="membership-head">
        <a href={`/accounts/${a.id}`} class="membership-org">
          {a.name || kindLabel(t, a.kind)}
        </a>
        <span class="badge">{a.currency}</span>
      </div>
      <p class="lead" style={{ margin: '0.25rem 0' }}>
        <Amount minor={a.balance} currency={a.currency} digits={digits} testid="balance" />
      </p>
      {held && (
        <p class="small muted">
          {t('money.available')}: <Amount minor={a.available} currency={a.currency} digits={digits} />
        </p>
      )}
      {a.lower_limit !== null && a.lower_limit < 0 && (
        <p class="small muted">
          {t('money.creditLimit')}: <Amount minor={-a.lower_limit} currency={a.currency} digits={digits} />
        </p>
      )}
      {a.closed && <p class="small muted">{t('money.closed')}</p>}
    </li>
  );
}

// Requests where the signed-in person pays or is paid, with the payer's actions.
function MyRequests({
  digits,
  myAccountIds,
  onPaid,
}: {
  digits: (c: string) => number;
  myAccountIds: Set<number>;
  onPaid: () => void;
}) {
  const { t, errorText, formatLocale } = useI18n();
  const list = useAsync(() => ledgerApi.myRequests('open'), []);
  const accepted = useAsync(() => ledgerApi.myRequests('accepted'), []);
  const [busy, setBusy] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState('');
  const items = [...(list.data?.items ?? []), ...(accepted.data?.items ?? [])].sort((a, b) => b.id - a.id);
  if (list.loading && !list.data) return null;
  if (items.length === 0) return null;
  const act = async (r: PaymentRequest, action: 'accept' | 'reject' | 'pay' | 'cancel') => {
    setBusy(r.id);
    setError(null);
    setDone('');
    try {
      const body = action === 'pay' ? { key: newKey('pay') } : {};
      await post(`/payment-requests/${r.id}/${action}`, body);
      setDone(t(`money.req.done.${action}` as 'money.req.done.pay'));
      list.reload();
      accepted.reload();
      if (action === 'pay') onPaid();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(0);
    }
  };
  return (
    <section aria-labelledby="my-requests">
      <h2 id="my-requests">{t('money.requests')}</h2>
      {error !== null && <div class="alert alert-error" role="alert"><p>{errorText(error)}</p></div>}
      {done && <Notice>{done}</Notice>}
      <ul class="memberships">
        {items.map((r) => {
          const iPay = myAccountIds.has(r.payer_account_id);
          return (
            <li key={r.id} class="card payment-request" data-request-id={r.id} data-state={r.state}>
              <div class="membership-head">
                <strong>{iPay ? t('money.req.from', { name: r.payee.name }) : t('money.req.to', { name: r.payer.name })}</strong>
                <span class="badge">{requestStateLabel(t, r.state)}</span>
              </div>
              <p class="lead" style={{ margin: '0.25rem 0' }}>
                <Amount minor={r.amount} currency={r.currency} digits={digits(r.currency)} />
              </p>
              <p class="small muted">
                {codeLabel(t, r.code)}
                {r.memo ? ` · ${r.memo}` : ''}
                {r.due_at ? ` · ${t('money.req.due', { when: formatDay(r.due_at, formatLocale) })}` : ''}
              </p>
              <div class="actions">
                {iPay && r.state === 'open' && (
                  <>
                    <button type="button" class="btn btn-small btn-primary" disabled={busy === r.id} onClick={() => act(r, 'accept')}>
                      {t('money.req.accept')}
                    </button>
                    <button type="button" class="btn btn-small btn-danger-ghost" disabled={busy === r.id} onClick={() => act(r, 'reject')}>
                      {t('money.req.reject')}
                    </button>
                  </>
                )}
                {iPay && r.state === 'accepted' && (
                  <button type="button" class="btn btn-small btn-primary" disabled={busy === r.id} onClick={() => act(r, 'pay')}>
                    {t('money.req.pay')}
                  </button>
                )}
                {!iPay && (r.state === 'open' || r.state === 'accepted') && (
                  <button type="button" class="btn btn-small btn-ghost" disabled={busy === r.id} onClick={() => act(r, 'cancel')}>
                    {t('money.req.cancel')}
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export function MoneyPage() {
  const { t, formatLocale } = useI18n();
  const { me, loading } = useSession();
  const { route } = useLocation();
  const digits = useDigits();
  const accounts = useAsync(() => ledgerApi.myAccounts(), [me?.account.id]);
  // The co-ops one belongs to whose treasury one may open through a role held
  // on them or on an organisation above them (a regional coordinator).
  const coops = useAsync(async () => {
    if (!me || (me.roles.length === 0 && !me.account.admin)) return [];
    const active = me.memberships.filter((m) => m.status === 'active');
    const orgs = await Promise.all(active.map((m) => endpoints.org(m.org.id).catch(() => null)));
    return orgs.filter(
      (o): o is Org => o !== null && (me.account.admin || [...rolesOver(me, [...o.path.map((x) => x.id), o.id])].some((r) => TREASURY_ROLES.has(r))),
    );
  }, [me?.account.id]);
  usePageTitle(t('money.title'));

  useEffect(() => {
    if (!loading && !me) route(`/login?next=${encodeURIComponent('/me/money')}`, true);
  }, [loading, me]);

  if (!me) return <Loading />;
  const items = accounts.data?.items ?? [];
  // One group per co-op, in the order the server listed them.
  const groups: { org: { id: number; name: string }; items: LedgerAccount[] }[] = [];
  for (const a of items) {
    const org = a.org ?? { id: a.org_id, name: `#${a.org_id}` };
    let g = groups.find((x) => x.org.id === org.id);
    if (!g) groups.push((g = { org, items: [] }));
    g.items.push(a);
  }
  // Totals per currency across every co-op (exact, in BigInt).
  const totals = new Map<string, bigint>();
  for (const a of items) totals.set(a.currency, (totals.get(a.currency) ?? 0n) + BigInt(a.balance));
  const looksAfter = new Map<number, string>();
  for (const r of me.roles) if (TREASURY_ROLES.has(r.role)) looksAfter.set(r.org_id, r.org_name);
  for (const o of coops.data ?? []) looksAfter.set(o.id, o.name);

  return (
    <section class="money">
      <PageHeading>{t('money.title')}</PageHeading>
      {accounts.loading && !accounts.data && <Loading />}
      {accounts.error !== undefined && <ErrorBox error={accounts.error} onRetry={accounts.reload} />}
      {accounts.data && items.length === 0 && <p class="muted">{t('money.none')}</p>}
      {totals.size > 1 && (
        <dl class="facts card" data-testid="totals">
          {[...totals].map(([code, v]) => (
            <div key={code}>
              <dt>{t('money.totalIn', { currency: code })}</dt>
              <dd>{formatAmount(v, code, digits(code), formatLocale)}</dd>
            </div>
          ))}
        </dl>
      )}
      {groups.map((g) => (
        <section key={g.org.id} aria-labelledby={`money-org-${g.org.id}`} data-org-id={g.org.id}>
          <h2 id={`money-org-${g.org.id}`}>
            <a href={`/orgs/${g.org.id}`}>{g.org.name}</a>
          </h2>
          <ul class="memberships">
            {g.items.map((a) => (
              <AccountCard key={a.id} a={a} digits={digits(a.currency)} />
            ))}
          </ul>
        </section>
      ))}
      {accounts.data && <MyRequests digits={digits} myAccountIds={new Set(items.map((a) => a.id))} onPaid={accounts.reload} />}
      {looksAfter.size > 0 && (
        <section aria-labelledby="money-treasury">
          <h2 id="money-treasury">{t('money.treasuries')}</h2>
          <ul class="link-list card">
            {[...looksAfter].map(([id, name]) => (
              <li key={id}>
                <a href={`/orgs/${id}/treasury`}>{t('treasury.linkFor', { name })}</a>
              </li>
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}

function Line({ l, accountId, digits }: { l: StatementLine; accountId: number; digits: number }) {
  const { t, formatLocale } = useI18n();
  const tr = l.transfer;
  const other = tr.debit_account_id === accountId ? tr.credit_account_id : tr.debit_account_id;
  const state = tr.pending || tr.state !== 'posted' ? tr.state : '';
  return (
    <tr data-transfer-id={tr.id} data-side={l.side}>
      <td>
        <div style={WIDE}>
          <span class="small">{formatDay(tr.created_at, formatLocale)}</span>
          <br />
          <strong>{codeLabel(t, tr.code)}</strong>
          {state && <span class="badge"> {t(`ledger.state.${state}` as 'ledger.state.pending')}</span>}
          {tr.memo && <span class="small muted"> · {tr.memo}</span>}
          <br />
          <span class="small muted">{t('statement.counterparty', { id: other })}</span>
        </div>
      </td>
      <td class="num" data-label={t('statement.amount')}>
        <Amount minor={l.amount} currency={tr.currency} digits={digits} sign testid="line-amount" />
      </td>
      <td class="num" data-label={t('statement.balance')}>
        <Amount minor={l.balance} currency={tr.currency} digits={digits} testid="line-balance" />
      </td>
    </tr>
  );
}

export function StatementPage({ id }: { id: string }) {
  const accountId = Number(id);
  const { t } = useI18n();
  const digitsOf = useDigits();
  const { me } = useSession();
  const first = useAsync(() => ledgerApi.statement(accountId), [accountId]);
  const [older, setOlder] = useState<{ items: StatementLine[]; next: number | null } | null>(null);
  const [olderError, setOlderError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const s = first.data;
  const org = useAsync(async () => (s ? endpoints.org(s.account.org_id) : null), [s?.account.org_id]);
  usePageTitle(s ? s.account.name : t('statement.title'));

  useEffect(() => {
    setOlder(null);
    setOlderError(null);
  }, [accountId]);

  if (first.loading && !s) return <Loading />;
  if (first.error !== undefined || !s) return <ErrorBox error={first.error} onRetry={first.reload} />;
  const a = s.account;
  const digits = digitsOf(a.currency);
  const lines = [...s.items, ...(older?.items ?? [])];
  const next = older ? older.next : s.next_before;

  return (
    <article class="statement" data-account-id={a.id}>
      <p class="small">
        {a.person_id !== null && a.person_id === me?.person.id ? (
          <a href="/me/money">{t('money.title')}</a>
        ) : (
          <a href={`/orgs/${a.org_id}/treasury`}>{t('treasury.linkFor', { name: org.data?.name ?? `#${a.org_id}` })}</a>
        )}
        {org.data && (
          <>
            {' · '}
            <a href={`/orgs/${org.data.id}`}>{org.data.name}</a>
          </>
        )}
      </p>
      <PageHeading>{a.name || kindLabel(t, a.kind)}</PageHeading>
      <dl class="facts card">
        <div>
          <dt>{t('money.balance')}</dt>
          <dd>
            <Amount minor={a.balance} currency={a.currency} digits={digits} testid="statement-balance" />
          </dd>
        </div>
        <div>
          <dt>{t('money.available')}</dt>
          <dd>
            <Amount minor={a.available} currency={a.currency} digits={digits} />
          </dd>
        </div>
        {(a.debits_pending !== 0 || a.credits_pending !== 0) && (
          <div>
            <dt>{t('money.pending')}</dt>
            <dd>
              <Amount minor={a.credits_pending - a.debits_pending} currency={a.currency} digits={digits} sign />
            </dd>
          </div>
        )}
        <div>
          <dt>{t('money.accountNo')}</dt>
          <dd data-testid="account-number">{a.id}</dd>
        </div>
      </dl>

      <h2>{t('statement.title')}</h2>
      {lines.length === 0 ? (
        <p class="muted">{t('statement.empty')}</p>
      ) : (
        <div class="table-scroll">
          <table class="rows statement-lines">
            <caption class="sr-only">{t('statement.caption', { name: a.name })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('statement.what')}</th>
                <th scope="col" class="num">
                  {t('statement.amount')}
                </th>
                <th scope="col" class="num">
                  {t('statement.balance')}
                </th>
              </tr>
            </thead>
            <tbody>
              {lines.map((l) => (
                <Line key={`${l.transfer.id}-${l.side}`} l={l} accountId={a.id} digits={digits} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {olderError !== null && <ErrorBox error={olderError} />}
      {next !== null && next !== undefined && (
        <p class="pager">
          <button
            type="button"
            class="btn"
            disabled={busy}
            onClick={async () => {
              setBusy(true);
              setOlderError(null);
              try {
                const more = await ledgerApi.statement(accountId, next);
                setOlder((o) => ({ items: [...(o?.items ?? []), ...more.items], next: more.next_before }));
              } catch (e) {
                setOlderError(e);
              } finally {
                setBusy(false);
              }
            }}
          >
            {t('statement.older')}
          </button>
        </p>
      )}
    </article>
  );
}
