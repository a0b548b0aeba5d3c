// One proposal: its text, status, dates and rule in words; the ballot while
// voting is open (and the receipt after a secret ballot); the results once
// they may be seen; candidates of an election; the discussion; links to its
// amendments and stages; and the author's or coordinator's actions.
import { useState } from 'preact/hooks';
import {
  ApiError,
  endpoints,
  governance,
  type Ballot,
  type CastAnswer,
  type Org,
  type Proposal,
} from '../api';
import { useI18n } from '../i18n';
import { canManage, useSession } from '../session';
import { Breadcrumbs, ErrorBox, Loading, Notice, PageHeading, useAsync, usePageTitle } from '../ui';
import { BallotForm, ReceiptCheckForm, ReceiptPanel, ballotWords, optionNames } from './ballot';
import { ProposalStatusBadge } from './governance';
import { domainLabel, formatDateTime, howWords, ruleDetails } from './gov_words';
import { ResultsView } from './results';

const COUNTED = new Set(['passed', 'rejected', 'no_quorum']);

function Facts({ p }: { p: Proposal }) {
  const { t, formatLocale } = useI18n();
  const row = (label: string, value: string, testid?: string) => (
    <div>
      <dt>{label}</dt>
      <dd data-testid={testid}>{value}</dd>
    </div>
  );
  return (
    <dl class="facts card">
      {row(t('proposal.body'), p.body?.name ?? '')}
      {row(t('proposal.domain'), domainLabel(t, p.domain))}
      {p.status !== 'draft' && row(t('proposal.votingOpens'), formatDateTime(p.voting_opens_at, formatLocale))}
      {p.status !== 'draft' && row(t('proposal.votingCloses'), formatDateTime(p.voting_closes_at, formatLocale))}
      {p.author && row(t('proposal.author'), p.author.name)}
      {p.turnout &&
        p.status !== 'draft' &&
        p.status !== 'open' &&
        row(
          t('proposal.turnout'),
          t('proposal.turnoutValue', {
            voters: p.turnout.voters.toLocaleString(formatLocale),
            eligible: p.turnout.eligible_count.toLocaleString(formatLocale),
          }),
        )}
      <div class="wide">
        <dt>{t('proposal.rule')}</dt>
        <dd data-testid="rule">
          {howWords(t, p.method, p.rule, p.seats, formatLocale)}; {ruleDetails(t, p.rule, formatLocale).join(', ')}.
        </dd>
      </div>
    </dl>
  );
}

function Comments({ p, canWrite }: { p: Proposal; canWrite: boolean }) {
  const { t, errorText, formatLocale } = useI18n();
  const list = useAsync(() => governance.comments(p.id), [p.id]);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    const s = text.trim();
    if (!s) return;
    setBusy(true);
    setError(null);
    try {
      await governance.addComment(p.id, s);
      setText('');
      list.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="comments-title" class="comments">
      <h2 id="comments-title">{t('comments.title')}</h2>
      {list.loading && !list.data && <Loading />}
      {list.error !== undefined && <ErrorBox error={list.error} onRetry={list.reload} />}
      {list.data && list.data.items.length === 0 && <p class="muted">{t('comments.none')}</p>}
      {list.data && list.data.items.length > 0 && (
        <ol class="comment-list">
          {list.data.items.map((c) => (
            <li key={c.id} class="card comment">
              <p class="small">
                <strong>{c.name}</strong> <span class="muted">· {formatDateTime(c.created_at, formatLocale)}</span>
              </p>
              <p class="comment-text">{c.text}</p>
            </li>
          ))}
        </ol>
      )}
      {canWrite && (
        <form class="card form" onSubmit={submit}>
          {error !== null && (
            <div class="alert alert-error" role="alert">
              {errorText(error)}
            </div>
          )}
          <div class="field">
            <label for="comment-text">{t('comments.add')}</label>
            <textarea
              id="comment-text"
              rows={3}
              maxLength={5000}
              value={text}
              onInput={(e) => setText(e.currentTarget.value)}
            />
          </div>
          <button type="submit" class="btn" disabled={busy || !text.trim()}>
            {busy ? t('comments.busy') : t('comments.submit')}
          </button>
        </form>
      )}
    </section>
  );
}

function Candidates({ p, canStand, onChange }: { p: Proposal; canStand: boolean; onChange: () => void }) {
  const { t, errorText } = useI18n();
  const [statement, setStatement] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const list = p.candidates ?? [];
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await governance.stand(p.id, statement.trim());
      setStatement('');
      onChange();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="candidates-title">
      <h2 id="candidates-title">{t('candidates.title')}</h2>
      {list.length === 0 && <p class="muted">{t('candidates.none')}</p>}
      <ul class="gov-list">
        {list.map((c) => (
          <li key={c.id} class="card candidate">
            <strong>{c.name}</strong>
            {c.chamber && <span class="muted small"> · {c.chamber}</span>}
            {c.statement && <p class="comment-text">{c.statement}</p>}
          </li>
        ))}
      </ul>
      {canStand && (
        <form class="card form" onSubmit={submit}>
          {error !== null && (
            <div class="alert alert-error" role="alert">
              {errorText(error, { duplicate: t('candidates.already') })}
            </div>
          )}
          <div class="field">
            <label for="stand-statement">{t('candidates.statement')}</label>
            <textarea
              id="stand-statement"
              rows={3}
              maxLength={5000}
              value={statement}
              onInput={(e) => setStatement(e.currentTarget.value)}
            />
          </div>
          <button type="submit" class="btn" disabled={busy}>
            {t('candidates.stand')}
          </button>
        </form>
      )}
    </section>
  );
}

function Actions({ p, onDone }: { p: Proposal; onDone: (msg: string) => void }) {
  const { t, errorText } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const act = async (fn: () => Promise<unknown>, msg: string) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      onDone(msg);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const canOpen = p.status === 'draft';
  const canWithdraw = p.status === 'draft' || p.status === 'open';
  const canClose = p.status === 'closed';
  if (!canOpen && !canWithdraw && !canClose) return null;
  return (
    <section class="card manage" aria-labelledby="actions-title">
      <h2 id="actions-title">{t('proposal.actions')}</h2>
      {error !== null && (
        <div class="alert alert-error" role="alert">
          {errorText(error)}
        </div>
      )}
      <div class="actions">
        {canOpen && (
          <button type="button" class="btn btn-primary" disabled={busy} onClick={() => act(() => governance.open(p.id), t('proposal.opened'))}>
            {t('proposal.open')}
          </button>
        )}
        {canClose && (
          <button type="button" class="btn btn-primary" disabled={busy} onClick={() => act(() => governance.close(p.id), t('proposal.closedMsg'))}>
            {t('proposal.close')}
          </button>
        )}
        {canWithdraw && (
          <button type="button" class="btn btn-danger-ghost" disabled={busy} onClick={() => act(() => governance.withdraw(p.id), t('proposal.withdrawn'))}>
            {t('proposal.withdraw')}
          </button>
        )}
      </div>
    </section>
  );
}

function VotePanel({ p, org, onCast }: { p: Proposal; org: Org; onCast: () => void }) {
  const { t, formatLocale } = useI18n();
  const { me } = useSession();
  const mine = useAsync(async () => (me ? governance.myVote(p.id) : null), [p.id, me?.account.id]);
  const [cast, setCast] = useState<{ answer: CastAnswer; ballot: Ballot } | null>(null);
  // Whose ballot this is: 0 for one's own, else the grantor of a proxy held.
  const [forWhom, setForWhom] = useState(0);

  if (p.status !== 'voting' && p.status !== 'open') return null;
  if (!me) {
    return (
      <p class="card">
        <a class="btn btn-primary" href={`/login?next=${encodeURIComponent(`/proposals/${p.id}`)}`}>
          {t('ballot.loginFirst')}
        </a>
      </p>
    );
  }
  if (mine.loading && !mine.data) return <Loading />;
  if (mine.error !== undefined) return <ErrorBox error={mine.error} onRetry={mine.reload} />;
  const v = mine.data;
  if (!v) return null;
  const proxies = (v.proxies_held ?? []).filter((x) => !x.voted);
  if (cast) {
    return (
      <>
        <Notice>{t('ballot.recorded')}</Notice>
        {cast.answer.secret && cast.answer.receipt ? (
          <>
            <ReceiptPanel code={cast.answer.receipt} />
            <ReceiptCheckForm p={p} initial={cast.answer.receipt} />
          </>
        ) : (
          <p class="card" data-testid="open-ballot">
            {t('ballot.yourVote', { ballot: ballotWords(t, p, cast.answer.ballot ?? cast.ballot, formatLocale) })}
          </p>
        )}
        {(proxies.length > 0 || (v.can_vote_now && !v.voted)) && (
          <p>
            <button
              type="button"
              class="btn"
              onClick={() => {
                setCast(null);
                setForWhom(0);
              }}
            >
              {t('ballot.another')}
            </button>
          </p>
        )}
      </>
    );
  }
  if (p.status === 'open') {
    return (
      <p class="card muted" data-testid="vote-state">
        {v.on_roll
          ? t('ballot.notYet', { when: formatDateTime(p.voting_opens_at, formatLocale) })
          : t('ballot.notOnRoll', { org: org.name })}
      </p>
    );
  }
  const self = v.on_roll && v.can_vote_now && !v.voted;
  const choices = [
    ...(self ? [{ id: 0, name: t('ballot.myself') }] : []),
    ...proxies.map((x) => ({ id: x.person_id, name: x.name })),
  ];
  const state = v.voted ? (
    <>
      <p class="card" data-testid="vote-state">
        {t('ballot.alreadyVoted')}
      </p>
      {p.rule.secret && <ReceiptCheckForm p={p} />}
    </>
  ) : !self ? (
    <p class="card muted" data-testid="vote-state">
      {v.on_roll ? t('ballot.cannotNow') : t('ballot.notOnRoll', { org: org.name })}
    </p>
  ) : null;
  if (choices.length === 0) return state;
  const chosen = choices.find((c) => c.id === forWhom) ?? choices[0];
  return (
    <>
      {state}
      {choices.length > 1 || chosen.id !== 0 ? (
        <div class="field card">
          <label for="vote-for">{t('ballot.votingFor')}</label>
          <select id="vote-for" value={String(chosen.id)} onChange={(e) => setForWhom(Number(e.currentTarget.value))}>
            {choices.map((c) => (
              <option key={c.id} value={String(c.id)}>
                {c.id === 0 ? c.name : t('ballot.proxyFor', { name: c.name })}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <BallotForm
        key={chosen.id}
        p={p}
        onBehalfOf={chosen.id || undefined}
        forName={chosen.id ? chosen.name : undefined}
        onCast={(answer, ballot) => {
          setCast({ answer, ballot });
          mine.reload();
          onCast();
        }}
      />
    </>
  );
}

function ResultsPanel({ p }: { p: Proposal }) {
  const { t } = useI18n();
  const names = optionNames(t, p);
  const show = COUNTED.has(p.status) || p.status === 'closed' || (p.status === 'voting' && !p.rule.secret && !p.rule.results_hidden);
  const res = useAsync(async () => (show ? governance.results(p.id) : null), [p.id, p.status, show]);
  if (!show) {
    return p.status === 'voting' ? <p class="muted small">{t('results.afterClose')}</p> : null;
  }
  if (res.loading && !res.data) return <Loading />;
  if (res.error instanceof ApiError && (res.error.status === 403 || res.error.status === 404)) {
    return <p class="muted small">{t('results.afterClose')}</p>;
  }
  if (res.error !== undefined) return <ErrorBox error={res.error} onRetry={res.reload} />;
  if (!res.data) return null;
  return <ResultsView r={res.data} names={names.length ? names : res.data.tally.options} />;
}

export function ProposalPage({ id }: { id: string }) {
  const pid = Number(id);
  const { t, formatLocale } = useI18n();
  const { me } = useSession();
  const prop = useAsync(() => governance.proposal(pid), [pid]);
  const org = useAsync(async () => (prop.data ? endpoints.org(prop.data.org_id) : null), [prop.data?.org_id]);
  // Whether the deciding body takes proxies (for the link to give one).
  const doc = useAsync(
    async () => (prop.data && me ? governance.constitution(prop.data.org_id).catch(() => null) : null),
    [prop.data?.org_id, me?.account.id],
  );
  const [notice, setNotice] = useState<string | null>(null);
  usePageTitle(prop.data?.title);

  if (prop.loading && !prop.data) return <Loading />;
  if (prop.error !== undefined || !prop.data) return <ErrorBox error={prop.error} onRetry={prop.reload} />;
  const p = prop.data;
  const o = org.data;
  const scope = o ? [...o.path.map((x) => x.id), o.id] : [];
  const manage = canManage(me, scope) || (!!me && p.author?.person_id === me.person.id);
  const member = !!me && (me.memberships.some((m) => m.org.id === p.org_id && m.status === 'active') || canManage(me, scope));
  const coordinates = canManage(me, scope);
  const activeMember = !!me && me.memberships.some((m) => m.org.id === p.org_id && m.status === 'active');
  const proxiesAllowed = !!doc.data?.constitution.bodies.some((b) => b.key === p.body?.key && b.proxies);
  const live = p.status === 'draft' || p.status === 'open' || p.status === 'voting';

  return (
    <article class="proposal" data-proposal-id={p.id} data-status={p.status}>
      {o && <Breadcrumbs path={o.path} current={{ id: o.id, name: o.name }} />}
      {o && (
        <p class="small">
          <a href={`/orgs/${o.id}/decisions`}>{t('proposal.back', { name: o.name })}</a>
        </p>
      )}
      <PageHeading>{p.title}</PageHeading>
      <p class="kind-line">
        <ProposalStatusBadge status={p.status} />{' '}
        <span class="muted">{p.kind === 'election' ? t('proposal.election') : t('proposal.motion')}</span>
        {p.stage === 2 && <span class="muted"> · {t('proposal.stage2')}</span>}
      </p>
      {notice && <Notice>{notice}</Notice>}

      {p.text && <div class="card proposal-text">{p.text}</div>}
      {p.outcome_statement && (
        <p class="card">
          <strong>{t('proposal.outcomeStatement')}:</strong> {p.outcome_statement}
        </p>
      )}
      <Facts p={p} />
      {p.kind === 'motion' && p.method !== 'majority' && p.method !== 'consent' && p.options.length > 0 && (
        <section class="card" aria-labelledby="options-title">
          <h2 id="options-title" class="h3">
            {t('proposal.options')}
          </h2>
          <ul class="options-list">
            {p.options.map((o, i) => (
              <li key={i}>{o}</li>
            ))}
          </ul>
        </section>
      )}

      {(p.amends_id || (p.amendments && p.amendments.length > 0) || p.first_stage_id || p.second_stage_id) && (
        <nav aria-label={t('proposal.related')} class="card">
          <ul class="link-list">
            {p.amends_id && (
              <li>
                <a href={`/proposals/${p.amends_id}`}>{t('proposal.amends')}</a>
              </li>
            )}
            {(p.amendments ?? []).map((a, k) => (
              <li key={a}>
                <a href={`/proposals/${a}`}>{t('proposal.amendmentN', { n: k + 1 })}</a>
              </li>
            ))}
            {p.first_stage_id && (
              <li>
                <a href={`/proposals/${p.first_stage_id}`}>{t('proposal.firstStage')}</a>
              </li>
            )}
            {p.second_stage_id && (
              <li>
                <a href={`/proposals/${p.second_stage_id}`}>{t('proposal.secondStage')}</a>
              </li>
            )}
          </ul>
        </nav>
      )}

      {manage && (
        <Actions
          p={p}
          onDone={(msg) => {
            setNotice(msg);
            prop.reload();
          }}
        />
      )}

      {coordinates && p.status !== 'draft' && p.status !== 'withdrawn' && (
        <nav class="card governance-links" aria-label={t('proposal.records')}>
          <ul class="link-list">
            <li>
              <a href={`/proposals/${p.id}/roll`}>{t('proposal.rollLink')}</a>
            </li>
            {p.status !== 'open' && (
              <li>
                <a href={`/proposals/${p.id}/votes`}>{t('proposal.votesLink')}</a>
              </li>
            )}
          </ul>
        </nav>
      )}

      {o && <VotePanel p={p} org={o} onCast={prop.reload} />}
      {activeMember && proxiesAllowed && live && (
        <p class="small">
          <a href={`/me/proxies?org=${p.org_id}&body=${encodeURIComponent(p.body.key)}&proposal=${p.id}`}>
            {t('proposal.proxyLink', { body: p.body.name })}
          </a>
        </p>
      )}
      <ResultsPanel p={p} />

      {p.kind === 'election' && (
        <Candidates p={p} canStand={member && (p.status === 'draft' || p.status === 'open')} onChange={prop.reload} />
      )}

      {p.rule.secret && COUNTED.has(p.status) && <ReceiptCheckForm p={p} />}
      <Comments p={p} canWrite={member} />
      {p.created_at && (
        <p class="muted small">{t('proposal.created', { when: formatDateTime(p.created_at, formatLocale) })}</p>
      )}
    </article>
  );
}
