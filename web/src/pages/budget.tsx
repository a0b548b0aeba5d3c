// Participatory budgeting of a fund (DOMAIN.md §5), phone first. An org's
// rounds (/orgs/:id/budget) with their phase, budget and fund, and the form
// its coordinators and treasurers open a round with. A round's page
// (/budget-rounds/:id) follows its phase: while projects are submitted, the
// list and the form to submit one; while members vote, an approval ballot
// (with the running cost against the budget) or a points ballot, saved with
// PUT; once voting has closed, the button that counts; once counted, the
// funded projects as a chart (each one's cost split by the voters who paid
// it, drawn by hand in SVG, with the exact figures in a table), the unfunded
// ones with their reasons, the decision the org must take before paying and
// the payout form, then what was paid. The server decides who may do what;
// the page offers what the round's `can` says.
import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ApiError, endpoints, governance, type Org, type Proposal } from '../api';
import { useI18n } from '../i18n';
import { rolesOver, useSession } from '../session';
import { Breadcrumbs, ErrorBox, Loading, Notice, PageHeading, useAsync, usePageTitle, Swatch } from '../ui';
import { WIDE, useDigits } from './money';
import { MAX_SAFE_MINOR, big, formatAmount, kindLabel, ledgerApi, parseAmount, type LedgerAccount } from './money_words';
import { formatWhen, isoToLocalInput, localInputToIso } from './market_words';
import {
  DECISION_DOMAIN,
  FUND_KINDS,
  MAX_BUDGET,
  MAX_POINTS_TOTAL,
  MAX_PROJECTS,
  MAX_REASON,
  MAX_TEXT,
  MAX_TITLE,
  SHARE_SCALE,
  ballotLabel,
  budgetApi,
  completionLabel,
  costOf,
  decisionSubject,
  fraction,
  groupTotal,
  methodLabel,
  parsePoints,
  phaseLabel,
  plural,
  projectStateLabel,
  shareMinor,
  utilityLabel,
  type BudgetProject,
  type BudgetResult,
  type BudgetRound,
  type FundedProject,
  type RoundInput,
} from './budget_words';

const MANAGER_ROLES = ['coordinator', 'treasurer'];
// Colours of the groups of voters who paid a project, largest share first;
// readable on light and dark backgrounds.
const GROUP_COLORS = ['#2e7d4f', '#3f6fb5', '#b07a1f', '#8a4fa3', '#c2504a', '#0f766e', '#6b7280'];
const DAY_MS = 86_400_000;
// Secondary lines inside bold labels and facts.
const NORMAL = { fontWeight: 400 };

// ---- small pieces

// An API error in words, with the server's own detail beneath when it says more.
function BudgetError({ error }: { error: unknown }) {
  const { t, errorText } = useI18n();
  const text = errorText(error);
  const detail = error instanceof ApiError && error.detail && error.detail !== text ? error.detail : '';
  return (
    <div class="alert alert-error" role="alert" data-testid="budget-error">
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

function PhaseBadge({ phase }: { phase: string }) {
  const { t } = useI18n();
  const live = phase === 'submission' || phase === 'voting';
  return (
    <span class={`badge${live ? ' badge-active' : ''}`} data-phase={phase} data-testid="phase">
      {phaseLabel(t, phase)}
    </span>
  );
}

function Field({ id, label, hint, children }: { id: string; label: string; hint?: string; children: ComponentChildren }) {
  return (
    <div class="field">
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

function useMoney(currency: string) {
  const { formatLocale } = useI18n();
  const digitsOf = useDigits();
  const digits = digitsOf(currency);
  return { digits, fmt: (v: number | bigint) => formatAmount(v, currency, digits, formatLocale) };
}

// How much of a whole is used, as a bar (display only, hidden from screen
// readers: the figures are in the text beside it).
function Meter({ used, whole, over }: { used: bigint; whole: bigint; over?: boolean }) {
  const W = 300;
  const f = fraction(used, whole);
  return (
    <svg
      viewBox={`0 0 ${W} 12`}
      aria-hidden="true"
      preserveAspectRatio="none"
      style={{ display: 'block', width: '100%', height: '0.75rem', margin: '0.3rem 0' }}
    >
      <rect x="0" y="0" width={W} height="12" rx="4" fill="var(--line)" />
      <rect x="0" y="0" width={W * f} height="12" rx="4" fill={over ? 'var(--danger)' : 'var(--brand)'} />
    </svg>
  );
}

// Roles of the signed-in person on an org or above it (an admin has all).
function mayManage(me: ReturnType<typeof useSession>['me'], org: Org | undefined | null): boolean {
  if (!me || !org) return false;
  if (me.account.admin) return true;
  const held = rolesOver(me, [org.id, ...org.path.map((p) => p.id)]);
  return MANAGER_ROLES.some((r) => held.has(r));
}

// ---- the facts of a round

function RoundFacts({ r }: { r: BudgetRound }) {
  const { t, formatLocale } = useI18n();
  const { fmt } = useMoney(r.currency);
  return (
    <dl class="facts card" data-testid="round-facts">
      <div>
        <dt>{t('budget.budget')}</dt>
        <dd data-testid="round-budget" data-minor={r.budget}>
          {fmt(r.budget)}
        </dd>
      </div>
      <div>
        <dt>{t('budget.fund')}</dt>
        <dd>
          {kindLabel(t, r.fund.kind)}
          <br />
          <span class="small muted" style={NORMAL}>
            {t('budget.fundBalance', { amount: fmt(r.fund.balance) })}
          </span>
        </dd>
      </div>
      <div>
        <dt>{t('budget.methodLabel')}</dt>
        <dd>
          {methodLabel(t, r.method)}
          {r.method === 'equal-shares' && (
            <>
              <br />
              <span class="small muted" style={NORMAL}>
                {completionLabel(t, r.completion)}
                {r.ballot === 'approval' ? ` · ${utilityLabel(t, r.utility)}` : ''}
              </span>
            </>
          )}
        </dd>
      </div>
      <div>
        <dt>{t('budget.ballotLabel')}</dt>
        <dd>
          {ballotLabel(t, r.ballot)}
          <br />
          <span class="small muted" style={NORMAL}>
            {r.ballot === 'points'
              ? t('budget.pointsRule', { n: r.points_total.toLocaleString(formatLocale) })
              : r.max_approvals > 0
                ? t('budget.approvalsRule', { n: r.max_approvals })
                : t('budget.approvalsAny')}
          </span>
        </dd>
      </div>
      <div>
        <dt>{t('budget.submissionCloses')}</dt>
        <dd>{formatWhen(r.submission_closes_at, formatLocale)}</dd>
      </div>
      <div>
        <dt>{t('budget.votingCloses')}</dt>
        <dd>{formatWhen(r.voting_closes_at, formatLocale)}</dd>
      </div>
      <div>
        <dt>{t('budget.projects')}</dt>
        <dd>{r.projects_count.toLocaleString(formatLocale)}</dd>
      </div>
      <div>
        <dt>{t('budget.voters')}</dt>
        <dd data-testid="round-voters">{r.voters.toLocaleString(formatLocale)}</dd>
      </div>
      {r.max_cost > 0 && (
        <div class="wide">
          <dt>{t('budget.maxCost')}</dt>
          <dd>{fmt(r.max_cost)}</dd>
        </div>
      )}
    </dl>
  );
}

// ---- an org's rounds

function RoundRow({ r }: { r: BudgetRound }) {
  const { t, formatLocale } = useI18n();
  const { fmt } = useMoney(r.currency);
  const when =
    r.phase === 'submission'
      ? t('budget.submitUntil', { when: formatWhen(r.submission_closes_at, formatLocale) })
      : r.phase === 'voting'
        ? t('budget.voteUntil', { when: formatWhen(r.voting_closes_at, formatLocale) })
        : r.phase === 'paid'
          ? t('budget.paidOn', { when: formatWhen(r.paid_at, formatLocale) })
          : r.phase === 'tallied'
            ? t('budget.talliedOn', { when: formatWhen(r.tallied_at, formatLocale) })
            : r.phase === 'counting'
              ? t('budget.votingClosedOn', { when: formatWhen(r.voting_closes_at, formatLocale) })
              : '';
  return (
    <li class="card" data-round-id={r.id} data-phase={r.phase} data-testid="round-row">
      <a class="proposal-link" href={`/budget-rounds/${r.id}`}>
        {r.title}
      </a>
      <p class="small">
        <PhaseBadge phase={r.phase} />{' '}
        <span class="muted">
          {t('budget.budgetFrom', { amount: fmt(r.budget), fund: kindLabel(t, r.fund.kind) })}
        </span>
      </p>
      <p class="small muted">
        {t('budget.counts', {
          projects: r.projects_count.toLocaleString(formatLocale),
          voters: r.voters.toLocaleString(formatLocale),
        })}
        {when && ` · ${when}`}
      </p>
    </li>
  );
}

// The fund accounts of an org (its accounts, paged; funds are few and opened early).
async function fundAccounts(orgId: number): Promise<LedgerAccount[]> {
  const out: LedgerAccount[] = [];
  let after: number | null = null;
  for (let pages = 0; pages < 5; pages++) {
    const page: { items: LedgerAccount[]; next_after: number | null } = await ledgerApi.orgAccounts(orgId, after);
    out.push(...page.items.filter((a) => a.holder === 'fund' && !a.closed));
    if (page.next_after === null || page.next_after === undefined) break;
    after = page.next_after;
  }
  return out;
}

function OpenRoundForm({ org, onCancel }: { org: Org; onCancel: () => void }) {
  const { t, formatLocale } = useI18n();
  const { route } = useLocation();
  const digitsOf = useDigits();
  const funds = useAsync(() => fundAccounts(org.id).catch(() => [] as LedgerAccount[]), [org.id]);
  const now = Date.now();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [fund, setFund] = useState('');
  const [budgetText, setBudgetText] = useState('');
  const [method, setMethod] = useState('equal-shares');
  const [completion, setCompletion] = useState('add1');
  const [ballot, setBallot] = useState('approval');
  const [utility, setUtility] = useState('cost');
  const [maxApprovals, setMaxApprovals] = useState('');
  const [pointsTotal, setPointsTotal] = useState('100');
  const [maxCostText, setMaxCostText] = useState('');
  const [subCloses, setSubCloses] = useState(() => isoToLocalInput(new Date(now + 7 * DAY_MS).toISOString()));
  const [voteCloses, setVoteCloses] = useState(() => isoToLocalInput(new Date(now + 14 * DAY_MS).toISOString()));
  const [bad, setBad] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  // The fund choices: the org's fund accounts when it shows them, else the kinds.
  const accounts = funds.data ?? [];
  const choices = accounts.length
    ? accounts.map((a) => ({ key: String(a.id), kind: a.kind, currency: a.currency, balance: a.balance as number | null }))
    : FUND_KINDS.map((k) => ({ key: k, kind: k, currency: org.currency, balance: null as number | null }));
  useEffect(() => {
    if (!choices.some((c) => c.key === fund)) setFund(choices.find((c) => c.kind === 'investment')?.key ?? choices[0]?.key ?? '');
  }, [choices.map((c) => c.key).join(',')]);
  const chosen = choices.find((c) => c.key === fund) ?? choices[0];
  const currency = chosen?.currency ?? org.currency;
  const digits = digitsOf(currency);
  const fmt = (v: number | bigint) => formatAmount(v, currency, digits, formatLocale);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy || !chosen) return;
    setBad('');
    setError(null);
    const budget = parseAmount(budgetText, digits);
    const maxCost = maxCostText.trim() ? parseAmount(maxCostText, digits) : 0n;
    const subIso = localInputToIso(subCloses);
    const voteIso = localInputToIso(voteCloses);
    const approvals = maxApprovals.trim() === '' ? 0 : parsePoints(maxApprovals, MAX_PROJECTS);
    const points = parsePoints(pointsTotal, MAX_POINTS_TOTAL);
    const problem = !title.trim()
      ? t('budget.bad.title')
      : budget === null || budget <= 0n || budget > MAX_BUDGET || budget > MAX_SAFE_MINOR
        ? t('budget.bad.budget')
        : chosen.balance !== null && budget > big(chosen.balance)
          ? t('budget.bad.overFund', { amount: fmt(chosen.balance) })
          : maxCost === null || maxCost > budget
            ? t('budget.bad.maxCost')
            : ballot === 'approval' && approvals === null
              ? t('budget.bad.maxApprovals', { n: MAX_PROJECTS })
              : ballot === 'points' && (points === null || points < 1)
                ? t('budget.bad.pointsTotal', { n: MAX_POINTS_TOTAL.toLocaleString(formatLocale) })
                : !subIso || Date.parse(subIso) <= Date.now()
                  ? t('budget.bad.submission')
                  : !voteIso || Date.parse(voteIso) <= Date.parse(subIso)
                    ? t('budget.bad.voting')
                    : '';
    if (problem || budget === null || maxCost === null || !subIso || !voteIso) {
      setBad(problem);
      return;
    }
    const input: RoundInput = {
      fund_kind: chosen.kind,
      currency,
      title: title.trim(),
      budget: Number(budget),
      method,
      completion: method === 'greedy' ? 'none' : completion,
      ballot,
      utility: ballot === 'points' ? 'points' : utility,
      submission_closes_at: subIso,
      voting_closes_at: voteIso,
    };
    if (description.trim()) input.description = description.trim();
    if (ballot === 'approval') input.max_approvals = approvals ?? 0;
    else input.points_total = points ?? 0;
    if (maxCost > 0n) input.max_cost = Number(maxCost);
    setBusy(true);
    try {
      const r = await budgetApi.openRound(org.id, input);
      route(`/budget-rounds/${r.id}`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="form card" onSubmit={submit} noValidate aria-labelledby="open-round-title" data-testid="open-round-form">
      <h2 id="open-round-title">{t('budget.open')}</h2>
      <p class="hint">{t('budget.openHint')}</p>
      <Field id="br-title" label={t('budget.roundTitle')}>
        <input id="br-title" required maxLength={MAX_TITLE} value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
      </Field>
      <Field id="br-desc" label={t('budget.description')}>
        <textarea id="br-desc" rows={3} maxLength={MAX_TEXT} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
      </Field>
      <Field id="br-fund" label={t('budget.fund')} hint={accounts.length ? undefined : t('budget.fundHint')}>
        <select id="br-fund" value={fund} onChange={(e) => setFund(e.currentTarget.value)}>
          {choices.map((c) => (
            <option key={c.key} value={c.key}>
              {kindLabel(t, c.kind)}
              {c.balance !== null ? ` · ${formatAmount(c.balance, c.currency, digitsOf(c.currency), formatLocale)}` : ''}
            </option>
          ))}
        </select>
      </Field>
      <Field
        id="br-budget"
        label={t('budget.budgetIn', { currency })}
        hint={chosen?.balance !== null && chosen?.balance !== undefined ? t('budget.atMost', { amount: fmt(chosen.balance) }) : undefined}
      >
        <input id="br-budget" inputMode="decimal" required value={budgetText} onInput={(e) => setBudgetText(e.currentTarget.value)} />
      </Field>
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(9rem, 1fr))', gap: '0 0.75rem' }}>
        <Field id="br-method" label={t('budget.methodLabel')}>
          <select id="br-method" value={method} onChange={(e) => setMethod(e.currentTarget.value)}>
            <option value="equal-shares">{methodLabel(t, 'equal-shares')}</option>
            <option value="greedy">{methodLabel(t, 'greedy')}</option>
          </select>
        </Field>
        {method === 'equal-shares' && (
          <Field id="br-completion" label={t('budget.completionLabel')}>
            <select id="br-completion" value={completion} onChange={(e) => setCompletion(e.currentTarget.value)}>
              <option value="add1">{completionLabel(t, 'add1')}</option>
              <option value="none">{completionLabel(t, 'none')}</option>
            </select>
          </Field>
        )}
        <Field id="br-ballot" label={t('budget.ballotLabel')}>
          <select id="br-ballot" value={ballot} onChange={(e) => setBallot(e.currentTarget.value)}>
            <option value="approval">{ballotLabel(t, 'approval')}</option>
            <option value="points">{ballotLabel(t, 'points')}</option>
          </select>
        </Field>
        {ballot === 'approval' && method === 'equal-shares' && (
          <Field id="br-utility" label={t('budget.utilityLabel')} hint={t('budget.utilityHint')}>
            <select id="br-utility" value={utility} onChange={(e) => setUtility(e.currentTarget.value)}>
              <option value="cost">{utilityLabel(t, 'cost')}</option>
              <option value="approval">{utilityLabel(t, 'approval')}</option>
            </select>
          </Field>
        )}
        {ballot === 'approval' ? (
          <Field id="br-max-approvals" label={t('budget.maxApprovals')} hint={t('budget.maxApprovalsHint')}>
            <input id="br-max-approvals" inputMode="numeric" placeholder="0" value={maxApprovals} onInput={(e) => setMaxApprovals(e.currentTarget.value)} />
          </Field>
        ) : (
          <Field id="br-points" label={t('budget.pointsTotal')} hint={t('budget.pointsTotalHint')}>
            <input id="br-points" inputMode="numeric" required value={pointsTotal} onInput={(e) => setPointsTotal(e.currentTarget.value)} />
          </Field>
        )}
        <Field id="br-max-cost" label={t('budget.maxCostIn', { currency })} hint={t('budget.maxCostHint')}>
          <input id="br-max-cost" inputMode="decimal" value={maxCostText} onInput={(e) => setMaxCostText(e.currentTarget.value)} />
        </Field>
        <Field id="br-sub" label={t('budget.submissionCloses')}>
          <input id="br-sub" type="datetime-local" required value={subCloses} onInput={(e) => setSubCloses(e.currentTarget.value)} />
        </Field>
        <Field id="br-vote" label={t('budget.votingCloses')}>
          <input id="br-vote" type="datetime-local" required value={voteCloses} onInput={(e) => setVoteCloses(e.currentTarget.value)} />
        </Field>
      </div>
      {bad && (
        <p class="alert alert-error" role="alert">
          {bad}
        </p>
      )}
      {error !== null && <BudgetError error={error} />}
      <div class="actions" style={{ display: 'flex', gap: '0.5rem', flexWrap: 'wrap' }}>
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {t('budget.openGo')}
        </button>
        <button type="button" class="btn" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

export function BudgetRoundsPage({ id }: { id: string }) {
  const orgId = Number(id);
  const { t } = useI18n();
  const { me } = useSession();
  const org = useAsync(() => endpoints.org(orgId), [orgId]);
  const list = useAsync(() => budgetApi.rounds(orgId), [orgId, me?.account.id]);
  const [extra, setExtra] = useState<{ items: BudgetRound[]; next: number | null } | null>(null);
  const [moreError, setMoreError] = useState<unknown>(null);
  const [opening, setOpening] = useState(false);
  usePageTitle(org.data ? t('budget.roundsOf', { name: org.data.name }) : t('budget.title'));

  if (org.loading && !org.data) return <Loading />;
  if (org.error !== undefined || !org.data) return <ErrorBox error={org.error} onRetry={org.reload} />;
  const o = org.data;
  const items = [...(list.data?.items ?? []), ...(extra?.items ?? [])];
  const next = extra ? extra.next : (list.data?.next_after ?? null);
  const manager = mayManage(me, o);

  return (
    <article class="budget-rounds" data-org-id={o.id}>
      <Breadcrumbs path={o.path} current={{ id: o.id, name: o.name }} />
      <PageHeading>{t('budget.roundsOf', { name: o.name })}</PageHeading>
      <p class="small">{t('budget.intro')}</p>
      {manager && !opening && (
        <p>
          <button type="button" class="btn btn-primary" onClick={() => setOpening(true)}>
            {t('budget.open')}
          </button>
        </p>
      )}
      {manager && opening && <OpenRoundForm org={o} onCancel={() => setOpening(false)} />}
      <section aria-labelledby="rounds-title" aria-busy={list.loading}>
        <h2 id="rounds-title">{t('budget.rounds')}</h2>
        {list.loading && !list.data && <Loading />}
        {list.error !== undefined && <ErrorBox error={list.error} onRetry={list.reload} />}
        {list.data && items.length === 0 && <p class="muted">{t('budget.noRounds')}</p>}
        {items.length > 0 && (
          <ul class="gov-list" data-testid="rounds">
            {items.map((r) => (
              <RoundRow key={r.id} r={r} />
            ))}
          </ul>
        )}
        {moreError !== null && <ErrorBox error={moreError} />}
        {next !== null && (
          <button
            type="button"
            class="btn"
            onClick={async () => {
              setMoreError(null);
              try {
                const more = await budgetApi.rounds(orgId, next);
                setExtra((x) => ({ items: [...(x?.items ?? []), ...more.items], next: more.next_after }));
              } catch (err) {
                setMoreError(err);
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

// ---- a round's projects

function ProjectText({ p }: { p: BudgetProject }) {
  if (!p.description) return null;
  if (p.description.length <= 280) {
    return (
      <p class="small" style={{ whiteSpace: 'pre-wrap', margin: '0.3rem 0' }}>
        {p.description}
      </p>
    );
  }
  return (
    <details class="small" style={{ margin: '0.3rem 0' }}>
      <summary>{p.description.slice(0, 120)}…</summary>
      <p style={{ whiteSpace: 'pre-wrap' }}>{p.description}</p>
    </details>
  );
}

function ProjectCard({
  p,
  r,
  mine,
  onChanged,
}: {
  p: BudgetProject;
  r: BudgetRound;
  mine: boolean;
  onChanged: () => void;
}) {
  const { t } = useI18n();
  const { fmt } = useMoney(r.currency);
  const [marking, setMarking] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submission = r.phase === 'submission';
  const act = async (fn: () => Promise<unknown>) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await fn();
      setMarking(false);
      onChanged();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <li class="card" data-project-id={p.id} data-state={p.state} data-testid="project">
      <p style={{ display: 'flex', justifyContent: 'space-between', gap: '0.75rem', margin: 0 }}>
        <strong>{p.title}</strong>
        <span style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }} data-minor={p.cost}>
          {fmt(p.cost)}
        </span>
      </p>
      <p class="small muted" style={{ margin: '0.2rem 0' }}>
        {t('budget.payee', { name: p.payee.name })}
        {p.proposer ? ` · ${t('budget.proposedBy', { name: p.proposer.name })}` : ''}
        {p.state !== 'submitted' && (
          <>
            {' · '}
            <span class="badge" data-state={p.state}>
              {projectStateLabel(t, p.state)}
            </span>
          </>
        )}
      </p>
      {p.state === 'ineligible' && p.reason && <p class="small">{t('budget.ineligibleWhy', { reason: p.reason })}</p>}
      <ProjectText p={p} />
      {submission && p.state === 'submitted' && (mine || r.can.manage) && !marking && (
        <p style={{ display: 'flex', gap: '0.5rem', flexWrap: 'wrap', margin: '0.4rem 0 0' }}>
          <button type="button" class="btn btn-small" disabled={busy} onClick={() => act(() => budgetApi.withdrawProject(p.id))}>
            {t('budget.withdraw')}
          </button>
          {r.can.manage && (
            <button type="button" class="btn btn-small btn-danger-ghost" onClick={() => setMarking(true)}>
              {t('budget.markIneligible')}
            </button>
          )}
        </p>
      )}
      {marking && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const why = reason.trim();
            if (why) void act(() => budgetApi.markIneligible(p.id, why));
          }}
        >
          <Field id={`inel-${p.id}`} label={t('budget.ineligibleReason')}>
            <input id={`inel-${p.id}`} required maxLength={MAX_REASON} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
          </Field>
          <p style={{ display: 'flex', gap: '0.5rem', flexWrap: 'wrap' }}>
            <button type="submit" class="btn btn-small btn-danger" disabled={busy || !reason.trim()}>
              {t('budget.markIneligibleGo')}
            </button>
            <button type="button" class="btn btn-small" onClick={() => setMarking(false)}>
              {t('common.cancel')}
            </button>
          </p>
        </form>
      )}
      {error !== null && <BudgetError error={error} />}
    </li>
  );
}

function ProjectList({ projects, r, onChanged }: { projects: BudgetProject[]; r: BudgetRound; onChanged: () => void }) {
  const { t } = useI18n();
  const { me } = useSession();
  if (projects.length === 0) return <p class="muted">{t('budget.noProjects')}</p>;
  return (
    <ul class="gov-list" data-testid="projects">
      {projects.map((p) => (
        <ProjectCard key={p.id} p={p} r={r} mine={!!me && p.proposer?.person_id === me.person.id} onChanged={onChanged} />
      ))}
    </ul>
  );
}

// Who a project may pay: the round's org, the orgs it holds and its sister
// orgs under the same federation (worker co-ops hang under their region).
async function payeeChoices(org: Org): Promise<{ id: number; name: string }[]> {
  const parent = org.path.length ? org.path[org.path.length - 1].id : null;
  const [own, sisters] = await Promise.all([
    endpoints.children(org.id).catch(() => ({ items: [] })),
    parent !== null ? endpoints.children(parent).catch(() => ({ items: [] })) : Promise.resolve({ items: [] }),
  ]);
  const seen = new Set<number>([org.id]);
  const rest: { id: number; name: string }[] = [];
  for (const o of [...own.items, ...sisters.items]) {
    if (seen.has(o.id)) continue;
    seen.add(o.id);
    rest.push({ id: o.id, name: o.name });
  }
  rest.sort((a, b) => a.name.localeCompare(b.name));
  return [{ id: org.id, name: org.name }, ...rest];
}

function SubmitProjectForm({ r, org, onSubmitted }: { r: BudgetRound; org: Org | null; onSubmitted: () => void }) {
  const { t, formatLocale } = useI18n();
  const { digits, fmt } = useMoney(r.currency);
  const payees = useAsync(async () => (org ? payeeChoices(org) : [{ id: r.org.id, name: r.org.name }]), [org?.id]);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [costText, setCostText] = useState('');
  const [payee, setPayee] = useState(String(r.org.id));
  const [bad, setBad] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState('');
  const ceiling = r.max_cost > 0 ? Math.min(r.max_cost, r.budget) : r.budget;

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBad('');
    setError(null);
    setDone('');
    const cost = parseAmount(costText, digits);
    const problem = !title.trim()
      ? t('budget.bad.projectTitle')
      : cost === null || cost <= 0n || cost > big(ceiling)
        ? t('budget.bad.cost', { amount: fmt(ceiling) })
        : '';
    if (problem || cost === null) {
      setBad(problem);
      return;
    }
    setBusy(true);
    try {
      const body = { title: title.trim(), cost: Number(cost), payee_org_id: Number(payee) } as {
        title: string;
        cost: number;
        payee_org_id: number;
        description?: string;
      };
      if (description.trim()) body.description = description.trim();
      const p = await budgetApi.submitProject(r.id, body);
      setTitle('');
      setDescription('');
      setCostText('');
      setDone(t('budget.submitted', { title: p.title }));
      onSubmitted();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="form card" onSubmit={submit} noValidate aria-labelledby="submit-project-title" data-testid="submit-project-form">
      <h2 id="submit-project-title">{t('budget.submitProject')}</h2>
      <p class="hint">{t('budget.submitHint', { when: formatWhen(r.submission_closes_at, formatLocale) })}</p>
      <Field id="bp-title" label={t('budget.projectTitle')}>
        <input id="bp-title" required maxLength={MAX_TITLE} value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
      </Field>
      <Field id="bp-desc" label={t('budget.description')}>
        <textarea id="bp-desc" rows={4} maxLength={MAX_TEXT} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
      </Field>
      <Field id="bp-cost" label={t('budget.costIn', { currency: r.currency })} hint={t('budget.atMost', { amount: fmt(ceiling) })}>
        <input id="bp-cost" inputMode="decimal" required value={costText} onInput={(e) => setCostText(e.currentTarget.value)} />
      </Field>
      <Field id="bp-payee" label={t('budget.payeeLabel')} hint={t('budget.payeeHint')}>
        <select id="bp-payee" value={payee} onChange={(e) => setPayee(e.currentTarget.value)}>
          {(payees.data ?? [{ id: r.org.id, name: r.org.name }]).map((o) => (
            <option key={o.id} value={String(o.id)}>
              {o.name}
            </option>
          ))}
        </select>
      </Field>
      {bad && (
        <p class="alert alert-error" role="alert">
          {bad}
        </p>
      )}
      {error !== null && <BudgetError error={error} />}
      {done && <Notice>{done}</Notice>}
      <button type="submit" class="btn btn-primary" disabled={busy}>
        {t('budget.submitGo')}
      </button>
    </form>
  );
}

// ---- the ballot

function BallotForm({ r, projects, onSaved }: { r: BudgetRound; projects: BudgetProject[]; onSaved: () => void }) {
  const { t, formatLocale } = useI18n();
  const { fmt } = useMoney(r.currency);
  const eligible = projects.filter((p) => p.state !== 'ineligible' && p.state !== 'withdrawn');
  const saved = r.my_ballot;
  const savedKey = JSON.stringify(saved?.items ?? []);
  const fromSaved = () => {
    const m = new Map<number, number>();
    for (const it of saved?.items ?? []) m.set(it.project_id, it.points);
    return m;
  };
  const [marks, setMarks] = useState<Map<number, number>>(fromSaved);
  const [texts, setTexts] = useState<Record<number, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  useEffect(() => {
    setMarks(fromSaved());
    setTexts({});
  }, [savedKey]);

  const points = r.ballot === 'points';
  const chosen = useMemo(() => new Set([...marks].filter(([, v]) => v > 0).map(([k]) => k)), [marks]);
  const cost = costOf(eligible, chosen);
  const budget = big(r.budget);
  const used = [...marks.values()].reduce((a, b) => a + b, 0);
  const left = r.points_total - used;
  const full = !points && r.max_approvals > 0 && chosen.size >= r.max_approvals;
  const badPoints = points && (left < 0 || Object.values(texts).some((s) => parsePoints(s, r.points_total) === null));

  const setMark = (id: number, v: number) => {
    const m = new Map(marks);
    if (v > 0) m.set(id, v);
    else m.delete(id);
    setMarks(m);
    setNotice('');
  };

  const save = async (items: { project_id: number; points?: number }[], message: string) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    setNotice('');
    try {
      await budgetApi.castBallot(r.id, items);
      setNotice(message);
      onSaved();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const submit = (e: Event) => {
    e.preventDefault();
    if (badPoints) return;
    const items = eligible
      .filter((p) => chosen.has(p.id))
      .map((p) => (points ? { project_id: p.id, points: marks.get(p.id) ?? 0 } : { project_id: p.id }));
    void save(items, items.length ? t('budget.ballotSaved') : t('budget.ballotEmptied'));
  };

  const savedNames = (saved?.items ?? [])
    .map((it) => {
      const p = projects.find((x) => x.id === it.project_id);
      const name = p?.title ?? `#${it.project_id}`;
      return points ? t('budget.withPoints', { name, n: it.points }) : name;
    })
    .join(', ');

  return (
    <form class="form card ballot" onSubmit={submit} noValidate aria-labelledby="ballot-title" data-testid="budget-ballot">
      <h2 id="ballot-title">{t('budget.yourBallot')}</h2>
      {saved?.voted && (
        <p class="small" data-testid="saved-ballot">
          {t('budget.savedBallot', { items: savedNames || '—' })}
        </p>
      )}
      <fieldset class={points ? 'scores' : 'marks'}>
        <legend>
          {points
            ? t('budget.spreadPoints', { n: r.points_total.toLocaleString(formatLocale) })
            : r.max_approvals > 0
              ? t('budget.approveUpTo', { n: r.max_approvals })
              : t('budget.approveAny')}
        </legend>
        {points ? (
          <p class="budget" aria-live="polite" data-testid="points-left" data-left={left}>
            {t('budget.pointsLeft', { n: left.toLocaleString(formatLocale), total: r.points_total.toLocaleString(formatLocale) })}
          </p>
        ) : (
          <div aria-live="polite" data-testid="running-total" data-minor={cost.toString()}>
            <p class="budget" style={{ margin: 0 }}>
              {t('budget.runningTotal', { n: chosen.size, cost: fmt(cost), budget: fmt(budget) })}
            </p>
            <Meter used={cost} whole={budget} over={cost > budget} />
            {cost > budget && <p class="small">{t('budget.overBudget')}</p>}
          </div>
        )}
        {eligible.map((p) =>
          points ? (
            <div key={p.id} class="stepper" data-project-id={p.id}>
              <label for={`pts-${p.id}`} class="stepper-label">
                {p.title}{' '}
                <span class="small muted" style={NORMAL}>
                  {fmt(p.cost)}
                </span>
              </label>
              <div class="stepper-row">
                <button
                  type="button"
                  class="btn btn-small step-btn"
                  aria-label={t('ballot.less', { name: p.title })}
                  disabled={(marks.get(p.id) ?? 0) <= 0}
                  onClick={() => {
                    setTexts({ ...texts, [p.id]: '' });
                    setMark(p.id, (marks.get(p.id) ?? 0) - 1);
                  }}
                >
                  −
                </button>
                <input
                  id={`pts-${p.id}`}
                  class="step-input"
                  inputMode="numeric"
                  value={texts[p.id] ? texts[p.id] : String(marks.get(p.id) ?? 0)}
                  onInput={(e) => {
                    const s = e.currentTarget.value;
                    setTexts({ ...texts, [p.id]: s });
                    const v = parsePoints(s, r.points_total);
                    if (v !== null) setMark(p.id, v);
                  }}
                  onBlur={() => setTexts({ ...texts, [p.id]: '' })}
                />
                <button
                  type="button"
                  class="btn btn-small step-btn"
                  aria-label={t('ballot.more', { name: p.title })}
                  disabled={left <= 0}
                  onClick={() => {
                    setTexts({ ...texts, [p.id]: '' });
                    setMark(p.id, (marks.get(p.id) ?? 0) + 1);
                  }}
                >
                  +
                </button>
              </div>
              <ProjectText p={p} />
            </div>
          ) : (
            <div key={p.id} data-project-id={p.id}>
              <label class="mark">
                <input
                  type="checkbox"
                  checked={chosen.has(p.id)}
                  disabled={!chosen.has(p.id) && full}
                  onChange={(e) => setMark(p.id, e.currentTarget.checked ? 1 : 0)}
                />
                <span style={{ flex: '1 1 auto' }}>
                  {p.title}
                  <br />
                  <span class="small muted" style={NORMAL}>
                    {t('budget.payee', { name: p.payee.name })}
                  </span>
                </span>
                <span style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>{fmt(p.cost)}</span>
              </label>
              <ProjectText p={p} />
            </div>
          ),
        )}
      </fieldset>
      {points && left < 0 && (
        <p class="alert alert-error" role="alert">
          {t('budget.tooManyPoints', { n: r.points_total.toLocaleString(formatLocale) })}
        </p>
      )}
      {error !== null && <BudgetError error={error} />}
      {notice && <Notice>{notice}</Notice>}
      <p style={{ display: 'flex', gap: '0.5rem', flexWrap: 'wrap' }}>
        <button type="submit" class="btn btn-primary" disabled={busy || badPoints}>
          {t('budget.saveBallot')}
        </button>
        {saved?.voted && (
          <button type="button" class="btn" disabled={busy} onClick={() => void save([], t('budget.ballotEmptied'))}>
            {t('budget.withdrawBallot')}
          </button>
        )}
      </p>
      <p class="hint">{t('budget.ballotHint', { when: formatWhen(r.voting_closes_at, formatLocale) })}</p>
    </form>
  );
}

// ---- the result

function groupsText(
  f: FundedProject,
  t: ReturnType<typeof useI18n>['t'],
  fmt: (v: number | bigint) => string,
  formatLocale: string,
): string {
  if (f.paid_by.length === 0) return plural(t, 'budget.byVotes', f.votes, formatLocale);
  return f.paid_by.map((g) => plural(t, 'budget.paidByGroup', g.voters, formatLocale, { share: fmt(shareMinor(g.share)) })).join('; ');
}

// One bar per funded project, as long as its cost against the dearest one,
// split into the groups of voters who paid equal shares (share × voters).
function FundedChart({ res, currency }: { res: BudgetResult; currency: string }) {
  const { t, formatLocale } = useI18n();
  const { fmt } = useMoney(currency);
  const funded = [...res.funded].sort((a, b) => a.order - b.order);
  const widest = funded.reduce((m, f) => (big(f.cost) > m ? big(f.cost) : m), 1n);
  const W = 300;
  return (
    <figure class="card" data-testid="funded-chart" style={{ margin: '0 0 1rem' }}>
      <figcaption>
        <strong>{t('budget.chartTitle')}</strong>
        <br />
        <span class="small muted">{t('budget.chartHint')}</span>
      </figcaption>
      <ol style={{ listStyle: 'none', padding: 0, margin: '0.5rem 0 0' }}>
        {funded.map((f) => {
          let cursor = 0n;
          const desc = `${f.title}: ${fmt(f.cost)}. ${groupsText(f, t, fmt, formatLocale)}`;
          return (
            <li key={f.project_id} data-project-id={f.project_id} data-testid="funded-bar" style={{ padding: '0.35rem 0' }}>
              <p style={{ display: 'flex', justifyContent: 'space-between', gap: '0.75rem', margin: 0 }}>
                <span>
                  {f.order}. {f.title}
                </span>
                <span style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>{fmt(f.cost)}</span>
              </p>
              <svg
                viewBox={`0 0 ${W} 14`}
                role="img"
                aria-label={desc}
                preserveAspectRatio="none"
                style={{ display: 'block', width: '100%', height: '0.9rem', margin: '0.2rem 0' }}
              >
                <rect x="0" y="0" width={W * fraction(big(f.cost), widest)} height="14" rx="3" fill="var(--line)" />
                {f.paid_by.length === 0 && (
                  <rect x="0" y="0" width={W * fraction(big(f.cost), widest)} height="14" rx="3" fill={GROUP_COLORS[0]} />
                )}
                {f.paid_by.map((g, k) => {
                  // Exact integer sums, turned into positions only for drawing.
                  const x = W * fraction(cursor, widest * SHARE_SCALE);
                  cursor += groupTotal(g);
                  const x2 = W * fraction(cursor, widest * SHARE_SCALE);
                  return (
                    <rect
                      key={k}
                      x={x}
                      y="0"
                      width={Math.max(0, x2 - x)}
                      height="14"
                      fill={GROUP_COLORS[k % GROUP_COLORS.length]}
                      stroke="var(--surface)"
                      stroke-width="0.5"
                      data-voters={g.voters}
                      data-share={g.share}
                    >
                      <title>{plural(t, 'budget.paidByGroup', g.voters, formatLocale, { share: fmt(shareMinor(g.share)) })}</title>
                    </rect>
                  );
                })}
              </svg>
              {f.paid_by.length > 0 ? (
                <ul class="chart-legend small">
                  {f.paid_by.map((g, k) => (
                    <li key={k} style={{ display: 'flex', gap: '0.4rem', alignItems: 'baseline' }}>
                      <Swatch color={GROUP_COLORS[k % GROUP_COLORS.length]} />
                      <span>{plural(t, 'budget.paidByGroup', g.voters, formatLocale, { share: fmt(shareMinor(g.share)) })}</span>
                    </li>
                  ))}
                </ul>
              ) : (
                <p class="small muted" style={{ margin: 0 }}>
                  {plural(t, 'budget.byVotes', f.votes, formatLocale)}
                </p>
              )}
            </li>
          );
        })}
      </ol>
    </figure>
  );
}

function FundedTable({ res, currency }: { res: BudgetResult; currency: string }) {
  const { t, formatLocale } = useI18n();
  const { fmt } = useMoney(currency);
  const funded = [...res.funded].sort((a, b) => a.order - b.order);
  return (
    <details class="card" style={{ margin: '0 0 1rem' }} data-testid="funded-table">
      <summary>{t('budget.asTable')}</summary>
      <div class="table-scroll">
        <table class="rows">
          <caption class="sr-only">{t('budget.funded')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('budget.project')}</th>
              <th scope="col" class="num">
                {t('budget.cost')}
              </th>
              <th scope="col" class="num">
                {t('budget.supporters')}
              </th>
              <th scope="col">{t('budget.whoPaid')}</th>
            </tr>
          </thead>
          <tbody>
            {funded.map((f) => (
              <tr key={f.project_id} data-project-id={f.project_id}>
                <th scope="row">
                  <div style={WIDE}>
                    {f.order}. {f.title}
                  </div>
                </th>
                <td class="num" data-label={t('budget.cost')}>
                  <span>{fmt(f.cost)}</span>
                </td>
                <td class="num" data-label={t('budget.supporters')}>
                  <span>{f.supporters.toLocaleString(formatLocale)}</span>
                </td>
                <td class="small" data-label={t('budget.whoPaid')}>
                  <span>
                    {f.paid_by.length === 0
                      ? plural(t, 'budget.byVotes', f.votes, formatLocale)
                      : f.paid_by.map((g, k) => (
                          <span key={k} style={{ display: 'block' }}>
                            {t('budget.groupCell', { n: g.voters.toLocaleString(formatLocale), share: fmt(shareMinor(g.share)) })}
                          </span>
                        ))}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

function UnfundedList({ res, currency }: { res: BudgetResult; currency: string }) {
  const { t } = useI18n();
  const { fmt } = useMoney(currency);
  if (res.unfunded.length === 0) return null;
  return (
    <section aria-labelledby="unfunded-title">
      <h2 id="unfunded-title">{t('budget.unfunded')}</h2>
      <ul class="gov-list" data-testid="unfunded">
        {res.unfunded.map((u) => {
          const key = `budget.reason.${u.code}` as Parameters<typeof t>[0];
          const label = t(key);
          return (
            <li key={u.project_id} class="card" data-project-id={u.project_id} data-code={u.code}>
              <p style={{ display: 'flex', justifyContent: 'space-between', gap: '0.75rem', margin: 0 }}>
                <strong>{u.title}</strong>
                <span style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>{fmt(u.cost)}</span>
              </p>
              <p class="small muted" style={{ margin: '0.2rem 0' }}>
                {t('budget.supportVotes', { supporters: u.supporters, votes: u.votes })}
              </p>
              <p class="small" style={{ margin: 0 }}>
                {label !== key ? label : u.reason}
                {label !== key && u.reason && <span class="muted"> ({u.reason})</span>}
              </p>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

// The org's proposals on this round's decision (first pages of its current
// and past proposals, those in the budget domain read one by one).
async function decisionProposals(orgId: number, subject: string): Promise<Proposal[]> {
  const [current, past] = await Promise.all([
    governance.proposals(orgId, '', 'current').catch(() => ({ items: [] })),
    governance.proposals(orgId, '', 'past').catch(() => ({ items: [] })),
  ]);
  const candidates = [...current.items, ...past.items].filter((p) => p.domain === DECISION_DOMAIN).slice(0, 10);
  const full = await Promise.all(candidates.map((p) => governance.proposal(p.id).catch(() => null)));
  return full.filter((p): p is Proposal => p !== null && p.decision?.subject === subject);
}

function DecisionAndPayout({ r, res, onPaid }: { r: BudgetRound; res: BudgetResult; onPaid: () => void }) {
  const { t } = useI18n();
  const { me } = useSession();
  const { fmt } = useMoney(r.currency);
  const subject = res.decision?.subject ?? decisionSubject(r.id);
  const domain = res.decision?.domain ?? DECISION_DOMAIN;
  const found = useAsync(() => decisionProposals(r.org.id, subject).catch(() => [] as Proposal[]), [r.org.id, subject]);
  const passed = (found.data ?? []).find((p) => p.decision?.status === 'passed' || p.status === 'passed');
  const [decision, setDecision] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (passed && !decision) setDecision(String(passed.decision_id));
  }, [passed?.decision_id]);
  const decisionId = /^\d{1,15}$/.test(decision.trim()) ? Number(decision.trim()) : null;
  const newUrl = `/orgs/${r.org.id}/proposals/new?domain=${encodeURIComponent(domain)}&subject=${encodeURIComponent(subject)}`;

  const pay = async () => {
    if (busy || decisionId === null) return;
    setBusy(true);
    setError(null);
    try {
      await budgetApi.payout(r.id, decisionId);
      setConfirming(false);
      onPaid();
    } catch (err) {
      setError(err);
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="decision-title" data-testid="decision-needed" style={{ margin: '0 0 1rem' }}>
      <h2 id="decision-title">{t('budget.decisionTitle')}</h2>
      <p>{t('budget.decisionText', { org: r.org.name })}</p>
      <dl class="facts compact">
        <div>
          <dt>{t('budget.decisionDomain')}</dt>
          <dd>
            <code data-testid="decision-domain">{domain}</code>
          </dd>
        </div>
        <div>
          <dt>{t('budget.decisionSubject')}</dt>
          <dd>
            <code data-testid="decision-subject">{subject}</code>
          </dd>
        </div>
      </dl>
      {(found.data ?? []).length > 0 && (
        <ul class="small" data-testid="decision-proposals">
          {(found.data ?? []).map((p) => (
            <li key={p.id}>
              <a href={`/proposals/${p.id}`}>{p.title}</a> · {t('budget.decisionStatus', { status: p.decision?.status ?? p.status, id: p.decision_id })}
            </li>
          ))}
        </ul>
      )}
      {me && !passed && (
        <p>
          <a class="btn" href={newUrl}>
            {t('budget.proposeDecision')}
          </a>
        </p>
      )}
      {r.can.manage && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (decisionId !== null) setConfirming(true);
          }}
          data-testid="payout-form"
        >
          <h3 class="h3">{t('budget.payout')}</h3>
          <p class="hint">{t('budget.payoutHint', { amount: fmt(res.spent) })}</p>
          <Field id="payout-decision" label={t('budget.decisionId')} hint={passed ? t('budget.decisionFound', { title: passed.title }) : undefined}>
            <input id="payout-decision" inputMode="numeric" required value={decision} onInput={(e) => setDecision(e.currentTarget.value)} />
          </Field>
          {!confirming ? (
            <button type="submit" class="btn btn-primary" disabled={busy || decisionId === null || res.funded.length === 0}>
              {t('budget.payoutButton')}
            </button>
          ) : (
            <div class="alert alert-info" role="alert">
              <p>{t('budget.payoutConfirm', { amount: fmt(res.spent) })}</p>
              <p style={{ display: 'flex', gap: '0.5rem', flexWrap: 'wrap' }}>
                <button type="button" class="btn btn-primary" disabled={busy} onClick={() => void pay()}>
                  {t('budget.payoutYes')}
                </button>
                <button type="button" class="btn" onClick={() => setConfirming(false)}>
                  {t('common.cancel')}
                </button>
              </p>
            </div>
          )}
          {error !== null && <BudgetError error={error} />}
        </form>
      )}
    </section>
  );
}

function PaidList({ r, res, projects }: { r: BudgetRound; res: BudgetResult; projects: BudgetProject[] }) {
  const { t, formatLocale } = useI18n();
  const { fmt } = useMoney(r.currency);
  if (res.paid.length === 0) return null;
  const byId = new Map(projects.map((p) => [p.id, p]));
  const title = (id: number) => res.funded.find((f) => f.project_id === id)?.title ?? byId.get(id)?.title ?? `#${id}`;
  const cost = (id: number) => res.funded.find((f) => f.project_id === id)?.cost ?? byId.get(id)?.cost ?? 0;
  return (
    <section aria-labelledby="paid-title" data-testid="paid">
      <h2 id="paid-title">{t('budget.paidTitle')}</h2>
      <p class="small">
        {t('budget.paidText', { when: formatWhen(r.paid_at, formatLocale), id: res.decision_id ?? r.decision_id ?? '—' })}
      </p>
      <div class="table-scroll">
        <table class="rows">
          <thead>
            <tr>
              <th scope="col">{t('budget.project')}</th>
              <th scope="col">{t('budget.payeeLabel')}</th>
              <th scope="col" class="num">
                {t('budget.amount')}
              </th>
            </tr>
          </thead>
          <tbody>
            {res.paid.map((x) => (
              <tr key={x.project_id} data-project-id={x.project_id} data-transfer-id={x.transfer_id}>
                <th scope="row">
                  <div style={WIDE}>{title(x.project_id)}</div>
                </th>
                <td data-label={t('budget.payeeLabel')}>
                  <span>{byId.get(x.project_id)?.payee.name ?? '—'}</span>
                </td>
                <td class="num" data-label={t('budget.amount')}>
                  <span>
                    {fmt(cost(x.project_id))}
                    <br />
                    <span class="small muted">{t('budget.transfer', { id: x.transfer_id })}</span>
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function ResultView({
  r,
  res,
  projects,
  onPaid,
}: {
  r: BudgetRound;
  res: BudgetResult;
  projects: BudgetProject[];
  onPaid: () => void;
}) {
  const { t, formatLocale } = useI18n();
  const { fmt } = useMoney(r.currency);
  return (
    <section aria-labelledby="result-title" data-testid="budget-result">
      <h2 id="result-title">{t('budget.result')}</h2>
      <div class="card" style={{ margin: '0 0 1rem' }}>
        <p style={{ margin: 0 }} data-testid="spent" data-minor={res.spent}>
          {plural(t, 'budget.spentOf', res.funded.length, formatLocale, { spent: fmt(res.spent), budget: fmt(res.budget) })}
        </p>
        <Meter used={big(res.spent)} whole={big(res.budget)} />
        <p class="small muted" style={{ margin: 0 }}>
          {methodLabel(t, res.method)}
          {res.method === 'equal-shares' ? ` · ${completionLabel(t, res.completion)} · ${utilityLabel(t, res.utility)}` : ''}
          {' · '}
          {plural(t, 'budget.votersN', res.voters, formatLocale)}
        </p>
      </div>
      {res.funded.length > 0 ? (
        <>
          <FundedChart res={res} currency={r.currency} />
          <FundedTable res={res} currency={r.currency} />
        </>
      ) : (
        <p class="muted">{t('budget.noneFunded')}</p>
      )}
      <UnfundedList res={res} currency={r.currency} />
      {r.phase !== 'paid' && r.phase !== 'cancelled' && res.paid.length === 0 && res.funded.length > 0 && (
        <DecisionAndPayout r={r} res={res} onPaid={onPaid} />
      )}
      <PaidList r={r} res={res} projects={projects} />
    </section>
  );
}

// ---- managing a round

function ConfirmButton({
  label,
  question,
  yes,
  danger,
  onConfirm,
}: {
  label: string;
  question: string;
  yes: string;
  danger?: boolean;
  onConfirm: () => Promise<void>;
}) {
  const { t } = useI18n();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!asking) {
    return (
      <button type="button" class={`btn${danger ? ' btn-danger-ghost' : ''}`} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <div class="alert alert-info" role="alert" style={{ width: '100%' }}>
      <p>{question}</p>
      <p style={{ display: 'flex', gap: '0.5rem', flexWrap: 'wrap' }}>
        <button
          type="button"
          class={`btn ${danger ? 'btn-danger' : 'btn-primary'}`}
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            try {
              await onConfirm();
            } finally {
              setBusy(false);
              setAsking(false);
            }
          }}
        >
          {yes}
        </button>
        <button type="button" class="btn" onClick={() => setAsking(false)}>
          {t('common.cancel')}
        </button>
      </p>
    </div>
  );
}

function ManageRound({ r, onChanged }: { r: BudgetRound; onChanged: () => void }) {
  const { t } = useI18n();
  const [error, setError] = useState<unknown>(null);
  const run = (fn: () => Promise<unknown>) => async () => {
    setError(null);
    try {
      await fn();
      onChanged();
    } catch (err) {
      setError(err);
    }
  };
  const live = r.phase === 'submission' || r.phase === 'voting' || r.phase === 'counting';
  if (!r.can.manage || !live) return null;
  return (
    <section class="card" aria-labelledby="manage-title" style={{ margin: '1rem 0' }} data-testid="manage-round">
      <h2 id="manage-title">{t('budget.manage')}</h2>
      <div style={{ display: 'flex', gap: '0.5rem', flexWrap: 'wrap' }}>
        {r.phase === 'submission' && r.projects_count > 0 && (
          <ConfirmButton
            label={t('budget.startVoting')}
            question={t('budget.startVotingConfirm', { n: r.projects_count })}
            yes={t('budget.startVotingYes')}
            onConfirm={run(() => budgetApi.startVoting(r.id))}
          />
        )}
        <ConfirmButton
          label={t('budget.cancelRound')}
          question={t('budget.cancelConfirm')}
          yes={t('budget.cancelYes')}
          danger
          onConfirm={run(() => budgetApi.cancel(r.id))}
        />
      </div>
      {error !== null && <BudgetError error={error} />}
    </section>
  );
}

function TallyBox({ r, onTallied }: { r: BudgetRound; onTallied: () => void }) {
  const { t, formatLocale } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <section class="card" aria-labelledby="counting-title" data-testid="counting" style={{ margin: '0 0 1rem' }}>
      <h2 id="counting-title">{t('budget.votingClosed')}</h2>
      <p>{t('budget.votingClosedText', { when: formatWhen(r.voting_closes_at, formatLocale), n: r.voters })}</p>
      {r.can.manage && (
        <button
          type="button"
          class="btn btn-primary"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            setError(null);
            try {
              await budgetApi.tally(r.id);
              onTallied();
            } catch (err) {
              setError(err);
            } finally {
              setBusy(false);
            }
          }}
        >
          {busy ? t('budget.counting') : t('budget.tally')}
        </button>
      )}
      {error !== null && <BudgetError error={error} />}
    </section>
  );
}

// ---- a round's page

export function BudgetRoundPage({ id }: { id: string }) {
  const roundId = Number(id);
  const { t } = useI18n();
  const { me } = useSession();
  const round = useAsync(() => budgetApi.round(roundId), [roundId, me?.account.id]);
  const r = round.data;
  const org = useAsync(async () => (r ? endpoints.org(r.org.id) : null), [r?.org.id]);
  const projects = useAsync(() => budgetApi.projects(roundId), [roundId]);
  const counted = !!r && (r.phase === 'tallied' || r.phase === 'paid' || r.tallied_at !== null);
  const result = useAsync(
    async () => (counted ? budgetApi.result(roundId) : null),
    [roundId, counted, r?.paid_at, r?.decision_id],
  );
  usePageTitle(r ? r.title : t('budget.title'));

  if (round.loading && !r) return <Loading />;
  if (round.error !== undefined || !r) return <ErrorBox error={round.error} onRetry={round.reload} />;
  const refresh = () => {
    round.reload();
    projects.reload();
  };
  const list = projects.data ?? [];
  const path = org.data ? [...org.data.path, { id: org.data.id, name: org.data.name }] : [{ id: r.org.id, name: r.org.name }];
  const projectList = (
    <section aria-labelledby="projects-title" aria-busy={projects.loading}>
      <h2 id="projects-title">{t('budget.projectsTitle', { n: list.length })}</h2>
      {projects.loading && !projects.data && <Loading />}
      {projects.error !== undefined && <ErrorBox error={projects.error} onRetry={projects.reload} />}
      {projects.data && <ProjectList projects={list} r={r} onChanged={refresh} />}
    </section>
  );

  return (
    <article class="budget-round" data-round-id={r.id} data-phase={r.phase} data-state={r.state}>
      <Breadcrumbs path={path} />
      <p class="small">
        <a href={`/orgs/${r.org.id}/budget`}>{t('budget.roundsOf', { name: r.org.name })}</a>
      </p>
      <PageHeading>{r.title}</PageHeading>
      <p>
        <PhaseBadge phase={r.phase} />
      </p>
      {r.description && (
        <p class="proposal-text" style={{ whiteSpace: 'pre-wrap' }}>
          {r.description}
        </p>
      )}
      <RoundFacts r={r} />

      {r.phase === 'cancelled' && <p class="alert alert-info">{t('budget.cancelled')}</p>}

      {r.phase === 'submission' && projectList}
      {r.phase === 'submission' && r.can.submit && <SubmitProjectForm r={r} org={org.data ?? null} onSubmitted={refresh} />}
      {r.phase === 'submission' && !r.can.submit && (
        <p class="muted">{me ? t('budget.onlyMembersSubmit', { name: r.org.name }) : t('budget.loginToSubmit')}</p>
      )}

      {r.phase === 'voting' && r.can.vote && projects.data && (
        <BallotForm r={r} projects={list} onSaved={() => round.reload()} />
      )}
      {r.phase === 'voting' && !r.can.vote && (
        <p class="muted">{me ? t('budget.onlyMembersVote', { name: r.org.name }) : t('budget.loginToVote')}</p>
      )}

      {r.phase === 'counting' && <TallyBox r={r} onTallied={refresh} />}

      {counted && result.loading && !result.data && <Loading />}
      {counted && result.error !== undefined && <ErrorBox error={result.error} onRetry={result.reload} />}
      {counted && result.data && <ResultView r={r} res={result.data} projects={list} onPaid={refresh} />}

      <ManageRound r={r} onChanged={refresh} />

      {!(r.phase === 'voting' && r.can.vote) && !counted && r.phase !== 'submission' && projectList}
      {r.phase === 'voting' && r.can.vote && projects.error !== undefined && (
        <ErrorBox error={projects.error} onRetry={projects.reload} />
      )}
    </article>
  );
}
