// The market for those who run it. A co-op's market page (/orgs/:id/market):
// its order cycles and the form for a new one (dates, how a short delivery is
// shared, fees, which co-ops order). A cycle's coordination page
// (/market/cycles/:id/manage): set-up (details, offers from the catalog,
// distribution points), publish / open / close / cancel, the purchase orders
// sent to producers, receiving (units that arrived, short lines highlighted),
// the allocation preview, settlement after a confirmation, and the reports
// (pick lists, packing lists, producers' statements) as CSV or printable HTML.
// The producer's page (/orgs/:id/producer): its purchase orders per cycle,
// confirmation, packing list and statement. Group buying: a new cycle may
// feed a regional hub's cycle; a cycle's page shows its hub or the local
// cycles feeding it and the region's running demand; offers get volume
// tiers. Both market pages link to the org's fair-price contracts.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { endpoints, type Org, type OrgSummary } from '../api';
import { useI18n } from '../i18n';
import { Breadcrumbs, ErrorBox, Loading, Notice, PageHeading, useAsync, usePageTitle } from '../ui';
import { WIDE, useDigits } from './money';
import { decimalString, formatAmount, parseAmount } from './money_words';
import { MarketError, StateBadge, useMw } from './market';
import {
  bpsText,
  cycleStateLabel,
  formatWhen,
  isoToLocalInput,
  localInputToIso,
  marketApi,
  parseBps,
  parseCount,
  partLabel,
  partsOf,
  reportUrl,
  shareRuleLabel,
  type AllocationPreview,
  type Cycle,
  type Fees,
  type Offer,
  type ProductSummary,
  type PurchaseOrder,
  type Settlement,
  hubApi,
  type HubCycle,
  type TieredOffer,
} from './market_words';

type Run = <T>(fn: () => Promise<T>, notice?: string) => Promise<T | undefined>;

// One place for the busy flag, the last error and the last notice of a page.
function useRunner(onDone?: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  const run: Run = async (fn, n) => {
    setBusy(true);
    setError(null);
    setNotice('');
    try {
      const r = await fn();
      if (n) setNotice(n);
      onDone?.();
      return r;
    } catch (e) {
      setError(e);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, notice, run, setError };
}

function Status({ error, notice }: { error: unknown; notice: string }) {
  return (
    <>
      {error !== null && <MarketError error={error} />}
      {notice && <Notice>{notice}</Notice>}
    </>
  );
}

// ---- the cycle's details (new cycle and set-up)

const FEE_BPS = ['transport_bps', 'packing_bps', 'margin_bps', 'fund_bps', 'tax_bps'] as const;
const FEE_UNIT = ['transport_per_unit', 'packing_per_unit'] as const;

interface DetailsValue {
  name: string;
  opens: string;
  closes: string;
  rule: string;
  bps: Record<(typeof FEE_BPS)[number], string>;
  unit: Record<(typeof FEE_UNIT)[number], string>;
}

function initialDetails(c: Cycle | null, digits: number): DetailsValue {
  const now = Date.now();
  const f = c?.fees;
  const pct = (v: number | undefined) => (v ? bpsText(v, 'en').replace('%', '') : '');
  return {
    name: c?.name ?? '',
    opens: isoToLocalInput(c?.opens_at ?? new Date(now + 5 * 60_000).toISOString()),
    closes: isoToLocalInput(c?.closes_at ?? new Date(now + 7 * 86_400_000).toISOString()),
    rule: c?.share_rule ?? 'proportional',
    bps: {
      transport_bps: pct(f?.transport_bps),
      packing_bps: pct(f?.packing_bps),
      margin_bps: pct(f?.margin_bps),
      fund_bps: pct(f?.fund_bps),
      tax_bps: pct(f?.tax_bps),
    },
    unit: {
      transport_per_unit: f?.transport_per_unit ? decimalString(f.transport_per_unit, digits) : '',
      packing_per_unit: f?.packing_per_unit ? decimalString(f.packing_per_unit, digits) : '',
    },
  };
}

// The details as the API takes them, or the key of the first problem.
function readDetails(v: DetailsValue, digits: number): { body: Record<string, unknown> } | { bad: string } {
  if (!v.name.trim() || v.name.length > 200) return { bad: 'market.m.badName' };
  const opens = localInputToIso(v.opens);
  const closes = localInputToIso(v.closes);
  if (!opens || !closes || closes <= opens) return { bad: 'market.m.badDates' };
  const fees: Partial<Fees> = {};
  for (const k of FEE_BPS) {
    const b = parseBps(v.bps[k]);
    if (b === null) return { bad: 'market.m.badPercent' };
    fees[k] = b;
  }
  for (const k of FEE_UNIT) {
    const a = v.unit[k].trim() ? parseAmount(v.unit[k], digits) : 0n;
    if (a === null || a > BigInt(Number.MAX_SAFE_INTEGER)) return { bad: 'market.m.badAmount' };
    fees[k] = Number(a);
  }
  return { body: { name: v.name.trim(), opens_at: opens, closes_at: closes, share_rule: v.rule, fees } };
}

function DetailsFields({ v, set, currency, noFees }: { v: DetailsValue; set: (v: DetailsValue) => void; currency: string; noFees?: boolean }) {
  const { t } = useI18n();
  return (
    <>
      <div class="field">
        <label for="cy-name">{t('market.m.name')}</label>
        <input id="cy-name" value={v.name} maxLength={200} onInput={(e) => set({ ...v, name: e.currentTarget.value })} />
      </div>
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(12rem, 1fr))', gap: '0.5rem' }}>
        <div class="field">
          <label for="cy-opens">{t('market.m.opens')}</label>
          <input id="cy-opens" type="datetime-local" value={v.opens} onInput={(e) => set({ ...v, opens: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for="cy-closes">{t('market.m.closes')}</label>
          <input id="cy-closes" type="datetime-local" value={v.closes} onInput={(e) => set({ ...v, closes: e.currentTarget.value })} />
        </div>
      </div>
      <fieldset class="field plain-fieldset">
        <legend>
          <strong>{t('market.m.rule')}</strong>
        </legend>
        {['proportional', 'first_come'].map((r) => (
          <label key={r} class="choice" style={{ fontWeight: 400, display: 'flex', gap: '0.5rem', alignItems: 'baseline' }}>
            <input type="radio" name="share-rule" style={{ width: 'auto' }} checked={v.rule === r} onChange={() => set({ ...v, rule: r })} />
            <span>
              <strong>{shareRuleLabel(t, r)}</strong> <span class="small muted">{t(`market.ruleHint.${r}` as 'market.ruleHint.proportional')}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {!noFees && (
        <fieldset class="field plain-fieldset">
        <legend>
          <strong>{t('market.m.fees')}</strong>
        </legend>
        <p class="hint">{t('market.m.feesHint')}</p>
        <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(9rem, 1fr))', gap: '0.5rem' }}>
          {FEE_BPS.map((k) => (
            <div class="field" key={k}>
              <label for={`fee-${k}`}>{t(`market.fee.${k}` as 'market.fee.margin_bps')}</label>
              <input id={`fee-${k}`} inputMode="decimal" value={v.bps[k]} placeholder="0" onInput={(e) => set({ ...v, bps: { ...v.bps, [k]: e.currentTarget.value } })} />
            </div>
          ))}
          {FEE_UNIT.map((k) => (
            <div class="field" key={k}>
              <label for={`fee-${k}`}>{t(`market.fee.${k}` as 'market.fee.transport_per_unit', { currency })}</label>
              <input id={`fee-${k}`} inputMode="decimal" value={v.unit[k]} placeholder="0" onInput={(e) => set({ ...v, unit: { ...v.unit, [k]: e.currentTarget.value } })} />
            </div>
          ))}
        </div>
      </fieldset>
      )}
    </>
  );
}

// ---- a co-op's market page: its cycles and a new one

const ORDERING_KINDS = new Set(['consumer', 'multi_stakeholder', 'informal', 'worker', 'producer']);

export function OrgMarketPage({ id }: { id: string }) {
  const orgId = Number(id);
  const { t, formatLocale } = useI18n();
  const { route } = useLocation();
  const digitsOf = useDigits();
  const org = useAsync(() => endpoints.org(orgId), [orgId]);
  const cycles = useAsync(() => marketApi.cycles({ org_id: orgId }), [orgId]);
  const children = useAsync(async () => (await endpoints.children(orgId)).items, [orgId]);
  const mw = useMw();
  // Hub cycles this co-op's cycle may feed: those of the organisations above
  // it still taking part (draft, scheduled or open).
  const hubs = useAsync(async () => {
    const o = org.data;
    if (!o) return [] as Cycle[];
    const lists = await Promise.all(o.path.map((p) => marketApi.cycles({ org_id: p.id, limit: 50 }).catch(() => null)));
    return lists
      .flatMap((l) => l?.items ?? [])
      .filter((c) => (c.state === 'draft' || c.state === 'scheduled' || c.state === 'open') && !(c as HubCycle).hub);
  }, [org.data?.id]);
  const [hub, setHub] = useState('');
  const [v, setV] = useState<DetailsValue | null>(null);
  const [coops, setCoops] = useState<Set<number>>(new Set());
  const [bad, setBad] = useState('');
  const r = useRunner();
  usePageTitle(org.data ? t('market.m.orgTitle', { name: org.data.name }) : t('market.title'));
  useEffect(() => {
    if (org.data && !v) setV(initialDetails(null, digitsOf(org.data.currency)));
  }, [org.data]);
  if (org.loading && !org.data) return <Loading />;
  if (org.error !== undefined || !org.data) return <ErrorBox error={org.error} onRetry={org.reload} />;
  const o: Org = org.data;
  const digits = digitsOf(o.currency);
  const ordering = (children.data ?? []).filter((c: OrgSummary) => ORDERING_KINDS.has(c.kind));
  // A local cycle closes no later than its hub: pull the closing time in.
  const chooseHub = (value: string) => {
    setHub(value);
    const h = (hubs.data ?? []).find((c) => String(c.id) === value);
    const closes = v ? localInputToIso(v.closes) : null;
    if (h && v && (!closes || new Date(closes) > new Date(h.closes_at))) setV({ ...v, closes: isoToLocalInput(h.closes_at) });
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!v) return;
    const d = readDetails(v, digits);
    if ('bad' in d) {
      setBad(t(d.bad as 'market.m.badName'));
      return;
    }
    setBad('');
    const hubId = hub ? Number(hub) : null;
    const fees = hubId !== null ? {} : d.body.fees;
    const body = {
      ...d.body,
      fees,
      coordinator_org_id: o.id,
      coop_ids: coops.size ? [...coops] : undefined,
      hub_cycle_id: hubId,
    } as unknown as Parameters<typeof marketApi.createCycle>[0];
    const c = await r.run(() => marketApi.createCycle(body));
    if (c) route(`/market/cycles/${c.id}/manage`);
  };
  return (
    <article class="org-market" data-org-id={o.id}>
      <Breadcrumbs path={o.path} current={{ id: o.id, name: o.name }} />
      <PageHeading>{t('market.m.orgTitle', { name: o.name })}</PageHeading>
      <p class="small">
        <a href={`/orgs/${o.id}/contracts`} data-testid="contracts-link">
          {mw('contracts')}
        </a>
      </p>
      <h2>{t('market.m.cycles')}</h2>
      {cycles.error !== undefined && <ErrorBox error={cycles.error} onRetry={cycles.reload} />}
      {cycles.data && cycles.data.items.length === 0 && <p class="muted">{t('market.m.noCycles')}</p>}
      {cycles.data && cycles.data.items.length > 0 && (
        <ul class="link-list card">
          {cycles.data.items.map((c) => (
            <li key={c.id} data-cycle-id={c.id}>
              <a href={`/market/cycles/${c.id}/manage`}>{c.name}</a> <StateBadge state={c.state} />
              <span class="small muted">
                {' '}
                · {formatWhen(c.opens_at, formatLocale)} – {formatWhen(c.closes_at, formatLocale)} · {t('market.m.ordersN', { n: c.counts.orders })}
              </span>
            </li>
          ))}
        </ul>
      )}
      <form class="form card" onSubmit={submit} aria-labelledby="new-cycle" noValidate>
        <h2 id="new-cycle">{t('market.m.newCycle')}</h2>
        {(hubs.data ?? []).length > 0 && (
          <div class="field">
            <label for="cy-hub">{mw('hubCycle')}</label>
            <select id="cy-hub" value={hub} aria-describedby="cy-hub-hint" onChange={(e) => chooseHub(e.currentTarget.value)}>
              <option value="">{mw('hubNone')}</option>
              {(hubs.data ?? []).map((c) => (
                <option key={c.id} value={String(c.id)}>
                  {c.name} · {c.coordinator.name} · {cycleStateLabel(t, c.state)}
                </option>
              ))}
            </select>
            <p class="hint" id="cy-hub-hint">
              {mw('hubHint')}
            </p>
          </div>
        )}
        {v && <DetailsFields v={v} set={setV} currency={o.currency} noFees={hub !== ''} />}
        {ordering.length > 0 && (
          <fieldset class="field plain-fieldset">
            <legend>
              <strong>{t('market.m.coops')}</strong>
            </legend>
            <p class="hint">{t('market.m.coopsHint')}</p>
            {ordering.map((c) => (
              <label key={c.id} class="choice" style={{ fontWeight: 400, display: 'flex', gap: '0.5rem' }}>
                <input
                  type="checkbox"
                  style={{ width: 'auto' }}
                  checked={coops.has(c.id)}
                  onChange={(e) => {
                    const n = new Set(coops);
                    if (e.currentTarget.checked) n.add(c.id);
                    else n.delete(c.id);
                    setCoops(n);
                  }}
                />
                {c.name}
              </label>
            ))}
          </fieldset>
        )}
        {bad && (
          <p class="alert alert-error" role="alert">
            {bad}
          </p>
        )}
        <Status error={r.error} notice={r.notice} />
        <button type="submit" class="btn btn-primary" disabled={r.busy}>
          {t('market.m.create')}
        </button>
      </form>
    </article>
  );
}

// ---- set-up: offers and points

// An offer's volume price tiers, edited as rows of (from units, producer
// price); saved by replacing the offer with the same variant, producer
// price and maximum.
function TierEditor({ o, currency, digits, onSaved }: { o: TieredOffer; currency: string; digits: number; onSaved: () => void }) {
  const mw = useMw();
  const [rows, setRows] = useState<{ min: string; price: string }[]>(() =>
    (o.tiers ?? []).map((tr) => ({ min: String(tr.min_units), price: decimalString(tr.producer_price, digits) })),
  );
  const [bad, setBad] = useState('');
  const r = useRunner(onSaved);
  const base = o.breakdown.producer;
  const read = (): { min_units: number; producer_price: number }[] | null => {
    const out: { min_units: number; producer_price: number }[] = [];
    for (const row of rows) {
      const min = parseCount(row.min, 1_000_000_000);
      const price = parseAmount(row.price, digits);
      if (min === null || min < 2 || price === null || price <= 0n || price >= BigInt(base)) return null;
      const prev = out[out.length - 1];
      if (prev && (min <= prev.min_units || Number(price) >= prev.producer_price)) return null;
      out.push({ min_units: min, producer_price: Number(price) });
    }
    return out;
  };
  const fid = `tiers-${o.id}`;
  return (
    <details class="tier-editor" data-testid="tier-editor">
      <summary class="small">
        {mw('editTiers')} ({(o.tiers ?? []).length})
      </summary>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const tiers = read();
          if (!tiers) {
            setBad(mw('badTiers'));
            return;
          }
          setBad('');
          void r.run(
            () =>
              hubApi.setTiers(o.cycle_id, [
                { variant_id: o.variant_id, producer_price: base, max_units: o.max_units ?? undefined, tiers },
              ]),
            mw('tiersSaved'),
          );
        }}
      >
        {rows.map((row, i) => (
          <div key={i} style={{ display: 'grid', gridTemplateColumns: '1fr 1fr auto', gap: '0.5rem', alignItems: 'end' }}>
            <div class="field">
              <label for={`${fid}-min-${i}`}>{mw('tierMin')}</label>
              <input
                id={`${fid}-min-${i}`}
                inputMode="numeric"
                value={row.min}
                onInput={(e) => setRows(rows.map((x, j) => (j === i ? { ...x, min: e.currentTarget.value } : x)))}
              />
            </div>
            <div class="field">
              <label for={`${fid}-price-${i}`}>{mw('tierPrice', { currency })}</label>
              <input
                id={`${fid}-price-${i}`}
                inputMode="decimal"
                value={row.price}
                onInput={(e) => setRows(rows.map((x, j) => (j === i ? { ...x, price: e.currentTarget.value } : x)))}
              />
            </div>
            <button
              type="button"
              class="btn btn-small btn-ghost"
              aria-label={mw('removeTier', { n: i + 1 })}
              onClick={() => setRows(rows.filter((_, j) => j !== i))}
            >
              ×
            </button>
          </div>
        ))}
        {bad && (
          <p class="hint" role="alert" style={{ color: 'var(--danger)' }}>
            {bad}
          </p>
        )}
        <Status error={r.error} notice={r.notice} />
        <div class="actions">
          {rows.length < 10 && (
            <button type="button" class="btn btn-small" onClick={() => setRows([...rows, { min: '', price: '' }])}>
              {mw('addTier')}
            </button>
          )}
          <button type="submit" class="btn btn-small btn-primary" disabled={r.busy}>
            {mw('saveTiers')}
          </button>
        </div>
      </form>
    </details>
  );
}

function OffersSetup({ cycle, editable, onChange }: { cycle: Cycle; editable: boolean; onChange: () => void }) {
  const { t, formatLocale } = useI18n();
  const digitsOf = useDigits();
  const digits = digitsOf(cycle.currency);
  const offers = useAsync(() => marketApi.shop(cycle.id, { limit: 200 }), [cycle.id, cycle.counts.offers]);
  const [q, setQ] = useState('');
  const [found, setFound] = useState<ProductSummary[] | null>(null);
  const r = useRunner(() => {
    offers.reload();
    onChange();
  });
  const search = useRunner();
  const fmt = (v: number) => formatAmount(v, cycle.currency, digits, formatLocale);
  const mw = useMw();
  const offered = new Set((offers.data?.items ?? []).map((o) => o.variant_id));
  const add = (variantIds: number[]) =>
    r.run(() => marketApi.setOffers(cycle.id, variantIds.map((variant_id) => ({ variant_id }))), t('market.m.offersAdded', { n: variantIds.length }));
  return (
    <section class="card" aria-labelledby="offers-title" data-testid="offers-setup">
      <h3 id="offers-title" style={{ marginTop: 0 }}>
        {t('market.m.offers', { n: offers.data?.total ?? cycle.counts.offers })}
      </h3>
      <Status error={r.error} notice={r.notice} />
      {offers.error !== undefined && <ErrorBox error={offers.error} onRetry={offers.reload} />}
      <details open={editable && (offers.data?.items.length ?? 0) <= 12} class="offer-list">
        <summary>{t('market.m.showOffers')}</summary>
        <ul class="link-list">
          {(offers.data?.items ?? []).map((o: Offer) => (
            <li key={o.id} data-offer-id={o.id} style={{ display: 'flex', gap: '0.5rem', justifyContent: 'space-between', alignItems: 'baseline' }}>
              <span>
                <strong>{o.product_name}</strong> <span class="small muted">{o.variant_name} · {o.producer.name}</span>
                <br />
                <span class="small">
                  {fmt(o.price)} <span class="muted">({partsOf(o.breakdown).map((p) => `${partLabel(t, p.part)} ${fmt(p.amount)}`).join(' + ')})</span>
                </span>
                {((o as TieredOffer).tiers ?? []).length > 0 && (
                  <>
                    <br />
                    <span class="small" data-testid="offer-tiers">
                      {((o as TieredOffer).tiers ?? []).map((tr) => mw('tierFrom', { n: tr.min_units, price: fmt(tr.price) })).join(' · ')}
                    </span>
                  </>
                )}
                {editable && <TierEditor o={o as TieredOffer} currency={cycle.currency} digits={digits} onSaved={offers.reload} />}
              </span>
              {editable && (
                <button type="button" class="btn btn-small btn-ghost" disabled={r.busy} onClick={() => r.run(() => marketApi.removeOffer(o.id))}>
                  {t('market.remove')}
                </button>
              )}
            </li>
          ))}
        </ul>
      </details>
      {editable && (
        <form
          role="search"
          onSubmit={async (e) => {
            e.preventDefault();
            const res = await search.run(() => marketApi.products({ q: q.trim() || undefined, limit: 50 }));
            if (res) setFound(res.items);
          }}
        >
          <label for="cat-q">{t('market.m.fromCatalog')}</label>
          <div style={{ display: 'flex', gap: '0.5rem' }}>
            <input id="cat-q" type="search" value={q} maxLength={100} onInput={(e) => setQ(e.currentTarget.value)} />
            <button type="submit" class="btn" disabled={search.busy}>
              {t('market.searchGo')}
            </button>
          </div>
          <Status error={search.error} notice="" />
        </form>
      )}
      {editable && found && (
        <>
          {found.length === 0 && <p class="muted">{t('market.noResults')}</p>}
          <ul class="link-list" data-testid="catalog-results">
            {found.map((p) =>
              p.variants
                .filter((vr) => vr.active)
                .map((vr) => (
                  <li key={vr.id} data-variant-id={vr.id} style={{ display: 'flex', gap: '0.5rem', justifyContent: 'space-between', alignItems: 'baseline' }}>
                    <span>
                      <strong>{p.name}</strong> <span class="small muted">{vr.name} · {p.producer.name}</span>
                      <br />
                      <span class="small">{t('market.m.producerPart', { amount: formatAmount(vr.breakdown.producer, p.currency, digitsOf(p.currency), formatLocale) })}</span>
                    </span>
                    {offered.has(vr.id) ? (
                      <span class="badge">{t('market.m.offered')}</span>
                    ) : (
                      <button type="button" class="btn btn-small" disabled={r.busy} onClick={() => add([vr.id])}>
                        {t('market.m.offer')}
                      </button>
                    )}
                  </li>
                )),
            )}
          </ul>
          {found.some((p) => p.variants.some((vr) => vr.active && !offered.has(vr.id))) && (
            <button
              type="button"
              class="btn btn-primary"
              disabled={r.busy}
              onClick={() => add(found.flatMap((p) => p.variants.filter((vr) => vr.active && !offered.has(vr.id)).map((vr) => vr.id)))}
            >
              {t('market.m.offerAll')}
            </button>
          )}
        </>
      )}
    </section>
  );
}

function PointsSetup({ cycle, editable, onChange }: { cycle: Cycle; editable: boolean; onChange: () => void }) {
  const { t, formatLocale } = useI18n();
  const digitsOf = useDigits();
  const digits = digitsOf(cycle.currency);
  const [name, setName] = useState('');
  const [kind, setKind] = useState('pickup');
  const [address, setAddress] = useState('');
  const [fee, setFee] = useState('');
  const [bad, setBad] = useState('');
  const r = useRunner(onChange);
  return (
    <section class="card" aria-labelledby="points-title" data-testid="points-setup">
      <h3 id="points-title" style={{ marginTop: 0 }}>
        {t('market.m.points')}
      </h3>
      <Status error={r.error} notice={r.notice} />
      {cycle.points.length === 0 && <p class="muted">{t('market.m.noPoints')}</p>}
      <ul class="link-list">
        {cycle.points.map((p) => (
          <li key={p.id} data-point-id={p.id} style={{ display: 'flex', justifyContent: 'space-between', gap: '0.5rem' }}>
            <span>
              <strong>{p.name}</strong>{' '}
              <span class="small muted">
                {p.kind === 'delivery' ? t('market.delivery') : t('market.pickup')}
                {p.address && ` · ${p.address}`} · {p.fee > 0 ? formatAmount(p.fee, cycle.currency, digits, formatLocale) : t('market.free')}
              </span>
            </span>
            {editable && (
              <button type="button" class="btn btn-small btn-ghost" disabled={r.busy} onClick={() => r.run(() => marketApi.removePoint(p.id))}>
                {t('market.remove')}
              </button>
            )}
          </li>
        ))}
      </ul>
      {editable && (
        <form
          class="form"
          noValidate
          onSubmit={async (e) => {
            e.preventDefault();
            const f = fee.trim() ? parseAmount(fee, digits) : 0n;
            if (!name.trim() || f === null) {
              setBad(t('market.m.badPoint'));
              return;
            }
            setBad('');
            const ok = await r.run(() => marketApi.addPoint(cycle.id, { name: name.trim(), kind, address: address.trim(), fee: Number(f) }), t('market.m.pointAdded'));
            if (ok) {
              setName('');
              setAddress('');
              setFee('');
            }
          }}
        >
          <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(9rem, 1fr))', gap: '0.5rem' }}>
            <div class="field">
              <label for="pt-name">{t('market.m.pointName')}</label>
              <input id="pt-name" value={name} maxLength={200} onInput={(e) => setName(e.currentTarget.value)} />
            </div>
            <div class="field">
              <label for="pt-kind">{t('market.m.pointKind')}</label>
              <select id="pt-kind" value={kind} onChange={(e) => setKind(e.currentTarget.value)}>
                <option value="pickup">{t('market.pickup')}</option>
                <option value="delivery">{t('market.delivery')}</option>
              </select>
            </div>
            <div class="field">
              <label for="pt-address">{t('market.m.pointAddress')}</label>
              <input id="pt-address" value={address} maxLength={500} onInput={(e) => setAddress(e.currentTarget.value)} />
            </div>
            <div class="field">
              <label for="pt-fee">{t('market.m.pointFee', { currency: cycle.currency })}</label>
              <input id="pt-fee" inputMode="decimal" value={fee} placeholder="0" onInput={(e) => setFee(e.currentTarget.value)} />
            </div>
          </div>
          {bad && (
            <p class="hint" role="alert" style={{ color: 'var(--danger)' }}>
              {bad}
            </p>
          )}
          <button type="submit" class="btn" disabled={r.busy}>
            {t('market.m.addPoint')}
          </button>
        </form>
      )}
    </section>
  );
}

function DetailsSetup({ cycle, onChange }: { cycle: Cycle; onChange: () => void }) {
  const { t } = useI18n();
  const digitsOf = useDigits();
  const digits = digitsOf(cycle.currency);
  const [v, setV] = useState<DetailsValue>(() => initialDetails(cycle, digits));
  const [bad, setBad] = useState('');
  const r = useRunner(onChange);
  return (
    <details class="card">
      <summary>
        <strong>{t('market.m.editDetails')}</strong>
      </summary>
      <form
        class="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const d = readDetails(v, digits);
          if ('bad' in d) {
            setBad(t(d.bad as 'market.m.badName'));
            return;
          }
          setBad('');
          void r.run(() => marketApi.updateCycle(cycle.id, d.body), t('market.m.saved'));
        }}
      >
        <DetailsFields v={v} set={setV} currency={cycle.currency} />
        {bad && (
          <p class="alert alert-error" role="alert">
            {bad}
          </p>
        )}
        <Status error={r.error} notice={r.notice} />
        <button type="submit" class="btn" disabled={r.busy}>
          {t('market.m.save')}
        </button>
      </form>
    </details>
  );
}

// ---- after close: purchase orders, receiving, allocation, settlement

function PurchaseOrderCard({ po, cycle, children }: { po: PurchaseOrder; cycle: { id: number; currency: string }; children?: ComponentChildren }) {
  const { t, formatLocale } = useI18n();
  const digitsOf = useDigits();
  const fmt = (v: number) => formatAmount(v, cycle.currency, digitsOf(cycle.currency), formatLocale);
  return (
    <li class="card purchase-order" data-po-id={po.id} data-state={po.state} data-producer-id={po.producer.org_id}>
      <div class="membership-head">
        <strong>{po.producer.name}</strong>
        <span class={`badge${po.state === 'confirmed' ? ' badge-active' : ''}`}>{t(`market.poState.${po.state}` as 'market.poState.sent')}</span>
      </div>
      <div class="table-scroll">
        <table class="rows">
          <thead>
            <tr>
              <th scope="col">{t('market.product')}</th>
              <th scope="col" class="num">
                {t('market.m.demand')}
              </th>
              <th scope="col" class="num">
                {t('market.m.toDeliver')}
              </th>
              <th scope="col" class="num">
                {t('market.m.confirmed')}
              </th>
              <th scope="col" class="num">
                {t('market.m.received')}
              </th>
            </tr>
          </thead>
          <tbody>
            {po.lines.map((l) => (
              <tr key={l.offer_id} data-offer-id={l.offer_id}>
                <td>
                  <div style={WIDE}>
                    <strong>{l.product_name}</strong> <span class="small muted">{l.variant_name}</span>
                  </div>
                </td>
                <td class="num" data-label={t('market.m.demand')}>
                  <span>
                    {l.demand}
                    {l.tolerance > 0 && <span class="small muted"> (+{l.tolerance})</span>}
                  </span>
                </td>
                <td class="num" data-label={t('market.m.toDeliver')}>
                  <span>
                    {l.units}
                    {l.case_size > 1 && <span class="small muted"> ({t('market.m.cases', { n: l.cases, size: l.case_size })})</span>}
                  </span>
                </td>
                <td class="num" data-label={t('market.m.confirmed')}>
                  {l.confirmed_units ?? '—'}
                </td>
                <td class="num" data-label={t('market.m.received')}>
                  {l.received_units ?? '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="small">
        {t('market.m.producerAmount', { amount: fmt(po.producer_amount), n: po.total_units })}
        {po.note && <span class="muted"> · {po.note}</span>}
      </p>
      <p class="small">
        {t('market.m.packing')}: <a href={reportUrl.packing(cycle.id, po.producer.org_id, 'html')}>{t('market.printable')}</a> ·{' '}
        <a href={reportUrl.packing(cycle.id, po.producer.org_id, 'csv')}>CSV</a> · {t('market.m.statement')}:{' '}
        <a href={reportUrl.statement(cycle.id, po.producer.org_id, 'html')}>{t('market.printable')}</a> ·{' '}
        <a href={reportUrl.statement(cycle.id, po.producer.org_id, 'csv')}>CSV</a>
      </p>
      {children}
    </li>
  );
}

function Receiving({ cycle, pos, onChange }: { cycle: Cycle; pos: PurchaseOrder[]; onChange: () => void }) {
  const { t } = useI18n();
  const lines = pos.flatMap((po) => po.lines.map((l) => ({ ...l, producer: po.producer.name })));
  const expected = (l: (typeof lines)[number]) => l.confirmed_units ?? l.units;
  const [values, setValues] = useState<Record<number, string>>({});
  useEffect(() => {
    const v: Record<number, string> = {};
    for (const l of lines) v[l.offer_id] = String(l.received_units ?? expected(l));
    setValues(v);
  }, [pos]);
  const r = useRunner(onChange);
  const editable = cycle.state === 'closed';
  const parsed = lines.map((l) => ({ l, n: parseCount(values[l.offer_id] ?? '', 1_000_000_000) }));
  const bad = parsed.some((x) => x.n === null);
  const shortCount = parsed.filter((x) => x.n !== null && x.n < expected(x.l)).length;
  return (
    <section class="card receiving" aria-labelledby="receiving-title" data-testid="receiving">
      <h3 id="receiving-title" style={{ marginTop: 0 }}>
        {t('market.m.receiving')}
      </h3>
      <p class="small">{t('market.m.receivingHint')}</p>
      <Status error={r.error} notice={r.notice} />
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (bad) return;
          void r.run(
            () => marketApi.recordReceived(cycle.id, { lines: parsed.map((x) => ({ offer_id: x.l.offer_id, units: x.n as number })) }),
            t('market.m.receivedSaved'),
          );
        }}
      >
        <ul style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {parsed.map(({ l, n }) => {
            const short = n !== null && n < expected(l);
            return (
              <li
                key={l.offer_id}
                data-offer-id={l.offer_id}
                data-testid="receive-line"
                data-short={short ? 'true' : undefined}
                style={{
                  display: 'grid',
                  gridTemplateColumns: '1fr 6rem',
                  gap: '0.5rem',
                  alignItems: 'center',
                  padding: '0.4rem',
                  borderRadius: '6px',
                  borderLeft: short ? '4px solid var(--danger)' : '4px solid transparent',
                  background: short ? 'color-mix(in srgb, var(--danger) 10%, transparent)' : undefined,
                }}
              >
                <label for={`recv-${l.offer_id}`} style={{ fontWeight: 400, margin: 0 }}>
                  <strong>{l.product_name}</strong> <span class="small muted">{l.variant_name} · {l.producer}</span>
                  <br />
                  <span class="small">
                    {t('market.m.expected', { n: expected(l) })}
                    {short && <strong style={{ color: 'var(--danger)' }}> · {t('market.m.shortBy', { n: expected(l) - (n ?? 0) })}</strong>}
                  </span>
                </label>
                <input
                  id={`recv-${l.offer_id}`}
                  inputMode="numeric"
                  value={values[l.offer_id] ?? ''}
                  disabled={!editable}
                  aria-invalid={n === null ? 'true' : undefined}
                  onInput={(e) => setValues({ ...values, [l.offer_id]: e.currentTarget.value })}
                />
              </li>
            );
          })}
        </ul>
        {shortCount > 0 && (
          <p class="small" role="status" style={{ color: 'var(--danger)' }}>
            {t('market.m.shortLines', { n: shortCount })}
          </p>
        )}
        {editable && (
          <div class="actions" style={{ marginTop: '0.5rem' }}>
            <button type="submit" class="btn btn-primary" disabled={r.busy || bad}>
              {t('market.m.recordReceived')}
            </button>
            <button
              type="button"
              class="btn"
              disabled={r.busy}
              onClick={() => r.run(() => marketApi.recordReceived(cycle.id, { all_as_confirmed: true }), t('market.m.receivedSaved'))}
            >
              {t('market.m.allAsConfirmed')}
            </button>
          </div>
        )}
      </form>
    </section>
  );
}

function Allocation({ cycle, version }: { cycle: Cycle; version: number }) {
  const { t } = useI18n();
  const [preview, setPreview] = useState<AllocationPreview | null>(null);
  const r = useRunner();
  useEffect(() => setPreview(null), [version]);
  return (
    <section class="card allocation" aria-labelledby="alloc-title" data-testid="allocation">
      <h3 id="alloc-title" style={{ marginTop: 0 }}>
        {t('market.m.allocation')}
      </h3>
      <p class="small">{t(`market.ruleHint.${cycle.share_rule}` as 'market.ruleHint.proportional')}</p>
      <Status error={r.error} notice="" />
      <button
        type="button"
        class="btn"
        disabled={r.busy}
        onClick={async () => {
          const p = await r.run(() => marketApi.allocation(cycle.id));
          if (p) setPreview(p);
        }}
      >
        {t('market.m.preview')}
      </button>
      {preview && (
        <>
          <p class="small" data-testid="orders-changed">
            {t('market.m.ordersChanged', { n: preview.orders_changed })}
          </p>
          <div class="table-scroll">
            <table class="rows">
              <thead>
                <tr>
                  <th scope="col">{t('market.product')}</th>
                  <th scope="col" class="num">
                    {t('market.m.demand')}
                  </th>
                  <th scope="col" class="num">
                    {t('market.m.received')}
                  </th>
                  <th scope="col" class="num">
                    {t('market.m.allocated')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {preview.offers.map((o) => (
                  <tr
                    key={o.offer_id}
                    data-offer-id={o.offer_id}
                    data-testid="alloc-line"
                    data-short={o.short ? 'true' : undefined}
                    style={o.short ? { background: 'color-mix(in srgb, var(--danger) 10%, transparent)' } : undefined}
                  >
                    <td>
                      <div style={WIDE}>
                        <strong>{o.product_name}</strong> <span class="small muted">{o.variant_name}</span>
                        {o.short && (
                          <>
                            {' '}
                            <span class="badge" style={{ color: 'var(--danger)' }}>
                              {t('market.m.short')}
                            </span>
                          </>
                        )}
                      </div>
                    </td>
                    <td class="num" data-label={t('market.m.demand')}>
                      <span>
                        {o.demand}
                        {o.tolerance > 0 && <span class="small muted"> (+{o.tolerance})</span>}
                      </span>
                    </td>
                    <td class="num" data-label={t('market.m.received')}>
                      {o.received}
                    </td>
                    <td class="num" data-label={t('market.m.allocated')}>
                      <span>
                        {o.allocated}
                        {o.unallocated > 0 && <span class="small muted"> ({t('market.m.unallocated', { n: o.unallocated })})</span>}
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

// The settle step; the page keeps its result (`result`, set through
// onDone), so it stays on screen when the cycle reloads as settled.
function Settle({
  cycle,
  ready,
  result,
  onDone,
}: {
  cycle: Cycle;
  ready: boolean;
  result: Settlement | null;
  onDone: (s: Settlement) => void;
}) {
  const { t, formatLocale } = useI18n();
  const digitsOf = useDigits();
  const [confirming, setConfirming] = useState(false);
  const r = useRunner();
  const fmt = (v: number) => formatAmount(v, cycle.currency, digitsOf(cycle.currency), formatLocale);
  return (
    <section class="card settle" aria-labelledby="settle-title" data-testid="settle">
      <h3 id="settle-title" style={{ marginTop: 0 }}>
        {t('market.m.settle')}
      </h3>
      <p class="small">{t('market.m.settleHint')}</p>
      <Status error={r.error} notice="" />
      {result && (
        <div class="alert alert-ok" role="status" data-testid="settled">
          <p>{t('market.m.settledText', { n: result.orders, amount: fmt(result.total) })}</p>
          <ul class="small">
            {result.producers.map((p) => (
              <li key={p.org_id}>
                {p.name}: {fmt(p.amount)}
              </li>
            ))}
            {partsOf(result.fees).filter((p) => p.part !== 'producer').map((p) => (
              <li key={p.part}>
                {partLabel(t, p.part)}: {fmt(p.amount)}
              </li>
            ))}
            {result.point_fees > 0 && (
              <li>
                {t('market.pointFee')}: {fmt(result.point_fees)}
              </li>
            )}
          </ul>
        </div>
      )}
      {!result && !ready && <p class="hint">{t('market.m.settleNotReady')}</p>}
      {!result &&
        (confirming ? (
          <div class="alert alert-info" role="alertdialog" aria-labelledby="settle-confirm-text">
            <p id="settle-confirm-text">{t('market.m.settleConfirm', { name: cycle.name, n: cycle.counts.orders })}</p>
            <div class="actions">
              <button
                type="button"
                class="btn btn-danger"
                disabled={r.busy}
                onClick={async () => {
                  const s = await r.run(() => marketApi.settle(cycle.id));
                  setConfirming(false);
                  if (s) onDone(s);
                }}
              >
                {t('market.m.settleYes')}
              </button>
              <button type="button" class="btn btn-ghost" onClick={() => setConfirming(false)}>
                {t('common.cancel')}
              </button>
            </div>
          </div>
        ) : (
          <button type="button" class="btn btn-primary" disabled={!ready} onClick={() => setConfirming(true)}>
            {t('market.m.settleButton')}
          </button>
        ))}
    </section>
  );
}

function Reports({ cycle }: { cycle: Cycle }) {
  const { t } = useI18n();
  return (
    <section class="card" aria-labelledby="reports-title" data-testid="reports">
      <h3 id="reports-title" style={{ marginTop: 0 }}>
        {t('market.m.reports')}
      </h3>
      <ul class="link-list">
        <li>
          {t('market.m.picklistAll')}: <a href={reportUrl.picklist(cycle.id, 'html')}>{t('market.printable')}</a> ·{' '}
          <a href={reportUrl.picklist(cycle.id, 'csv')}>CSV</a>
        </li>
        {cycle.points.map((p) => (
          <li key={p.id}>
            {t('market.m.picklistFor', { name: p.name })}: <a href={reportUrl.picklist(cycle.id, 'html', p.id)}>{t('market.printable')}</a> ·{' '}
            <a href={reportUrl.picklist(cycle.id, 'csv', p.id)}>CSV</a>
          </li>
        ))}
      </ul>
    </section>
  );
}

function CycleOrders({ cycle }: { cycle: Cycle }) {
  const { t, formatLocale } = useI18n();
  const digitsOf = useDigits();
  const list = useAsync(() => marketApi.cycleOrders(cycle.id), [cycle.id, cycle.state]);
  const fmt = (v: number) => formatAmount(v, cycle.currency, digitsOf(cycle.currency), formatLocale);
  const items = list.data?.items ?? [];
  return (
    <details class="card">
      <summary>
        <strong>{t('market.m.orders', { n: cycle.counts.orders })}</strong>
      </summary>
      {list.error !== undefined && <ErrorBox error={list.error} onRetry={list.reload} />}
      <ul class="link-list">
        {items.map((o) => (
          <li key={o.id} data-order-id={o.id}>
            <a href={`/market/orders/${o.id}`}>{o.person_name ?? o.person?.name ?? t('market.orderNo', { id: o.id })}</a> <StateBadge state={o.state} kind="order" />{' '}
            <span class="small">{fmt(o.total ?? (o.state === 'placed' ? o.hold_amount : o.subtotal))}</span>
          </li>
        ))}
      </ul>
    </details>
  );
}

// A hub's or a local cycle's group: the hub it feeds, or the local cycles
// feeding it with their orders.
function GroupLinks({ c }: { c: HubCycle }) {
  const { t, formatLocale } = useI18n();
  const mw = useMw();
  const linked = c.linked ?? [];
  if (!c.hub && linked.length === 0) return null;
  return (
    <section class="card" aria-labelledby="group-links-title" data-testid="group-links" style={{ margin: '0.75rem 0' }}>
      <h2 id="group-links-title" style={{ marginTop: 0, fontSize: '1.1rem' }}>
        {mw('groupTitle')}
      </h2>
      {c.hub && (
        <p data-testid="hub-link" data-hub-id={c.hub.id}>
          <a href={`/market/cycles/${c.hub.id}/manage`}>{mw('hubLink', { name: c.hub.name })}</a>{' '}
          <span class="small muted">
            · {c.hub.coordinator.name} · {cycleStateLabel(t, c.hub.state)} · {formatWhen(c.hub.closes_at, formatLocale)}
          </span>
        </p>
      )}
      {linked.length > 0 && (
        <>
          <h3 style={{ fontSize: '1rem' }}>{mw('linkedTitle')}</h3>
          <ul class="link-list" data-testid="linked-cycles">
            {linked.map((l) => (
              <li key={l.id} data-cycle-id={l.id}>
                <a href={`/market/cycles/${l.id}/manage`}>{l.name}</a> <StateBadge state={l.state} />
                <span class="small muted">
                  {' '}
                  · {l.coordinator.name}
                  {l.orders !== undefined && ` · ${mw('ordersN', { n: l.orders })}`}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

// The running demand across a hub and its local cycles, per offer: units
// ordered, whole cases, the tier reached and what the next one needs.
function DemandTable({ c }: { c: HubCycle }) {
  const { formatLocale } = useI18n();
  const mw = useMw();
  const digitsOf = useDigits();
  const d = useAsync(() => hubApi.demand(c.id), [c.id, c.state, c.counts.orders]);
  const fmt = (v: number) => formatAmount(v, c.currency, digitsOf(c.currency), formatLocale);
  // Offers with tiers first; the rest (ordered, no tier) folded away.
  const all = d.data?.offers ?? [];
  const rows = all.filter((r) => r.tier_min_units !== null || r.next_tier !== null);
  const others = all.filter((r) => r.tier_min_units === null && r.next_tier === null);
  return (
    <section class="card" aria-labelledby="demand-title" data-testid="demand-table">
      <h3 id="demand-title" style={{ marginTop: 0 }}>
        {mw('demandTitle')}
      </h3>
      {d.error !== undefined && <ErrorBox error={d.error} onRetry={d.reload} />}
      {d.data && all.length === 0 && <p class="muted">{mw('demandEmpty')}</p>}
      {rows.length > 0 && (
        <div class="table-scroll">
          <table class="rows">
            <thead>
              <tr>
                <th scope="col">{mw('product')}</th>
                <th scope="col" class="num">
                  {mw('demand')}
                </th>
                <th scope="col" class="num">
                  {mw('cases')}
                </th>
                <th scope="col" class="num">
                  {mw('units')}
                </th>
                <th scope="col" class="num">
                  {mw('tierNow')}
                </th>
                <th scope="col">{mw('nextTier')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.offer_id} data-offer-id={r.offer_id} data-testid="demand-row">
                  <td>
                    <div style={WIDE}>
                      <strong>{r.product_name}</strong> <span class="small muted">{r.variant_name}</span>
                    </div>
                  </td>
                  <td class="num" data-label={mw('demand')}>
                    <span>
                      {r.demand}
                      {r.tolerance > 0 && <span class="small muted"> (+{r.tolerance})</span>}
                    </span>
                  </td>
                  <td class="num" data-label={mw('cases')}>
                    <span>
                      {r.cases} <span class="small muted">× {r.case_size}</span>
                    </span>
                  </td>
                  <td class="num" data-label={mw('units')}>
                    {r.units}
                  </td>
                  <td class="num" data-label={mw('tierNow')}>
                    {r.tier_min_units ?? '—'}
                  </td>
                  <td data-label={mw('nextTier')}>
                    {r.next_tier ? (
                      <span class="small">
                        {mw('tierFrom', { n: r.next_tier.min_units, price: fmt(r.next_tier.price) })} ·{' '}
                        <strong>{mw('short', { n: r.next_tier.units_short })}</strong>
                      </span>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {others.length > 0 && (
        <details>
          <summary class="small">{mw('otherDemand', { n: others.length })}</summary>
          <ul class="link-list small">
            {others.map((r) => (
              <li key={r.offer_id} data-offer-id={r.offer_id}>
                {r.product_name} <span class="muted">{r.variant_name}</span> · {r.demand}
                {r.tolerance > 0 && ` (+${r.tolerance})`} · {r.cases} × {r.case_size}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

export function ManageCyclePage({ id }: { id: string }) {
  const cycleId = Number(id);
  const { t, formatLocale } = useI18n();
  const digitsOf = useDigits();
  const cycle = useAsync(() => marketApi.cycle(cycleId), [cycleId]);
  const c = cycle.data;
  const closedish = c?.state === 'closed' || c?.state === 'settled';
  const pos = useAsync(async () => (closedish ? marketApi.purchaseOrders(cycleId) : null), [cycleId, c?.state]);
  const [version, setVersion] = useState(0);
  const [confirm, setConfirm] = useState<'' | 'close' | 'cancel'>('');
  // A settlement made on this page, shown once the cycle reads as settled.
  const [settlement, setSettlement] = useState<Settlement | null>(null);
  const settled = (s: Settlement) => {
    setSettlement(s);
    cycle.reload();
  };
  const r = useRunner(() => cycle.reload());
  const mw = useMw();
  usePageTitle(c ? t('market.m.manageTitle', { name: c.name }) : t('market.title'));
  if (cycle.loading && !c) return <Loading />;
  if (cycle.error !== undefined || !c) return <ErrorBox error={cycle.error} onRetry={cycle.reload} />;
  const setup = c.state === 'draft' || c.state === 'scheduled';
  const fees = c.fees;
  const hc = c as HubCycle;
  const local = !!hc.hub;
  const isHub = (hc.linked ?? []).length > 0;
  const allReceived = (pos.data?.items ?? []).every((po) => po.lines.every((l) => l.received_units !== null));
  const afterReceive = () => {
    pos.reload();
    setVersion((v) => v + 1);
  };
  const act = (a: 'publish' | 'open' | 'close' | 'cancel') =>
    r.run(() => marketApi.transition(c.id, a), t(`market.m.did.${a}` as 'market.m.did.open')).then(() => setConfirm(''));
  return (
    <article class="manage-cycle" data-cycle-id={c.id} data-state={c.state}>
      <p class="small">
        <a href={`/orgs/${c.coordinator.org_id}/market`}>{t('market.m.orgTitle', { name: c.coordinator.name })}</a> ·{' '}
        <a href={`/market/cycles/${c.id}`}>{t('market.m.shopfront')}</a>
      </p>
      <PageHeading>{c.name}</PageHeading>
      <p>
        <StateBadge state={c.state} />
      </p>
      <dl class="facts card">
        <div>
          <dt>{t('market.m.opens')}</dt>
          <dd>{formatWhen(c.opens_at, formatLocale)}</dd>
        </div>
        <div>
          <dt>{t('market.m.closes')}</dt>
          <dd>{formatWhen(c.closes_at, formatLocale)}</dd>
        </div>
        <div>
          <dt>{t('market.m.rule')}</dt>
          <dd>{shareRuleLabel(t, c.share_rule)}</dd>
        </div>
        <div>
          <dt>{t('market.m.fees')}</dt>
          <dd class="small">
            {[
              [t('market.part.transport'), fees.transport_bps, fees.transport_per_unit],
              [t('market.part.packing'), fees.packing_bps, fees.packing_per_unit],
              [t('market.part.margin'), fees.margin_bps, 0],
              [t('market.part.fund'), fees.fund_bps, 0],
              [t('market.part.tax'), fees.tax_bps, 0],
            ]
              .filter(([, b, u]) => (b as number) > 0 || (u as number) > 0)
              .map(([n, b, u]) =>
                [n, (b as number) > 0 ? bpsText(b as number, formatLocale) : '', (u as number) > 0 ? t('market.m.perUnit', { amount: formatAmount(u as number, c.currency, digitsOf(c.currency), formatLocale) }) : '']
                  .filter(Boolean)
                  .join(' '),
              )
              .join(' · ') || '—'}
          </dd>
        </div>
        <div>
          <dt>{t('market.m.counts')}</dt>
          <dd>{t('market.m.countsText', { offers: c.counts.offers, producers: c.counts.producers, orders: c.counts.orders })}</dd>
        </div>
      </dl>
      <GroupLinks c={hc} />
      <Status error={r.error} notice={r.notice} />

      <div class="actions" style={{ margin: '1rem 0' }}>
        {c.state === 'draft' && (
          <button type="button" class="btn btn-primary" disabled={r.busy} onClick={() => act('publish')}>
            {t('market.m.publish')}
          </button>
        )}
        {c.state === 'scheduled' && (
          <button type="button" class="btn btn-primary" disabled={r.busy} onClick={() => act('open')}>
            {t('market.m.openNow')}
          </button>
        )}
        {c.state === 'open' && (
          <button type="button" class="btn btn-primary" disabled={r.busy} onClick={() => setConfirm('close')}>
            {t('market.m.closeNow')}
          </button>
        )}
        {c.state !== 'settled' && c.state !== 'cancelled' && (
          <button type="button" class="btn btn-danger-ghost" disabled={r.busy} onClick={() => setConfirm('cancel')}>
            {t('market.m.cancelCycle')}
          </button>
        )}
      </div>
      {c.state === 'draft' && <p class="hint">{t('market.m.publishHint')}</p>}
      {confirm && (
        <div class="alert alert-info" role="alertdialog" aria-labelledby="cycle-confirm">
          <p id="cycle-confirm">{confirm === 'close' ? t('market.m.closeConfirm') : t('market.m.cancelConfirm')}</p>
          <div class="actions">
            <button type="button" class={`btn ${confirm === 'cancel' ? 'btn-danger' : 'btn-primary'}`} disabled={r.busy} onClick={() => act(confirm)}>
              {confirm === 'close' ? t('market.m.closeYes') : t('market.m.cancelYes')}
            </button>
            <button type="button" class="btn btn-ghost" onClick={() => setConfirm('')}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      )}

      {setup && (
        <section aria-labelledby="setup-title">
          <h2 id="setup-title">{t('market.m.setup')}</h2>
          <div style={{ display: 'grid', gap: '0.75rem' }}>
            <DetailsSetup cycle={c} onChange={cycle.reload} />
            {local ? (
              <p class="card small" data-testid="local-offers">
                {mw('localOffers')}
              </p>
            ) : (
              <OffersSetup cycle={c} editable onChange={cycle.reload} />
            )}
            <PointsSetup cycle={c} editable onChange={cycle.reload} />
          </div>
        </section>
      )}
      {!setup && c.state === 'open' && !local && <OffersSetup cycle={c} editable={false} onChange={cycle.reload} />}
      {(isHub || local) && c.state !== 'cancelled' && <DemandTable c={hc} />}

      {(c.state === 'open' || closedish) && <CycleOrders cycle={c} />}

      {closedish && local && (
        <p class="alert alert-info" data-testid="local-settle">
          {mw('localSettle')}{' '}
          {hc.hub && <a href={`/market/cycles/${hc.hub.id}/manage`}>{mw('hubLink', { name: hc.hub.name })}</a>}
        </p>
      )}
      {closedish && !local && (
        <section aria-labelledby="after-title">
          <h2 id="after-title">{t('market.m.purchaseOrders')}</h2>
          {pos.error !== undefined && <ErrorBox error={pos.error} onRetry={pos.reload} />}
          {pos.data && pos.data.items.length === 0 && <p class="muted">{t('market.m.noPurchaseOrders')}</p>}
          <ul class="memberships">
            {(pos.data?.items ?? []).map((po) => (
              <PurchaseOrderCard key={po.id} po={po} cycle={c} />
            ))}
          </ul>
          {pos.data && pos.data.items.length > 0 && (
            <div style={{ display: 'grid', gap: '0.75rem' }}>
              <Receiving cycle={c} pos={pos.data.items} onChange={afterReceive} />
              {c.state === 'closed' && <Allocation cycle={c} version={version} />}
              {c.state === 'closed' && <Settle cycle={c} ready={allReceived} result={null} onDone={settled} />}
            </div>
          )}
          {c.state === 'closed' && pos.data && pos.data.items.length === 0 && <Settle cycle={c} ready result={null} onDone={settled} />}
          {settlement && <Settle cycle={c} ready={false} result={settlement} onDone={settled} />}
          <Reports cycle={c} />
        </section>
      )}
      {c.state === 'settled' && (
        <p class="alert alert-ok" data-testid="cycle-settled">
          {t('market.m.settledAt', { when: formatWhen(c.settled_at, formatLocale) })}
        </p>
      )}
    </article>
  );
}

// ---- the producer's page

// The cycles a producer may supply: those of the organisations above it and
// of their member co-ops (there is no route listing a producer's cycles).
async function producerPurchaseOrders(o: Org): Promise<{ cycle: Cycle; po: PurchaseOrder }[]> {
  const orgIds = new Set<number>([o.id, ...o.path.map((p) => p.id)]);
  const parent = o.path[o.path.length - 1];
  if (parent) {
    const kids = await endpoints.children(parent.id).catch(() => null);
    for (const k of kids?.items ?? []) orgIds.add(k.id);
  }
  const lists = await Promise.all([...orgIds].map((id) => marketApi.cycles({ org_id: id, limit: 50 }).catch(() => null)));
  const cycles = new Map<number, Cycle>();
  for (const l of lists) for (const c of l?.items ?? []) if (c.state === 'closed' || c.state === 'settled') cycles.set(c.id, c);
  const out: { cycle: Cycle; po: PurchaseOrder }[] = [];
  const pos = await Promise.all([...cycles.values()].map((c) => marketApi.purchaseOrders(c.id).then((r) => ({ c, r }), () => null)));
  for (const x of pos) for (const po of x?.r.items ?? []) if (po.producer.org_id === o.id) out.push({ cycle: x!.c, po });
  out.sort((a, b) => b.cycle.id - a.cycle.id);
  return out;
}

function ConfirmForm({ po, onDone }: { po: PurchaseOrder; onDone: () => void }) {
  const { t } = useI18n();
  const [units, setUnits] = useState<Record<number, string>>(() => Object.fromEntries(po.lines.map((l) => [l.offer_id, String(l.units)])));
  const [note, setNote] = useState('');
  const r = useRunner();
  const parsed = po.lines.map((l) => ({ l, n: parseCount(units[l.offer_id] ?? '', 1_000_000_000) }));
  const bad = parsed.some((x) => x.n === null || x.n > x.l.units);
  return (
    <form
      class="form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (bad) return;
        const fewer = parsed.filter((x) => x.n !== x.l.units).map((x) => ({ offer_id: x.l.offer_id, units: x.n as number }));
        void r
          .run(() => marketApi.confirmPurchaseOrder(po.id, { lines: fewer.length ? fewer : undefined, note: note.trim() || undefined }))
          .then((done) => done && onDone());
      }}
    >
      <p class="small">{t('market.p.confirmHint')}</p>
      {parsed.map(({ l, n }) => (
        <div class="field" key={l.offer_id} style={{ display: 'grid', gridTemplateColumns: '1fr 6rem', gap: '0.5rem', alignItems: 'center' }}>
          <label for={`cf-${po.id}-${l.offer_id}`} style={{ fontWeight: 400 }}>
            {l.product_name} <span class="small muted">{l.variant_name} · {t('market.p.ordered', { n: l.units })}</span>
          </label>
          <input
            id={`cf-${po.id}-${l.offer_id}`}
            inputMode="numeric"
            value={units[l.offer_id]}
            aria-invalid={n === null || n > l.units ? 'true' : undefined}
            onInput={(e) => setUnits({ ...units, [l.offer_id]: e.currentTarget.value })}
          />
        </div>
      ))}
      <div class="field">
        <label for={`cf-note-${po.id}`}>{t('market.p.note')}</label>
        <input id={`cf-note-${po.id}`} value={note} maxLength={500} onInput={(e) => setNote(e.currentTarget.value)} />
      </div>
      {bad && (
        <p class="hint" role="alert" style={{ color: 'var(--danger)' }}>
          {t('market.p.badUnits')}
        </p>
      )}
      <Status error={r.error} notice={r.notice} />
      <button type="submit" class="btn btn-primary" disabled={r.busy || bad}>
        {t('market.p.confirm')}
      </button>
    </form>
  );
}

export function ProducerPage({ id }: { id: string }) {
  const orgId = Number(id);
  const { t, formatLocale } = useI18n();
  const mw = useMw();
  const org = useAsync(() => endpoints.org(orgId), [orgId]);
  const list = useAsync(async () => (org.data ? producerPurchaseOrders(org.data) : null), [org.data?.id]);
  // Shown above the list, which reloads (and drops the form) once confirmed.
  const [done, setDone] = useState('');
  usePageTitle(org.data ? t('market.p.title', { name: org.data.name }) : t('market.title'));
  if (org.loading && !org.data) return <Loading />;
  if (org.error !== undefined || !org.data) return <ErrorBox error={org.error} onRetry={org.reload} />;
  const o = org.data;
  return (
    <article class="producer" data-org-id={o.id}>
      <Breadcrumbs path={o.path} current={{ id: o.id, name: o.name }} />
      <PageHeading>{t('market.p.title', { name: o.name })}</PageHeading>
      <p class="small">{t('market.p.intro')}</p>
      <p class="small">
        <a href={`/orgs/${o.id}/contracts`} data-testid="contracts-link">
          {mw('contracts')}
        </a>
      </p>
      {done && <Notice>{done}</Notice>}
      {list.loading && !list.data && <Loading />}
      {list.error !== undefined && <ErrorBox error={list.error} onRetry={list.reload} />}
      {list.data && list.data.length === 0 && <p class="muted">{t('market.p.none')}</p>}
      {(list.data ?? []).map(({ cycle, po }) => (
        <section key={po.id} aria-label={cycle.name}>
          <h2>
            {cycle.name} <span class="small muted">· {cycle.coordinator.name} · {cycleStateLabel(t, cycle.state)} · {formatWhen(cycle.closes_at, formatLocale)}</span>
          </h2>
          <ul class="memberships">
            <PurchaseOrderCard po={po} cycle={cycle}>
              {po.state === 'sent' && cycle.state === 'closed' && (
                <ConfirmForm
                  po={po}
                  onDone={() => {
                    setDone(t('market.p.confirmed'));
                    list.reload();
                  }}
                />
              )}
            </PurchaseOrderCard>
          </ul>
        </section>
      ))}
    </article>
  );
}
