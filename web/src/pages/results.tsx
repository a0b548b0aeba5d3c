// Results of a proposal: the decision (outcome, quorum, threshold, in the
// counter's own sentence), bars for the counts, and the method's working:
// round-by-round tables for instant runoff and STV, the pairwise matrix for
// Schulze and ranked pairs, the STAR runoff. Bars are plain CSS, with the
// numbers in text beside them for screen readers and print.
import type { IrvRound, Results, StvRound, Tally } from '../api';
import { useI18n, type Translate } from '../i18n';
import { labelOf, methodLabel } from './gov_words';

export interface Bar {
  label: string;
  value: number;
  won?: boolean;
}

// `total` is what the percentages are of (null: none shown, as for score sums).
export function Bars({ bars, caption, total }: { bars: Bar[]; caption: string; total?: number | null }) {
  const { formatLocale } = useI18n();
  const max = Math.max(1, ...bars.map((b) => b.value));
  const sum = total === null ? 0 : (total ?? bars.reduce((a, b) => a + b.value, 0));
  return (
    <figure class="bars" data-testid="bars">
      <figcaption>{caption}</figcaption>
      <ul>
        {bars.map((b, i) => (
          <li key={i} class={b.won ? 'won' : undefined} data-value={b.value}>
            <span class="bar-label">
              {b.label}
              {b.won && <span class="bar-won"> ✓</span>}
            </span>
            <span class="bar-track" aria-hidden="true">
              <span class="bar-fill" style={{ width: `${(100 * b.value) / max}%` }} />
            </span>
            <span class="bar-value">
              {b.value.toLocaleString(formatLocale)}
              {sum > 0 && (
                <span class="muted small">
                  {' '}
                  ({((100 * b.value) / sum).toLocaleString(formatLocale, { maximumFractionDigits: 1 })}%)
                </span>
              )}
            </span>
          </li>
        ))}
      </ul>
    </figure>
  );
}

function mainBars(t: Translate, tally: Tally, names: string[]): { bars: Bar[]; caption: string; total?: number | null } {
  const won = new Set(tally.winners ?? []);
  if (tally.method === 'majority') {
    return {
      caption: t('results.votes'),
      bars: [
        { label: labelOf(t, 'choice.majority', 'for'), value: tally.for ?? tally.counts[0] ?? 0, won: tally.passed === true },
        { label: labelOf(t, 'choice.majority', 'against'), value: tally.against ?? tally.counts[1] ?? 0 },
        { label: labelOf(t, 'choice.majority', 'abstain'), value: tally.abstain ?? tally.counts[2] ?? 0 },
      ],
    };
  }
  if (tally.method === 'consent') {
    return {
      caption: t('results.votes'),
      bars: [
        { label: labelOf(t, 'choice.consent', 'consent'), value: tally.consent ?? tally.counts[0] ?? 0, won: tally.passed === true },
        { label: labelOf(t, 'choice.consent', 'stand_aside'), value: tally.stand_aside ?? tally.counts[1] ?? 0 },
        { label: labelOf(t, 'choice.consent', 'object'), value: tally.object ?? tally.counts[2] ?? 0 },
      ],
    };
  }
  const caption = labelOf(t, 'results.counts', tally.method, t('results.firstPreferences'));
  // Approvals and first preferences are shares of the ballots; score and dot
  // sums are points, where a percentage would mislead.
  const sums = tally.method === 'score' || tally.method === 'star' || tally.method === 'dot';
  const total = sums
    ? tally.method === 'dot'
      ? undefined
      : null
    : tally.method === 'approval'
      ? tally.ballots
      : tally.ballots - tally.blank;
  return {
    caption,
    total: total !== undefined && total !== null && total <= 0 ? null : total,
    bars: tally.counts.map((c, i) => ({ label: names[i] ?? String(i + 1), value: c, won: won.has(i) })),
  };
}

function IrvTable({ rounds, names }: { rounds: IrvRound[]; names: string[] }) {
  const { t } = useI18n();
  return (
    <div class="table-scroll">
      <table class="gov-table rounds">
        <caption>{t('results.rounds')}</caption>
        <thead>
          <tr>
            <th scope="col" class="sticky">
              {t('results.option')}
            </th>
            {rounds.map((_, r) => (
              <th key={r} scope="col" class="num">
                {t('results.roundN', { n: r + 1 })}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {names.map((n, i) => (
            <tr key={i}>
              <th scope="row" class="sticky">
                {n}
              </th>
              {rounds.map((r, k) => (
                <td key={k} class={`num${r.excluded === i ? ' excluded' : ''}`}>
                  {rounds.slice(0, k).some((x) => x.excluded === i) ? '—' : r.counts[i]}
                  {r.excluded === i && <span class="small"> ✗</span>}
                </td>
              ))}
            </tr>
          ))}
          <tr>
            <th scope="row" class="sticky">
              {t('results.exhausted')}
            </th>
            {rounds.map((r, k) => (
              <td key={k} class="num">
                {r.exhausted}
              </td>
            ))}
          </tr>
        </tbody>
      </table>
    </div>
  );
}

// Steps down the side would push the candidates off a phone's screen, so the
// candidates run down the side and the steps across, numbered, with the list
// of what each step did above the table.
function StvTable({ rounds, names, quota }: { rounds: StvRound[]; names: string[]; quota?: string }) {
  const { t } = useI18n();
  const stepText = (r: StvRound) =>
    labelOf(t, 'stv', r.action) +
    (r.candidate !== null && r.candidate !== undefined ? `: ${names[r.candidate] ?? r.candidate + 1}` : '');
  return (
    <>
      {quota && <p data-testid="quota">{t('results.quota', { quota })}</p>}
      <h3 class="h3">{t('results.rounds')}</h3>
      <ol class="stv-steps small">
        {rounds.map((r, k) => (
          <li key={k} class={`act-${r.action}`}>
            {stepText(r)}
          </li>
        ))}
      </ol>
      <div class="table-scroll">
        <table class="gov-table rounds stv">
          <caption class="sr-only">{t('results.rounds')}</caption>
          <thead>
            <tr>
              <th scope="col" class="sticky">
                {t('results.option')}
              </th>
              {rounds.map((r, k) => (
                <th key={k} scope="col" class="num" title={stepText(r)}>
                  {k + 1}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {names.map((n, i) => (
              <tr key={i}>
                <th scope="row" class="sticky">
                  {n}
                </th>
                {rounds.map((r, k) => (
                  <td key={k} class={`num${r.candidate === i ? ` acted act-${r.action}` : ''}`}>
                    {r.votes?.[i] ?? ''}
                  </td>
                ))}
              </tr>
            ))}
            <tr>
              <th scope="row" class="sticky">
                {t('results.exhausted')}
              </th>
              {rounds.map((r, k) => (
                <td key={k} class="num">
                  {r.exhausted ?? ''}
                </td>
              ))}
            </tr>
          </tbody>
        </table>
      </div>
    </>
  );
}

function Matrix({ m, names, caption }: { m: number[][]; names: string[]; caption: string }) {
  const { t } = useI18n();
  return (
    <div class="table-scroll">
      <table class="gov-table matrix">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <td />
            {names.map((n, j) => (
              <th key={j} scope="col" class="num">
                {n}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {names.map((n, i) => (
            <tr key={i}>
              <th scope="row" class="sticky">
                {t('results.over', { name: n })}
              </th>
              {names.map((_, j) => (
                <td key={j} class={`num${i === j ? ' diag' : (m[i]?.[j] ?? 0) > (m[j]?.[i] ?? 0) ? ' beats' : ''}`}>
                  {i === j ? '—' : (m[i]?.[j] ?? '')}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ResultsView({ r, names }: { r: Results; names: string[] }) {
  const { t, formatLocale } = useI18n();
  const tally = r.tally;
  const d = r.decision;
  const main = mainBars(t, tally, names);
  const isStv = tally.method === 'scottish_stv' || tally.method === 'meek_stv';
  const elected = (tally.winners ?? []).map((i) => names[i] ?? String(i + 1));
  return (
    <section class="card results" aria-labelledby="results-title" data-final={r.final ? 'true' : 'false'}>
      <h2 id="results-title">{r.final ? t('results.title') : t('results.running')}</h2>
      {d && (
        <div class={`decision decision-${d.outcome}`} data-testid="decision">
          <p class="outcome">
            <strong>{labelOf(t, 'pstatus', d.outcome)}</strong>
          </p>
          <p>{d.reason}</p>
          <p class="small muted">
            {t('results.turnout', {
              turnout: d.turnout.toLocaleString(formatLocale),
              eligible: d.eligible.toLocaleString(formatLocale),
            })}
            {' · '}
            {d.quorum_met ? t('results.quorumMet') : t('results.quorumMissed')}
            {d.quorum && !/^0\s*\//.test(d.quorum) ? ` (${t('rule.quorum', { ratio: d.quorum })})` : ''}
          </p>
        </div>
      )}
      {tally.method !== 'majority' && tally.method !== 'consent' && elected.length > 0 && (
        <p data-testid="elected">
          {t(isStv || (tally.seats ?? 1) > 1 ? 'results.elected' : 'results.winner', { names: elected.join(', ') })}
        </p>
      )}
      <p class="small muted">{methodLabel(t, tally.method)}</p>
      <Bars bars={main.bars} caption={main.caption} total={main.total} />
      <p class="small muted">
        {t('results.ballots', { n: tally.ballots.toLocaleString(formatLocale) })}
        {tally.blank > 0 && ` · ${t('results.blank', { n: tally.blank })}`}
        {tally.invalid > 0 && ` · ${t('results.invalid', { n: tally.invalid })}`}
      </p>
      {tally.average && tally.average.length > 0 && (
        <p class="small">
          {t('results.averages')}: {tally.average.map((a, i) => `${names[i] ?? i + 1} ${a}`).join(' · ')}
        </p>
      )}
      {tally.runoff && (
        <Bars
          caption={t('results.runoff')}
          bars={tally.runoff.finalists.map((f, k) => ({
            label: names[f] ?? String(f + 1),
            value: tally.runoff!.preferred[k] ?? 0,
            won: tally.winners?.[0] === f,
          }))}
          total={tally.runoff.preferred.reduce((a, b) => a + b, 0) + tally.runoff.no_preference}
        />
      )}
      {tally.runoff && <p class="small muted">{t('results.noPreference', { n: tally.runoff.no_preference })}</p>}
      {tally.method === 'irv' && tally.rounds && <IrvTable rounds={tally.rounds as IrvRound[]} names={names} />}
      {isStv && tally.rounds && <StvTable rounds={tally.rounds as StvRound[]} names={names} quota={tally.quota} />}
      {tally.pairwise && <Matrix m={tally.pairwise} names={names} caption={t('results.pairwise')} />}
      {tally.strongest_paths && <Matrix m={tally.strongest_paths} names={names} caption={t('results.paths')} />}
      {tally.pairs && (
        <>
          <h3 class="h3">{t('results.pairs')}</h3>
          <ol class="pairs">
            {tally.pairs.map((p, k) => (
              <li key={k} class={p.locked ? 'locked' : 'skipped'}>
                {t('results.pair', { winner: names[p.winner] ?? p.winner, loser: names[p.loser] ?? p.loser, margin: p.margin })}{' '}
                <span class="muted small">{p.locked ? t('results.locked') : t('results.skipped')}</span>
              </li>
            ))}
          </ol>
        </>
      )}
      {tally.ranking && tally.ranking.length > 0 && (
        <p>
          {t('results.ranking')}: {tally.ranking.map((i, k) => `${k + 1}. ${names[i] ?? i + 1}`).join('  ')}
        </p>
      )}
      {tally.tie_breaks && tally.tie_breaks.length > 0 && (
        <ul class="small">
          {tally.tie_breaks.map((tb, k) => (
            <li key={k}>
              {t('results.tieBreak', {
                stage: tb.stage,
                between: tb.between.map((i) => names[i] ?? i + 1).join(', '),
                rule: tb.rule,
                chosen: names[tb.chosen] ?? tb.chosen + 1,
              })}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
