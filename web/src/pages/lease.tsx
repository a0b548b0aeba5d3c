// One lease, for both co-ops' members: its terms and solidarity steps, the
// rent schedule month by month as a hand-drawn SVG chart (debt service,
// maintenance and surplus stacked, the solidarity contribution beside them,
// with the same figures in a table for screen readers), and the invoices the
// scheduler raised with their payment requests' states and the arrears. When
// the viewer belongs to the lessee (the worker co-op), the page leads with
// what the co-op owes next and what is overdue.
import { useState } from 'preact/hooks';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { ErrorBox, Loading, PageHeading, useAsync, usePageTitle, Swatch } from '../ui';
import { Amount, WIDE, useDigits } from './money';
import { formatAmount } from './money_words';
import {
  RENT_COLORS,
  RENT_PARTS,
  addMonths,
  formatDate,
  formatPeriod,
  invoiceStateLabel,
  leaseSpan,
  leaseStateLabel,
  monthsBetween,
  partLabel,
  rentKindLabel,
  thisPeriod,
  wpApi,
  type Invoice,
  type Lease,
  type Schedule,
} from './workplaces_words';

const WINDOW_MONTHS = 12;

// Is the signed-in person an active member of, or holding a role in, the org?
export function useBelongs(): (orgId: number) => boolean {
  const { me } = useSession();
  return (orgId: number) =>
    !!me &&
    (me.memberships.some((m) => m.org.id === orgId && m.status === 'active') || me.roles.some((r) => r.org_id === orgId));
}

// ---- the schedule chart

export function ScheduleChart({ schedule, currency, digits }: { schedule: Schedule; currency: string; digits: number }) {
  const { t, formatLocale } = useI18n();
  const months = schedule.items;
  const fmt = (v: number) => formatAmount(v, currency, digits, formatLocale);
  const top = Math.max(1, ...months.map((m) => m.rent), ...months.map((m) => m.solidarity));
  const H = 120;
  const slot = 20;
  const left = 2;
  const W = left + months.length * slot;
  const y = (v: number) => (v / top) * H;
  const every = months.length > 12 ? 3 : months.length > 6 ? 2 : 1;
  return (
    <figure class="card lease-chart" data-testid="schedule-chart" style={{ margin: '0 0 1rem' }}>
      <figcaption>
        <strong>{t('wp.lease.chartTitle')}</strong>
        <span class="muted small"> · {t('wp.lease.chartScale', { amount: fmt(top) })}</span>
      </figcaption>
      <svg
        viewBox={`0 0 ${W} ${H + 16}`}
        role="img"
        aria-labelledby="schedule-chart-desc"
        style={{ display: 'block', width: '100%', height: 'auto', maxHeight: '16rem', margin: '0.5rem 0' }}
      >
        <desc id="schedule-chart-desc">
          {t('wp.lease.chartDesc', {
            from: months.length ? formatPeriod(months[0].period, formatLocale) : '',
            to: months.length ? formatPeriod(months[months.length - 1].period, formatLocale) : '',
            rent: fmt(schedule.totals.rent),
            solidarity: fmt(schedule.totals.solidarity),
          })}
        </desc>
        <line x1="0" x2={W} y1={H} y2={H} stroke="var(--line)" stroke-width="0.5" />
        {months.map((m, i) => {
          const x = left + i * slot;
          let base = H;
          return (
            <g key={m.period} data-period={m.period}>
              <title>
                {formatPeriod(m.period, formatLocale)}: {RENT_PARTS.map((p) => `${partLabel(t, p)} ${fmt(m[p])}`).join(', ')}, {partLabel(t, 'solidarity')}{' '}
                {fmt(m.solidarity)}
              </title>
              {RENT_PARTS.map((p) => {
                const h = y(m[p]);
                base -= h;
                return h > 0 ? <rect key={p} x={x} y={base} width={slot * 0.55} height={h} fill={RENT_COLORS[p]} data-part={p} /> : null;
              })}
              {m.solidarity > 0 && (
                <rect x={x + slot * 0.6} y={H - y(m.solidarity)} width={slot * 0.25} height={y(m.solidarity)} fill={RENT_COLORS.solidarity} data-part="solidarity" />
              )}
              {i % every === 0 && (
                <text x={x} y={H + 11} text-anchor="start" font-size="6.5" fill="currentColor">
                  {formatPeriod(m.period, formatLocale, true)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <ul class="chart-legend chart-legend-row small">
        {[...RENT_PARTS, 'solidarity' as const].map((p) => (
          <li key={p} data-part={p} style={{ display: 'flex', gap: '0.4rem', alignItems: 'center' }}>
            <Swatch color={RENT_COLORS[p]} />
            {partLabel(t, p)}
          </li>
        ))}
      </ul>
    </figure>
  );
}

// The same months as a table (the chart's text alternative).
function ScheduleTable({ schedule, currency, digits }: { schedule: Schedule; currency: string; digits: number }) {
  const { t, formatLocale } = useI18n();
  const fmt = (v: number) => formatAmount(v, currency, digits, formatLocale);
  const cols = ['rent', 'debt_service', 'maintenance', 'surplus', 'solidarity', 'total'] as const;
  return (
    <div class="table-scroll">
      <table class="rows schedule-table" data-testid="schedule-table">
        <caption class="sr-only">{t('wp.lease.scheduleTable')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('wp.month')}</th>
            {cols.map((c) => (
              <th key={c} scope="col" class="num">
                {partLabel(t, c)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {schedule.items.map((m) => (
            <tr key={m.period} data-period={m.period}>
              <th scope="row">
                <span style={WIDE}>{formatPeriod(m.period, formatLocale)}</span>
              </th>
              {cols.map((c) => (
                <td key={c} class="num" data-label={partLabel(t, c)}>
                  <span>{fmt(m[c])}</span>
                </td>
              ))}
            </tr>
          ))}
          <tr class="totals" data-period="total">
            <th scope="row">
              <span style={WIDE}>{t('wp.total')}</span>
            </th>
            {cols.map((c) => (
              <td key={c} class="num" data-label={partLabel(t, c)}>
                <strong>{fmt(schedule.totals[c])}</strong>
              </td>
            ))}
          </tr>
        </tbody>
      </table>
    </div>
  );
}

function ScheduleSection({ lease, digits }: { lease: Lease; digits: number }) {
  const { t, formatLocale } = useI18n();
  const first = lease.starts_on.slice(0, 7);
  const length = Math.max(1, monthsBetween(lease.starts_on, lease.ends_on));
  const last = addMonths(first, length - 1);
  // Open on the current month's year when it falls inside the lease.
  const now = thisPeriod();
  const initial = now < first ? first : now > last ? addMonths(last, -(WINDOW_MONTHS - 1)) : addMonths(first, Math.floor(monthsBetween(first, now) / WINDOW_MONTHS) * WINDOW_MONTHS);
  const [from, setFrom] = useState(initial < first ? first : initial);
  const sched = useAsync(() => wpApi.schedule(lease.id, from, WINDOW_MONTHS), [lease.id, from]);
  const to = addMonths(from, WINDOW_MONTHS - 1);
  return (
    <section aria-labelledby="lease-schedule" class="lease-schedule">
      <h2 id="lease-schedule">{t('wp.lease.schedule')}</h2>
      <div class="actions" style={{ alignItems: 'center' }}>
        <button type="button" class="btn btn-small" disabled={from <= first} onClick={() => setFrom(addMonths(from, -WINDOW_MONTHS) < first ? first : addMonths(from, -WINDOW_MONTHS))}>
          {t('wp.earlier')}
        </button>
        <span class="small" aria-live="polite" data-testid="schedule-range">
          {formatPeriod(from, formatLocale)} – {formatPeriod(to > last ? last : to, formatLocale)}
        </span>
        <button type="button" class="btn btn-small" disabled={to >= last} onClick={() => setFrom(addMonths(from, WINDOW_MONTHS))}>
          {t('wp.later')}
        </button>
      </div>
      {sched.loading && !sched.data && <Loading />}
      {sched.error !== undefined && <ErrorBox error={sched.error} onRetry={sched.reload} />}
      {sched.data && (
        <>
          <ScheduleChart schedule={sched.data} currency={lease.currency} digits={digits} />
          <details class="card">
            <summary>{t('wp.lease.scheduleTable')}</summary>
            <ScheduleTable schedule={sched.data} currency={lease.currency} digits={digits} />
          </details>
        </>
      )}
    </section>
  );
}

// ---- invoices

// One row per month: its invoices (a payment request per kind) with their
// states, the month's total and whether any is overdue.
function InvoiceTable({ items, currency, digits }: { items: Invoice[]; currency: string; digits: number }) {
  const { t, formatLocale } = useI18n();
  const fmt = (v: number) => formatAmount(v, currency, digits, formatLocale);
  const periods = [...new Set(items.map((i) => i.period))];
  return (
    <div class="table-scroll">
      <table class="rows lease-invoices" data-testid="invoices">
        <thead>
          <tr>
            <th scope="col">{t('wp.month')}</th>
            <th scope="col" class="num">
              {t('wp.amount')}
            </th>
            <th scope="col">{t('wp.lease.dueOn')}</th>
            <th scope="col">{t('wp.lease.kinds')}</th>
          </tr>
        </thead>
        <tbody>
          {periods.map((p) => {
            const rows = items.filter((i) => i.period === p);
            const total = rows.reduce((s, i) => s + i.amount, 0);
            const overdue = rows.filter((i) => i.overdue).length;
            return (
              <tr key={p} data-period={p} data-overdue={overdue} class={overdue > 0 ? 'overdue' : undefined}>
                <th scope="row">
                  <span style={WIDE}>
                    {formatPeriod(p, formatLocale)}
                    {overdue > 0 && (
                      <>
                        {' '}
                        <strong class="badge badge-overdue" style={{ color: 'var(--danger, #b3261e)' }}>
                          {t('wp.overdue')}
                        </strong>
                      </>
                    )}
                  </span>
                </th>
                <td class="num" data-label={t('wp.amount')}>
                  <Amount minor={total} currency={currency} digits={digits} />
                </td>
                <td data-label={t('wp.lease.dueOn')}>
                  <span>{formatDate(rows[0].due_on, formatLocale)}</span>
                </td>
                <td data-label={t('wp.lease.kinds')}>
                  <ul class="small" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
                    {rows.map((i) => (
                      <li key={i.request_id} data-request-id={i.request_id} data-state={i.state} data-overdue={i.overdue ? 'true' : 'false'}>
                        {partLabel(t, i.kind)} {fmt(i.amount)} · {invoiceStateLabel(t, i.state)}
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

// What the lessee owes next: the earliest unpaid invoices not yet due, else
// the next month the scheduler has not invoiced (from the schedule).
function OwedNext({ lease, invoices, digits }: { lease: Lease; invoices: Invoice[]; digits: number }) {
  const { t, formatLocale } = useI18n();
  const unpaid = invoices.filter((i) => (i.state === 'open' || i.state === 'accepted') && !i.overdue);
  const firstPeriod = unpaid.reduce<string | null>((p, i) => (p === null || i.period < p ? i.period : p), null);
  const nextMonth = lease.invoiced_through ? addMonths(lease.invoiced_through.slice(0, 7), 1) : lease.starts_on.slice(0, 7);
  const inLease = monthsBetween(nextMonth, lease.ends_on.slice(0, 7)) > 0 && lease.state === 'active';
  const upcoming = useAsync(
    () => (firstPeriod === null && inLease ? wpApi.schedule(lease.id, nextMonth, 1) : Promise.resolve(null)),
    [lease.id, firstPeriod, nextMonth, inLease],
  );
  const fmt = (v: number) => formatAmount(v, lease.currency, digits, formatLocale);
  if (firstPeriod !== null) {
    const rows = unpaid.filter((i) => i.period === firstPeriod);
    const total = rows.reduce((s, i) => s + i.amount, 0);
    const due = rows.reduce((d, i) => (i.due_on < d ? i.due_on : d), rows[0].due_on);
    return (
      <p class="lead" data-testid="owed-next" data-minor={total}>
        {t('wp.lease.owedNext', { amount: fmt(total), period: formatPeriod(firstPeriod, formatLocale), due: formatDate(due, formatLocale) })}
      </p>
    );
  }
  const m = upcoming.data?.items[0];
  if (!m) return <p class="muted">{t('wp.lease.nothingNext')}</p>;
  const due = `${m.period}-${String(lease.due_day).padStart(2, '0')}`;
  return (
    <p class="lead" data-testid="owed-next" data-minor={m.total}>
      {t('wp.lease.owedNext', { amount: fmt(m.total), period: formatPeriod(m.period, formatLocale), due: formatDate(due, formatLocale) })}
    </p>
  );
}

function ArrearsBox({ lease, digits }: { lease: Lease; digits: number }) {
  const { t, formatLocale } = useI18n();
  const a = lease.arrears;
  if (a.count === 0) {
    return (
      <p class="alert alert-ok" data-testid="arrears" data-count="0">
        {t('wp.arrears.none')}
      </p>
    );
  }
  return (
    <div class="alert alert-error" data-testid="arrears" data-count={a.count} data-minor={a.amount}>
      <p>
        <strong>{t('wp.arrears.title')}</strong>:{' '}
        {t('wp.arrears.text', {
          n: a.count.toLocaleString(formatLocale),
          amount: formatAmount(a.amount, lease.currency, digits, formatLocale),
          since: formatDate(a.oldest_due_on, formatLocale),
        })}
      </p>
    </div>
  );
}

// ---- terms

function Terms({ lease, digits }: { lease: Lease; digits: number }) {
  const { t, formatLocale } = useI18n();
  const fmt = (v: number) => formatAmount(v, lease.currency, digits, formatLocale);
  return (
    <section aria-labelledby="lease-terms">
      <h2 id="lease-terms">{t('wp.lease.terms')}</h2>
      <dl class="facts card" data-testid="lease-terms">
        <div>
          <dt>{t('wp.asset')}</dt>
          <dd>
            <a href={`/assets/${lease.asset.id}`}>{lease.asset.name}</a>
          </dd>
        </div>
        <div>
          <dt>{t('wp.lessor')}</dt>
          <dd>
            <a href={`/orgs/${lease.lessor.org_id}`}>{lease.lessor.name}</a>
          </dd>
        </div>
        <div>
          <dt>{t('wp.lessee')}</dt>
          <dd>
            <a href={`/orgs/${lease.lessee.org_id}`}>{lease.lessee.name}</a>
          </dd>
        </div>
        <div>
          <dt>{t('wp.lease.period')}</dt>
          <dd>
            {leaseSpan(lease.starts_on, lease.ends_on, formatLocale)}
            {lease.renewal === 'auto' && <span class="small muted"> · {t('wp.lease.renews', { n: lease.renew_months })}</span>}
          </dd>
        </div>
        <div>
          <dt>{t('wp.lease.rent')}</dt>
          <dd data-testid="rent-monthly">
            {t('wp.perMonth', { amount: fmt(lease.rent_monthly) })} · {rentKindLabel(t, lease.rent_kind)}
            {lease.rent_kind === 'indexed' && (
              <span class="small muted"> · {t('wp.lease.index', { pct: (lease.index_bps / 100).toLocaleString(formatLocale) })}</span>
            )}
          </dd>
        </div>
        <div>
          <dt>{partLabel(t, 'debt_service')}</dt>
          <dd>{t('wp.perMonth', { amount: fmt(lease.debt_service) })}</dd>
        </div>
        <div>
          <dt>{partLabel(t, 'maintenance')}</dt>
          <dd>{t('wp.perMonth', { amount: fmt(lease.maintenance) })}</dd>
        </div>
        <div>
          <dt>{t('wp.area')}</dt>
          <dd>{t('wp.m2', { n: lease.floor_area_m2.toLocaleString(formatLocale) })}</dd>
        </div>
        <div>
          <dt>{t('wp.lease.solidarityTo')}</dt>
          <dd>{lease.solidarity ? <a href={`/orgs/${lease.solidarity.org_id}/funds`}>{lease.solidarity.name}</a> : '—'}</dd>
        </div>
        <div>
          <dt>{t('wp.lease.dueDay')}</dt>
          <dd>{lease.due_day}</dd>
        </div>
        <div>
          <dt>{t('wp.state')}</dt>
          <dd>
            <span class={`badge badge-lease-${lease.state}`}>{leaseStateLabel(t, lease.state)}</span>
          </dd>
        </div>
      </dl>
      {lease.steps.length > 0 && (
        <>
          <h3>{t('wp.lease.steps')}</h3>
          <ul class="link-list card" data-testid="solidarity-steps">
            {lease.steps.map((s) => (
              <li key={s.from_on}>
                {t('wp.lease.step', {
                  from: formatDate(s.from_on, formatLocale),
                  rate: fmt(s.rate_per_m2),
                  month: fmt(s.rate_per_m2 * lease.floor_area_m2),
                })}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

// ---- the page

export function LeasePage({ id }: { id: string }) {
  const leaseId = Number(id);
  const { t } = useI18n();
  const digitsOf = useDigits();
  const belongs = useBelongs();
  const lease = useAsync(() => wpApi.lease(leaseId), [leaseId]);
  const [extra, setExtra] = useState<{ items: Invoice[]; next: number | null } | null>(null);
  const [moreError, setMoreError] = useState<unknown>(null);
  const invoices = useAsync(() => {
    setExtra(null);
    return wpApi.invoices(leaseId);
  }, [leaseId]);
  usePageTitle(lease.data ? t('wp.lease.title', { asset: lease.data.asset.name }) : undefined);

  if (lease.loading && !lease.data) return <Loading />;
  if (lease.error !== undefined || !lease.data) return <ErrorBox error={lease.error} onRetry={lease.reload} />;
  const l = lease.data;
  const digits = digitsOf(l.currency);
  const lessee = belongs(l.lessee.org_id);
  const items = [...(invoices.data?.items ?? []), ...(extra?.items ?? [])];
  const next = extra ? extra.next : (invoices.data?.next_after ?? null);

  return (
    <article class="lease" data-lease-id={l.id} data-side={lessee ? 'lessee' : belongs(l.lessor.org_id) ? 'lessor' : 'other'}>
      <nav aria-label={t('common.breadcrumbs')} class="breadcrumbs">
        <ol>
          <li>
            <a href={`/orgs/${l.lessor.org_id}/workplaces`}>{l.lessor.name}</a>
          </li>
          <li>
            <a href={`/assets/${l.asset.id}`}>{l.asset.name}</a>
          </li>
        </ol>
      </nav>
      <PageHeading>{t('wp.lease.title', { asset: l.asset.name })}</PageHeading>
      <p class="kind-line">
        {t('wp.lease.between', { lessor: l.lessor.name, lessee: l.lessee.name })}
      </p>
      {lessee && (
        <section class="card lease-lessee" aria-labelledby="lease-ours" data-testid="lessee-side">
          <h2 id="lease-ours">{t('wp.lease.ourSide', { name: l.lessee.name })}</h2>
          {invoices.data && <OwedNext lease={l} invoices={items} digits={digits} />}
          <ArrearsBox lease={l} digits={digits} />
          <p class="small">
            <a href={`/orgs/${l.lessee.org_id}/treasury`}>{t('wp.lease.payFromTreasury')}</a>
          </p>
        </section>
      )}
      {!lessee && <ArrearsBox lease={l} digits={digits} />}
      <Terms lease={l} digits={digits} />
      <ScheduleSection lease={l} digits={digits} />
      <section aria-labelledby="lease-invoices">
        <h2 id="lease-invoices">{t('wp.lease.invoices')}</h2>
        {invoices.loading && !invoices.data && <Loading />}
        {invoices.error !== undefined && <ErrorBox error={invoices.error} onRetry={invoices.reload} />}
        {invoices.data && items.length === 0 && <p class="muted">{t('wp.lease.noInvoices')}</p>}
        {items.length > 0 && <InvoiceTable items={items} currency={l.currency} digits={digits} />}
        {moreError !== null && <ErrorBox error={moreError} />}
        {next !== null && (
          <button
            type="button"
            class="btn"
            onClick={async () => {
              setMoreError(null);
              try {
                const more = await wpApi.invoices(leaseId, next);
                setExtra((x) => ({ items: [...(x?.items ?? []), ...more.items], next: more.next_after }));
              } catch (e) {
                setMoreError(e);
              }
            }}
          >
            {t('common.more')}
          </button>
        )}
      </section>
    </article>
  );
}
