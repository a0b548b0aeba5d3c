// The solidarity market for members, phone first: the open order cycles one
// may order in (/market); a cycle's shopfront (/market/cycles/:id) with
// search, filters and pages of offers, each with its honest label (who made
// it and their story, where, how far, packaging, certifications, the
// federation's seal) and its price broken down into the producer's part and
// each fee, drawn as a small SVG bar; the cart with quantity and tolerance,
// the distribution point and checkout (the hold on the member's account);
// the member's orders (/me/orders) and one order (/market/orders/:id) with
// the allocated and final amounts once the cycle is settled, changeable or
// cancellable until the cycle closes. Group buying: an offer's volume price
// tiers, the running demand of the whole group (a hub and its local cycles:
// units ordered and how many more reach the next price), and once a tier
// applied the list price beside the price and the member's saving per line
// and in total.
import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ApiError, endpoints } from '../api';
import { useI18n } from '../i18n';
import { canManage, useSession } from '../session';
import { ErrorBox, Loading, Notice, PageHeading, useAsync, usePageTitle, Swatch } from '../ui';
import { Amount, WIDE, useDigits } from './money';
import { formatAmount, percentOf } from './money_words';
import {
  PART_COLORS,
  categoryLabel,
  cycleStateLabel,
  formatWhen,
  marketApi,
  netLabel,
  orderStateLabel,
  packagingLabel,
  parseCount,
  partLabel,
  partsOf,
  reportUrl,
  times,
  type Breakdown,
  type Cycle,
  type Order,
  type OrderLine,
  type ShopQuery,
  hubApi,
  lineSaving,
  mwFor,
  type DemandLine,
  type HubCycle,
  type MwTranslate,
  type SavingLine,
  type TieredOffer,
} from './market_words';

// The words of group buying and contracts in the interface's language.
export function useMw(): MwTranslate {
  const { locale } = useI18n();
  return useMemo(() => mwFor(locale), [locale]);
}

// ---- shared pieces

// An API error in words, with the server's own detail beneath when it says
// more (e.g. the amount a checkout needs and the amount available).
export function MarketError({ error }: { error: unknown }) {
  const { t, errorText } = useI18n();
  const text = errorText(error);
  const detail = error instanceof ApiError && error.detail && error.detail !== text ? error.detail : '';
  return (
    <div class="alert alert-error" role="alert" data-testid="market-error">
      <p>{text}</p>
      {detail && <p class="small">{detail}</p>}
      {error instanceof ApiError && error.code === 'unauthenticated' && (
        <p>
          <a href={`/login?next=${encodeURIComponent(location.pathname)}`}>{t('nav.login')}</a>
        </p>
      )}
    </div>
  );
}

// Where the money of one unit goes: a stacked bar (drawn by hand in SVG; the
// exact amounts are in the list beside it), the producer's part first.
export function BreakdownChart({
  breakdown,
  price,
  currency,
  digits,
  id,
  listPrice,
}: {
  breakdown: Breakdown;
  price: number;
  currency: string;
  digits: number;
  id: string;
  // The price while ordering, when a volume tier lowered it.
  listPrice?: number | null;
}) {
  const { t, formatLocale } = useI18n();
  const mw = useMw();
  const parts = partsOf(breakdown);
  const whole = price > 0 ? BigInt(price) : 1n;
  const fmt = (v: number) => formatAmount(v, currency, digits, formatLocale);
  let cursor = 0n;
  const W = 300;
  return (
    <figure class="breakdown" data-testid="breakdown" style={{ margin: '0.5rem 0' }}>
      <figcaption class="small">
        <strong>{t('market.whereMoneyGoes')}</strong>
      </figcaption>
      <svg
        viewBox={`0 0 ${W} 18`}
        role="img"
        aria-labelledby={`bd-${id}`}
        preserveAspectRatio="none"
        style={{ display: 'block', width: '100%', height: '1.1rem', margin: '0.3rem 0' }}
      >
        <desc id={`bd-${id}`}>
          {parts.map((p) => `${partLabel(t, p.part)}: ${fmt(p.amount)}`).join('; ')}
        </desc>
        <rect x="0" y="0" width={W} height="18" rx="4" fill="var(--line)" />
        {parts.map((p) => {
          // Exact integer ratios, turned into a width only for drawing.
          const x = Number((cursor * BigInt(W * 1000)) / whole) / 1000;
          cursor += BigInt(p.amount);
          const x2 = Number((cursor * BigInt(W * 1000)) / whole) / 1000;
          return (
            <rect key={p.part} x={x} y="0" width={Math.max(0, x2 - x)} height="18" fill={PART_COLORS[p.part]} data-part={p.part}>
              <title>
                {partLabel(t, p.part)}: {fmt(p.amount)}
              </title>
            </rect>
          );
        })}
      </svg>
      {listPrice !== undefined && listPrice !== null && listPrice > price && (
        <p class="small" data-testid="list-vs-price" data-list={listPrice} data-price={price} style={{ margin: '0.2rem 0' }}>
          <s class="muted">{fmt(listPrice)}</s> → <strong>{fmt(price)}</strong> ·{' '}
          <span style={{ color: 'var(--ok, #2e7d4f)', fontWeight: 700 }}>{mw('youSaveUnit', { amount: fmt(listPrice - price) })}</span>
        </p>
      )}
      <ul class="chart-legend small">
        {parts.map((p) => (
          <li key={p.part} data-part={p.part} style={{ display: 'flex', gap: '0.4rem', alignItems: 'baseline', padding: '0.05rem 0' }}>
            <Swatch color={PART_COLORS[p.part]} />
            <span style={{ flex: '1 1 auto' }}>
              {partLabel(t, p.part)} <span class="muted">{percentOf(p.amount, whole, formatLocale)}</span>
            </span>
            <span style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>{fmt(p.amount)}</span>
          </li>
        ))}
      </ul>
    </figure>
  );
}

function SealBadge() {
  const { t } = useI18n();
  return (
    <span class="badge badge-active" data-testid="seal" title={t('market.sealHint')}>
      ✿ {t('market.seal')}
    </span>
  );
}

export function StateBadge({ state, kind = 'cycle' }: { state: string; kind?: 'cycle' | 'order' }) {
  const { t } = useI18n();
  const good = state === 'open' || state === 'placed' || state === 'settled';
  return (
    <span class={`badge${good ? ' badge-active' : ''}`} data-state={state}>
      {kind === 'cycle' ? cycleStateLabel(t, state) : orderStateLabel(t, state)}
    </span>
  );
}

function Field({ id, label, hint, children }: { id: string; label: string; hint?: string; children: ComponentChildren }) {
  return (
    <div class="field" style={{ marginBottom: '0.5rem' }}>
      <label for={id}>{label}</label>
      {children}
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </div>
  );
}

// ---- the market list

export function MarketListPage() {
  const { t, formatLocale } = useI18n();
  const { me, loading } = useSession();
  const { route } = useLocation();
  const cycles = useAsync(() => marketApi.cycles({}), [me?.account.id]);
  usePageTitle(t('market.title'));
  useEffect(() => {
    if (!loading && !me) route(`/login?next=${encodeURIComponent('/market')}`, true);
  }, [loading, me]);
  if (!me) return <Loading />;
  const items = cycles.data?.items ?? [];
  const open = items.filter((c) => c.state === 'open');
  const soon = items.filter((c) => c.state === 'scheduled');
  return (
    <section class="market">
      <PageHeading>{t('market.title')}</PageHeading>
      <p class="lead">{t('market.intro')}</p>
      <p>
        <a href="/me/orders">{t('market.myOrders')}</a>
      </p>
      {cycles.loading && !cycles.data && <Loading />}
      {cycles.error !== undefined && <ErrorBox error={cycles.error} onRetry={cycles.reload} />}
      <h2>{t('market.openCycles')}</h2>
      {cycles.data && open.length === 0 && <p class="muted">{t('market.noOpen')}</p>}
      <ul class="memberships">
        {open.map((c) => (
          <li key={c.id} class="card cycle-card" data-cycle-id={c.id}>
            <div class="membership-head">
              <a class="membership-org" href={`/market/cycles/${c.id}`}>
                {c.name}
              </a>
              <StateBadge state={c.state} />
            </div>
            <p class="small muted">
              {c.coordinator.name} · {t('market.closesAt', { when: formatWhen(c.closes_at, formatLocale) })}
            </p>
            <p class="small">{t('market.offersCount', { n: c.counts.offers, p: c.counts.producers })}</p>
          </li>
        ))}
      </ul>
      {soon.length > 0 && (
        <>
          <h2>{t('market.soonCycles')}</h2>
          <ul class="link-list card">
            {soon.map((c) => (
              <li key={c.id} data-cycle-id={c.id}>
                <a href={`/market/cycles/${c.id}`}>{c.name}</a>
                <span class="small muted"> · {t('market.opensAt', { when: formatWhen(c.opens_at, formatLocale) })}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

// ---- the shopfront

const PAGE = 20;

// An offer's volume price tiers ("from 24 units: 2.10"), the one reached
// marked; the units counted are the whole cycle's (a hub's with its local
// cycles' demand).
export function TierList({ o, currency, digits, reachedNow }: { o: TieredOffer; currency: string; digits: number; reachedNow: number | null }) {
  const { formatLocale } = useI18n();
  const mw = useMw();
  const tiers = o.tiers ?? [];
  if (tiers.length === 0) return null;
  const reached = o.tier_min_units ?? reachedNow;
  const fmt = (v: number) => formatAmount(v, currency, digits, formatLocale);
  return (
    <div class="tiers" data-testid="tiers" style={{ margin: '0.4rem 0' }}>
      <p class="small" style={{ margin: 0 }} id={`tiers-${o.id}`}>
        <strong>{mw('tiers')}</strong>
      </p>
      <ul class="small" aria-labelledby={`tiers-${o.id}`} style={{ listStyle: 'none', padding: 0, margin: '0.1rem 0' }}>
        {tiers.map((tr) => (
          <li
            key={tr.min_units}
            data-testid="tier"
            data-min={tr.min_units}
            data-price={tr.price}
            data-reached={reached === tr.min_units ? 'true' : undefined}
            style={reached === tr.min_units ? { fontWeight: 700 } : undefined}
          >
            {mw('tierFrom', { n: tr.min_units.toLocaleString(formatLocale), price: fmt(tr.price) })}
            {reached === tr.min_units && <span class="badge badge-active"> {mw('tierReached')}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}

// The group's running demand for an offer: units ordered across the region
// (or the cycle) and how many more reach the next price.
export function DemandNote({ d, regional, currency, digits }: { d: DemandLine; regional: boolean; currency: string; digits: number }) {
  const { formatLocale } = useI18n();
  const mw = useMw();
  const fmt = (v: number) => formatAmount(v, currency, digits, formatLocale);
  const n = (v: number) => v.toLocaleString(formatLocale);
  return (
    <div class="demand small" data-testid="group-demand" data-demand={d.demand} data-units={d.units} role="status" style={{ margin: '0.3rem 0' }}>
      <p style={{ margin: 0 }}>{regional ? mw('regionDemand', { n: n(d.demand) }) : mw('cycleDemand', { n: n(d.demand) })}</p>
      {d.tier_price !== undefined && d.tier_price !== null && d.tier_price !== d.price && (
        <p style={{ margin: 0, color: 'var(--ok, #2e7d4f)' }} data-testid="tier-price-now" data-minor={d.tier_price}>
          {mw('tierPriceNow', { price: fmt(d.tier_price) })}
        </p>
      )}
      {d.next_tier ? (
        <p style={{ margin: 0 }} data-testid="units-to-next" data-short={d.next_tier.units_short}>
          <strong>{mw('unitsToNext', { n: n(d.next_tier.units_short), price: fmt(d.next_tier.price) })}</strong>
        </p>
      ) : (
        d.tier_min_units !== null && <p style={{ margin: 0 }}>{mw('topTier')}</p>
      )}
    </div>
  );
}

function OfferCard({
  o,
  currency,
  digits,
  line,
  canOrder,
  onSet,
  error,
  demand,
  regional,
}: {
  o: TieredOffer;
  currency: string;
  digits: number;
  line: OrderLine | undefined;
  canOrder: boolean;
  onSet: (quantity: number, tolerance: number) => Promise<boolean>;
  error: unknown;
  demand?: DemandLine;
  regional: boolean;
}) {
  const { t, formatLocale } = useI18n();
  const [qty, setQty] = useState(String(line?.quantity ?? 1));
  const [tol, setTol] = useState(String(line?.tolerance ?? 0));
  const [busy, setBusy] = useState(false);
  const [bad, setBad] = useState('');
  useEffect(() => {
    setQty(String(line?.quantity ?? 1));
    setTol(String(line?.tolerance ?? 0));
  }, [line?.quantity, line?.tolerance]);
  const l = o.label;
  const fmt = (v: number | bigint) => formatAmount(v, currency, digits, formatLocale);
  // Tolerance helps fill a case; with cases of one there is nothing to fill.
  const cased = o.case_size > 1 || (line?.tolerance ?? 0) > 0;
  const q = parseCount(qty);
  const tl = cased ? parseCount(tol) : 0;
  const submit = async (e: Event) => {
    e.preventDefault();
    if (q === null || q < 1 || tl === null || q + tl > 100_000) {
      setBad(t('market.badQuantity'));
      return;
    }
    setBad('');
    setBusy(true);
    await onSet(q, tl);
    setBusy(false);
  };
  const fid = `offer-${o.id}`;
  return (
    <li class="card offer" data-offer-id={o.id} data-testid="offer" aria-labelledby={`${fid}-name`}>
      <div class="membership-head">
        <h3 id={`${fid}-name`} style={{ margin: 0, fontSize: '1.05rem' }}>
          {o.product_name}
        </h3>
        <span style={{ whiteSpace: 'nowrap' }}>
          {o.list_price !== undefined && o.list_price !== null && o.list_price > o.price && (
            <>
              <s class="small muted" data-testid="list-price" data-minor={o.list_price}>
                {fmt(o.list_price)}
              </s>{' '}
            </>
          )}
          <strong class="amount" data-testid="price" data-minor={o.price}>
            {fmt(o.price)}
          </strong>
        </span>
      </div>
      <p class="small" style={{ margin: '0.2rem 0' }}>
        {o.variant_name} · {netLabel(o.net_milli, o.unit_code, o.unit_label, formatLocale)}
        {o.case_size > 1 && <span class="muted"> · {t('market.caseOf', { n: o.case_size })}</span>}
      </p>
      <dl class="facts compact label" data-testid="label" style={{ margin: '0.4rem 0' }}>
        <div>
          <dt>{t('market.producer')}</dt>
          <dd data-testid="producer">{o.producer.name}</dd>
        </div>
        {l && (
          <>
            <div>
              <dt>{t('market.territory')}</dt>
              <dd>
                {l.territory}
                {l.territory_mark && <span class="muted"> · {l.territory_mark}</span>}
              </dd>
            </div>
            <div>
              <dt>{t('market.distance')}</dt>
              <dd data-testid="distance">{t('market.km', { n: l.distance_km.toLocaleString(formatLocale) })}</dd>
            </div>
            <div>
              <dt>{t('market.packaging')}</dt>
              <dd data-testid="packaging">{packagingLabel(t, l.packaging)}</dd>
            </div>
            {l.certifications.length > 0 && (
              <div>
                <dt>{t('market.certifications')}</dt>
                <dd>
                  {l.certifications
                    .map((c) => `${c.name} (${c.certifier}${c.valid ? '' : `, ${t('market.expired')}`})`)
                    .join('; ')}
                </dd>
              </div>
            )}
          </>
        )}
      </dl>
      {o.sealed && <SealBadge />}
      {l && (l.story || l.description) && (
        <details class="story">
          <summary>{t('market.story')}</summary>
          {l.description && <p class="small">{l.description}</p>}
          {l.story && (
            <p class="small" data-testid="story">
              <strong>{o.producer.name}:</strong> {l.story}
            </p>
          )}
        </details>
      )}
      <TierList o={o} currency={currency} digits={digits} reachedNow={demand?.tier_min_units ?? null} />
      {demand && <DemandNote d={demand} regional={regional} currency={currency} digits={digits} />}
      <BreakdownChart breakdown={o.breakdown} price={o.price} currency={currency} digits={digits} id={`o${o.id}`} listPrice={o.list_price} />
      {canOrder && (
        <form class="add-form" onSubmit={submit} noValidate>
          <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: '0.5rem' }}>
            <Field id={`${fid}-qty`} label={t('market.quantity')}>
              <input id={`${fid}-qty`} inputMode="numeric" value={qty} onInput={(e) => setQty(e.currentTarget.value)} aria-invalid={bad ? 'true' : undefined} />
            </Field>
            {cased && (
              <Field id={`${fid}-tol`} label={t('market.tolerance')}>
                <input
                  id={`${fid}-tol`}
                  inputMode="numeric"
                  value={tol}
                  onInput={(e) => setTol(e.currentTarget.value)}
                  aria-describedby={`${fid}-tol-hint`}
                />
              </Field>
            )}
          </div>
          {cased && (
            <p class="hint" id={`${fid}-tol-hint`}>
              {t('market.toleranceHint', { n: o.case_size })}
            </p>
          )}
          {bad && (
            <p class="hint" role="alert" style={{ color: 'var(--danger)' }}>
              {bad}
            </p>
          )}
          <p class="small muted" style={{ margin: '0.3rem 0' }}>
            {q !== null && tl !== null && q > 0
              ? tl > 0
                ? t('market.lineUpTo', { amount: fmt(times(o.price, q)), max: fmt(times(o.price, q + tl)) })
                : t('market.lineAmount', { amount: fmt(times(o.price, q)) })
              : ''}
          </p>
          {error !== null && error !== undefined && <MarketError error={error} />}
          <button type="submit" class="btn btn-primary btn-block" disabled={busy}>
            {line ? t('market.updateCart') : t('market.addToCart')}
          </button>
        </form>
      )}
    </li>
  );
}

// An order's saving from volume tiers: the server's total, else the sum of its lines'.
export function orderSaving(o: Order): bigint {
  const own = (o as Order & { saving?: number | null }).saving;
  if (own !== undefined && own !== null) return BigInt(Math.trunc(own));
  return (o.lines ?? []).reduce((s, l) => s + lineSaving(l as SavingLine), 0n);
}

function Cart({
  cycle,
  order,
  digits,
  open,
  onChange,
  busy,
  setBusy,
}: {
  cycle: Cycle;
  order: Order | null;
  digits: number;
  open: boolean;
  onChange: (o: Order | null, notice?: string) => void;
  busy: boolean;
  setBusy: (b: boolean) => void;
}) {
  const { t, formatLocale } = useI18n();
  const mw = useMw();
  const [error, setError] = useState<unknown>(null);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const fmt = (v: number | bigint) => formatAmount(v, cycle.currency, digits, formatLocale);
  const lines = order?.lines ?? [];
  const run = async (fn: () => Promise<Order | null>, notice?: string) => {
    setBusy(true);
    setError(null);
    try {
      onChange(await fn(), notice);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  if (!order || (lines.length === 0 && order.state !== 'placed')) {
    return (
      <section id="cart" class="card cart" aria-labelledby="cart-title" data-testid="cart">
        <h2 id="cart-title" style={{ marginTop: 0 }}>
          {t('market.cart')}
        </h2>
        {error !== null && <MarketError error={error} />}
        <p class="muted">{t('market.cartEmpty')}</p>
      </section>
    );
  }
  const placed = order.state === 'placed';
  const point = cycle.points.find((p) => p.id === order.point_id);
  const maxSum = lines.reduce((s, l) => s + BigInt(l.max_amount), 0n);
  const saving = orderSaving(order);
  return (
    <section id="cart" class="card cart" aria-labelledby="cart-title" data-testid="cart" data-order-id={order.id} data-state={order.state}>
      <div class="membership-head">
        <h2 id="cart-title" style={{ margin: 0 }}>
          {placed ? t('market.yourOrder') : t('market.cart')}
        </h2>
        <StateBadge state={order.state} kind="order" />
      </div>
      {error !== null && <MarketError error={error} />}
      <ul class="cart-lines" style={{ listStyle: 'none', padding: 0, margin: '0.5rem 0' }}>
        {lines.map((l) => (
          <li key={l.id} data-offer-id={l.offer_id} data-testid="cart-line" style={{ borderBottom: '1px solid var(--line)', padding: '0.4rem 0' }}>
            <div class="membership-head">
              <span>
                <strong>{l.product_name}</strong> <span class="small muted">{l.variant_name}</span>
              </span>
              <span style={{ whiteSpace: 'nowrap' }}>{fmt(l.amount)}</span>
            </div>
            <p class="small muted" style={{ margin: 0 }}>
              {t('market.qtyLine', { q: l.quantity, price: fmt(l.price) })}
              {l.tolerance > 0 && ` · ${t('market.tolLine', { n: l.tolerance })}`}
            </p>
            {lineSaving(l as SavingLine) > 0n && (
              <p class="small" data-testid="line-saving" style={{ margin: 0, color: 'var(--ok, #2e7d4f)' }}>
                {mw('savingLine', { amount: fmt(lineSaving(l as SavingLine)) })}
              </p>
            )}
            {open && (
              <button
                type="button"
                class="btn btn-small btn-ghost"
                disabled={busy}
                onClick={() => run(() => marketApi.setOrder(cycle.id, { lines: [{ offer_id: l.offer_id, quantity: 0, tolerance: 0 }] }))}
              >
                {t('market.remove')}
              </button>
            )}
          </li>
        ))}
      </ul>
      <dl class="facts compact">
        <div>
          <dt>{t('market.subtotal')}</dt>
          <dd data-testid="subtotal" data-minor={order.subtotal}>
            {fmt(order.subtotal)}
          </dd>
        </div>
        {maxSum > BigInt(order.subtotal) && (
          <div>
            <dt>{t('market.withTolerance')}</dt>
            <dd>{fmt(maxSum)}</dd>
          </div>
        )}
        {order.fee > 0 && (
          <div>
            <dt>{t('market.pointFee')}</dt>
            <dd>{fmt(order.fee)}</dd>
          </div>
        )}
        {placed && (
          <div>
            <dt>{t('market.held')}</dt>
            <dd data-testid="hold-amount" data-minor={order.hold_amount}>
              {fmt(order.hold_amount)}
            </dd>
          </div>
        )}
        {saving > 0n && (
          <div>
            <dt>{mw('savingTotal')}</dt>
            <dd data-testid="order-saving" data-minor={saving.toString()}>
              {fmt(saving)}
            </dd>
          </div>
        )}
      </dl>
      {open && (
        <fieldset class="plain-fieldset points" style={{ margin: '0.75rem 0' }}>
          <legend>
            <strong>{t('market.point')}</strong>
          </legend>
          {cycle.points.map((p) => (
            <label key={p.id} class="choice" style={{ fontWeight: 400, display: 'flex', gap: '0.5rem', alignItems: 'baseline' }}>
              <input
                type="radio"
                name="point"
                value={p.id}
                checked={order.point_id === p.id}
                disabled={busy}
                style={{ width: 'auto' }}
                onChange={() => run(() => marketApi.setOrder(cycle.id, { lines: [], point_id: p.id }))}
              />
              <span>
                {p.name}
                <span class="small muted">
                  {' '}
                  · {p.kind === 'delivery' ? t('market.delivery') : t('market.pickup')}
                  {p.address && ` · ${p.address}`}
                  {p.fee > 0 ? ` · ${fmt(p.fee)}` : ` · ${t('market.free')}`}
                </span>
              </span>
            </label>
          ))}
        </fieldset>
      )}
      {!open && point && (
        <p class="small">
          {t('market.point')}: {point.name}
        </p>
      )}
      {open && !placed && (
        <>
          <p class="small">{t('market.holdExplain')}</p>
          <button
            type="button"
            class="btn btn-primary btn-block"
            disabled={busy || order.point_id === null}
            onClick={() => run(() => marketApi.checkout(cycle.id), t('market.placed'))}
          >
            {t('market.checkout')}
          </button>
          {order.point_id === null && <p class="hint">{t('market.choosePoint')}</p>}
        </>
      )}
      {placed && (
        <p class="small">
          {open ? t('market.placedChange', { when: formatWhen(cycle.closes_at, formatLocale) }) : t('market.placedClosed')}{' '}
          <a href={`/market/orders/${order.id}`}>{t('market.seeOrder')}</a>
        </p>
      )}
      {open && placed &&
        (confirmCancel ? (
          <div class="alert alert-info" role="alertdialog" aria-labelledby="cancel-order-text">
            <p id="cancel-order-text">{t('market.cancelConfirm')}</p>
            <div class="actions">
              <button
                type="button"
                class="btn btn-danger"
                disabled={busy}
                onClick={() => run(() => marketApi.cancelOrder(order.id), t('market.cancelled'))}
              >
                {t('market.cancelYes')}
              </button>
              <button type="button" class="btn btn-ghost" onClick={() => setConfirmCancel(false)}>
                {t('common.cancel')}
              </button>
            </div>
          </div>
        ) : (
          <button type="button" class="btn btn-small btn-danger-ghost" onClick={() => setConfirmCancel(true)}>
            {t('market.cancelOrder')}
          </button>
        ))}
    </section>
  );
}

// Which group a cycle buys with: its hub (a local cycle) or its local cycles (a hub).
function GroupBanner({ c }: { c: HubCycle }) {
  const mw = useMw();
  const linked = c.linked ?? [];
  return (
    <section class="card group-banner" aria-labelledby="group-title" data-testid="group-banner" style={{ margin: '0.5rem 0' }}>
      <h2 id="group-title" style={{ margin: 0, fontSize: '1.05rem' }}>
        {mw('groupTitle')}
      </h2>
      {c.hub && (
        <p class="small" style={{ margin: '0.2rem 0' }} data-hub-id={c.hub.id}>
          {mw('localOf', { name: c.hub.name, coordinator: c.hub.coordinator.name })}
        </p>
      )}
      {linked.length > 0 && <p class="small" style={{ margin: '0.2rem 0' }}>{mw('hubOf', { n: linked.length })}</p>}
      <p class="small muted" style={{ margin: 0 }}>
        {mw('groupHint')}
      </p>
    </section>
  );
}

export function ShopPage({ id }: { id: string }) {
  const cycleId = Number(id);
  const { t, formatLocale } = useI18n();
  const { me } = useSession();
  const digitsOf = useDigits();
  const cycle = useAsync(() => marketApi.cycle(cycleId), [cycleId]);
  const [draft, setDraft] = useState('');
  const [query, setQuery] = useState<ShopQuery>({ offset: 0 });
  const shop = useAsync(() => marketApi.shop(cycleId, { ...query, limit: PAGE }), [cycleId, JSON.stringify(query)]);
  const [order, setOrder] = useState<Order | null>(null);
  const [orderError, setOrderError] = useState<unknown>(null);
  const [lineError, setLineError] = useState<{ offer: number; error: unknown } | null>(null);
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);
  const [filtersOpen, setFiltersOpen] = useState(false);
  const active = [query.category, query.producer, query.sealed].filter(Boolean).length;
  // Producers seen on any page, for the producer filter.
  const [producers, setProducers] = useState<Map<number, string>>(new Map());
  usePageTitle(cycle.data?.name ?? t('market.title'));
  // Coordinators (of the co-op or above it) get a link to the cycle's coordination page.
  const manages = useAsync(async () => {
    const coordinator = cycle.data?.coordinator.org_id;
    if (!me || !coordinator || (me.roles.length === 0 && !me.account.admin)) return false;
    const o = await endpoints.org(coordinator);
    return canManage(me, [...o.path.map((p) => p.id), o.id]);
  }, [me?.account.id, cycle.data?.coordinator.org_id]);

  useEffect(() => {
    if (!me) return;
    marketApi.myOrder(cycleId).then(
      (o) => setOrder(o.state === 'cancelled' ? null : o),
      (e) => {
        if (!(e instanceof ApiError && e.code === 'not_found')) setOrderError(e);
      },
    );
  }, [cycleId, me?.account.id]);

  useEffect(() => {
    const items = shop.data?.items;
    if (!items?.length) return;
    setProducers((m) => {
      let changed = false;
      for (const o of items) if (!m.has(o.producer.org_id)) changed = true;
      if (!changed) return m;
      const n = new Map(m);
      for (const o of items) n.set(o.producer.org_id, o.producer.name);
      return n;
    });
  }, [shop.data]);

  const byOffer = useMemo(() => new Map((order?.lines ?? []).map((l) => [l.offer_id, l])), [order]);

  // Group buying: a local cycle feeding a hub, a hub with local cycles, or
  // offers with volume tiers show the running demand (refreshed as the
  // member's own order changes).
  const hc = cycle.data as HubCycle | undefined;
  const tiered = (shop.data?.items ?? []).some((o) => ((o as TieredOffer).tiers ?? []).length > 0);
  const group = !!hc && (!!hc.hub || (hc.linked ?? []).length > 0 || tiered);
  const demand = useAsync(async () => (group ? hubApi.demand(cycleId) : null), [cycleId, group, order?.updated_at ?? '']);
  const demandBy = useMemo(() => new Map((demand.data?.offers ?? []).map((d) => [d.offer_id, d])), [demand.data]);

  if (cycle.loading && !cycle.data) return <Loading />;
  if (cycle.error !== undefined || !cycle.data) return <ErrorBox error={cycle.error} onRetry={cycle.reload} />;
  const c = cycle.data;
  const digits = digitsOf(c.currency);
  const open = c.state === 'open';
  const canOrder = open && !!me;
  const s = shop.data;
  const setLine = async (offerId: number, quantity: number, tolerance: number) => {
    setLineError(null);
    setNotice('');
    try {
      // With a single distribution point there is nothing to choose.
      const only = c.points.length === 1 && !order?.point_id ? c.points[0].id : undefined;
      const o = await marketApi.setOrder(cycleId, { lines: [{ offer_id: offerId, quantity, tolerance }], point_id: only });
      setOrder(o);
      setNotice(t('market.added'));
      return true;
    } catch (e) {
      setLineError({ offer: offerId, error: e });
      return false;
    }
  };
  const count = order?.lines.length ?? 0;
  const regional = !!hc?.hub || (hc?.linked ?? []).length > 0;
  const pageNo = Math.floor((query.offset ?? 0) / PAGE) + 1;

  return (
    <article class="shop" data-cycle-id={c.id} data-state={c.state}>
      <p class="small">
        <a href="/market">{t('market.title')}</a> · <a href="/me/orders">{t('market.myOrders')}</a>
        {manages.data && (
          <>
            {' · '}
            <a href={`/market/cycles/${c.id}/manage`}>{t('market.coordinate')}</a>
          </>
        )}
      </p>
      <PageHeading>{c.name}</PageHeading>
      <p class="small muted">
        {c.coordinator.name} · <StateBadge state={c.state} /> ·{' '}
        {open
          ? t('market.closesAt', { when: formatWhen(c.closes_at, formatLocale) })
          : c.state === 'scheduled'
            ? t('market.opensAt', { when: formatWhen(c.opens_at, formatLocale) })
            : t('market.notOpen')}
      </p>
      {!me && open && (
        <p>
          <a class="btn btn-primary" href={`/login?next=${encodeURIComponent(`/market/cycles/${c.id}`)}`}>
            {t('market.loginToOrder')}
          </a>
        </p>
      )}
      {group && hc && <GroupBanner c={hc} />}
      {orderError !== null && <MarketError error={orderError} />}
      {notice && <Notice>{notice}</Notice>}

      <form
        class="shop-search card"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery((q) => ({ ...q, q: draft.trim() || undefined, offset: 0 }));
        }}
      >
        <Field id="shop-q" label={t('market.search')}>
          <div style={{ display: 'flex', gap: '0.5rem' }}>
            <input id="shop-q" type="search" value={draft} maxLength={100} onInput={(e) => setDraft(e.currentTarget.value)} placeholder={t('market.searchHint')} />
            <button type="submit" class="btn btn-primary">
              {t('market.searchGo')}
            </button>
          </div>
        </Field>
        <details class="filters" open={filtersOpen} onToggle={(e) => setFiltersOpen((e.currentTarget as HTMLDetailsElement).open)}>
          <summary>
            {t('market.filters')}
            {active > 0 && <span class="badge"> {active}</span>}
          </summary>
          <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(8rem, 1fr))', gap: '0.5rem', marginTop: '0.5rem' }}>
            <Field id="shop-cat" label={t('market.category')}>
              <select
                id="shop-cat"
                value={query.category ?? ''}
                onChange={(e) => setQuery((q) => ({ ...q, category: e.currentTarget.value || undefined, offset: 0 }))}
              >
                <option value="">{t('market.all')}</option>
                {(s?.facets.categories ?? []).map((f) => (
                  <option key={f.category} value={f.category}>
                    {categoryLabel(f.category)} ({f.count})
                  </option>
                ))}
                {query.category && !(s?.facets.categories ?? []).some((f) => f.category === query.category) && (
                  <option value={query.category}>{categoryLabel(query.category)}</option>
                )}
              </select>
            </Field>
            <Field id="shop-producer" label={t('market.producer')}>
              <select
                id="shop-producer"
                value={String(query.producer ?? '')}
                onChange={(e) => setQuery((q) => ({ ...q, producer: e.currentTarget.value || undefined, offset: 0 }))}
              >
                <option value="">{t('market.all')}</option>
                {[...producers].map(([pid, name]) => (
                  <option key={pid} value={pid}>
                    {name}
                  </option>
                ))}
              </select>
            </Field>
            <Field id="shop-sort" label={t('market.sort')}>
              <select id="shop-sort" value={query.sort ?? 'name'} onChange={(e) => setQuery((q) => ({ ...q, sort: e.currentTarget.value, offset: 0 }))}>
                <option value="name">{t('market.sortName')}</option>
                <option value="price">{t('market.sortPrice')}</option>
              </select>
            </Field>
          </div>
          <label class="choice" style={{ fontWeight: 400, display: 'flex', gap: '0.5rem', alignItems: 'center' }}>
            <input
              type="checkbox"
              style={{ width: 'auto' }}
              checked={query.sealed === 'true'}
              onChange={(e) => setQuery((q) => ({ ...q, sealed: e.currentTarget.checked ? 'true' : undefined, offset: 0 }))}
            />
            {t('market.onlySealed')}
          </label>
        </details>
      </form>

      {shop.error !== undefined && <ErrorBox error={shop.error} onRetry={shop.reload} />}
      {shop.loading && !s && <Loading />}
      {s && (
        <p class="small muted" role="status" aria-live="polite" data-testid="result-count">
          {t('market.results', { n: s.total.toLocaleString(formatLocale) })}
        </p>
      )}
      {s && s.items.length === 0 && <p class="muted">{t('market.noResults')}</p>}
      <ul class="offers" style={{ listStyle: 'none', padding: 0, display: 'grid', gap: '0.75rem' }}>
        {(s?.items ?? []).map((o) => (
            <OfferCard
              key={o.id}
              o={o}
              currency={c.currency}
              digits={digits}
              line={byOffer.get(o.id)}
              canOrder={canOrder}
              onSet={(q, tl) => setLine(o.id, q, tl)}
              error={lineError?.offer === o.id ? lineError.error : null}
              demand={demandBy.get(o.id)}
              regional={regional}
            />
        ))}
      </ul>
      {s && s.total > PAGE && (
        <nav class="pager actions" aria-label={t('common.pageN', { n: pageNo })}>
          <button
            type="button"
            class="btn"
            disabled={(query.offset ?? 0) === 0}
            onClick={() => setQuery((q) => ({ ...q, offset: Math.max(0, (q.offset ?? 0) - PAGE) }))}
          >
            {t('common.previous')}
          </button>
          <span class="small">{t('common.pageN', { n: pageNo })}</span>
          <button
            type="button"
            class="btn"
            disabled={(query.offset ?? 0) + PAGE >= s.total}
            onClick={() => setQuery((q) => ({ ...q, offset: (q.offset ?? 0) + PAGE }))}
          >
            {t('common.next')}
          </button>
        </nav>
      )}

      {canOrder && count > 0 && (
        <p class="card small" style={{ position: 'sticky', bottom: 0, zIndex: 1, padding: '0.5rem 1rem', margin: '0.5rem 0' }} data-testid="cart-bar">
          <a href="#cart">{t('market.cartBar', { n: count, amount: formatAmount(order?.subtotal ?? 0, c.currency, digits, formatLocale) })}</a>
        </p>
      )}
      {me && (canOrder || order) && (
        <Cart
          cycle={c}
          order={order}
          digits={digits}
          open={open}
          busy={busy}
          setBusy={setBusy}
          onChange={(o, n) => {
            setOrder(o && o.state !== 'cancelled' ? o : null);
            setNotice(n ?? '');
          }}
        />
      )}
    </article>
  );
}

// ---- my orders

export function MyOrdersPage() {
  const { t, formatLocale } = useI18n();
  const mw = useMw();
  const { me, loading } = useSession();
  const { route } = useLocation();
  const digitsOf = useDigits();
  const list = useAsync(() => marketApi.myOrders(), [me?.account.id]);
  // Order summaries name their cycle but not its currency: read each cycle once.
  const ids = [...new Set((list.data?.items ?? []).filter((o) => !o.cycle?.currency).map((o) => o.cycle_id))];
  const currencies = useAsync(async () => {
    const cs = await Promise.all(ids.map((id) => marketApi.cycle(id).catch(() => null)));
    return new Map(cs.filter((c): c is Cycle => c !== null).map((c) => [c.id, c.currency]));
  }, [ids.join(',')]);
  usePageTitle(t('market.myOrders'));
  useEffect(() => {
    if (!loading && !me) route(`/login?next=${encodeURIComponent('/me/orders')}`, true);
  }, [loading, me]);
  if (!me) return <Loading />;
  const items = list.data?.items ?? [];
  return (
    <section class="my-orders">
      <p class="small">
        <a href="/market">{t('market.title')}</a>
      </p>
      <PageHeading>{t('market.myOrders')}</PageHeading>
      {list.loading && !list.data && <Loading />}
      {list.error !== undefined && <ErrorBox error={list.error} onRetry={list.reload} />}
      {list.data && items.length === 0 && (
        <p class="muted">
          {t('market.noOrders')} <a href="/market">{t('market.goShop')}</a>
        </p>
      )}
      <ul class="memberships">
        {items.map((o) => {
          const cur = o.cycle?.currency ?? currencies.data?.get(o.cycle_id) ?? '';
          const amount = o.total ?? (o.state === 'placed' ? o.hold_amount : o.subtotal);
          return (
            <li key={o.id} class="card" data-order-id={o.id} data-state={o.state} data-testid="my-order">
              <div class="membership-head">
                <a class="membership-org" href={`/market/orders/${o.id}`}>
                  {o.cycle?.name ?? t('market.orderNo', { id: o.id })}
                </a>
                <StateBadge state={o.state} kind="order" />
              </div>
              <p class="small muted" style={{ margin: '0.2rem 0' }}>
                {o.cycle && `${cycleStateLabel(t, o.cycle.state)} · ${t('market.closesAt', { when: formatWhen(o.cycle.closes_at, formatLocale) })}`}
              </p>
              {cur && (
                <p class="lead" style={{ margin: 0 }}>
                  <Amount minor={amount} currency={cur} digits={digitsOf(cur)} />
                  <span class="small muted"> {o.total !== null ? t('market.paid') : o.state === 'placed' ? t('market.heldShort') : ''}</span>
                </p>
              )}
              {cur && orderSaving(o) > 0n && (
                <p class="small" data-testid="my-order-saving" style={{ margin: 0, color: 'var(--ok, #2e7d4f)' }}>
                  {mw('savingTotal')}: {formatAmount(orderSaving(o), cur, digitsOf(cur), formatLocale)}
                </p>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export function OrderPage({ id }: { id: string }) {
  const orderId = Number(id);
  const { t, formatLocale } = useI18n();
  const mw = useMw();
  const digitsOf = useDigits();
  const order = useAsync(() => marketApi.order(orderId), [orderId]);
  const cycle = useAsync(async () => (order.data ? marketApi.cycle(order.data.cycle_id) : null), [order.data?.cycle_id]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [confirm, setConfirm] = useState(false);
  usePageTitle(t('market.orderNo', { id: orderId }));
  if (order.loading && !order.data) return <Loading />;
  if (order.error !== undefined || !order.data) return <ErrorBox error={order.error} onRetry={order.reload} />;
  const o = order.data;
  const c = cycle.data;
  const currency = c?.currency ?? o.cycle?.currency ?? '';
  const digits = digitsOf(currency);
  const fmt = (v: number | bigint) => (currency ? formatAmount(v, currency, digits, formatLocale) : String(v));
  const allocated = o.lines.some((l) => l.allocated !== null);
  const saving = orderSaving(o);
  const saved = o.lines.some((l) => lineSaving(l as SavingLine) > 0n);
  const open = c?.state === 'open';
  const point = c?.points.find((p) => p.id === o.point_id);
  return (
    <article class="order" data-order-id={o.id} data-state={o.state}>
      <p class="small">
        <a href="/me/orders">{t('market.myOrders')}</a>
        {c && (
          <>
            {' · '}
            <a href={`/market/cycles/${c.id}`}>{c.name}</a>
          </>
        )}
      </p>
      <PageHeading>{t('market.orderNo', { id: o.id })}</PageHeading>
      <p>
        <StateBadge state={o.state} kind="order" /> {c && <span class="small muted">· {c.name} · {cycleStateLabel(t, c.state)}</span>}
      </p>
      {error !== null && <MarketError error={error} />}
      {allocated && <p class="alert alert-info">{t('market.allocatedExplain')}</p>}
      <div class="table-scroll">
        <table class="rows order-lines">
          <thead>
            <tr>
              <th scope="col">{t('market.product')}</th>
              <th scope="col" class="num">
                {t('market.ordered')}
              </th>
              {allocated && (
                <th scope="col" class="num">
                  {t('market.allocated')}
                </th>
              )}
              {saved && (
                <th scope="col" class="num">
                  {mw('saving')}
                </th>
              )}
              <th scope="col" class="num">
                {t('market.amount')}
              </th>
            </tr>
          </thead>
          <tbody>
            {o.lines.map((l) => {
              const short = l.allocated !== null && l.allocated < l.quantity;
              const sl = l as SavingLine;
              const ls = lineSaving(sl);
              return (
                <tr key={l.id} data-offer-id={l.offer_id} data-testid="order-line" data-short={short ? 'true' : undefined}>
                  <td>
                    <div style={WIDE}>
                      <strong>{l.product_name}</strong>
                      <br />
                      <span class="small muted">
                        {l.variant_name} · {l.producer.name} ·{' '}
                        {sl.list_price !== undefined && sl.list_price !== null && sl.list_price > l.price && (
                          <>
                            <s data-testid="line-list-price" data-minor={sl.list_price}>
                              {fmt(sl.list_price)}
                            </s>{' '}
                          </>
                        )}
                        {fmt(l.price)}
                      </span>
                    </div>
                  </td>
                  <td class="num" data-label={t('market.ordered')}>
                    <span>
                      {l.quantity}
                      {l.tolerance > 0 && <span class="small muted"> (+{l.tolerance})</span>}
                    </span>
                  </td>
                  {allocated && (
                    <td class="num" data-label={t('market.allocated')} data-testid="allocated" style={short ? { color: 'var(--danger)', fontWeight: 700 } : undefined}>
                      {l.allocated ?? '—'}
                    </td>
                  )}
                  {saved && (
                    <td class="num" data-label={mw('saving')} data-testid="line-saving" data-minor={ls.toString()}>
                      {ls > 0n ? fmt(ls) : '—'}
                    </td>
                  )}
                  <td class="num" data-label={t('market.amount')} data-testid="final-amount" data-minor={l.final_amount ?? l.amount}>
                    <span>
                      {l.final_amount !== null ? fmt(l.final_amount) : fmt(l.amount)}
                      {l.final_amount !== null && l.final_amount !== l.amount && (
                        <>
                          {' '}
                          <s class="small muted">{fmt(l.amount)}</s>
                        </>
                      )}
                    </span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <dl class="facts card" style={{ marginTop: '1rem' }}>
        <div>
          <dt>{t('market.subtotal')}</dt>
          <dd>{fmt(o.subtotal)}</dd>
        </div>
        <div>
          <dt>{t('market.pointFee')}</dt>
          <dd>{fmt(o.fee)}</dd>
        </div>
        {o.state === 'placed' && (
          <div>
            <dt>{t('market.held')}</dt>
            <dd data-minor={o.hold_amount}>{fmt(o.hold_amount)}</dd>
          </div>
        )}
        {saving > 0n && (
          <div>
            <dt>{mw('savingTotal')}</dt>
            <dd data-testid="order-saving" data-minor={saving.toString()} style={{ color: 'var(--ok, #2e7d4f)', fontWeight: 700 }}>
              {fmt(saving)}
            </dd>
          </div>
        )}
        {o.total !== null && (
          <div>
            <dt>{t('market.total')}</dt>
            <dd data-testid="order-total" data-minor={o.total}>
              <strong>{fmt(o.total)}</strong>
            </dd>
          </div>
        )}
        {point && (
          <div>
            <dt>{t('market.point')}</dt>
            <dd>
              {point.name}
              {point.address && <span class="small muted"> · {point.address}</span>}
            </dd>
          </div>
        )}
        {o.placed_at && (
          <div>
            <dt>{t('market.placedAt')}</dt>
            <dd>{formatWhen(o.placed_at, formatLocale)}</dd>
          </div>
        )}
      </dl>
      {o.state !== 'cart' && o.state !== 'cancelled' && (
        <p class="small">
          {t('market.receipt')}: <a href={reportUrl.orderPicklist(o.id, 'html')}>{t('market.printable')}</a> ·{' '}
          <a href={reportUrl.orderPicklist(o.id, 'csv')}>CSV</a>
        </p>
      )}
      {open && (o.state === 'placed' || o.state === 'cart') && c && (
        <div class="actions">
          <a class="btn" href={`/market/cycles/${c.id}#cart`}>
            {t('market.changeOrder')}
          </a>
          {confirm ? (
            <div class="alert alert-info" role="alertdialog" aria-labelledby="cancel-text">
              <p id="cancel-text">{t('market.cancelConfirm')}</p>
              <div class="actions">
                <button
                  type="button"
                  class="btn btn-danger"
                  disabled={busy}
                  onClick={async () => {
                    setBusy(true);
                    setError(null);
                    try {
                      await marketApi.cancelOrder(o.id);
                      setConfirm(false);
                      order.reload();
                    } catch (e) {
                      setError(e);
                    } finally {
                      setBusy(false);
                    }
                  }}
                >
                  {t('market.cancelYes')}
                </button>
                <button type="button" class="btn btn-ghost" onClick={() => setConfirm(false)}>
                  {t('common.cancel')}
                </button>
              </div>
            </div>
          ) : (
            <button type="button" class="btn btn-danger-ghost" onClick={() => setConfirm(true)}>
              {t('market.cancelOrder')}
            </button>
          )}
        </div>
      )}
    </article>
  );
}
