// A co-op's funds, for its members, coordinators, treasurers and auditors:
// each fund kind (investment, solidarity, education, and mutual when the org
// has one) with its balance, a hand-drawn SVG chart of inflows (up) and
// outflows (down) by month, stacked by transfer code, the same figures in a
// table for screen readers, and the totals by code over the chosen stretch.
import { useState } from 'preact/hooks';
import { endpoints, type Org } from '../api';
import { useI18n, type Translate } from '../i18n';
import type { MessageKey } from '../i18n/en';
import { Breadcrumbs, ErrorBox, Loading, PageHeading, useAsync, usePageTitle, Swatch } from '../ui';
import { Amount, WIDE, useDigits } from './money';
import { codeLabel, formatAmount } from './money_words';
import { FLOW_COLORS, FUND_KINDS, addMonths, formatPeriod, fundLabel, thisPeriod, wpApi, type Flow, type FundFlows } from './workplaces_words';

const SPANS = [12, 24, 60] as const;
// Kinds shown even before the org has such a fund.
const ALWAYS = new Set(['investment', 'solidarity', 'education']);

// A flow code in words: the workplace codes first, then the ledger's.
function flowCode(t: Translate, code: string): string {
  const key = `wp.code.${code}` as MessageKey;
  const s = t(key);
  return s === key ? codeLabel(t, code) : s;
}

function periodsOf(f: FundFlows): string[] {
  const out: string[] = [];
  for (let p = f.from; p <= f.to && out.length < 240; p = addMonths(p, 1)) out.push(p);
  return out;
}

function sumsBy(rows: Flow[]): Map<string, Map<string, number>> {
  const m = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const per = m.get(r.period) ?? new Map<string, number>();
    per.set(r.code, (per.get(r.code) ?? 0) + r.amount);
    m.set(r.period, per);
  }
  return m;
}

function FlowChart({ f, digits, codes }: { f: FundFlows; digits: number; codes: string[] }) {
  const { t, formatLocale } = useI18n();
  const periods = periodsOf(f);
  const ins = sumsBy(f.inflows);
  const outs = sumsBy(f.outflows);
  const total = (m: Map<string, number> | undefined) => [...(m?.values() ?? [])].reduce((s, v) => s + v, 0);
  const topIn = Math.max(0, ...periods.map((p) => total(ins.get(p))));
  const topOut = Math.max(0, ...periods.map((p) => total(outs.get(p))));
  const scale = Math.max(1, topIn + topOut);
  const H = 120;
  const zero = (topIn / scale) * H;
  const slot = 10;
  const W = periods.length * slot;
  const color = (code: string) => FLOW_COLORS[codes.indexOf(code) % FLOW_COLORS.length];
  const fmt = (v: number) => formatAmount(v, f.currency, digits, formatLocale);
  const every = periods.length > 24 ? 12 : periods.length > 12 ? 3 : 2;
  const descId = `fund-${f.kind}-desc`;
  return (
    <figure class="fund-chart" data-testid={`fund-chart-${f.kind}`} style={{ margin: '0.5rem 0' }}>
      <figcaption class="small">
        <strong>{t('wp.funds.chartTitle')}</strong>
      </figcaption>
      <svg
        viewBox={`0 0 ${W} ${H + 14}`}
        role="img"
        aria-labelledby={descId}
        style={{ display: 'block', width: '100%', height: 'auto', maxHeight: '14rem', margin: '0.3rem 0' }}
      >
        <desc id={descId}>
          {t('wp.funds.chartDesc', {
            from: formatPeriod(f.from, formatLocale),
            to: formatPeriod(f.to, formatLocale),
            in: fmt(f.totals.in),
            out: fmt(f.totals.out),
          })}
        </desc>
        <line x1="0" x2={W} y1={zero} y2={zero} stroke="var(--line)" stroke-width="0.5" />
        {periods.map((p, i) => {
          const x = i * slot + 1;
          let up = zero;
          let down = zero;
          const inRows = [...(ins.get(p)?.entries() ?? [])];
          const outRows = [...(outs.get(p)?.entries() ?? [])];
          return (
            <g key={p} data-period={p}>
              {(inRows.length > 0 || outRows.length > 0) && (
                <title>
                  {formatPeriod(p, formatLocale)}: {[...inRows.map(([c, v]) => `+${flowCode(t, c)} ${fmt(v)}`), ...outRows.map(([c, v]) => `−${flowCode(t, c)} ${fmt(v)}`)].join(', ')}
                </title>
              )}
              {inRows.map(([c, v]) => {
                const h = (v / scale) * H;
                up -= h;
                return <rect key={`i${c}`} x={x} y={up} width={slot - 2} height={h} fill={color(c)} data-code={c} data-dir="in" />;
              })}
              {outRows.map(([c, v]) => {
                const h = (v / scale) * H;
                const y = down;
                down += h;
                return <rect key={`o${c}`} x={x} y={y} width={slot - 2} height={h} fill={color(c)} opacity="0.6" data-code={c} data-dir="out" />;
              })}
              {i % every === 0 && (
                <text x={x + (slot - 2) / 2} y={H + 11} text-anchor="start" font-size="6" fill="currentColor">
                  {formatPeriod(p, formatLocale, true)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <ul class="chart-legend chart-legend-row small">
        {codes.map((c) => (
          <li key={c} data-code={c} style={{ display: 'flex', gap: '0.4rem', alignItems: 'center' }}>
            <Swatch color={color(c)} />
            {flowCode(t, c)}
          </li>
        ))}
      </ul>
      <p class="small muted">{t('wp.funds.chartKey')}</p>
    </figure>
  );
}

function FlowTable({ f, digits }: { f: FundFlows; digits: number }) {
  const { t, formatLocale } = useI18n();
  const fmt = (v: number) => formatAmount(v, f.currency, digits, formatLocale);
  const rows = new Map<string, { in: number; out: number }>();
  for (const r of f.inflows) rows.set(r.period, { in: (rows.get(r.period)?.in ?? 0) + r.amount, out: rows.get(r.period)?.out ?? 0 });
  for (const r of f.outflows) rows.set(r.period, { in: rows.get(r.period)?.in ?? 0, out: (rows.get(r.period)?.out ?? 0) + r.amount });
  const periods = [...rows.keys()].sort();
  return (
    <div class="table-scroll">
      <table class="rows fund-months">
        <caption class="sr-only">{t('wp.funds.byMonth')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('wp.month')}</th>
            <th scope="col" class="num">
              {t('wp.funds.in')}
            </th>
            <th scope="col" class="num">
              {t('wp.funds.out')}
            </th>
          </tr>
        </thead>
        <tbody>
          {periods.map((p) => (
            <tr key={p} data-period={p}>
              <th scope="row">
                <span style={WIDE}>{formatPeriod(p, formatLocale)}</span>
              </th>
              <td class="num" data-label={t('wp.funds.in')}>
                <span>{fmt(rows.get(p)!.in)}</span>
              </td>
              <td class="num" data-label={t('wp.funds.out')}>
                <span>{fmt(rows.get(p)!.out)}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ByCode({ f, digits }: { f: FundFlows; digits: number }) {
  const { t, formatLocale } = useI18n();
  const fmt = (v: number) => formatAmount(v, f.currency, digits, formatLocale);
  const dirs: ('in' | 'out')[] = ['in', 'out'];
  return (
    <div class="table-scroll">
      <table class="rows fund-codes" data-testid={`fund-codes-${f.kind}`}>
        <caption class="sr-only">{t('wp.funds.byCode')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('wp.funds.code')}</th>
            <th scope="col">{t('wp.funds.direction')}</th>
            <th scope="col" class="num">
              {t('wp.amount')}
            </th>
          </tr>
        </thead>
        <tbody>
          {dirs.flatMap((d) =>
            Object.entries(f.by_code[d]).map(([code, amount]) => (
              <tr key={`${d}-${code}`} data-code={code} data-dir={d} data-minor={amount}>
                <th scope="row">
                  <span style={WIDE}>{flowCode(t, code)}</span>
                </th>
                <td data-label={t('wp.funds.direction')}>
                  <span>{d === 'in' ? t('wp.funds.in') : t('wp.funds.out')}</span>
                </td>
                <td class="num" data-label={t('wp.amount')}>
                  <span>{fmt(amount)}</span>
                </td>
              </tr>
            )),
          )}
          <tr data-code="total">
            <th scope="row">
              <span style={WIDE}>{t('wp.total')}</span>
            </th>
            <td data-label={t('wp.funds.direction')}>
              <span>
                {t('wp.funds.in')} / {t('wp.funds.out')}
              </span>
            </td>
            <td class="num" data-label={t('wp.amount')}>
              <strong>
                {fmt(f.totals.in)} / {fmt(f.totals.out)}
              </strong>
            </td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}

function FundCard({ f, digits }: { f: FundFlows; digits: number }) {
  const { t } = useI18n();
  const codes = [...new Set([...f.inflows.map((r) => r.code), ...f.outflows.map((r) => r.code)])].sort();
  const empty = f.inflows.length === 0 && f.outflows.length === 0;
  return (
    <section class="card fund" aria-labelledby={`fund-${f.kind}`} data-fund={f.kind} data-account-id={f.account_id ?? ''}>
      <h2 id={`fund-${f.kind}`}>{fundLabel(t, f.kind)}</h2>
      <p class="lead" style={{ margin: '0.25rem 0' }}>
        {t('money.balance')}: <Amount minor={f.balance} currency={f.currency} digits={digits} testid={`fund-balance-${f.kind}`} />
      </p>
      {f.account_id === null && <p class="muted small">{t('wp.funds.noAccount')}</p>}
      {f.account_id !== null && empty && <p class="muted small">{t('wp.funds.noFlows')}</p>}
      {!empty && (
        <>
          <FlowChart f={f} digits={digits} codes={codes} />
          <h3>{t('wp.funds.byCode')}</h3>
          <ByCode f={f} digits={digits} />
          <details>
            <summary class="small">{t('wp.funds.byMonth')}</summary>
            <FlowTable f={f} digits={digits} />
          </details>
        </>
      )}
    </section>
  );
}

export function FundsPage({ id }: { id: string }) {
  const orgId = Number(id);
  const { t, formatLocale } = useI18n();
  const digitsOf = useDigits();
  const [span, setSpan] = useState<number>(24);
  const to = thisPeriod();
  const from = addMonths(to, -(span - 1));
  const org = useAsync<Org>(() => endpoints.org(orgId), [orgId]);
  const funds = useAsync(() => Promise.all(FUND_KINDS.map((k) => wpApi.flows(orgId, k, from, to))), [orgId, from, to]);
  usePageTitle(org.data ? t('wp.funds.title', { name: org.data.name }) : undefined);

  if (org.loading && !org.data) return <Loading />;
  if (org.error !== undefined || !org.data) return <ErrorBox error={org.error} onRetry={org.reload} />;
  const o = org.data;
  const shown = (funds.data ?? []).filter((f) => ALWAYS.has(f.kind) || f.account_id !== null);
  return (
    <article class="funds" data-org-id={o.id}>
      <Breadcrumbs path={o.path} current={{ id: o.id, name: o.name }} />
      <PageHeading>{t('wp.funds.title', { name: o.name })}</PageHeading>
      <p class="small muted">{t('wp.funds.lead')}</p>
      <div class="field">
        <label for="funds-span">{t('wp.funds.span')}</label>
        <select id="funds-span" value={span} onChange={(e) => setSpan(Number(e.currentTarget.value))}>
          {SPANS.map((n) => (
            <option key={n} value={n}>
              {t('wp.funds.months', { n: n.toLocaleString(formatLocale) })}
            </option>
          ))}
        </select>
      </div>
      {funds.loading && !funds.data && <Loading />}
      {funds.error !== undefined && <ErrorBox error={funds.error} onRetry={funds.reload} />}
      {shown.map((f) => (
        <FundCard key={f.kind} f={f} digits={digitsOf(f.currency)} />
      ))}
      <p class="small">
        <a href={`/orgs/${o.id}/workplaces`}>{t('wp.link.workplaces')}</a> · <a href={`/orgs/${o.id}/budget`}>{t('wp.link.budget')}</a>
      </p>
    </article>
  );
}
