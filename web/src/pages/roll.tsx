// For coordinators and auditors of a proposal's org: the roll fixed when
// notice was given (who may vote, with what weight) and who has voted, as
// paged tables. A secret ballot's list says who voted and when, never what;
// an open ballot's says what each voter chose, as the API returns it.
import { useState } from 'preact/hooks';
import { governance, governanceWrite, type Proposal, type RollRow, type VoteRow } from '../api';
import { useI18n } from '../i18n';
import { ErrorBox, Loading, PageHeading, useAsync, usePageTitle } from '../ui';
import { ballotWords } from './ballot';
import { formatDateTime } from './gov_words';

function Pager({ label, pageNo, hasPrev, hasNext, busy, onPrev, onNext }: {
  label: string;
  pageNo: number;
  hasPrev: boolean;
  hasNext: boolean;
  busy: boolean;
  onPrev: () => void;
  onNext: () => void;
}) {
  const { t } = useI18n();
  if (!hasPrev && !hasNext) return null;
  return (
    <nav class="pager" aria-label={label}>
      <button type="button" class="btn" disabled={!hasPrev || busy} onClick={onPrev}>
        ‹ <span>{t('common.previous')}</span>
      </button>
      <span class="muted small" aria-live="polite">
        {t('common.pageN', { n: pageNo })}
      </span>
      <button type="button" class="btn" disabled={!hasNext || busy} onClick={onNext}>
        <span>{t('common.next')}</span> ›
      </button>
    </nav>
  );
}

function RollTable({ rows }: { rows: RollRow[] }) {
  const { t, formatLocale } = useI18n();
  return (
    <table class="rows roll-table">
      <thead>
        <tr>
          <th scope="col">{t('roll.name')}</th>
          <th scope="col" class="num">
            {t('roll.weight')}
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.person_id} data-person-id={r.person_id}>
            <th scope="row" data-label={t('roll.name')}>
              {r.name}
            </th>
            <td data-label={t('roll.weight')} class="num">
              {Number(r.weight).toLocaleString(formatLocale)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function VotesTable({ rows, p }: { rows: VoteRow[]; p: Proposal }) {
  const { t, formatLocale } = useI18n();
  const open = !p.rule.secret;
  return (
    <table class="rows votes-table">
      <thead>
        <tr>
          <th scope="col">{t('roll.name')}</th>
          <th scope="col">{t('roll.votedAt')}</th>
          {open && <th scope="col">{t('roll.ballot')}</th>}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.person_id} data-person-id={r.person_id}>
            <th scope="row" data-label={t('roll.name')}>
              {r.name}
              {r.cast_by != null && r.cast_by !== r.person_id && <span class="muted small"> · {t('roll.byProxy')}</span>}
            </th>
            <td data-label={t('roll.votedAt')}>{formatDateTime(r.voted_at, formatLocale)}</td>
            {open && <td data-label={t('roll.ballot')}>{r.ballot ? ballotWords(t, p, r.ballot, formatLocale) : '—'}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function RollOrVotes({ id, which }: { id: string; which: 'roll' | 'votes' }) {
  const pid = Number(id);
  const { t } = useI18n();
  const [cursors, setCursors] = useState<(number | null)[]>([null]);
  const after = cursors[cursors.length - 1] ?? null;
  const prop = useAsync(() => governance.proposal(pid), [pid]);
  const page = useAsync<{ items: (RollRow | VoteRow)[]; next_after: number | null }>(
    () => (which === 'roll' ? governanceWrite.roll(pid, after) : governanceWrite.votes(pid, after)),
    [pid, which, after],
  );
  const heading = which === 'roll' ? t('roll.title') : t('roll.votesTitle');
  usePageTitle(prop.data ? `${heading} · ${prop.data.title}` : heading);

  if (prop.loading && !prop.data) return <Loading />;
  if (prop.error !== undefined || !prop.data) return <ErrorBox error={prop.error} onRetry={prop.reload} />;
  const p = prop.data;
  const rows = page.data?.items ?? [];
  return (
    <section class={`roll-page roll-${which}`} data-proposal-id={p.id}>
      <p class="small">
        <a href={`/proposals/${p.id}`}>{t('roll.back', { title: p.title })}</a>
      </p>
      <PageHeading>{heading}</PageHeading>
      <p class="muted">{p.title}</p>
      {which === 'votes' && p.rule.secret && <p class="card small">{t('roll.secretNote')}</p>}
      {which === 'roll' && <p class="small muted">{t('roll.lead')}</p>}
      {page.loading && <Loading />}
      {page.error !== undefined && <ErrorBox error={page.error} onRetry={page.reload} />}
      {page.data && rows.length === 0 && <p class="muted">{which === 'roll' ? t('roll.empty') : t('roll.noVotes')}</p>}
      {rows.length > 0 &&
        (which === 'roll' ? <RollTable rows={rows as RollRow[]} /> : <VotesTable rows={rows as VoteRow[]} p={p} />)}
      <Pager
        label={heading}
        pageNo={cursors.length}
        hasPrev={cursors.length > 1}
        hasNext={page.data?.next_after != null}
        busy={page.loading}
        onPrev={() => setCursors(cursors.slice(0, -1))}
        onNext={() => page.data?.next_after != null && setCursors([...cursors, page.data.next_after])}
      />
    </section>
  );
}

export function RollPage({ id }: { id: string }) {
  return <RollOrVotes key={`roll-${id}`} id={id} which="roll" />;
}

export function VotesPage({ id }: { id: string }) {
  return <RollOrVotes key={`votes-${id}`} id={id} which="votes" />;
}
