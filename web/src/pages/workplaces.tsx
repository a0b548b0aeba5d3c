// A co-op's workplaces and one asset. WorkplacesPage: the assets in which the
// org holds a stake (the stakes as a bar, valuation, area, the reserved
// matters of the asset lock and who must consent to each) and its leases on
// both sides, as lessor and as lessee, with their arrears. AssetPage: an
// asset's stakes, stake buy-outs with their installment schedules, its
// history (reserved matters carried out, with the decisions that allowed
// them) and its leases. Assets are public; leases only to the parties'.
import { ApiError, endpoints, type Org } from '../api';
import { useI18n, type Translate } from '../i18n';
import { Breadcrumbs, ErrorBox, Loading, PageHeading, useAsync, usePageTitle, Swatch } from '../ui';
import { Amount, useDigits } from './money';
import { formatAmount, formatDay } from './money_words';
import {
  FLOW_COLORS,
  assetKindLabel,
  assetStatusLabel,
  buyoutStateLabel,
  eventLabel,
  formatBps,
  formatDate,
  leaseSpan,
  leaseStateLabel,
  matterLabel,
  rentKindLabel,
  wpApi,
  type Asset,
  type AssetEvent,
  type Buyout,
  type Lease,
  type LeaseSummary,
  type Reserved,
  type Stake,
} from './workplaces_words';

// ---- stakes

export function StakeBar({ stakes, id }: { stakes: Stake[]; id: string }) {
  const { t, formatLocale } = useI18n();
  const W = 300;
  let cursor = 0;
  return (
    <figure class="stake-bar" data-testid="stakes" style={{ margin: '0.5rem 0' }}>
      <figcaption class="small">
        <strong>{t('wp.stakes')}</strong>
      </figcaption>
      <svg
        viewBox={`0 0 ${W} 18`}
        role="img"
        aria-labelledby={`stakes-${id}`}
        preserveAspectRatio="none"
        style={{ display: 'block', width: '100%', height: '1.1rem', margin: '0.3rem 0' }}
      >
        <desc id={`stakes-${id}`}>{stakes.map((s) => `${s.name}: ${formatBps(s.share_bps, formatLocale)}`).join('; ')}</desc>
        <rect x="0" y="0" width={W} height="18" rx="4" fill="var(--line)" />
        {stakes.map((s, i) => {
          const x = (cursor * W) / 10000;
          cursor += s.share_bps;
          const x2 = (cursor * W) / 10000;
          return (
            <rect key={s.org_id} x={x} y="0" width={Math.max(0, x2 - x)} height="18" fill={FLOW_COLORS[i % FLOW_COLORS.length]} data-org-id={s.org_id}>
              <title>
                {s.name}: {formatBps(s.share_bps, formatLocale)}
              </title>
            </rect>
          );
        })}
      </svg>
      <ul class="chart-legend small">
        {stakes.map((s, i) => (
          <li key={s.org_id} data-org-id={s.org_id} data-bps={s.share_bps} style={{ display: 'flex', gap: '0.4rem', alignItems: 'baseline', padding: '0.05rem 0' }}>
            <Swatch color={FLOW_COLORS[i % FLOW_COLORS.length]} />
            <a href={`/orgs/${s.org_id}`} style={{ flex: '1 1 auto' }}>
              {s.name}
            </a>
            <span style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>{formatBps(s.share_bps, formatLocale)}</span>
          </li>
        ))}
      </ul>
    </figure>
  );
}

// Who must consent to a reserved matter: the owners, and the federation
// that reserves it (one row per federation).
function consentText(t: Translate, rows: Reserved[]): string {
  const feds = rows.map((r) => r.federation).filter((f): f is NonNullable<Reserved['federation']> => f !== null);
  return feds.length === 0 ? t('wp.consent.owners') : t('wp.consent.ownersAnd', { names: feds.map((f) => f.name).join(', ') });
}

function ReservedList({ reserved }: { reserved: Reserved[] }) {
  const { t } = useI18n();
  const matters = [...new Set(reserved.map((r) => r.matter))];
  return (
    <ul class="reserved small" data-testid="reserved" style={{ margin: '0.25rem 0', paddingLeft: '1.2rem' }}>
      {matters.map((m) => {
        const rows = reserved.filter((r) => r.matter === m);
        const locked = rows.some((r) => r.federation !== null);
        return (
          <li key={m} data-matter={m} data-locked={locked ? 'true' : 'false'}>
            <strong>{matterLabel(t, m)}</strong>: {consentText(t, rows)}
          </li>
        );
      })}
    </ul>
  );
}

// ---- the org's workplaces

function AssetCard({ a, digits }: { a: Asset; digits: number }) {
  const { t, formatLocale } = useI18n();
  return (
    <li class="card asset-card" data-asset-id={a.id}>
      <div class="membership-head">
        <a href={`/assets/${a.id}`} class="membership-org">
          {a.name}
        </a>
        <span class="badge">{assetStatusLabel(t, a.status)}</span>
      </div>
      <p class="small muted">
        {assetKindLabel(t, a.kind)}
        {a.territory ? ` · ${a.territory}` : ''}
        {a.floor_area_m2 > 0 ? ` · ${t('wp.m2', { n: a.floor_area_m2.toLocaleString(formatLocale) })}` : ''}
      </p>
      <p style={{ margin: '0.25rem 0' }}>
        {t('wp.valuation')}: <Amount minor={a.valuation} currency={a.currency} digits={digits} testid="valuation" />
        {a.valued_on && <span class="small muted"> ({formatDate(a.valued_on, formatLocale)})</span>}
      </p>
      <StakeBar stakes={a.stakes} id={`a${a.id}`} />
      <details>
        <summary class="small">{t('wp.reserved')}</summary>
        <ReservedList reserved={a.reserved} />
      </details>
    </li>
  );
}

function LeaseRow({ l, side, digitsOf }: { l: Lease; side: 'lessor' | 'lessee'; digitsOf: (c: string) => number }) {
  const { t, formatLocale } = useI18n();
  const other = side === 'lessor' ? l.lessee : l.lessor;
  const digits = digitsOf(l.currency);
  return (
    <li class="card lease-card" data-lease-id={l.id} data-side={side} data-arrears={l.arrears.count}>
      <div class="membership-head">
        <a href={`/leases/${l.id}`} class="membership-org">
          {l.asset.name}
        </a>
        <span class={`badge badge-lease-${l.state}`}>{leaseStateLabel(t, l.state)}</span>
      </div>
      <p class="small">
        {side === 'lessor' ? t('wp.leasedTo', { name: other.name }) : t('wp.leasedFrom', { name: other.name })} ·{' '}
        {leaseSpan(l.starts_on, l.ends_on, formatLocale)}
      </p>
      <p class="small" style={{ margin: '0.2rem 0' }}>
        {t('wp.perMonth', { amount: formatAmount(l.rent_monthly, l.currency, digits, formatLocale) })} · {rentKindLabel(t, l.rent_kind)}
      </p>
      {l.arrears.count > 0 ? (
        <p class="alert alert-error small" data-testid="lease-arrears" style={{ margin: '0.25rem 0' }}>
          {t('wp.arrears.text', {
            n: l.arrears.count.toLocaleString(formatLocale),
            amount: formatAmount(l.arrears.amount, l.currency, digits, formatLocale),
            since: formatDate(l.arrears.oldest_due_on, formatLocale),
          })}
        </p>
      ) : (
        <p class="small muted">{t('wp.arrears.none')}</p>
      )}
    </li>
  );
}

function LeasesOf({ orgId }: { orgId: number }) {
  const { t } = useI18n();
  const digitsOf = useDigits();
  const leases = useAsync(() => wpApi.leases(orgId), [orgId]);
  if (leases.loading && !leases.data) return <Loading />;
  if (leases.error instanceof ApiError && (leases.error.status === 401 || leases.error.status === 403)) {
    return <p class="muted">{t('wp.leasesPrivate')}</p>;
  }
  if (leases.error !== undefined || !leases.data) return <ErrorBox error={leases.error} onRetry={leases.reload} />;
  const items = leases.data.items;
  const sides: ('lessor' | 'lessee')[] = ['lessor', 'lessee'];
  return (
    <>
      {sides.map((side) => {
        const rows = items.filter((l) => (side === 'lessor' ? l.lessor.org_id : l.lessee.org_id) === orgId);
        return (
          <section key={side} aria-labelledby={`leases-${side}`} data-testid={`leases-${side}`}>
            <h3 id={`leases-${side}`}>{side === 'lessor' ? t('wp.asLessor') : t('wp.asLessee')}</h3>
            {rows.length === 0 ? (
              <p class="muted small">{t('wp.noLeases')}</p>
            ) : (
              <ul class="plain-list" style={{ listStyle: 'none', padding: 0 }}>
                {rows.map((l) => (
                  <LeaseRow key={l.id} l={l} side={side} digitsOf={digitsOf} />
                ))}
              </ul>
            )}
          </section>
        );
      })}
    </>
  );
}

export function WorkplacesPage({ id }: { id: string }) {
  const orgId = Number(id);
  const { t } = useI18n();
  const digitsOf = useDigits();
  const org = useAsync<Org>(() => endpoints.org(orgId), [orgId]);
  const assets = useAsync(() => wpApi.assets(orgId), [orgId]);
  usePageTitle(org.data ? t('wp.title', { name: org.data.name }) : undefined);

  if (org.loading && !org.data) return <Loading />;
  if (org.error !== undefined || !org.data) return <ErrorBox error={org.error} onRetry={org.reload} />;
  const o = org.data;
  return (
    <article class="workplaces" data-org-id={o.id}>
      <Breadcrumbs path={o.path} current={{ id: o.id, name: o.name }} />
      <PageHeading>{t('wp.title', { name: o.name })}</PageHeading>
      <p class="small">
        <a href={`/orgs/${o.id}/funds`}>{t('wp.link.funds')}</a>
      </p>
      <section aria-labelledby="wp-assets">
        <h2 id="wp-assets">{t('wp.assets')}</h2>
        {assets.loading && !assets.data && <Loading />}
        {assets.error !== undefined && <ErrorBox error={assets.error} onRetry={assets.reload} />}
        {assets.data && assets.data.items.length === 0 && <p class="muted">{t('wp.noAssets')}</p>}
        {assets.data && assets.data.items.length > 0 && (
          <ul class="plain-list" style={{ listStyle: 'none', padding: 0 }}>
            {assets.data.items.map((a) => (
              <AssetCard key={a.id} a={a} digits={digitsOf(a.currency)} />
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="wp-leases">
        <h2 id="wp-leases">{t('wp.leases')}</h2>
        <LeasesOf orgId={orgId} />
      </section>
    </article>
  );
}

// ---- one asset

function BuyoutCard({ b, digits }: { b: Buyout; digits: number }) {
  const { t, formatLocale } = useI18n();
  const fmt = (v: number) => formatAmount(v, b.currency, digits, formatLocale);
  return (
    <li class="card buyout" data-buyout-id={b.id} data-state={b.state}>
      <div class="membership-head">
        <strong>
          {t('wp.buyout.title', { seller: b.seller.name, buyer: b.buyer.name, share: formatBps(b.share_bps, formatLocale) })}
        </strong>
        <span class="badge">{buyoutStateLabel(t, b.state)}</span>
      </div>
      <p class="small">
        {b.period_months === 1
          ? t('wp.buyout.termsMonthly', { price: fmt(b.price_total), n: b.installments })
          : t('wp.buyout.terms', { price: fmt(b.price_total), n: b.installments, months: b.period_months })}
      </p>
      <p class="small">
        {t('wp.buyout.progress', { done: b.done, n: b.installments, paid: fmt(b.paid) })}
        {b.overdue > 0 && (
          <strong style={{ color: 'var(--danger, #b3261e)' }}> · {t('wp.buyout.overdue', { n: b.overdue })}</strong>
        )}
      </p>
      <details>
        <summary class="small">{t('wp.buyout.schedule')}</summary>
        <ol class="buyout-schedule small" style={{ paddingLeft: '1.5rem', margin: '0.25rem 0' }}>
          {b.schedule.map((i) => (
            <li key={i.n} data-n={i.n} data-done={i.done_at ? 'true' : 'false'} style={{ padding: '0.1rem 0' }}>
              {formatDate(i.due_on, formatLocale)} · {formatBps(i.share_bps, formatLocale)} · {fmt(i.amount)} ·{' '}
              {i.done_at ? (
                t('wp.buyout.paidOn', { when: formatDay(i.done_at, formatLocale) })
              ) : (
                <strong>{t('wp.buyout.pending')}</strong>
              )}
            </li>
          ))}
        </ol>
      </details>
    </li>
  );
}

// A decision, linked to the proposal that took it when it can be read.
function DecisionLink({ id, label }: { id: number; label: string }) {
  const { t } = useI18n();
  const d = useAsync(() => wpApi.decision(id), [id]);
  const p = d.data?.proposals[d.data.proposals.length - 1];
  const text = t('wp.decision', { label, id });
  return p ? (
    <a href={`/proposals/${p.id}`} data-decision-id={id}>
      {text}
    </a>
  ) : (
    <span data-decision-id={id}>{text}</span>
  );
}

function EventList({ events, asset, digits }: { events: AssetEvent[]; asset: Asset; digits: number }) {
  const { t, formatLocale } = useI18n();
  const names = new Map<number, string>(asset.stakes.map((s) => [s.org_id, s.name]));
  for (const b of asset.buyouts) {
    names.set(b.seller.org_id, b.seller.name);
    names.set(b.buyer.org_id, b.buyer.name);
  }
  const orgName = (id: number | null) => (id === null ? '' : (names.get(id) ?? `#${id}`));
  return (
    <ol class="events" data-testid="events" style={{ listStyle: 'none', padding: 0 }}>
      {events.map((e) => (
        <li key={e.id} class="card" data-event-id={e.id} data-kind={e.kind}>
          <div class="membership-head">
            <strong>{eventLabel(t, e.kind)}</strong>
            <span class="small muted">{formatDay(e.created_at, formatLocale)}</span>
          </div>
          {e.detail && <p style={{ margin: '0.25rem 0', whiteSpace: 'pre-wrap' }}>{e.detail}</p>}
          {(e.from_org_id !== null || e.to_org_id !== null || e.share_bps !== null) && (
            <p class="small">
              {e.from_org_id !== null && orgName(e.from_org_id)}
              {e.to_org_id !== null && ` → ${orgName(e.to_org_id)}`}
              {e.share_bps !== null && ` · ${formatBps(e.share_bps, formatLocale)}`}
            </p>
          )}
          {e.amount !== null && (
            <p class="small">
              {t('wp.amount')}: <Amount minor={e.amount} currency={asset.currency} digits={digits} />
            </p>
          )}
          {(e.owner_decision_id !== null || e.federation_decision_id !== null) && (
            <p class="small">
              {e.owner_decision_id !== null && <DecisionLink id={e.owner_decision_id} label={t('wp.decision.owners')} />}
              {e.owner_decision_id !== null && e.federation_decision_id !== null && ' · '}
              {e.federation_decision_id !== null && <DecisionLink id={e.federation_decision_id} label={t('wp.decision.federation')} />}
            </p>
          )}
        </li>
      ))}
    </ol>
  );
}

function LeaseList({ leases, currency, digits }: { leases: LeaseSummary[]; currency: string; digits: number }) {
  const { t, formatLocale } = useI18n();
  return (
    <ul class="link-list card" data-testid="asset-leases">
      {leases.map((l) => (
        <li key={l.id} data-lease-id={l.id}>
          <a href={`/leases/${l.id}`}>{t('wp.leasedTo', { name: l.lessee.name })}</a>{' '}
          <span class="small muted">
            · {leaseSpan(l.starts_on, l.ends_on, formatLocale)} ·{' '}
            {t('wp.perMonth', { amount: formatAmount(l.rent_monthly, currency, digits, formatLocale) })} · {rentKindLabel(t, l.rent_kind)} ·{' '}
            {leaseStateLabel(t, l.state)}
          </span>
        </li>
      ))}
    </ul>
  );
}

export function AssetPage({ id }: { id: string }) {
  const assetId = Number(id);
  const { t, formatLocale } = useI18n();
  const digitsOf = useDigits();
  const asset = useAsync(() => wpApi.asset(assetId), [assetId]);
  const events = useAsync(() => wpApi.events(assetId), [assetId]);
  usePageTitle(asset.data?.name);

  if (asset.loading && !asset.data) return <Loading />;
  if (asset.error !== undefined || !asset.data) return <ErrorBox error={asset.error} onRetry={asset.reload} />;
  const a = asset.data;
  const digits = digitsOf(a.currency);
  const first = a.stakes[0];
  return (
    <article class="asset" data-asset-id={a.id}>
      {first && (
        <nav aria-label={t('common.breadcrumbs')} class="breadcrumbs">
          <ol>
            <li>
              <a href={`/orgs/${first.org_id}/workplaces`}>{t('wp.title', { name: first.name })}</a>
            </li>
          </ol>
        </nav>
      )}
      <PageHeading>{a.name}</PageHeading>
      <p class="kind-line">
        {assetKindLabel(t, a.kind)} · <span class="badge">{assetStatusLabel(t, a.status)}</span>
      </p>
      {a.description && <p style={{ whiteSpace: 'pre-wrap' }}>{a.description}</p>}
      <dl class="facts card" data-testid="asset-facts">
        {a.address && (
          <div>
            <dt>{t('wp.address')}</dt>
            <dd>{a.address}</dd>
          </div>
        )}
        {a.territory && (
          <div>
            <dt>{t('wp.territory')}</dt>
            <dd>{a.territory}</dd>
          </div>
        )}
        <div>
          <dt>{t('wp.area')}</dt>
          <dd>{t('wp.m2', { n: a.floor_area_m2.toLocaleString(formatLocale) })}</dd>
        </div>
        <div>
          <dt>{t('wp.valuation')}</dt>
          <dd>
            <Amount minor={a.valuation} currency={a.currency} digits={digits} testid="valuation" />
            {a.valued_on && <span class="small muted"> ({formatDate(a.valued_on, formatLocale)})</span>}
          </dd>
        </div>
        {a.use_text && (
          <div class="wide">
            <dt>{t('wp.use')}</dt>
            <dd>{a.use_text}</dd>
          </div>
        )}
        {a.statutes && (
          <div class="wide">
            <dt>{t('wp.statutes')}</dt>
            <dd style={{ whiteSpace: 'pre-wrap' }}>{a.statutes}</dd>
          </div>
        )}
      </dl>

      <section aria-labelledby="asset-stakes" class="card">
        <h2 id="asset-stakes">{t('wp.ownership')}</h2>
        <StakeBar stakes={a.stakes} id="asset" />
      </section>

      <section aria-labelledby="asset-reserved">
        <h2 id="asset-reserved">{t('wp.reserved')}</h2>
        <p class="small muted">{t('wp.reservedLead')}</p>
        <ReservedList reserved={a.reserved} />
      </section>

      <section aria-labelledby="asset-leases">
        <h2 id="asset-leases">{t('wp.leases')}</h2>
        {a.leases.length === 0 ? <p class="muted">{t('wp.noLeases')}</p> : <LeaseList leases={a.leases} currency={a.currency} digits={digits} />}
      </section>

      <section aria-labelledby="asset-buyouts">
        <h2 id="asset-buyouts">{t('wp.buyouts')}</h2>
        {a.buyouts.length === 0 ? (
          <p class="muted">{t('wp.noBuyouts')}</p>
        ) : (
          <ul style={{ listStyle: 'none', padding: 0 }}>
            {a.buyouts.map((b) => (
              <BuyoutCard key={b.id} b={b} digits={digitsOf(b.currency)} />
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="asset-events">
        <h2 id="asset-events">{t('wp.history')}</h2>
        {events.loading && !events.data && <Loading />}
        {events.error !== undefined && <ErrorBox error={events.error} onRetry={events.reload} />}
        {events.data && events.data.items.length === 0 && <p class="muted">{t('wp.noEvents')}</p>}
        {events.data && events.data.items.length > 0 && <EventList events={events.data.items} asset={a} digits={digits} />}
      </section>
    </article>
  );
}
