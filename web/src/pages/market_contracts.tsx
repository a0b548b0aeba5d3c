// Fair-price contracts between a buying org (a co-op or a hub) and a
// producer (DOMAIN.md §4), phone first. An org's contracts
// (/orgs/:id/contracts), as buyer and as producer, with the form a buyer's
// coordinator or treasurer proposes one with: the producer, the term, the
// account that pays, the share of deliveries kept back to repay advances and,
// per product, the floor price and the units committed. A contract's page
// (/market/contracts/:id): its products with floor, committed, delivered and
// remaining units (a small bar each), the running balance (advanced, repaid,
// outstanding, floor top-ups), the entries, and the actions each side may
// take: the producer accepts or declines a proposal; the buyer withdraws it,
// pays advances; either side ends an active contract. The server decides
// who may; the page only offers what the signed-in person's roles suggest.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { endpoints, type Org } from '../api';
import { useI18n } from '../i18n';
import { rolesOver, useSession } from '../session';
import { Breadcrumbs, ErrorBox, Loading, Notice, PageHeading, useAsync, usePageTitle } from '../ui';
import { WIDE, useDigits } from './money';
import { formatAmount, ledgerApi, newKey, parseAmount, percentOf, type LedgerAccount } from './money_words';
import { MarketError, useMw } from './market';
import {
  bpsText,
  contractApi,
  marketApi,
  parseBps,
  parseCount,
  type Contract,
  type ContractEntry,
  type ContractInput,
  type MwKey,
  type MwTranslate,
  type ProductSummary,
} from './market_words';

const BUYER_ROLES = ['coordinator', 'treasurer'];

// Roles of the signed-in person on an org or above it (an admin has all).
function mayAct(me: ReturnType<typeof useSession>['me'], org: Org | undefined, roles: string[]): boolean {
  if (!me || !org) return false;
  if (me.account.admin) return true;
  const held = rolesOver(me, [org.id, ...org.path.map((p) => p.id)]);
  return roles.some((r) => held.has(r));
}

const stateLabel = (mw: MwTranslate, s: string) => {
  const k = `state.${s}` as MwKey;
  const v = mw(k);
  return v === k ? s : v;
};
const kindLabel = (mw: MwTranslate, s: string) => {
  const k = `kind.${s}` as MwKey;
  const v = mw(k);
  return v === k ? s : v;
};

function ContractState({ state }: { state: string }) {
  const mw = useMw();
  return (
    <span class={`badge${state === 'active' ? ' badge-active' : ''}`} data-state={state} data-testid="contract-state">
      {stateLabel(mw, state)}
    </span>
  );
}

function formatDate(day: string, locale: string): string {
  const d = new Date(`${day}T12:00:00Z`);
  if (Number.isNaN(d.getTime())) return day;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(d);
}

// Delivered of committed units as a small bar (native <progress>, read out
// by screen readers with its label).
function DeliveredBar({ delivered, committed, label }: { delivered: number; committed: number; label: string }) {
  if (committed <= 0) return null;
  return (
    <progress
      max={committed}
      value={Math.min(delivered, committed)}
      aria-label={label}
      data-testid="delivered-bar"
      style={{ width: '100%', height: '0.6rem', display: 'block', marginTop: '0.2rem' }}
    />
  );
}

// ---- an org's contracts

function ContractList({ items, other }: { items: Contract[]; other: 'buyer' | 'producer' }) {
  const { formatLocale } = useI18n();
  const mw = useMw();
  const digitsOf = useDigits();
  return (
    <ul class="memberships">
      {items.map((c) => (
        <li key={c.id} class="card" data-contract-id={c.id} data-testid="contract">
          <div class="membership-head">
            <a class="membership-org" href={`/market/contracts/${c.id}`}>
              {c.name}
            </a>
            <ContractState state={c.state} />
          </div>
          <p class="small muted" style={{ margin: '0.2rem 0' }}>
            {mw(other)}: {c[other].name} · {mw('termText', { from: formatDate(c.starts_on, formatLocale), to: formatDate(c.ends_on, formatLocale) })}
          </p>
          {c.balance.advanced > 0 && (
            <p class="small" style={{ margin: 0 }}>
              {mw('outstanding')}: {formatAmount(c.balance.outstanding, c.currency, digitsOf(c.currency), formatLocale)}
            </p>
          )}
        </li>
      ))}
    </ul>
  );
}

interface LineDraft {
  on: boolean;
  floor: string;
  units: string;
}

function ProposeForm({ org, onDone }: { org: Org; onDone: (c: Contract) => void }) {
  const { formatLocale } = useI18n();
  const mw = useMw();
  const digitsOf = useDigits();
  const accounts = useAsync(async () => (await ledgerApi.orgAccounts(org.id)).items.filter((a: LedgerAccount) => a.holder === 'org' || a.holder === 'fund'), [org.id]);
  const catalog = useAsync(() => marketApi.products({ limit: 200 }), []);
  const today = new Date().toISOString().slice(0, 10);
  const nextYear = `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`;
  const [producer, setProducer] = useState('');
  const [name, setName] = useState('');
  const [starts, setStarts] = useState(today);
  const [ends, setEnds] = useState(nextYear);
  const [account, setAccount] = useState('');
  const [repay, setRepay] = useState('');
  const [terms, setTerms] = useState('');
  const [lines, setLines] = useState<Record<number, LineDraft>>({});
  const [bad, setBad] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const list = accounts.data ?? [];
    const pick = list.find((a) => a.kind === 'operating') ?? list[0];
    if (!account && pick) setAccount(String(pick.id));
  }, [accounts.data]);
  const acc = (accounts.data ?? []).find((a) => String(a.id) === account);
  const currency = acc?.currency ?? org.currency;
  const digits = digitsOf(currency);
  // Producers of the catalog in the account's currency, other than the buyer.
  const producers = useMemo(() => {
    const m = new Map<number, { name: string; products: ProductSummary[] }>();
    for (const p of catalog.data?.items ?? []) {
      if (p.currency !== currency || p.producer.org_id === org.id) continue;
      const e = m.get(p.producer.org_id) ?? { name: p.producer.name, products: [] };
      e.products.push(p);
      m.set(p.producer.org_id, e);
    }
    return m;
  }, [catalog.data, currency, org.id]);
  const chosen = producer ? producers.get(Number(producer)) : undefined;
  const variants = (chosen?.products ?? []).flatMap((p) => p.variants.filter((v) => v.active).map((v) => ({ p, v })));
  const submit = async (e: Event) => {
    e.preventDefault();
    const repayBps = parseBps(repay);
    const out: ContractInput['lines'] = [];
    let ok = !!chosen && !!acc && name.trim().length > 0 && name.length <= 200 && !!starts && !!ends && ends > starts && repayBps !== null;
    for (const { v } of variants) {
      const l = lines[v.id];
      if (!l?.on) continue;
      const floor = parseAmount(l.floor, digits);
      const units = l.units.trim() ? parseCount(l.units, 1_000_000_000) : 0;
      if (floor === null || floor > BigInt(Number.MAX_SAFE_INTEGER) || units === null) ok = false;
      else out.push({ variant_id: v.id, floor_price: Number(floor), committed_units: units });
    }
    if (!ok || out.length === 0 || !acc) {
      setBad(mw('badContract'));
      return;
    }
    setBad('');
    setBusy(true);
    setError(null);
    try {
      const c = await contractApi.propose({
        buyer_org_id: org.id,
        producer_org_id: Number(producer),
        name: name.trim(),
        starts_on: starts,
        ends_on: ends,
        account_id: acc.id,
        repay_bps: repayBps ?? 0,
        terms: terms.trim() || undefined,
        lines: out,
      });
      onDone(c);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="form card" onSubmit={submit} aria-labelledby="propose-title" noValidate data-testid="propose-form" style={{ marginTop: '1rem' }}>
      <h2 id="propose-title" style={{ marginTop: 0 }}>
        {mw('propose')}
      </h2>
      <p class="hint">{mw('proposeHint')}</p>
      {accounts.data && accounts.data.length === 0 && <p class="alert alert-info">{mw('noAccounts')}</p>}
      <div class="field">
        <label for="ct-name">{mw('name')}</label>
        <input id="ct-name" value={name} maxLength={200} onInput={(e) => setName(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="ct-account">{mw('account')}</label>
        <select id="ct-account" value={account} onChange={(e) => setAccount(e.currentTarget.value)}>
          {(accounts.data ?? []).map((a) => (
            <option key={a.id} value={String(a.id)}>
              {a.name} · {a.currency}
            </option>
          ))}
        </select>
      </div>
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(10rem, 1fr))', gap: '0.5rem' }}>
        <div class="field">
          <label for="ct-starts">{mw('startsOn')}</label>
          <input id="ct-starts" type="date" value={starts} onInput={(e) => setStarts(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="ct-ends">{mw('endsOn')}</label>
          <input id="ct-ends" type="date" value={ends} onInput={(e) => setEnds(e.currentTarget.value)} />
        </div>
      </div>
      <div class="field">
        <label for="ct-repay">{mw('repayPct')}</label>
        <input id="ct-repay" inputMode="decimal" placeholder="0" value={repay} onInput={(e) => setRepay(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="ct-terms">{mw('terms')}</label>
        <textarea id="ct-terms" rows={3} maxLength={5000} value={terms} onInput={(e) => setTerms(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="ct-producer">{mw('producer')}</label>
        <select id="ct-producer" value={producer} onChange={(e) => setProducer(e.currentTarget.value)}>
          <option value="">{mw('chooseProducer')}</option>
          {[...producers].map(([pid, p]) => (
            <option key={pid} value={String(pid)}>
              {p.name}
            </option>
          ))}
        </select>
      </div>
      {catalog.error !== undefined && <ErrorBox error={catalog.error} onRetry={catalog.reload} />}
      {chosen && (
        <fieldset class="field plain-fieldset">
          <legend>
            <strong>{mw('lines')}</strong>
          </legend>
          {variants.map(({ p, v }) => {
            const l = lines[v.id] ?? { on: false, floor: '', units: '' };
            const set = (patch: Partial<LineDraft>) => setLines({ ...lines, [v.id]: { ...l, ...patch } });
            const fid = `ct-v${v.id}`;
            return (
              <div key={v.id} class="contract-line" data-variant-id={v.id} style={{ borderBottom: '1px solid var(--line)', padding: '0.4rem 0' }}>
                <label class="choice" style={{ fontWeight: 400, display: 'flex', gap: '0.5rem', alignItems: 'baseline' }}>
                  <input type="checkbox" style={{ width: 'auto' }} checked={l.on} onChange={(e) => set({ on: e.currentTarget.checked })} />
                  <span>
                    {mw('cover', { name: `${p.name} · ${v.name}` })}{' '}
                    <span class="small muted">{formatAmount(v.breakdown.producer, p.currency, digits, formatLocale)}</span>
                  </span>
                </label>
                {l.on && (
                  <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: '0.5rem' }}>
                    <div class="field">
                      <label for={`${fid}-floor`}>{mw('floorPrice', { currency })}</label>
                      <input id={`${fid}-floor`} inputMode="decimal" value={l.floor} onInput={(e) => set({ floor: e.currentTarget.value })} />
                    </div>
                    <div class="field">
                      <label for={`${fid}-units`}>{mw('commitUnits')}</label>
                      <input id={`${fid}-units`} inputMode="numeric" placeholder="0" value={l.units} onInput={(e) => set({ units: e.currentTarget.value })} />
                    </div>
                  </div>
                )}
              </div>
            );
          })}
        </fieldset>
      )}
      {bad && (
        <p class="alert alert-error" role="alert">
          {bad}
        </p>
      )}
      {error !== null && <MarketError error={error} />}
      <button type="submit" class="btn btn-primary" disabled={busy || !chosen}>
        {mw('proposeGo')}
      </button>
    </form>
  );
}

export function OrgContractsPage({ id }: { id: string }) {
  const orgId = Number(id);
  const { t } = useI18n();
  const mw = useMw();
  const { me } = useSession();
  const { route } = useLocation();
  const org = useAsync(() => endpoints.org(orgId), [orgId]);
  const list = useAsync(() => contractApi.list({ org_id: orgId }), [orgId, me?.account.id]);
  usePageTitle(org.data ? mw('contractsOf', { name: org.data.name }) : mw('contracts'));
  if (org.loading && !org.data) return <Loading />;
  if (org.error !== undefined || !org.data) return <ErrorBox error={org.error} onRetry={org.reload} />;
  const o = org.data;
  const items = list.data?.items ?? [];
  const asBuyer = items.filter((c) => c.buyer.org_id === o.id);
  const asProducer = items.filter((c) => c.producer.org_id === o.id);
  return (
    <article class="org-contracts" data-org-id={o.id}>
      <Breadcrumbs path={o.path} current={{ id: o.id, name: o.name }} />
      <p class="small">
        <a href={`/orgs/${o.id}/market`}>{t('market.m.orgTitle', { name: o.name })}</a>
      </p>
      <PageHeading>{mw('contractsOf', { name: o.name })}</PageHeading>
      <p class="small">{mw('contractsIntro')}</p>
      {list.loading && !list.data && <Loading />}
      {list.error !== undefined && <MarketError error={list.error} />}
      {list.data && items.length === 0 && <p class="muted">{mw('noContracts')}</p>}
      {asBuyer.length > 0 && (
        <section aria-labelledby="as-buyer">
          <h2 id="as-buyer">{mw('asBuyer')}</h2>
          <ContractList items={asBuyer} other="producer" />
        </section>
      )}
      {asProducer.length > 0 && (
        <section aria-labelledby="as-producer">
          <h2 id="as-producer">{mw('asProducer')}</h2>
          <ContractList items={asProducer} other="buyer" />
        </section>
      )}
      {mayAct(me, o, BUYER_ROLES) && <ProposeForm org={o} onDone={(c) => route(`/market/contracts/${c.id}`)} />}
    </article>
  );
}

// ---- one contract

function AdvanceForm({ c, digits, onDone }: { c: Contract; digits: number; onDone: (c: Contract) => void }) {
  const mw = useMw();
  const [amount, setAmount] = useState('');
  const [memo, setMemo] = useState('');
  const [bad, setBad] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // One key per advance typed: a retry after a lost answer never pays twice.
  const [key, setKey] = useState(() => newKey('advance'));
  return (
    <form
      class="form card"
      aria-labelledby="advance-title"
      noValidate
      data-testid="advance-form"
      onSubmit={async (e) => {
        e.preventDefault();
        const a = parseAmount(amount, digits);
        if (a === null || a <= 0n || a > BigInt(Number.MAX_SAFE_INTEGER)) {
          setBad(mw('badAmount'));
          return;
        }
        setBad('');
        setBusy(true);
        setError(null);
        try {
          const out = await contractApi.advance(c.id, { key, amount: Number(a), memo: memo.trim() || undefined });
          setAmount('');
          setMemo('');
          setKey(newKey('advance'));
          onDone(out);
        } catch (err) {
          setError(err);
        } finally {
          setBusy(false);
        }
      }}
    >
      <h2 id="advance-title" style={{ marginTop: 0, fontSize: '1.1rem' }}>
        {mw('payAdvance')}
      </h2>
      <div class="field">
        <label for="adv-amount">{mw('advanceAmount', { currency: c.currency })}</label>
        <input
          id="adv-amount"
          inputMode="decimal"
          value={amount}
          aria-invalid={bad ? 'true' : undefined}
          onInput={(e) => {
            setAmount(e.currentTarget.value);
            setKey(newKey('advance'));
          }}
        />
      </div>
      <div class="field">
        <label for="adv-memo">{mw('advanceMemo')}</label>
        <input id="adv-memo" value={memo} maxLength={200} onInput={(e) => setMemo(e.currentTarget.value)} />
      </div>
      {bad && (
        <p class="hint" role="alert" style={{ color: 'var(--danger)' }}>
          {bad}
        </p>
      )}
      {error !== null && <MarketError error={error} />}
      <button type="submit" class="btn btn-primary" disabled={busy}>
        {mw('advancePay')}
      </button>
    </form>
  );
}

function Entries({ c, version, digits }: { c: Contract; version: number; digits: number }) {
  const { t, formatLocale } = useI18n();
  const mw = useMw();
  const [more, setMore] = useState<ContractEntry[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const first = useAsync(() => contractApi.entries(c.id), [c.id, version]);
  useEffect(() => {
    setMore([]);
    setNext(first.data?.next_after ?? null);
  }, [first.data]);
  const items = [...(first.data?.items ?? []), ...more];
  const names = new Map(c.lines.map((l) => [l.variant_id, `${l.product_name} · ${l.variant_name}`]));
  const fmt = (v: number) => formatAmount(v, c.currency, digits, formatLocale);
  return (
    <section aria-labelledby="entries-title">
      <h2 id="entries-title">{mw('entries')}</h2>
      {first.error !== undefined && <ErrorBox error={first.error} onRetry={first.reload} />}
      {first.data && items.length === 0 && <p class="muted">{mw('noEntries')}</p>}
      {items.length > 0 && (
        <div class="table-scroll">
          <table class="rows" data-testid="contract-entries">
            <thead>
              <tr>
                <th scope="col">{mw('when')}</th>
                <th scope="col">{mw('kind')}</th>
                <th scope="col">{mw('product')}</th>
                <th scope="col" class="num">
                  {mw('units')}
                </th>
                <th scope="col" class="num">
                  {mw('amount')}
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((e) => (
                <tr key={e.id} data-kind={e.kind} data-testid="contract-entry">
                  <td data-label={mw('when')}>
                    <span class="small">{new Intl.DateTimeFormat(formatLocale, { dateStyle: 'medium' }).format(new Date(e.created_at))}</span>
                  </td>
                  <td data-label={mw('kind')}>
                    <span>
                      <strong>{kindLabel(mw, e.kind)}</strong>
                      {e.cycle_id !== null && (
                        <>
                          {' '}
                          <a class="small" href={`/market/cycles/${e.cycle_id}`}>
                            {mw('cycle')} #{e.cycle_id}
                          </a>
                        </>
                      )}
                      {e.memo && <span class="small muted"> · {e.memo}</span>}
                    </span>
                  </td>
                  <td data-label={mw('product')}>{e.variant_id !== null ? <span class="small">{names.get(e.variant_id) ?? `#${e.variant_id}`}</span> : '—'}</td>
                  <td class="num" data-label={mw('units')}>
                    {e.units > 0 ? e.units : '—'}
                  </td>
                  <td class="num" data-label={mw('amount')} data-minor={e.amount}>
                    {fmt(e.amount)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next !== null && (
        <button
          type="button"
          class="btn"
          onClick={async () => {
            const p = await contractApi.entries(c.id, next);
            setMore((m) => [...m, ...p.items]);
            setNext(p.next_after ?? null);
          }}
        >
          {t('common.more')}
        </button>
      )}
    </section>
  );
}

export function ContractPage({ id }: { id: string }) {
  const contractId = Number(id);
  const { t, formatLocale } = useI18n();
  const mw = useMw();
  const { me } = useSession();
  const digitsOf = useDigits();
  const contract = useAsync(() => contractApi.get(contractId), [contractId, me?.account.id]);
  const [c, setC] = useState<Contract | null>(null);
  useEffect(() => setC(contract.data ?? null), [contract.data]);
  const buyerOrg = useAsync(async () => (c ? endpoints.org(c.buyer.org_id) : undefined), [c?.buyer.org_id]);
  const producerOrg = useAsync(async () => (c ? endpoints.org(c.producer.org_id) : undefined), [c?.producer.org_id]);
  const [version, setVersion] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  const [confirmEnd, setConfirmEnd] = useState(false);
  usePageTitle(c?.name ?? mw('contracts'));
  if (contract.loading && !c) return <Loading />;
  if (contract.error !== undefined && !c) return <MarketError error={contract.error} />;
  if (!c) return <Loading />;
  const digits = digitsOf(c.currency);
  const fmt = (v: number) => formatAmount(v, c.currency, digits, formatLocale);
  const buyerSide = mayAct(me, buyerOrg.data, BUYER_ROLES);
  const producerSide = mayAct(me, producerOrg.data, ['coordinator']);
  const act = async (a: 'accept' | 'decline' | 'withdraw' | 'end') => {
    setBusy(true);
    setError(null);
    setNotice('');
    try {
      setC(await contractApi.act(c.id, a));
      setNotice(mw(`did.${a}` as MwKey));
      setConfirmEnd(false);
      setVersion((v) => v + 1);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const b = c.balance;
  return (
    <article class="contract" data-contract-id={c.id} data-state={c.state}>
      <p class="small">
        <a href={`/orgs/${c.buyer.org_id}/contracts`}>{mw('contractsOf', { name: c.buyer.name })}</a> ·{' '}
        <a href={`/orgs/${c.producer.org_id}/contracts`}>{mw('contractsOf', { name: c.producer.name })}</a>
      </p>
      <PageHeading>{c.name}</PageHeading>
      <p>
        <ContractState state={c.state} />
      </p>
      <dl class="facts card">
        <div>
          <dt>{mw('buyer')}</dt>
          <dd data-testid="contract-buyer">{c.buyer.name}</dd>
        </div>
        <div>
          <dt>{mw('producer')}</dt>
          <dd data-testid="contract-producer">{c.producer.name}</dd>
        </div>
        <div>
          <dt>{mw('term')}</dt>
          <dd>{mw('termText', { from: formatDate(c.starts_on, formatLocale), to: formatDate(c.ends_on, formatLocale) })}</dd>
        </div>
        <div>
          <dt>{mw('repay')}</dt>
          <dd>{c.repay_bps > 0 ? mw('repayText', { pct: bpsText(c.repay_bps, formatLocale) }) : '—'}</dd>
        </div>
        {c.terms && (
          <div>
            <dt>{mw('terms')}</dt>
            <dd class="small" style={{ whiteSpace: 'pre-wrap' }}>
              {c.terms}
            </dd>
          </div>
        )}
      </dl>
      {error !== null && <MarketError error={error} />}
      {notice && <Notice>{notice}</Notice>}

      <section class="card" aria-labelledby="balance-title" data-testid="contract-balance" style={{ margin: '1rem 0' }}>
        <h2 id="balance-title" style={{ marginTop: 0, fontSize: '1.1rem' }}>
          {mw('balance')}
        </h2>
        <dl class="facts compact">
          <div>
            <dt>{mw('advanced')}</dt>
            <dd data-testid="bal-advanced" data-minor={b.advanced}>
              {fmt(b.advanced)}
            </dd>
          </div>
          <div>
            <dt>{mw('repaid')}</dt>
            <dd data-testid="bal-repaid" data-minor={b.repaid}>
              {fmt(b.repaid)}
              {b.advanced > 0 && <span class="small muted"> ({percentOf(b.repaid, b.advanced, formatLocale)})</span>}
            </dd>
          </div>
          <div>
            <dt>{mw('outstanding')}</dt>
            <dd data-testid="bal-outstanding" data-minor={b.outstanding}>
              <strong>{fmt(b.outstanding)}</strong>
            </dd>
          </div>
          <div>
            <dt>{mw('floorPaid')}</dt>
            <dd data-testid="bal-floor" data-minor={b.floor_paid}>
              {fmt(b.floor_paid)}
            </dd>
          </div>
          <div>
            <dt>{mw('deliveredAmount')}</dt>
            <dd data-minor={b.delivered_amount}>
              {fmt(b.delivered_amount)} <span class="small muted">· {b.delivered_units} {mw('units').toLowerCase()}</span>
            </dd>
          </div>
        </dl>
        {b.advanced > 0 && (
          <progress
            max={b.advanced}
            value={Math.min(b.repaid, b.advanced)}
            aria-label={`${mw('repaid')}: ${fmt(b.repaid)} / ${fmt(b.advanced)}`}
            style={{ width: '100%', height: '0.6rem', display: 'block' }}
          />
        )}
      </section>

      <section aria-labelledby="lines-title">
        <h2 id="lines-title">{mw('lines')}</h2>
        <div class="table-scroll">
          <table class="rows" data-testid="contract-lines">
            <thead>
              <tr>
                <th scope="col">{mw('product')}</th>
                <th scope="col" class="num">
                  {mw('floor')}
                </th>
                <th scope="col" class="num">
                  {mw('committed')}
                </th>
                <th scope="col" class="num">
                  {mw('delivered')}
                </th>
                <th scope="col" class="num">
                  {mw('remaining')}
                </th>
              </tr>
            </thead>
            <tbody>
              {c.lines.map((l) => (
                <tr key={l.variant_id} data-variant-id={l.variant_id} data-testid="contract-line">
                  <td>
                    <div style={WIDE}>
                      <strong>{l.product_name}</strong> <span class="small muted">{l.variant_name}</span>
                      <DeliveredBar
                        delivered={l.delivered_units}
                        committed={l.committed_units}
                        label={mw('progress', { d: l.delivered_units, c: l.committed_units })}
                      />
                    </div>
                  </td>
                  <td class="num" data-label={mw('floor')} data-minor={l.floor_price}>
                    {fmt(l.floor_price)}
                  </td>
                  <td class="num" data-label={mw('committed')}>
                    {l.committed_units > 0 ? l.committed_units : <span class="small muted">{mw('noCommitment')}</span>}
                  </td>
                  <td class="num" data-label={mw('delivered')}>
                    {l.delivered_units}
                  </td>
                  <td class="num" data-label={mw('remaining')}>
                    {l.committed_units > 0 ? l.remaining_units : '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <div class="actions" style={{ margin: '1rem 0' }}>
        {c.state === 'proposed' && producerSide && (
          <>
            <button type="button" class="btn btn-primary" disabled={busy} onClick={() => act('accept')}>
              {mw('accept')}
            </button>
            <button type="button" class="btn btn-danger-ghost" disabled={busy} onClick={() => act('decline')}>
              {mw('decline')}
            </button>
          </>
        )}
        {c.state === 'proposed' && buyerSide && (
          <button type="button" class="btn btn-danger-ghost" disabled={busy} onClick={() => act('withdraw')}>
            {mw('withdraw')}
          </button>
        )}
        {c.state === 'active' && (buyerSide || producerSide) && !confirmEnd && (
          <button type="button" class="btn btn-danger-ghost" disabled={busy} onClick={() => setConfirmEnd(true)}>
            {mw('end')}
          </button>
        )}
      </div>
      {c.state === 'proposed' && !producerSide && buyerSide && <p class="hint">{mw('pendingYou')}</p>}
      {confirmEnd && (
        <div class="alert alert-info" role="alertdialog" aria-labelledby="end-text">
          <p id="end-text">{mw('endConfirm')}</p>
          <div class="actions">
            <button type="button" class="btn btn-danger" disabled={busy} onClick={() => act('end')}>
              {mw('yes')}
            </button>
            <button type="button" class="btn btn-ghost" onClick={() => setConfirmEnd(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      )}
      {c.state === 'active' && buyerSide && (
        <AdvanceForm
          c={c}
          digits={digits}
          onDone={(n) => {
            setC(n);
            setNotice(mw('advancePaid'));
            setVersion((v) => v + 1);
          }}
        />
      )}
      <Entries c={c} version={version} digits={digits} />
    </article>
  );
}
