// A co-op's decisions: its bodies' current proposals (in notice, in voting,
// awaiting the count) and past ones (decided or withdrawn), filtered by body,
// with a link to the constitution that says who decides what.
import { useState } from 'preact/hooks';
import { ApiError, endpoints, governance, type ProposalSummary } from '../api';
import { useI18n } from '../i18n';
import { canManage, useSession } from '../session';
import { Breadcrumbs, ErrorBox, Loading, PageHeading, useAsync, usePageTitle } from '../ui';
import { domainLabel, formatDateTime, methodLabel, statusLabel } from './gov_words';

export function ProposalStatusBadge({ status }: { status: string }) {
  const { t } = useI18n();
  return <span class={`badge badge-p-${status}`}>{statusLabel(t, status)}</span>;
}

function ProposalRow({ p }: { p: ProposalSummary }) {
  const { t, formatLocale } = useI18n();
  const when =
    p.status === 'voting'
      ? t('gov.closes', { when: formatDateTime(p.voting_closes_at, formatLocale) })
      : p.status === 'open'
        ? t('gov.opens', { when: formatDateTime(p.voting_opens_at, formatLocale) })
        : p.voting_closes_at
          ? t('gov.closed', { when: formatDateTime(p.voting_closes_at, formatLocale) })
          : '';
  return (
    <li class="card proposal-row" data-proposal-id={p.id} data-status={p.status}>
      <a class="proposal-link" href={`/proposals/${p.id}`}>
        {p.title}
      </a>
      <p class="small">
        <ProposalStatusBadge status={p.status} />{' '}
        <span class="muted">
          {p.body?.name} · {domainLabel(t, p.domain)} · {methodLabel(t, p.method)}
        </span>
      </p>
      {when && <p class="small muted">{when}</p>}
    </li>
  );
}

export function GovernancePage({ id }: { id: string }) {
  const orgId = Number(id);
  const { t } = useI18n();
  const { me } = useSession();
  const [body, setBody] = useState('');
  const [filter, setFilter] = useState<'current' | 'past'>('current');
  const [extra, setExtra] = useState<{ items: ProposalSummary[]; next: number | null } | null>(null);
  const [moreError, setMoreError] = useState<unknown>(null);
  const org = useAsync(() => endpoints.org(orgId), [orgId]);
  const doc = useAsync(() => governance.constitution(orgId), [orgId]);
  const list = useAsync(() => {
    setExtra(null);
    setMoreError(null);
    return governance.proposals(orgId, body, filter);
  }, [orgId, body, filter]);
  usePageTitle(org.data ? t('gov.title', { name: org.data.name }) : undefined);

  if (org.loading && !org.data) return <Loading />;
  if (org.error !== undefined || !org.data) return <ErrorBox error={org.error} onRetry={org.reload} />;
  const o = org.data;
  const bodies = doc.data?.constitution.bodies ?? [];
  const noConstitution = doc.error instanceof ApiError && doc.error.status === 404;
  const items = [...(list.data?.items ?? []), ...(extra?.items ?? [])];
  const next = extra ? extra.next : (list.data?.next_after ?? null);
  const scope = [...o.path.map((x) => x.id), o.id];
  const canPropose =
    !!me && !noConstitution && (me.memberships.some((m) => m.org.id === o.id && m.status === 'active') || canManage(me, scope));

  return (
    <article class="governance" data-org-id={o.id}>
      <Breadcrumbs path={o.path} current={{ id: o.id, name: o.name }} />
      <PageHeading>{t('gov.title', { name: o.name })}</PageHeading>
      <p>
        <a href={`/orgs/${o.id}/constitution`}>{t('gov.constitutionLink')}</a>
      </p>
      {canPropose && (
        <p>
          <a class="btn btn-primary" href={`/orgs/${o.id}/proposals/new`}>
            {t('gov.newProposal')}
          </a>
        </p>
      )}
      {noConstitution && <p class="card muted">{t('constitution.none')}</p>}

      <div class="toolbar gov-toolbar">
        <div role="group" aria-label={t('gov.show')} class="segmented">
          <button type="button" class="btn btn-small" aria-pressed={filter === 'current'} onClick={() => setFilter('current')}>
            {t('gov.current')}
          </button>
          <button type="button" class="btn btn-small" aria-pressed={filter === 'past'} onClick={() => setFilter('past')}>
            {t('gov.past')}
          </button>
        </div>
        {bodies.length > 1 && (
          <label>
            {t('gov.body')}
            <select value={body} onChange={(e) => setBody(e.currentTarget.value)}>
              <option value="">{t('gov.allBodies')}</option>
              {bodies.map((b) => (
                <option key={b.key} value={b.key}>
                  {b.name}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>

      <section aria-label={filter === 'current' ? t('gov.current') : t('gov.past')} aria-busy={list.loading}>
        {list.loading && !list.data && <Loading />}
        {list.error !== undefined && <ErrorBox error={list.error} onRetry={list.reload} />}
        {list.data && items.length === 0 && (
          <p class="muted">{filter === 'current' ? t('gov.noneCurrent') : t('gov.nonePast')}</p>
        )}
        {items.length > 0 && (
          <ul class="gov-list proposals">
            {items.map((p) => (
              <ProposalRow key={p.id} p={p} />
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
                const more = await governance.proposals(orgId, body, filter, next);
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
